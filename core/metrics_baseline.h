#pragma once
// The baselines that deletion replaces positions with and insertion starts from (docs/math.md,
// "Faithfulness metrics"), all on the preprocessed input.
#include <vector>

#include "metrics.h"

namespace iscam {

// RISE's blur, as torchvision's gaussian_blur(x, kernel_size=11, sigma=5): taps at −5..5 of
// exp(−t²/(2σ²)), normalised, applied to every channel with reflect padding.
constexpr int kBlurKernel = 11;
constexpr float kBlurSigma = 5.0f;

// Zeros (the dataset's mean colour), the blurred input, or the constant, C·H·W floats.
// Throws InputError when the input is too small to blur (reflect padding needs H, W > 5).
std::vector<float> metrics_baseline(const MetricsOptions& o, const float* input, int C, int H, int W);

// Each of the C planes of H×W blurred as above.
std::vector<float> gaussian_blur(const float* input, int C, int H, int W, int kernel, float sigma);

}  // namespace iscam
