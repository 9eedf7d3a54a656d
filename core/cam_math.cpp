#include "cam_math.h"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <numeric>

namespace iscam {

void minmax_normalise(float* v, size_t n) {
    if (n == 0) return;
    auto [lo, hi] = std::minmax_element(v, v + n);
    const float mn = *lo, range = *hi - *lo;
    for (size_t i = 0; i < n; ++i) v[i] = (v[i] - mn) / (range + kEps);
}

std::vector<int> descending_order(const float* v, size_t n) {
    std::vector<int> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [v](int a, int b) { return v[a] > v[b]; });
    return order;
}

std::vector<float> softmax(const std::vector<double>& s) {
    std::vector<float> w(s.size());
    if (s.empty()) return w;
    const double mx = *std::max_element(s.begin(), s.end());
    double sum = 0;
    for (double x : s) sum += std::exp(x - mx);
    for (size_t i = 0; i < s.size(); ++i) w[i] = float(std::exp(s[i] - mx) / sum);
    return w;
}

std::vector<float> weighted_map(const float* activations, size_t hw, const std::vector<int>& channels,
                                const std::vector<float>& weights) {
    Eigen::VectorXf acc = Eigen::VectorXf::Zero(Eigen::Index(hw));
    for (size_t i = 0; i < channels.size(); ++i)
        acc += weights[i] * Eigen::Map<const Eigen::VectorXf>(activations + size_t(channels[i]) * hw, Eigen::Index(hw));
    std::vector<float> map(acc.data(), acc.data() + hw);
    for (float& v : map) v = std::max(v, 0.0f);
    minmax_normalise(map.data(), hw);
    return map;
}

// Two sums in closed form: a linear-algebra library would add nothing here.
Line least_squares(const std::vector<double>& x, const std::vector<double>& y) {
    const double n = double(x.size());
    double mx = 0, my = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        mx += x[i] / n;
        my += y[i] / n;
    }
    double sxx = 0, sxy = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        sxx += (x[i] - mx) * (x[i] - mx);
        sxy += (x[i] - mx) * (y[i] - my);
    }
    const double slope = sxx > 0 ? sxy / sxx : 0.0;
    return {slope, my - slope * mx};
}

}  // namespace iscam
