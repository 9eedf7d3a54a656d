#include "preprocess.h"

#include <algorithm>
#include <cmath>

#include "error.h"

namespace iscam {

Preprocess preprocess_preset(const std::string& name, Preprocess base) {
    if (name == "imagenet") {
        base.mean = {0.485f, 0.456f, 0.406f};
        base.std = {0.229f, 0.224f, 0.225f};
    } else if (name == "unit") {
        base.mean = {0, 0, 0};
        base.std = {1, 1, 1};
    } else if (name == "symmetric") {
        base.mean = {0.5f, 0.5f, 0.5f};
        base.std = {0.5f, 0.5f, 0.5f};
    } else if (name == "pixels") {
        base.mean = {0, 0, 0};
        base.std = {1.0f / 255, 1.0f / 255, 1.0f / 255};
    } else {
        throw InputError("unknown preprocessing preset '" + name + "' (known: imagenet, unit, symmetric, pixels)");
    }
    return base;
}

void validate(const Preprocess& p) {
    if (p.height < 1 || p.width < 1 || p.height > 8192 || p.width > 8192)
        throw InputError("the input size must be between 1×1 and 8192×8192");
    for (float s : p.std)
        if (!(s > 0.0f) || !std::isfinite(s)) throw InputError("every std value must be positive");
    for (float m : p.mean)
        if (!std::isfinite(m)) throw InputError("every mean value must be finite");
    if (p.center_crop && p.shorter_side != 0 && (p.shorter_side < std::max(p.height, p.width) || p.shorter_side > 16384))
        throw InputError("the shorter side to resize to (" + std::to_string(p.shorter_side) +
                         ") must be at least the input size " + std::to_string(p.height) + "x" + std::to_string(p.width) +
                         " and at most 16384");
}

namespace {

// torchvision's Resize(S) + CenterCrop(H, W): the shorter side becomes S, the longer
// int(S · long / short); the crop starts at round((size − crop) / 2).
struct CropWindow {
    int rh, rw;       // the resized image
    int top, left;    // the crop's corner in it
};
CropWindow crop_window(int width, int height, const Preprocess& p) {
    const int side = p.shorter_side > 0 ? p.shorter_side : std::max(p.height, p.width);
    const bool wide = width >= height;
    const int shorter = wide ? height : width, longer = wide ? width : height;
    const int scaled = std::max(side, int(double(side) * longer / shorter));
    const int rh = wide ? side : scaled, rw = wide ? scaled : side;
    return {rh, rw, int(std::lround((rh - p.height) / 2.0)), int(std::lround((rw - p.width) / 2.0))};
}

std::vector<float> cropped_planes(const Image& image, const Preprocess& p) {
    const auto [rh, rw, top, left] = crop_window(image.width, image.height, p);
    const std::vector<float> planes = resized_planes(image, rh, rw);
    std::vector<float> out(3 * size_t(p.height) * p.width);
    for (int c = 0; c < 3; ++c)
        for (int y = 0; y < p.height; ++y) {
            const float* src = &planes[(size_t(c) * rh + size_t(top + y)) * rw + size_t(left)];
            std::copy(src, src + p.width, &out[(size_t(c) * p.height + size_t(y)) * p.width]);
        }
    return out;
}

}  // namespace

Tensor to_input_tensor(const Image& image, const Preprocess& p) {
    validate(p);
    if (image.width < 1 || image.height < 1) throw InputError("the image has no pixels");
    const size_t n = size_t(p.width) * p.height;
    const std::vector<float> planes = p.center_crop ? cropped_planes(image, p) : resized_planes(image, p.height, p.width);
    const int C = p.gray ? 1 : 3;
    Tensor t({1, C, p.height, p.width});
    for (size_t i = 0; i < n; ++i) {
        if (p.gray) {
            const float y = 0.299f * planes[i] + 0.587f * planes[n + i] + 0.114f * planes[2 * n + i];
            t.data[i] = (y / 255.0f - p.mean[0]) / p.std[0];
        } else {
            for (int c = 0; c < 3; ++c) {
                const int source = p.bgr ? 2 - c : c;
                t.data[c * n + i] = (planes[source * n + i] / 255.0f - p.mean[c]) / p.std[c];
            }
        }
    }
    return t;
}

Image input_region(const Image& image, const Preprocess& p) {
    if (!p.center_crop) return image;
    const auto [rh, rw, top, left] = crop_window(image.width, image.height, p);
    const double sy = double(image.height) / rh, sx = double(image.width) / rw;
    const int y0 = std::clamp(int(std::lround(top * sy)), 0, image.height - 1);
    const int x0 = std::clamp(int(std::lround(left * sx)), 0, image.width - 1);
    Image out;
    out.height = std::clamp(int(std::lround(p.height * sy)), 1, image.height - y0);
    out.width = std::clamp(int(std::lround(p.width * sx)), 1, image.width - x0);
    out.rgb.resize(size_t(out.width) * out.height * 3);
    for (int y = 0; y < out.height; ++y) {
        const uint8_t* src = &image.rgb[(size_t(y0 + y) * image.width + size_t(x0)) * 3];
        std::copy(src, src + size_t(out.width) * 3, &out.rgb[size_t(y) * out.width * 3]);
    }
    return out;
}

InputWindow input_window(int width, int height, const Preprocess& p) {
    if (!p.center_crop) return {0, 0, double(width) / p.width, double(height) / p.height};
    const auto [rh, rw, top, left] = crop_window(width, height, p);
    const double sx = double(width) / rw, sy = double(height) / rh;
    return {left * sx, top * sy, sx, sy};
}

}  // namespace iscam
