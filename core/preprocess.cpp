#include "preprocess.h"

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
    } else {
        throw InputError("unknown preprocessing preset '" + name + "' (known: imagenet, unit, symmetric)");
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
}

Tensor to_input_tensor(const Image& image, const Preprocess& p) {
    validate(p);
    if (image.width < 1 || image.height < 1) throw InputError("the image has no pixels");
    const size_t n = size_t(p.width) * p.height;
    const std::vector<float> planes = resized_planes(image, p.height, p.width);
    const int C = p.gray ? 1 : 3;
    Tensor t({1, C, p.height, p.width});
    for (size_t i = 0; i < n; ++i) {
        if (p.gray) {
            const float y = 0.299f * planes[i] + 0.587f * planes[n + i] + 0.114f * planes[2 * n + i];
            t.data[i] = (y / 255.0f - p.mean[0]) / p.std[0];
        } else {
            for (int c = 0; c < 3; ++c) t.data[c * n + i] = (planes[c * n + i] / 255.0f - p.mean[c]) / p.std[c];
        }
    }
    return t;
}

}  // namespace iscam
