#pragma once
// Turning a decoded image into a model's input tensor: resize (and crop), scale, mean/std.
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
    // Keep the aspect ratio: the shorter side becomes `shorter_side` (0: the larger of height and
    // width), then the central height×width is cut out (torchvision Resize + CenterCrop).
    // Otherwise the image is stretched to height×width.
    bool center_crop = false;
    int shorter_side = 0;
    bool bgr = false;  // channels in B, G, R order (mean and std are given in that order too)
};

// Named presets: "imagenet" (mean/std of ImageNet), "unit" ([0, 1]), "symmetric" ([-1, 1]),
// "pixels" (0..255, the default for uint8 inputs). Throws InputError for an unknown name; keeps
// everything of `base` but mean and std.
Preprocess preprocess_preset(const std::string& name, Preprocess base);
void validate(const Preprocess& p);

// Resize (bilinear, half-pixel; and crop), /255, (x − mean) / std, NCHW: 1×C×H×W with
// C = 1 (gray) or 3.
Tensor to_input_tensor(const Image& image, const Preprocess& p);

// The part of the image the input shows, in the image's own pixels: the centre crop's region,
// or the whole image. Overlays are drawn on it.
Image input_region(const Image& image, const Preprocess& p);

// Where the input's pixels sit in an image of width×height: input pixel (y, x) has its centre at
// image pixel coordinates (left + (x + ½)·step_x, top + (y + ½)·step_y). Ground-truth boxes and
// masks in image pixels are carried to the input grid with it.
struct InputWindow {
    double left = 0, top = 0, step_x = 1, step_y = 1;
};
InputWindow input_window(int width, int height, const Preprocess& p);

}  // namespace iscam
