#pragma once
// What the teaching views show, taken from a finished (or partial) run of the Explainer: the
// channels ranked by weight, the map built up channel by channel, each channel's U_k and masked
// input, IS-CAM's path and SS-CAM's noisy samples with the scores the engine was told, and a
// probe that re-scores one channel with other parameters (the effect of σ or N). Nothing here
// runs a model or computes a score of its own: scores come from the run (told_scores) or are told.
#include <cstddef>
#include <memory>
#include <vector>

#include "explainer.h"
#include "image.h"
#include "preprocess.h"

namespace iscam {

struct RankedChannel {
    int channel;
    float score;   // s_k
    float weight;  // w_k
};

// The scored channels of `r` (all-zero, left-out and not-yet-scored channels are not), highest
// weight first; equal weights: lower channel first.
std::vector<RankedChannel> rank_channels(const CamResult& r);

// SPEC step 5 over the `n` highest-weighted channels of `r` only, each with its final weight w_k
// (n is clamped to the channels scored). With every scored channel it is `r.map`, to the bit.
std::vector<float> build_up_map(const Explainer& ex, const CamResult& r, size_t n);

// A preprocessed input (C×H×W, after mean/std) as it looks: x·std + mean, ×255, clamped; one
// channel is shown grey. Masked inputs come out in the mean colour where the mask is 0.
Image display_image(const float* x, const Shapes& shapes, const Preprocess& p);

// The input of one forward pass exactly as the engine writes it (C·H·W floats).
std::vector<float> pass_input(Explainer& ex, const Pass& pass);
// U_k ⊙ X (Score-CAM's masked input of channel k).
std::vector<float> masked_input(Explainer& ex, int k);
// U_k, H·W floats in [0, 1].
std::vector<float> upsampled_mask(const Explainer& ex, int k);

// One channel's forward passes for one method, with the scores f(·)_c − b: IS-CAM's path
// (step i: γ_i · U_k ⊙ X), SS-CAM's samples (sample j: (U_k + δ_kj) ⊙ X), Score-CAM's one pass.
struct ChannelStep {
    Pass pass;    // what was run; pass_input() rewrites its input
    float score;  // f(·)_c − b
};
struct ChannelPasses {
    Method method;
    int channel = -1;
    std::vector<ChannelStep> steps;  // IS-CAM: i = 1..N; SS-CAM: j = 1..N; Score-CAM: one
    float mean = 0;                  // s_k, as the engine computes it
    bool shared_zero_pass = false;   // a constant channel (U_k ≡ 0): every step is the one pass 0 ⊙ X
};

// From the scores told to `ex`. Throws InputError for a channel that was not scored (all-zero,
// left out by fast mode) and std::logic_error when its passes are not all told yet.
ChannelPasses channel_passes(const Explainer& ex, Method m, int k);

// One channel scored again with other options (SS-CAM's σ, N or seed; IS-CAM's N), by ask/tell
// like the Explainer: it plans only that channel's passes and writes them with the engine's own
// code, so with the run's options it repeats the run's inputs exactly.
class ChannelProbe {
public:
    ChannelProbe(const Explainer& run, Method m, int k, const ExplainOptions& options);
    ~ChannelProbe();

    bool done() const { return told_ == passes_.size(); }
    size_t total_passes() const { return passes_.size(); }
    size_t next_batch(float* batch, size_t capacity);
    void tell(const float* scores, size_t n);  // f(·)_c of the oldest issued, untold passes
    const ChannelPasses& result() const;       // requires done()
    std::vector<float> input(size_t step) { return pass_input(*engine_, passes_.at(step)); }

private:
    std::unique_ptr<Explainer> engine_;  // the run's A, X and b with the probe's options
    std::vector<Pass> passes_;
    size_t next_ = 0, told_ = 0;
    ChannelPasses result_;
    double sum_ = 0;
};

}  // namespace iscam
