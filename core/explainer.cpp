#include "explainer.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <string>
#include <thread>

#include "cam_math.h"
#include "error.h"
#include "noise.h"

namespace iscam {

Explainer::Explainer(std::vector<Method> methods, const ExplainOptions& options, Shapes shapes,
                     const float* activations, const float* input, float baseline)
    : methods_(std::move(methods)), options_(options), shapes_(shapes),
      activations_(activations, activations + size_t(shapes.K) * shapes.map_size()),
      normalised_(activations_), input_(input, input + shapes.input_size()), baseline_(baseline),
      resizer_(shapes.h, shapes.w, shapes.H, shapes.W) {
    validate(options_);
    if (methods_.empty()) throw InputError("no method to run");
    if (shapes.K < 1 || shapes.h < 1 || shapes.w < 1 || shapes.C < 1 || shapes.H < 1 || shapes.W < 1)
        throw InputError("empty activation or input tensor");
    if (!std::isfinite(baseline)) throw InputError("the model's score for the input is not finite");
    const size_t hw = shapes.map_size();
    for (int k = 0; k < shapes.K; ++k) minmax_normalise(&normalised_[size_t(k) * hw], hw);
    build_plan();
}

Explainer::~Explainer() = default;

void Explainer::build_plan() {
    const int K = shapes_.K;
    const size_t hw = shapes_.map_size();
    for (Method m : methods_) {
        sum_[int(m)].assign(K, 0.0);
        pending_[int(m)].assign(K, 0);
        per_channel_[int(m)] = passes_per_channel(m, options_);
    }

    energy_.assign(K, 0.0);
    spread_.assign(K, 0.0);
    predicted_.assign(K, 0);
    screen_score_.assign(K, 0.0);
    std::vector<uint8_t> constant(K, 0);
    is_zero_.assign(K, 0);
    for (int k = 0; k < K; ++k) {
        const float* a = &activations_[size_t(k) * hw];
        auto [lo, hi] = std::minmax_element(a, a + hw);
        double e = 0;
        for (size_t i = 0; i < hw; ++i) e += double(a[i]) * a[i];
        energy_[k] = e;
        if (options_.shortcuts && *lo == *hi) (*lo == 0.0f ? is_zero_[k] : constant[k]) = 1;
    }
    for (int k = 0; k < K; ++k) skipped_ += is_zero_[k];
    unscored_.assign(K, 0);
    channel_plan_ = channel_plan(methods_, options_);
    for (Method m : methods_) {
        const bool reuse = reuses_screening(channel_plan_, options_) > 0;
        int own = 0, unit = 0;
        for (const ChannelPass& c : channel_plan_)
            if (c.feeds & mask_of(m)) {
                ++own;
                unit += c.kind == PassKind::Scaled && c.gamma == 1.0f;
            }
        screen_only_[int(m)] = reuse && own == 1 && unit == 1;
    }

    // Faster Score-CAM: the K channels of highest variance are scored, the others left out.
    // Screening: the M non-constant ones of highest variance get a screening pass; the K of them
    // with the best score are chosen once those passes are told (choose_screened).
    const size_t fast = size_t(options_.channels);
    if (fast > 0) {
        const std::vector<int> ranked = by_variance(nullptr);
        const std::vector<int> screenable = by_variance(&constant);
        const size_t screen = std::min(size_t(screened_channels(options_, size_t(K))), screenable.size());
        if (screen > fast) {
            screened_.assign(screenable.begin(), screenable.begin() + long(screen));
            for (int k : ranked) unscored_[k] = 1;
            for (int k : screened_) unscored_[k] = 0;
            for (int k : ranked) left_out_ += unscored_[k];
        } else {
            leave_out(ranked, fast);
        }
    }

    // A constant channel's U_k is 0: every Scaled pass of it is 0 ⊙ X, the one shared Zero pass.
    MethodMask zero_feeds = 0;
    for (Method m : methods_)
        if (method_spec(m).kind == PassKind::Scaled) zero_feeds |= mask_of(m);
    for (int k = 0; k < K; ++k)
        if (constant[k] && zero_feeds && !unscored_[k]) constant_.push_back(k);
    if (!constant_.empty()) {
        plan_pass({PassKind::Zero, zero_feeds, -1, -1, 0.0f}, -1);
        for (int k : constant_)
            for (Method m : methods_)
                if (zero_feeds & mask_of(m)) pending_[int(m)][k] = 1;
    }

    if (!screened_.empty()) {
        // Each screened channel stays pending for every method until it is chosen or left out.
        screen_first_ = plan_.size();
        for (int k : screened_) {
            plan_.push_back({PassKind::Scaled, 0, k, -1, 1.0f});
            for (Method m : methods_) {
                ++passes_for_[int(m)];
                pending_[int(m)][k] = 1;
            }
        }
        total_ = plan_.size() + fast * (channel_plan_.size() - reuses_screening(channel_plan_, options_));
        return;
    }
    std::vector<int> order(K);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return energy_[a] > energy_[b]; });
    for (int k : order)
        if (!is_zero_[k] && !unscored_[k]) plan_channel(k, constant);
    total_ = plan_.size();
}

