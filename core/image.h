#pragma once
// Decoding images (stb_image) and turning them into a model's input tensor.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "tensor.h"

namespace iscam {

// 8-bit RGB, row-major, 3 bytes a pixel (grey is expanded, alpha is composited on white).
struct Image {
    int width = 0, height = 0;
    std::vector<uint8_t> rgb;
};

// PNG, JPEG, BMP, GIF (first frame), ... Throws InputError on anything it cannot decode.
Image decode_image(const uint8_t* data, size_t size);
Image load_image(const std::string& path);

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

// Bilinear resize of an RGB image, for overlays at the image's own size.
Image resize_image(const Image& image, int width, int height);

}  // namespace iscam
