#pragma once
// How alike two saliency maps are (docs/math.md, "Sanity checks"): Spearman rank correlation with
// and without absolute values (scipy.stats.spearmanr: ties by average rank), SSIM
// (skimage.metrics.structural_similarity's defaults, data range 1) and top-k intersection.
#include <cstddef>
#include <vector>

namespace iscam {

// 1-based ranks of v, tied values sharing the mean of their ranks (scipy.stats.rankdata "average").
std::vector<double> average_ranks(const std::vector<double>& v);

// Pearson correlation of the average ranks of a and b (of |a| and |b| when `absolute`); NaN when
// either has all values equal (scipy gives NaN there too).
double spearman(const float* a, const float* b, size_t n, bool absolute);

// Mean SSIM of two h×w maps: 7×7 uniform window, K1 = 0.01, K2 = 0.03, data range 1, sample
// covariance, 'reflect' edges, averaged over the positions 3 or more from every edge. Throws
// InputError when h or w is under 7.
double ssim(const float* a, const float* b, int h, int w);

// k = ceil(fraction · n) positions of highest value in each map (ties by position ascending);
// returns |top_k(a) ∩ top_k(b)| / k.
double topk_intersection(const float* a, const float* b, size_t n, double fraction);

constexpr double kTopkFraction = 0.1;

struct MapSimilarity {
    double spearman = 0, spearman_abs = 0, ssim = 0, topk = 0;
};
MapSimilarity compare_maps(const float* a, const float* b, int h, int w);

}  // namespace iscam
