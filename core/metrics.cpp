#include "metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <stdexcept>

#include "cam_math.h"
#include "error.h"
#include "metrics_baseline.h"
#include "resample.h"
#include "run_limits.h"

namespace iscam {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kDropEps = 1e-7;  // torch-cam's guard against p(X) = 0

// d[q] = rank[q] < n ? top[q] : rest[q], as a vector blend: both values are loaded, so the
// compiler needs no branch (the ranks follow no spatial order, a branch would mispredict).
void select_plane(const int32_t* __restrict rank, int32_t n, const float* __restrict top, const float* __restrict rest,
                  float* __restrict d, size_t count) {
    for (size_t q = 0; q < count; ++q) {
        const float t = top[q], r = rest[q];
        d[q] = rank[q] < n ? t : r;
    }
}
}  // namespace

void validate(const MetricsOptions& o) {
    if (o.steps < 1 || o.steps > kMaxMetricSteps)
        throw InputError("metrics steps must be between 1 and " + std::to_string(kMaxMetricSteps));
    if (o.baseline == BaselineKind::Constant && !std::isfinite(o.constant))
        throw InputError("the constant baseline must be a finite number");
}

const char* score_name(ScoreKind s) { return s == ScoreKind::Softmax ? "softmax" : "logit"; }

std::optional<ScoreKind> parse_score(const std::string& s) {
    if (s == "softmax") return ScoreKind::Softmax;
    if (s == "logit") return ScoreKind::Logit;
    return std::nullopt;
}

std::string baseline_name(const MetricsOptions& o) {
    switch (o.baseline) {
        case BaselineKind::Zeros: return "zeros";
        case BaselineKind::Blur: return "blur";
        case BaselineKind::Constant: break;
    }
    char text[32];
    for (int digits = 1; digits <= 9; ++digits) {  // the shortest text that reads back as the same float
        std::snprintf(text, sizeof text, "%.*g", digits, double(o.constant));
        if (std::strtof(text, nullptr) == o.constant) break;
    }
    return text;
}

bool parse_baseline(const std::string& s, MetricsOptions& o) {
    if (s == "zeros" || s == "blur") {
        o.baseline = s == "zeros" ? BaselineKind::Zeros : BaselineKind::Blur;
        return true;
    }
    char* end = nullptr;
    const float v = std::strtof(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(v)) return false;
    o.baseline = BaselineKind::Constant;
    o.constant = v;
    return true;
}

double class_score(const float* logits, size_t classes, int cls, ScoreKind kind) {
    if (kind == ScoreKind::Logit) return double(logits[cls]);
    const double mx = *std::max_element(logits, logits + classes);
    double sum = 0;
    for (size_t i = 0; i < classes; ++i) sum += std::exp(double(logits[i]) - mx);
    return std::exp(double(logits[cls]) - mx) / sum;
}

std::vector<int> perturbation_counts(int positions, int steps) {
    const int step = (positions + steps - 1) / steps;
    std::vector<int> counts;
    for (int n = 0; n < positions; n += step) counts.push_back(n);
    counts.push_back(positions);
    return counts;
}

std::vector<int32_t> saliency_ranks(const float* s, size_t n) {
    const std::vector<int> order = descending_order(s, n);
    std::vector<int32_t> rank(n);
    for (size_t i = 0; i < n; ++i) rank[size_t(order[i])] = int32_t(i);
    return rank;
}

double trapezoid(const std::vector<double>& y, const std::vector<double>& x) {
    double area = 0;
    for (size_t i = 1; i < y.size(); ++i) area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2;
    return area;
}

