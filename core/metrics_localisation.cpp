#include "metrics_localisation.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "error.h"

namespace iscam {

namespace {

// The image coordinate of the centre of input position i.
double centre(int i, double origin, double step) { return origin + (i + 0.5) * step; }

void require_some(const GroundTruth& g, const char* what) {
    if (std::none_of(g.inside.begin(), g.inside.end(), [](uint8_t v) { return v != 0; }))
        throw InputError(std::string("the ") + what + " covers no position of the model's " + std::to_string(g.height) +
                         "×" + std::to_string(g.width) + " input");
}

}  // namespace

GroundTruth box_ground_truth(double x0, double y0, double x1, double y1, int image_width, int image_height, int H, int W,
                             const InputWindow& window) {
    if (!(0 <= x0 && x0 < x1 && x1 <= image_width && 0 <= y0 && y0 < y1 && y1 <= image_height))
        throw InputError("the box must satisfy 0 <= x0 < x1 <= " + std::to_string(image_width) + " and 0 <= y0 < y1 <= " +
                         std::to_string(image_height) + " (image pixels)");
    GroundTruth g{H, W, std::vector<uint8_t>(size_t(H) * W, 0)};
    for (int y = 0; y < H; ++y) {
        const double v = centre(y, window.top, window.step_y);
        for (int x = 0; x < W; ++x) {
            const double u = centre(x, window.left, window.step_x);
            g.inside[size_t(y) * W + x] = x0 <= u && u < x1 && y0 <= v && v < y1;
        }
    }
    require_some(g, "box");
    return g;
}

GroundTruth mask_ground_truth(const Image& mask, int image_width, int image_height, int H, int W,
                              const InputWindow& window) {
    if (mask.width != image_width || mask.height != image_height)
        throw InputError("the mask is " + std::to_string(mask.width) + "×" + std::to_string(mask.height) +
                         " pixels, the image " + std::to_string(image_width) + "×" + std::to_string(image_height));
    GroundTruth g{H, W, std::vector<uint8_t>(size_t(H) * W, 0)};
    for (int y = 0; y < H; ++y) {
        const int v = std::clamp(int(centre(y, window.top, window.step_y)), 0, mask.height - 1);
        for (int x = 0; x < W; ++x) {
            const int u = std::clamp(int(centre(x, window.left, window.step_x)), 0, mask.width - 1);
            const uint8_t* rgb = &mask.rgb[(size_t(v) * mask.width + u) * 3];
            g.inside[size_t(y) * W + x] = std::max({rgb[0], rgb[1], rgb[2]}) >= 128;
        }
    }
    require_some(g, "mask");
    return g;
}

Localisation localise(const std::vector<float>& saliency, const GroundTruth& g) {
    if (saliency.size() != g.inside.size()) throw InputError("the ground truth and the map differ in size");
    Localisation l;
    double total = 0, in_g = 0;
    for (size_t q = 0; q < saliency.size(); ++q) {
        total += saliency[q];
        if (g.inside[q]) in_g += saliency[q];
    }
    if (!(total > 0)) return l;
    l.defined = true;
    l.hit = g.inside[size_t(std::max_element(saliency.begin(), saliency.end()) - saliency.begin())] != 0;
    l.energy = in_g / total;
    return l;
}

}  // namespace iscam
