#include "similarity.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "error.h"
#include "metrics.h"

namespace iscam {

namespace {

constexpr int kWindow = 7;
constexpr double kK1 = 0.01, kK2 = 0.03, kDataRange = 1.0;

// scipy.ndimage.uniform_filter1d (size 7, mode 'reflect': d c b a | a b c d) along one axis of an
// h×w plane; stride and count pick rows or columns.
void uniform_filter(const std::vector<double>& in, std::vector<double>& out, int h, int w, bool along_rows) {
    const int half = kWindow / 2;
    const int len = along_rows ? w : h, lines = along_rows ? h : w;
    const auto at = [&](int line, int i) {
        while (i < 0 || i >= len) i = i < 0 ? -i - 1 : 2 * len - i - 1;
        return along_rows ? in[size_t(line) * w + i] : in[size_t(i) * w + line];
    };
    for (int line = 0; line < lines; ++line)
        for (int i = 0; i < len; ++i) {
            double s = 0;
            for (int d = -half; d <= half; ++d) s += at(line, i + d);
            (along_rows ? out[size_t(line) * w + i] : out[size_t(i) * w + line]) = s / kWindow;
        }
}

std::vector<double> box_mean(const std::vector<double>& v, int h, int w) {
    std::vector<double> tmp(v.size()), out(v.size());
    uniform_filter(v, tmp, h, w, true);
    uniform_filter(tmp, out, h, w, false);
    return out;
}

}  // namespace

std::vector<double> average_ranks(const std::vector<double>& v) {
    std::vector<size_t> order(v.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](size_t i, size_t j) { return v[i] < v[j]; });
    std::vector<double> rank(v.size());
    for (size_t i = 0; i < order.size();) {
        size_t j = i;
        while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
        const double r = 0.5 * double(i + j) + 1.0;
        for (size_t k = i; k <= j; ++k) rank[order[k]] = r;
        i = j + 1;
    }
    return rank;
}

double spearman(const float* a, const float* b, size_t n, bool absolute) {
    std::vector<double> x(n), y(n);
    for (size_t i = 0; i < n; ++i) {
        x[i] = absolute ? std::fabs(double(a[i])) : double(a[i]);
        y[i] = absolute ? std::fabs(double(b[i])) : double(b[i]);
    }
    const std::vector<double> rx = average_ranks(x), ry = average_ranks(y);
    const double mean = 0.5 * double(n + 1);  // the mean of any average ranking of n values
    double sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < n; ++i) {
        sxy += (rx[i] - mean) * (ry[i] - mean);
        sxx += (rx[i] - mean) * (rx[i] - mean);
        syy += (ry[i] - mean) * (ry[i] - mean);
    }
    if (sxx == 0 || syy == 0) return std::numeric_limits<double>::quiet_NaN();
    return sxy / std::sqrt(sxx * syy);
}

double ssim(const float* a, const float* b, int h, int w) {
    if (h < kWindow || w < kWindow)
        throw InputError("SSIM needs maps of at least 7x7 positions, got " + std::to_string(h) + "x" + std::to_string(w));
    const size_t n = size_t(h) * w;
    std::vector<double> x(a, a + n), y(b, b + n), xx(n), yy(n), xy(n);
    for (size_t i = 0; i < n; ++i) {
        xx[i] = x[i] * x[i];
        yy[i] = y[i] * y[i];
        xy[i] = x[i] * y[i];
    }
    const auto ux = box_mean(x, h, w), uy = box_mean(y, h, w), uxx = box_mean(xx, h, w), uyy = box_mean(yy, h, w),
               uxy = box_mean(xy, h, w);
    const double points = kWindow * kWindow, cov_norm = points / (points - 1);
    const double c1 = (kK1 * kDataRange) * (kK1 * kDataRange), c2 = (kK2 * kDataRange) * (kK2 * kDataRange);
    const int pad = (kWindow - 1) / 2;
    double sum = 0;
    for (int r = pad; r < h - pad; ++r)
        for (int c = pad; c < w - pad; ++c) {
            const size_t i = size_t(r) * w + c;
            const double vx = cov_norm * (uxx[i] - ux[i] * ux[i]), vy = cov_norm * (uyy[i] - uy[i] * uy[i]),
                         vxy = cov_norm * (uxy[i] - ux[i] * uy[i]);
            sum += ((2 * ux[i] * uy[i] + c1) * (2 * vxy + c2)) /
                   ((ux[i] * ux[i] + uy[i] * uy[i] + c1) * (vx + vy + c2));
        }
    return sum / (double(h - 2 * pad) * double(w - 2 * pad));
}

double topk_intersection(const float* a, const float* b, size_t n, double fraction) {
    const size_t k = std::max<size_t>(1, size_t(std::ceil(fraction * double(n))));
    const std::vector<int32_t> ra = saliency_ranks(a, n), rb = saliency_ranks(b, n);
    size_t shared = 0;
    for (size_t q = 0; q < n; ++q) shared += size_t(ra[q]) < k && size_t(rb[q]) < k;
    return double(shared) / double(k);
}

MapSimilarity compare_maps(const float* a, const float* b, int h, int w) {
    const size_t n = size_t(h) * w;
    return {spearman(a, b, n, false), spearman(a, b, n, true), ssim(a, b, h, w), topk_intersection(a, b, n, kTopkFraction)};
}

}  // namespace iscam
