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
    std::string sidecar_path;                     // "": M.json beside M.onnx, if there is one
    std::string labels_path;                      // "": the sidecar's labels, if any
    std::string preset;                           // "": the sidecar's preprocessing (else ImageNet's, pixels for uint8)
    std::optional<std::array<float, 3>> mean, std;
    std::optional<std::pair<int, int>> size;      // H, W; must agree with a model that fixes them
    bool gray = false;                            // ask for one channel (checked against the model)
    std::string resize, crop;                     // "stretch", "shorter" or N; "center" or "none"; "": the sidecar's
    bool bgr = false;                             // feed B, G, R
    ModelChoices choices;                         // score output, input layout and layer reading over the sidecar's
    bool float_form = false;                      // an int8 model's float form (onnx_dequantize.h), as the page runs it
};

struct LoadedModel {
    std::string path;
    Classifier classifier;
    ModelConfig config;

    // 1×C×H×W, the shape every input of this model is given.
    std::vector<int64_t> input_shape() const;
    // The default target layer (layer_reading.h's rule). Throws InputError when there is none.
    std::string default_layer();
    // Throws InputError when the model does not take 1 or 3 channels (an image has no other).
    Tensor input_from_image(const Image& image) const;
    // The part of the image the input shows (the centre crop, or all of it), for overlays.
    Image input_region(const Image& image) const;
    // A preprocessed float32 .npy input, checked against input_shape().
    Tensor input_from_npy(const std::string& npy_path) const;
};

// Throws InputError when the file is not a usable classifier or an option does not fit it.
LoadedModel load_model(const std::string& path, const ModelOptions& options);
// The same from bytes (no folder: external data cannot be found; the sidecar only by sidecar_path).
LoadedModel load_model_from_bytes(std::string bytes, const ModelOptions& options);

}  // namespace iscam
