#pragma once
// The ask/tell engine of docs/design.md. It plans every forward pass up front, writes masked inputs
// into the caller's batch buffer, and is told the class scores back. It never runs a model.
#include <cstdint>
#include <memory>
#include <vector>

#include "methods.h"
#include "resample.h"

namespace iscam {

struct Pass {
    PassKind kind;
    MethodMask feeds;
    int32_t channel;  // -1 for Zero
    int32_t index;    // the step or sample i (ChannelPass::index); -1 for Zero
    float gamma;      // γ_i; 1 for Noised, 0 for Zero
};

// Shapes the engine works on: the layer's activations A (1×K×h×w) and the input X (1×C×H×W).
struct Shapes {
    int K, h, w;
    int C, H, W;
    size_t input_size() const { return size_t(C) * H * W; }
    size_t map_size() const { return size_t(h) * w; }
};

struct CamResult {
    Method method;
    int height = 0, width = 0;      // h×w of the layer
    std::vector<float> map;         // SPEC step 5, h·w values in [0, 1]; empty if no channel is scored yet
    std::vector<float> weights;     // K; NaN for channels skipped as all-zero
    std::vector<float> scores;      // K; s_k, NaN where skipped or not yet scored
    size_t channels_scored = 0;     // scored in full
    size_t channels_predicted = 0;  // screened, their score predicted from the screening score
    size_t forward_passes = 0;      // passes whose score feeds this method
};

class Explainer {
public:
    // activations: K·h·w floats; input: C·H·W floats; baseline: f(X)_c from the same pass.
    Explainer(std::vector<Method> methods, const ExplainOptions& options, Shapes shapes,
              const float* activations, const float* input, float baseline);
    ~Explainer();
    Explainer(const Explainer&) = delete;
    Explainer& operator=(const Explainer&) = delete;

    bool done() const { return told_ == total_; }
    size_t total_passes() const { return total_; }
    size_t passes_issued() const { return next_; }
    size_t passes_done() const { return told_; }
    double progress() const { return total_ == 0 ? 1.0 : double(told_) / double(total_); }

    // Ask: writes up to `capacity` masked inputs (C·H·W floats each) into `batch`; returns how many.
    // 0 while a screening run (ChannelSelect::Screen) waits for its screening passes to be told:
    // the passes of the channels it chooses are planned then.
    size_t next_batch(float* batch, size_t capacity);
    // The same in two steps, for backends that make the inputs themselves (CUDA): reserve the
    // next passes, then (optionally) write them on the CPU.
    const Pass* take_passes(size_t capacity, size_t* count);
    void write_inputs(const Pass* passes, size_t count, float* batch);
    // Threads that write a batch (default 1); the cores are idle while the engine writes.
    void set_write_threads(int threads);
    // Tell: the class scores f(·)_c of the oldest `n` issued and not yet told passes, in order.
    void tell(const float* scores, size_t n);

    CamResult partial(Method m) const;  // any time; the final result once done()
    CamResult result(Method m) const;   // requires done()

    const std::vector<Method>& methods() const { return methods_; }
    // The passes planned so far (all of them once the screening passes are told); a screening
    // pass feeds no method (feeds 0).
    const std::vector<Pass>& plan() const { return plan_; }
    const Shapes& shapes() const { return shapes_; }
    const ExplainOptions& options() const { return options_; }
    // Per-channel min-max normalised activations Ā (K·h·w), SPEC step 1.
    const std::vector<float>& normalised_activations() const { return normalised_; }
    const std::vector<float>& input() const { return input_; }
    // For the teaching views (core/teaching.h): the raw activations A (K·h·w), the baseline b,
    // U_k, and f(·)_c of every pass told so far, aligned with plan().
    const std::vector<float>& activations() const { return activations_; }
    float baseline() const { return baseline_; }
    void upsampled_mask(int k, float* out) const;  // U_k (SPEC step 2), H·W floats
    const std::vector<float>& told_scores() const { return told_scores_; }
    size_t channels_skipped() const { return skipped_; }
    // Channels fast mode leaves unscored (weight 0); 0 in exact mode.
    size_t channels_left_out() const { return left_out_; }
    size_t constant_channels() const { return constant_.size(); }
    // Whether channel k is a constant channel scored by the one shared Zero pass.
    bool shares_zero_pass(int k) const;
    // Whether channel k's score is predicted from its screening pass (fast mode, screening).
    bool channel_predicted(int k) const { return predicted_[size_t(k)] != 0; }

private:
    void build_plan();
    // The non-zero channels (without the constant ones when `constant` is given) by decreasing
    // variance of A_k; ties go to the lower index.
    std::vector<int> by_variance(const std::vector<uint8_t>* constant);
    void leave_out(const std::vector<int>& channels, size_t from);
    void plan_pass(const Pass& p, int k);
    void plan_channel(int k, const std::vector<uint8_t>& constant);
    void choose_screened();
    // One writer's working memory: the last channel's U_k, and a noise field.
    struct Scratch {
        int channel = -1;
        std::vector<float> u, noise;
    };
    void write_range(const Pass* passes, size_t count, float* batch, Scratch& scratch) const;
    void apply(const Pass& p, double delta);

    std::vector<Method> methods_;
    ExplainOptions options_;
    Shapes shapes_;
    std::vector<float> activations_, normalised_, input_;
    float baseline_;
    BilinearResizer resizer_;

    std::vector<Pass> plan_;
    size_t total_ = 0;                                 // passes of the whole run, planned or not yet
    size_t next_ = 0, told_ = 0;
    std::vector<ChannelPass> channel_plan_;            // one channel's passes (channel_plan)
    std::vector<double> spread_;                       // K: σ(A_k)
    std::vector<uint8_t> predicted_;                   // K: screened, not scored in full
    std::vector<double> screen_score_;                 // K: f(U_k ⊙ X)_c − b of the screened
    bool screen_only_[kMethodCount] = {};              // the method's one pass is the γ = 1 pass
    std::vector<double> energy_;                       // K: Σ A_k², the order channels are planned in
    std::vector<int> screened_;                        // the screening passes' channels, in plan order
    size_t screen_first_ = 0;                          // index of the first screening pass in plan_
    bool screen_chosen_ = false;
    std::vector<float> told_scores_;                   // f(·)_c per told pass, aligned with plan_
    size_t skipped_ = 0, left_out_ = 0;
    std::vector<int> constant_;                        // channels sharing the Zero pass
    std::vector<uint8_t> is_zero_;                     // K
    std::vector<uint8_t> unscored_;                    // K: left out by fast mode
    std::vector<double> sum_[kMethodCount];            // K each: Σ (f − b) / N
    std::vector<int32_t> pending_[kMethodCount];       // K each: passes still to be told
    int per_channel_[kMethodCount] = {};               // N of each method (passes_per_channel)
    size_t passes_for_[kMethodCount] = {};

    std::vector<Scratch> scratch_{1};
};

}  // namespace iscam
