#include "teaching.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "cam_math.h"
#include "error.h"

namespace iscam {

namespace {

bool feeds(const Pass& p, Method m) { return (p.feeds & mask_of(m)) != 0; }

void check_channel(const Explainer& ex, int k) {
    if (k < 0 || k >= ex.shapes().K)
        throw InputError("channel " + std::to_string(k) + " is out of range: the layer has " +
                         std::to_string(ex.shapes().K) + " channels");
}

// The plan indices of channel k's passes for method m, in plan order (IS-CAM's steps and SS-CAM's
// samples are planned in order, channel_plan); *shared is set when k is a constant channel scored by the one
// Zero pass. Throws InputError when k has no pass for m.
std::vector<size_t> passes_of(const Explainer& ex, Method m, int k, bool* shared) {
    check_channel(ex, k);
    if (std::find(ex.methods().begin(), ex.methods().end(), m) == ex.methods().end())
        throw InputError(std::string("the run did not compute ") + method_title(m));
    const auto& plan = ex.plan();
    std::vector<size_t> out;
    for (size_t p = 0; p < plan.size(); ++p)
        if (plan[p].channel == k && feeds(plan[p], m)) out.push_back(p);
    *shared = false;
    if (out.empty() && ex.shares_zero_pass(k))
        for (size_t p = 0; p < plan.size(); ++p)
            if (plan[p].kind == PassKind::Zero && feeds(plan[p], m)) {
                out.push_back(p);
                *shared = true;
            }
    if (out.empty() && ex.channel_predicted(k))
        throw InputError("channel " + std::to_string(k) + "'s " + method_title(m) +
                         " score was predicted from its one screening pass (fast mode, screening): it has no passes of its own");
    if (out.empty())
        throw InputError("channel " + std::to_string(k) + " was not scored by " + method_title(m) +
                         " (its activations are all zero, or fast mode left it out)");
    return out;
}

// The engine's accumulation (Explainer::apply), term by term: s_k = Σ (f − b) / N in double, in
// plan order; a shared Zero pass gives its score as it is.
void accumulate(double& sum, Method m, const ExplainOptions& o, bool shared, double delta) {
    if (shared) sum = delta;
    else sum += delta / passes_per_channel(m, o);
}

}  // namespace

std::vector<RankedChannel> rank_channels(const CamResult& r) {
    std::vector<RankedChannel> out;
    for (size_t k = 0; k < r.scores.size(); ++k)
        if (!std::isnan(r.scores[k]) && !std::isnan(r.weights[k])) out.push_back({int(k), r.scores[k], r.weights[k]});
    std::stable_sort(out.begin(), out.end(), [](const RankedChannel& a, const RankedChannel& b) { return a.weight > b.weight; });
    return out;
}

std::vector<float> build_up_map(const Explainer& ex, const CamResult& r, size_t n) {
    std::vector<RankedChannel> ranked = rank_channels(r);
    ranked.resize(std::min(n, ranked.size()));
    // In channel order, as the engine sums them, so that all channels give r.map to the bit.
    std::sort(ranked.begin(), ranked.end(), [](const RankedChannel& a, const RankedChannel& b) { return a.channel < b.channel; });
    std::vector<int> channels;
    std::vector<float> weights;
    for (const RankedChannel& c : ranked) {
        channels.push_back(c.channel);
        weights.push_back(c.weight);
    }
    return weighted_map(ex.activations().data(), ex.shapes().map_size(), channels, weights);
}

Image display_image(const float* x, const Shapes& shapes, const Preprocess& p) {
    Image out;
    out.width = shapes.W;
    out.height = shapes.H;
    out.rgb.resize(size_t(shapes.W) * shapes.H * 3);
    const size_t HW = size_t(shapes.H) * shapes.W;
    for (int rgb = 0; rgb < 3; ++rgb) {
        const int c = shapes.C == 1 ? 0 : p.bgr ? 2 - rgb : rgb;
        if (c >= shapes.C) throw InputError("an input of " + std::to_string(shapes.C) + " channels cannot be shown");
        const float* plane = x + size_t(c) * HW;
        for (size_t q = 0; q < HW; ++q) {
            const float v = std::round((plane[q] * p.std[size_t(c)] + p.mean[size_t(c)]) * 255.0f);
            out.rgb[q * 3 + size_t(rgb)] = uint8_t(std::clamp(v, 0.0f, 255.0f));
        }
    }
    return out;
}

std::vector<float> pass_input(Explainer& ex, const Pass& pass) {
    std::vector<float> out(ex.shapes().input_size());
    ex.write_inputs(&pass, 1, out.data());
    return out;
}

std::vector<float> masked_input(Explainer& ex, int k) {
    check_channel(ex, k);
    return pass_input(ex, Pass{PassKind::Scaled, mask_of(Method::ScoreCAM), k, -1, 1.0f});
}

std::vector<float> upsampled_mask(const Explainer& ex, int k) {
    check_channel(ex, k);
    std::vector<float> out(size_t(ex.shapes().H) * ex.shapes().W);
    ex.upsampled_mask(k, out.data());
    return out;
}

ChannelPasses channel_passes(const Explainer& ex, Method m, int k) {
    ChannelPasses out;
    out.method = m;
    out.channel = k;
    const std::vector<size_t> passes = passes_of(ex, m, k, &out.shared_zero_pass);
    const auto& told = ex.told_scores();
    double sum = 0;
    for (size_t p : passes) {
        if (p >= told.size()) throw std::logic_error("channel_passes() before the channel's passes were told");
        const double delta = double(told[p]) - double(ex.baseline());
        accumulate(sum, m, ex.options(), out.shared_zero_pass, delta);
        out.steps.push_back({ex.plan()[p], float(delta)});
    }
    out.mean = float(sum);
    return out;
}

ChannelProbe::ChannelProbe(const Explainer& run, Method m, int k, const ExplainOptions& options) {
    ExplainOptions o = options;
    o.channels = 0;  // fast mode must not leave out the one channel asked for
    o.select = ChannelSelect::Variance;
    o.screen_channels = 0;
    engine_ = std::make_unique<Explainer>(std::vector<Method>{m}, o, run.shapes(), run.activations().data(),
                                          run.input().data(), run.baseline());
    result_.method = m;
    result_.channel = k;
    for (size_t p : passes_of(*engine_, m, k, &result_.shared_zero_pass)) passes_.push_back(engine_->plan()[p]);
    result_.steps.reserve(passes_.size());
}

ChannelProbe::~ChannelProbe() = default;

size_t ChannelProbe::next_batch(float* batch, size_t capacity) {
    const size_t n = std::min(capacity, passes_.size() - next_);
    engine_->write_inputs(passes_.data() + next_, n, batch);
    next_ += n;
    return n;
}

void ChannelProbe::tell(const float* scores, size_t n) {
    if (n > next_ - told_) throw std::logic_error("told more scores than passes were issued");
    for (size_t i = 0; i < n; ++i) {
        const double delta = double(scores[i]) - double(engine_->baseline());
        accumulate(sum_, result_.method, engine_->options(), result_.shared_zero_pass, delta);
        result_.steps.push_back({passes_[told_ + i], float(delta)});
    }
    told_ += n;
    result_.mean = float(sum_);
}

const ChannelPasses& ChannelProbe::result() const {
    if (!done()) throw std::logic_error("ChannelProbe::result() before every pass was told");
    return result_;
}

}  // namespace iscam
