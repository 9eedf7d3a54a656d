#pragma once
// Localisation metrics of docs/math.md, where a ground-truth box or mask G is known: the pointing game
// and the energy-based pointing game (Score-CAM paper), on the map S at the model input's H×W.
#include <cstdint>
#include <vector>

#include "image.h"
#include "preprocess.h"

namespace iscam {

// G on the model input's H×W grid (1 = inside). A position belongs to G when its centre, carried
// back to the image by the preprocessing's InputWindow (for a plain resize u = (x + ½)·width / W,
// the inverse of the half-pixel resize), falls in it.
struct GroundTruth {
    int height = 0, width = 0;
    std::vector<uint8_t> inside;  // H·W, row-major
};

// A box in image pixels: x0 ≤ u < x1 and y0 ≤ v < y1, pixel i spanning [i, i + 1). Throws
// InputError when the box is empty, leaves the image or covers no position of the H×W grid.
GroundTruth box_ground_truth(double x0, double y0, double x1, double y1, int image_width, int image_height, int H, int W,
                             const InputWindow& window);

// A mask image of the image's size: the pixel under each position's centre is inside when one of
// its channels is at least 128. Throws InputError when the sizes differ or G is empty.
GroundTruth mask_ground_truth(const Image& mask, int image_width, int image_height, int H, int W,
                              const InputWindow& window);

struct Localisation {
    bool defined = false;  // false when S is zero everywhere (nothing to point with)
    bool hit = false;      // the top-ranked position of S (the first maximum, row-major) lies in G
    double energy = 0;     // Σ_G S / Σ S
};

Localisation localise(const std::vector<float>& saliency, const GroundTruth& g);

}  // namespace iscam