void Explainer::plan_pass(const Pass& p, int k) {
    plan_.push_back(p);
    for (Method m : methods_)
        if (p.feeds & mask_of(m)) {
            ++passes_for_[int(m)];
            if (k >= 0) ++pending_[int(m)][k];
        }
}

void Explainer::plan_channel(int k, const std::vector<uint8_t>& constant) {
    for (const ChannelPass& c : channel_plan_)
        if (!(constant[k] && c.kind == PassKind::Scaled)) plan_pass({c.kind, c.feeds, k, c.index, c.gamma}, k);
}

std::vector<int> Explainer::by_variance(const std::vector<uint8_t>* constant) {
    const size_t hw = shapes_.map_size();
    std::vector<double> variance(size_t(shapes_.K));
    std::vector<int> channels;
    for (int k = 0; k < shapes_.K; ++k) {
        if (is_zero_[k] || (constant && (*constant)[k])) continue;
        const float* a = &activations_[size_t(k) * hw];
        double sum = 0, sq = 0;
        for (size_t i = 0; i < hw; ++i) {
            sum += a[i];
            sq += double(a[i]) * a[i];
        }
        const double mean = sum / double(hw);
        variance[size_t(k)] = std::max(0.0, sq / double(hw) - mean * mean);
        spread_[size_t(k)] = std::sqrt(variance[size_t(k)]);
        channels.push_back(k);
    }
    std::stable_sort(channels.begin(), channels.end(), [&](int a, int b) { return variance[a] > variance[b]; });
    return channels;
}

void Explainer::leave_out(const std::vector<int>& channels, size_t from) {
    for (size_t i = from; i < channels.size(); ++i) {
        unscored_[channels[i]] = 1;
        ++left_out_;
    }
}

// The screening passes are told. Channel k adds w_k·A_k to the map, w_k ∝ exp(s_k) (steps 4
// and 5), so exp(screening score)·σ(A_k) estimates its share of the map's variation: the K of
// highest share are scored in full (a method's γ = 1 pass reusing the screening score), the
// other screened channels get a score predicted from theirs (partial()).
void Explainer::choose_screened() {
    screen_chosen_ = true;
    for (size_t i = 0; i < screened_.size(); ++i)
        screen_score_[size_t(screened_[i])] = double(told_scores_[screen_first_ + i]) - double(baseline_);
    std::vector<double> share(screened_.size());
    for (size_t i = 0; i < screened_.size(); ++i) {
        const int k = screened_[i];
        share[i] = screen_score_[size_t(k)] + std::log(std::max(spread_[size_t(k)], 1e-300));
    }
    std::vector<size_t> rank(screened_.size());
    std::iota(rank.begin(), rank.end(), size_t(0));
    std::stable_sort(rank.begin(), rank.end(), [&](size_t a, size_t b) { return share[a] > share[b]; });
    const size_t keep = size_t(options_.channels);
    for (size_t i = 0; i < rank.size(); ++i) {
        const int k = screened_[rank[i]];
        for (Method m : methods_) pending_[int(m)][k] = 0;
        if (i >= keep) predicted_[size_t(k)] = 1;
    }
    std::vector<int> chosen;
    for (size_t i = 0; i < keep; ++i) chosen.push_back(screened_[rank[i]]);
    std::stable_sort(chosen.begin(), chosen.end(), [&](int a, int b) { return energy_[a] > energy_[b]; });
    const bool reuse = reuses_screening(channel_plan_, options_) > 0;
    for (int k : chosen)
        for (const ChannelPass& c : channel_plan_) {
            const Pass p{c.kind, c.feeds, k, c.index, c.gamma};
            if (reuse && c.kind == PassKind::Scaled && c.gamma == 1.0f) {
                for (Method m : methods_)
                    if (c.feeds & mask_of(m)) ++pending_[int(m)][k];
                apply(p, screen_score_[size_t(k)]);
            } else {
                plan_pass(p, k);
            }
        }
}

