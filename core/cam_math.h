#pragma once
// The small pieces of docs/math.md's math, each on plain arrays.
#include <cstddef>
#include <vector>

namespace iscam {

constexpr float kEps = 1e-8f;

// SPEC step 1 (and step 5's final normalisation): (v − min) / (max(v − min) + eps), in place.
void minmax_normalise(float* v, size_t n);

// SPEC step 4: softmax in double precision, max-subtracted.
std::vector<float> softmax(const std::vector<double>& s);

// Indices 0..n−1 by value, highest first, ties in index order: the ranking of positions for
// deletion and insertion, and of classes for a prediction.
std::vector<int> descending_order(const float* v, size_t n);

// SPEC step 5: ReLU(Σ_k w_k A_k) over the channels listed in `channels`, then min-max
// normalised. `activations` is K×(hw) row-major.
std::vector<float> weighted_map(const float* activations, size_t hw, const std::vector<int>& channels,
                                const std::vector<float>& weights);

// y ≈ slope·x + offset by least squares; slope 0 when every x is the same.
struct Line {
    double slope, offset;
};
Line least_squares(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace iscam
