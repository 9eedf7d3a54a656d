#pragma once
// Options and steps shared by the subcommands.
#include <CLI/CLI.hpp>
#include <atomic>
#include <string>

#include "explain_run.h"
#include "model_loader.h"

namespace iscam::cli {

extern std::atomic<bool> g_cancel;  // set by SIGINT

struct ModelArgs {
    std::string model, labels, size, mean, std_, preset;
    bool gray = false;
    int threads = 0;
    std::string device = "cpu";
};
void add_model_options(CLI::App* app, ModelArgs& a, bool with_preprocess = true);

// The model with the CLI's preprocessing flags applied.
LoadedModel load_model(const ModelArgs& a);

// The input tensor: from --input-npy (checked against the model) or the decoded, preprocessed image.
Tensor load_input(const LoadedModel& m, const std::string& image_path, const std::string& npy_path);

std::vector<Method> parse_methods(const std::string& s);

// Where the bundled data (ImageNet labels) lives.
std::string data_dir();

void progress_bar(const Explainer& ex, double elapsed_s, bool force);
void progress_done();

}  // namespace iscam::cli
