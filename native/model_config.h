#pragma once
// What the CLI knows about a model beyond its graph: labels and preprocessing, from the
// model's sidecar JSON (M.json next to M.onnx), a labels file, or the ImageNet defaults.
#include <optional>
#include <string>
#include <vector>

#include "preprocess.h"
#include "onnx_graph.h"

namespace iscam {

struct ModelConfig {
    std::vector<std::string> labels;
    Preprocess preprocess;
    std::string sidecar;  // path of the sidecar read, if any
};

// labels_path: a JSON array of names or a text file with one name a line ("" = none).
ModelConfig load_model_config(const std::string& model_path, const InputInfo& input, const std::string& labels_path);
// Fills in the ImageNet class names for a 1000-class model that came without labels.
void default_labels(ModelConfig& c, size_t class_count, const std::string& data_dir);

std::vector<std::string> read_labels(const std::string& path);
std::string label_of(const ModelConfig& c, int index);

}  // namespace iscam
