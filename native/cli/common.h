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
    std::string output, layout, resize, crop;
    bool gray = false, bgr = false;
    double max_megapixels = 64;  // images over this are refused before decoding
    int threads = 0;
    std::string device = "cpu";
    int tokens = -1;                 // -1: by rule
    std::string grid, layer_layout;  // "": by rule
    bool float_form = false;
};
void add_model_options(CLI::App* app, ModelArgs& a, bool with_preprocess = true);
// --tokens, --grid and --layer-layout: how target layers are read, for the commands that pick one.
void add_layer_reading_options(CLI::App* app, ModelArgs& a);

// The model with the CLI's preprocessing flags applied.
LoadedModel load_model(const ModelArgs& a);

ImageLimits image_limits(const ModelArgs& a);

// "iscam: note: ..." on stderr for what the model needed bridging (channels-last or uint8 input,
// a Softmax output whose input is scored).
void print_model_notes(const LoadedModel& m);

// The input tensor: from --input-npy (checked against the model) or the decoded, preprocessed image.
Tensor load_input(const LoadedModel& m, const std::string& image_path, const std::string& npy_path,
                  const ImageLimits& limits = {});

std::vector<Method> parse_methods(const std::string& s);

// Where the bundled data (ImageNet labels) lives.
std::string data_dir();

void progress_bar(const Explainer& ex, double elapsed_s, bool force);
void progress_done();

}  // namespace iscam::cli