const Pass* Explainer::take_passes(size_t capacity, size_t* count) {
    *count = std::min(capacity, plan_.size() - next_);
    const Pass* first = plan_.data() + next_;
    next_ += *count;
    return first;
}

void Explainer::set_write_threads(int threads) {
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
    threads = 1;  // no threads in this WebAssembly build
#endif
    scratch_.resize(size_t(std::max(1, threads)));
}

void Explainer::write_inputs(const Pass* passes, size_t count, float* batch) {
    const size_t workers = std::min(scratch_.size(), count);
    const bool worth_a_thread = count * shapes_.input_size() >= (size_t(1) << 18);  // starting one costs ~50 µs
    if (workers <= 1 || !worth_a_thread) {
        write_range(passes, count, batch, scratch_[0]);
        return;
    }
    // Contiguous shares, so each writer's passes mostly stay on one channel (one upsampling).
    std::vector<std::thread> threads;
    const size_t share = (count + workers - 1) / workers;
    for (size_t w = 1; w < workers && w * share < count; ++w) {
        const size_t first = w * share, n = std::min(share, count - first);
        threads.emplace_back([=] { write_range(passes + first, n, batch + first * shapes_.input_size(), scratch_[w]); });
    }
    write_range(passes, std::min(share, count), batch, scratch_[0]);
    for (auto& t : threads) t.join();
}

void Explainer::write_range(const Pass* passes, size_t count, float* batch, Scratch& scratch) const {
    const size_t HW = size_t(shapes_.H) * shapes_.W, CHW = shapes_.input_size();
    scratch.u.resize(HW);
    for (size_t i = 0; i < count; ++i) {
        const Pass& p = passes[i];
        float* dst = batch + i * CHW;
        if (p.kind == PassKind::Zero) {
            std::memset(dst, 0, CHW * sizeof(float));
            continue;
        }
        if (scratch.channel != p.channel) {
            resizer_(&normalised_[size_t(p.channel) * shapes_.map_size()], scratch.u.data());
            scratch.channel = p.channel;
        }
        const float* mask = scratch.u.data();
        if (p.kind == PassKind::Noised) {
            scratch.noise.resize(HW);
            noise_field(options_.seed, uint32_t(p.channel), uint32_t(p.index), options_.sscam_sigma, scratch.noise.data(), HW);
            for (size_t q = 0; q < HW; ++q) scratch.noise[q] += scratch.u[q];
            mask = scratch.noise.data();
        }
        const float g = p.kind == PassKind::Scaled ? p.gamma : 1.0f;
        for (int c = 0; c < shapes_.C; ++c) {
            const float* x = &input_[size_t(c) * HW];
            float* d = dst + size_t(c) * HW;
            for (size_t q = 0; q < HW; ++q) d[q] = g * mask[q] * x[q];
        }
    }
}

