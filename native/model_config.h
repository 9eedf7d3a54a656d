#pragma once
// What the CLI knows about a model beyond its graph: labels, preprocessing and model choices
// (score output, input layout), from the model's sidecar JSON (M.json next to M.onnx), a labels
// file, or the defaults. Parsing is pure (text in, settings out) so that it can be fuzzed.
#include <optional>
#include <string>
#include <vector>

#include "model_adapter.h"
#include "preprocess.h"

namespace iscam {

struct ModelConfig {
    std::vector<std::string> labels;
    Preprocess preprocess;
    bool normalisation_given = false;  // the sidecar set mean, std or a preset
    ModelChoices choices;              // "output", "layout", "tokens", "grid" and "layer_layout" of the sidecar
    std::string sidecar;               // path of the sidecar read, if any
};

// A sidecar's JSON text:
//   {"labels": ["cat", ...],
//    "preprocess": {"size": [H, W], "gray": bool, "mean": [r, g, b], "std": [r, g, b],
//                   "preset": "imagenet|unit|symmetric|pixels", "resize": "stretch|shorter" or N,
//                   "crop": "center|none", "channel_order": "rgb|bgr"},
//    "output": "logits", "layout": "nchw|nhwc",
//    "tokens": e, "grid": [h, w], "layer_layout": "nchw|nhwc"}   (how target layers are read: layer_reading.h)
// Other keys are ignored. Throws InputError naming `source` and the field that is not valid.
ModelConfig parse_sidecar(const std::string& json_text, const std::string& source = "model sidecar");
// Class names: a JSON array of strings, or one name a line. Throws InputError naming `source`.
std::vector<std::string> parse_labels(const std::string& text, const std::string& source = "labels file");

// Applies the resize ("stretch", "shorter" or the shorter side in pixels) and crop ("center",
// "none") settings; "" leaves a setting as it is. Throws InputError naming `what`.
void set_resize(Preprocess& p, const std::string& resize, const std::string& crop, const std::string& what);

// The sidecar at `sidecar_path`, or M.json beside M.onnx when that is "" (none there: defaults).
ModelConfig load_sidecar(const std::string& model_path, const std::string& sidecar_path = "");
// What the model's input decides: a fixed size, gray for one channel, and 0..255 pixels for a
// uint8 input unless the sidecar set the normalisation.
void fit_to_input(ModelConfig& c, const InputInfo& input);
// Fills in the ImageNet class names for a 1000-class model that came without labels.
void default_labels(ModelConfig& c, size_t class_count, const std::string& data_dir);

std::vector<std::string> read_labels(const std::string& path);
std::string label_of(const ModelConfig& c, int index);

}  // namespace iscam
