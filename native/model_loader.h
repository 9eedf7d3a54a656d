#pragma once
// A model ready to explain: the classifier with its labels and preprocessing (sidecar M.json,
// then the caller's options). Shared by the CLI and the library.
#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "classifier.h"
#include "model_config.h"

namespace iscam {

struct ModelOptions {
    RuntimeOptions runtime;
    std::string labels_path;                      // "": the sidecar's labels, if any
    std::string preset;                           // "": the sidecar's preprocessing (else ImageNet's)
    std::optional<std::array<float, 3>> mean, std;
    std::optional<std::pair<int, int>> size;      // H, W; must agree with a model that fixes them
    bool gray = false;                            // ask for one channel (checked against the model)
};

struct LoadedModel {
    std::string path;
    Classifier classifier;
    ModelConfig config;

    // 1×C×H×W, the shape every input of this model is given.
    std::vector<int64_t> input_shape() const;
    // torch-cam's default target layer: the last candidate. Throws InputError when there is none.
    std::string default_layer();
    Tensor input_from_image(const Image& image) const;
    // A preprocessed float32 .npy input, checked against input_shape().
    Tensor input_from_npy(const std::string& npy_path) const;
};

// Throws InputError when the file is not a usable classifier or an option does not fit it.
LoadedModel load_model(const std::string& path, const ModelOptions& options);

}  // namespace iscam
