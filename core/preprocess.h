#pragma once
// Turning a decoded image into a model's input tensor: resize, scale, mean/std.
#include <array>
#include <string>

#include "image.h"
#include "tensor.h"

namespace iscam {

struct Preprocess {
    int height = 224, width = 224;
    bool gray = false;  // one input channel: the luminance (ITU-R BT.601)
    std::array<float, 3> mean{0.485f, 0.456f, 0.406f};
    std::array<float, 3> std{0.229f, 0.224f, 0.225f};
};

// Named presets: "imagenet" (mean/std of ImageNet), "unit" ([0, 1]), "symmetric" ([-1, 1]).
// Throws InputError for an unknown name; keeps the size and gray flag of `base`.
Preprocess preprocess_preset(const std::string& name, Preprocess base);
void validate(const Preprocess& p);

// Bilinear resize (half-pixel), /255, (x − mean) / std, NCHW: 1×C×H×W with C = 1 (gray) or 3.
Tensor to_input_tensor(const Image& image, const Preprocess& p);

}  // namespace iscam
