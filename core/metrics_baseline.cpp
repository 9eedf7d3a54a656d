#include "metrics_baseline.h"

#include <cmath>
#include <string>

#include "error.h"

namespace iscam {

namespace {

// Mirror without repeating the edge (…, 2, 1 | 0, 1, 2, … | n−2, n−3, …), as PyTorch's "reflect".
int reflect(int i, int n) {
    if (i < 0) return -i;
    if (i >= n) return 2 * (n - 1) - i;
    return i;
}

std::vector<float> gaussian_taps(int kernel, float sigma) {
    std::vector<double> t(static_cast<size_t>(kernel));
    double sum = 0;
    const double half = (kernel - 1) / 2.0;
    for (int i = 0; i < kernel; ++i) {
        const double x = (i - half) / sigma;
        t[size_t(i)] = std::exp(-0.5 * x * x);
        sum += t[size_t(i)];
    }
    std::vector<float> taps(static_cast<size_t>(kernel));
    for (int i = 0; i < kernel; ++i) taps[size_t(i)] = float(t[size_t(i)] / sum);
    return taps;
}

}  // namespace

// Two 1-D passes (the 2-D Gaussian is separable); Eigen has no reflect-padded convolution.
std::vector<float> gaussian_blur(const float* input, int C, int H, int W, int kernel, float sigma) {
    const int half = kernel / 2;
    if (H <= half || W <= half)
        throw InputError("the blur baseline needs an input of at least " + std::to_string(half + 1) + "×" +
                         std::to_string(half + 1) + " (this one is " + std::to_string(H) + "×" + std::to_string(W) + ")");
    const std::vector<float> taps = gaussian_taps(kernel, sigma);
    const size_t HW = size_t(H) * W;
    std::vector<float> rows(HW), out(size_t(C) * HW);
    for (int c = 0; c < C; ++c) {
        const float* x = input + size_t(c) * HW;
        for (int y = 0; y < H; ++y)
            for (int u = 0; u < W; ++u) {
                double acc = 0;
                for (int k = 0; k < kernel; ++k) acc += double(taps[size_t(k)]) * x[size_t(y) * W + reflect(u + k - half, W)];
                rows[size_t(y) * W + u] = float(acc);
            }
        float* o = out.data() + size_t(c) * HW;
        for (int y = 0; y < H; ++y)
            for (int u = 0; u < W; ++u) {
                double acc = 0;
                for (int k = 0; k < kernel; ++k) acc += double(taps[size_t(k)]) * rows[size_t(reflect(y + k - half, H)) * W + u];
                o[size_t(y) * W + u] = float(acc);
            }
    }
    return out;
}

std::vector<float> metrics_baseline(const MetricsOptions& o, const float* input, int C, int H, int W) {
    const size_t n = size_t(C) * H * W;
    switch (o.baseline) {
        case BaselineKind::Zeros: return std::vector<float>(n, 0.0f);
        case BaselineKind::Constant: return std::vector<float>(n, o.constant);
        case BaselineKind::Blur: return gaussian_blur(input, C, H, W, kBlurKernel, kBlurSigma);
    }
    return {};
}

}  // namespace iscam