size_t Explainer::next_batch(float* batch, size_t capacity) {
    size_t n = 0;
    const Pass* passes = take_passes(capacity, &n);
    write_inputs(passes, n, batch);
    return n;
}

void Explainer::apply(const Pass& p, double delta) {
    for (Method m : methods_) {
        const int mi = int(m);
        if (!(p.feeds & mask_of(m))) continue;
        if (p.kind == PassKind::Zero) {
            for (int k : constant_) {  // N passes of one score: their mean is that score
                sum_[mi][k] = delta;
                --pending_[mi][k];
            }
        } else {
            sum_[mi][p.channel] += delta / per_channel_[mi];
            --pending_[mi][p.channel];
        }
    }
}

void Explainer::tell(const float* scores, size_t n) {
    if (n > next_ - told_) throw std::logic_error("told more scores than passes were issued");
    for (size_t i = 0; i < n; ++i) apply(plan_[told_ + i], double(scores[i]) - double(baseline_));
    told_scores_.insert(told_scores_.end(), scores, scores + n);
    told_ += n;
    if (!screened_.empty() && !screen_chosen_ && told_ == screen_first_ + screened_.size()) choose_screened();
}

bool Explainer::shares_zero_pass(int k) const {
    return std::find(constant_.begin(), constant_.end(), k) != constant_.end();
}

void Explainer::upsampled_mask(int k, float* out) const {
    if (k < 0 || k >= shapes_.K) throw std::out_of_range("channel out of range");
    resizer_(&normalised_[size_t(k) * shapes_.map_size()], out);
}

CamResult Explainer::partial(Method m) const {
    const int mi = int(m);
    if (std::find(methods_.begin(), methods_.end(), m) == methods_.end())
        throw std::logic_error(std::string("method not planned: ") + method_name(m));
    CamResult r;
    r.method = m;
    r.height = shapes_.h;
    r.width = shapes_.w;
    r.forward_passes = passes_for_[mi];
    const float nan = std::numeric_limits<float>::quiet_NaN();
    r.scores.assign(shapes_.K, nan);
    r.weights.assign(shapes_.K, nan);
    std::vector<int> scored;
    std::vector<double> s;
    std::vector<double> screen, own;  // the screening and the method's scores of the channels scored in full
    for (int k = 0; k < shapes_.K; ++k) {
        if (unscored_[k]) r.weights[k] = 0.0f;
        if (is_zero_[k] || unscored_[k] || predicted_[size_t(k)] || pending_[mi][k] != 0) continue;
        scored.push_back(k);
        s.push_back(sum_[mi][k]);
        r.scores[k] = float(sum_[mi][k]);
        if (screen_chosen_) {
            screen.push_back(screen_score_[size_t(k)]);
            own.push_back(sum_[mi][k]);
        }
    }
    r.channels_scored = scored.size();
    if (screen.size() >= 2) {
        // The method's score predicted from the screening score: the least-squares line through
        // the channels scored in full (IS-CAM's and Score-CAM's scores correlate closely). A
        // method whose one pass is the γ = 1 pass (Score-CAM) has its score already. No predicted
        // score exceeds the highest scored in full: a line fitted over few channels can be steep.
        const Line line = screen_only_[mi] ? Line{1.0, 0.0} : least_squares(screen, own);
        const double highest = *std::max_element(own.begin(), own.end());
        for (int k = 0; k < shapes_.K; ++k)
            if (predicted_[size_t(k)]) {
                scored.push_back(k);
                s.push_back(std::min(line.slope * screen_score_[size_t(k)] + line.offset, highest));
                r.scores[k] = float(s.back());
                ++r.channels_predicted;
            }
    }
    if (scored.empty()) return r;
    const std::vector<float> w = softmax(s);
    for (size_t i = 0; i < scored.size(); ++i) r.weights[scored[i]] = w[i];
    r.map = weighted_map(activations_.data(), shapes_.map_size(), scored, w);
    return r;
}

CamResult Explainer::result(Method m) const {
    if (!done()) throw std::logic_error("result() before every pass was told");
    return partial(m);
}

}  // namespace iscam