FaithfulnessEvaluator::FaithfulnessEvaluator(const MetricsOptions& options, int C, int H, int W, const float* input,
                                             const float* map, int h, int w, const float* logits, size_t classes,
                                             int cls)
    : options_(options), C_(C), H_(H), W_(W), classes_(classes), cls_(cls) {
    validate(options_);
    if (C < 1 || H < 1 || W < 1 || h < 1 || w < 1) throw InputError("empty input or map");
    if (classes < 1 || cls < 0 || size_t(cls) >= classes)
        throw InputError("class " + std::to_string(cls) + " is out of range: the model has " + std::to_string(classes) +
                         " classes");
    if (!std::all_of(logits, logits + classes, [](float v) { return std::isfinite(v); }))
        throw InputError("the model's logits for the input are not finite");
    const size_t hw = size_t(h) * w, HW = size_t(H) * W;
    if (!std::all_of(map, map + hw, [](float v) { return std::isfinite(v); }))
        throw InputError("the map holds values that are not finite");
    input_.assign(input, input + size_t(C) * HW);
    saliency_.resize(HW);
    BilinearResizer(h, w, H, W)(map, saliency_.data());
    ranks_ = saliency_ranks(saliency_.data(), HW);
    baseline_ = metrics_baseline(options_, input_.data(), C, H, W);

    r_.counts = perturbation_counts(int(HW), options_.steps);
    const size_t points = r_.counts.size();
    for (int n : r_.counts) r_.fractions.push_back(double(n) / double(HW));
    r_.deletion.assign(points, kNaN);
    r_.insertion.assign(points, kNaN);
    r_.score = class_score(logits, classes, cls, options_.score);
    r_.masked_score = kNaN;
    r_.deletion.front() = r_.score;  // nothing deleted yet: X itself
    r_.insertion.back() = r_.score;  // everything inserted: X itself

    plan_.push_back({Kind::Masked, -1});
    plan_.push_back({Kind::AllBaseline, int32_t(points - 1)});
    for (size_t i = 1; i + 1 < points; ++i) {
        plan_.push_back({Kind::Deletion, int32_t(i)});
        plan_.push_back({Kind::Insertion, int32_t(i)});
    }
    r_.forward_passes = plan_.size();
}

void FaithfulnessEvaluator::write(const Perturbation& p, float* dst) const {
    const size_t HW = size_t(H_) * W_, CHW = size_t(C_) * HW;
    if (p.kind == Kind::Masked) {
        for (int c = 0; c < C_; ++c)
            for (size_t q = 0; q < HW; ++q) dst[size_t(c) * HW + q] = saliency_[q] * input_[size_t(c) * HW + q];
        return;
    }
    if (p.kind == Kind::AllBaseline) {
        std::copy(baseline_.begin(), baseline_.end(), dst);
        return;
    }
    // Deletion: the top-n positions from the baseline, the rest from X; insertion the other way.
    const int32_t n = r_.counts[size_t(p.point)];
    const float* top = p.kind == Kind::Deletion ? baseline_.data() : input_.data();
    const float* rest = p.kind == Kind::Deletion ? input_.data() : baseline_.data();
    for (size_t first = 0; first < CHW; first += HW) select_plane(ranks_.data(), n, top + first, rest + first, dst + first, HW);
}

size_t FaithfulnessEvaluator::next_batch(float* batch, size_t capacity) {
    const size_t n = std::min(capacity, plan_.size() - next_);
    const size_t CHW = size_t(C_) * H_ * W_;
    for (size_t i = 0; i < n; ++i) write(plan_[next_ + i], batch + i * CHW);
    next_ += n;
    return n;
}

void FaithfulnessEvaluator::tell(const float* logits, size_t n, size_t classes) {
    if (n > next_ - told_) throw std::logic_error("told more logits than inputs were issued");
    if (classes != classes_)
        throw InputError("the model returned " + std::to_string(classes) + " logits for a perturbed input, " +
                         std::to_string(classes_) + " for the input itself");
    for (size_t i = 0; i < n; ++i) {
        const Perturbation& p = plan_[told_ + i];
        const double s = class_score(logits + i * classes, classes, cls_, options_.score);
        switch (p.kind) {
            case Kind::Masked: r_.masked_score = s; break;
            case Kind::AllBaseline: r_.deletion.back() = r_.insertion.front() = s; break;
            case Kind::Deletion: r_.deletion[size_t(p.point)] = s; break;
            case Kind::Insertion: r_.insertion[size_t(p.point)] = s; break;
        }
    }
    told_ += n;
}

FaithfulnessResult FaithfulnessEvaluator::result() const {
    FaithfulnessResult r = r_;
    r.average_drop = std::isnan(r.masked_score) ? kNaN : std::max(0.0, r.score - r.masked_score) / (r.score + kDropEps);
    r.increase = r.score < r.masked_score;
    r.deletion_auc = done() ? trapezoid(r.deletion, r.fractions) : kNaN;
    r.insertion_auc = done() ? trapezoid(r.insertion, r.fractions) : kNaN;
    return r;
}

}  // namespace iscam
