#pragma once
// ROAD (Rong et al. 2022, "A Consistent and Efficient Evaluation Strategy for Attribution
// Methods"): remove the most (MoRF) or least (LeRF) relevant p % of the positions and impute them
// by noisy linear imputation (docs/math.md, "ROAD"). Ask/tell like core/metrics.h: the evaluator
// writes the imputed inputs into the caller's batch and is told their logits; it never runs a model.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "metrics.h"

namespace iscam {

struct RoadOptions {
    std::vector<double> percentages{10, 20, 30, 40, 50, 60, 70, 80, 90};  // increasing, each in (0, 100)
    float noise = 0.01f;  // σ of the noise added to each imputed value
    uint64_t seed = 0;
    ScoreKind score = ScoreKind::Softmax;
};
void validate(const RoadOptions& o);  // throws InputError
// "10,20,30" → percentages; throws InputError naming what is wrong.
std::vector<double> parse_percentages(const std::string& s);

// x (C·H·W) with the positions where removed[q] != 0 replaced, in every channel, by the solution
// of the linear system "each removed value is the weighted mean of its in-image 8 neighbours"
// (direct 1/6, diagonal 1/12), solved with Eigen's SparseLU, plus σ·noise_field(seed, stream, c).
// Throws InputError when every position is removed.
std::vector<float> noisy_linear_imputation(const float* x, int C, int H, int W, const std::vector<uint8_t>& removed,
                                           float sigma, uint64_t seed, uint32_t stream);

// The removed count at percentage p of P positions: round(p·P/100), kept within 1..P−1.
int road_count(double p, int positions);

struct RoadResult {
    double score = 0;  // p(X)
    std::vector<double> percentages, morf, lerf;  // NaN where not told yet
    double morf_auc = 0, lerf_auc = 0;            // trapezoid over (0, p(X)) and (p/100, curve); NaN until done
    double morf_mean = 0, lerf_mean = 0;          // pytorch-grad-cam's averages over the percentages
    size_t forward_passes = 0;
};

class RoadEvaluator {
public:
    // As FaithfulnessEvaluator's: input C·H·W, map h×w (upsampled here to H×W), logits f(X).
    RoadEvaluator(const RoadOptions& options, int C, int H, int W, const float* input, const float* map, int h, int w,
                  const float* logits, size_t classes, int cls);

    bool done() const { return told_ == total_; }
    size_t total_passes() const { return total_; }
    size_t passes_done() const { return told_; }
    double progress() const { return total_ ? double(told_) / double(total_) : 1.0; }

    size_t next_batch(float* batch, size_t capacity);
    void tell(const float* logits, size_t n, size_t classes);
    RoadResult result() const;

    // The removal mask of pass i (MoRF at percentage i/2 for even i, LeRF for odd i).
    std::vector<uint8_t> removed(size_t pass) const;

private:
    RoadOptions options_;
    int C_, H_, W_;
    size_t classes_;
    int cls_;
    std::vector<float> input_;
    std::vector<int32_t> ranks_;
    RoadResult r_;
    size_t total_ = 0, next_ = 0, told_ = 0;
};

}  // namespace iscam
