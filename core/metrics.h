#pragma once
// The faithfulness metrics of docs/math.md ("Faithfulness metrics"; torch-cam's ClassificationMetric and
// DeletionInsertionMetric), planned and scored like explanations: the evaluator writes the
// perturbed inputs into the caller's batch buffer and is told every logit of each pass back, from
// which it computes p = softmax(f(·))_c (or the logit). It never runs a model.
//
//   FaithfulnessEvaluator ev(options, C, H, W, input, map, h, w, logits_of_input, classes, c);
//   while (!ev.done()) {
//       size_t n = ev.next_batch(batch_ptr, capacity);   // n perturbed inputs, C·H·W floats each
//       run_model(batch_ptr, n, logits);                  // n rows of `classes` logits
//       ev.tell(logits, n, classes);
//   }
//   FaithfulnessResult r = ev.result();
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace iscam {

enum class ScoreKind { Softmax, Logit };
enum class BaselineKind { Zeros, Blur, Constant };

struct MetricsOptions {
    int steps = 20;  // T: deletion / insertion curves have about T + 1 points
    BaselineKind baseline = BaselineKind::Zeros;
    float constant = 0.0f;  // BaselineKind::Constant: the value of every preprocessed input element
    ScoreKind score = ScoreKind::Softmax;
};

// Throws InputError naming the parameter when one is out of bounds.
void validate(const MetricsOptions& o);
const char* score_name(ScoreKind s);  // "softmax", "logit"
std::optional<ScoreKind> parse_score(const std::string& s);
// "zeros", "blur" or the constant as a number (the CLI's --baseline).
std::string baseline_name(const MetricsOptions& o);
// Sets o.baseline (and o.constant) from "zeros", "blur" or a number; false when it is none of them.
bool parse_baseline(const std::string& s, MetricsOptions& o);

// p of one row of logits: softmax(row)_cls (double precision, max-subtracted) or row[cls].
double class_score(const float* logits, size_t classes, int cls, ScoreKind kind);

// RISE's counts of perturbed positions: 0, step, 2·step, … (< P), P with step = ceil(P / T).
std::vector<int> perturbation_counts(int positions, int steps);

// rank[q] = the place of position q when positions are ordered by s, highest first, ties by q
// ascending (torch.argsort(descending=True, stable=True), then its inverse).
std::vector<int32_t> saliency_ranks(const float* s, size_t n);

// ∫ y dx by the trapezoid rule (torch.trapezoid).
double trapezoid(const std::vector<double>& y, const std::vector<double>& x);

struct FaithfulnessResult {
    double score = 0;         // p(X)
    double masked_score = 0;  // p(S ⊙ X)
    double average_drop = 0;  // max(0, p(X) − p(S ⊙ X)) / (p(X) + 1e-7)
    bool increase = false;    // p(X) < p(S ⊙ X)
    std::vector<int> counts;  // perturbed positions at each point
    std::vector<double> fractions, deletion, insertion;  // NaN where not told yet
    double deletion_auc = 0, insertion_auc = 0;           // NaN until done
    size_t forward_passes = 0;                            // 2·(counts) − 2: S ⊙ X and the curves
};

class FaithfulnessEvaluator {
public:
    // input: C·H·W preprocessed floats; map: the h×w map of SPEC step 5 (upsampled here to H×W);
    // logits: f(X), `classes` values, from which p(X) comes; cls: the class explained.
    FaithfulnessEvaluator(const MetricsOptions& options, int C, int H, int W, const float* input, const float* map,
                          int h, int w, const float* logits, size_t classes, int cls);

    bool done() const { return told_ == plan_.size(); }
    size_t total_passes() const { return plan_.size(); }
    size_t passes_done() const { return told_; }
    double progress() const { return plan_.empty() ? 1.0 : double(told_) / double(plan_.size()); }

    // Ask: writes up to `capacity` perturbed inputs (C·H·W floats each) into `batch`; returns how many.
    size_t next_batch(float* batch, size_t capacity);
    // Tell: the logits of the oldest `n` issued and not yet told inputs, n rows of `classes` values.
    void tell(const float* logits, size_t n, size_t classes);

    // Any time; the curves hold NaN where no score was told yet, the AUCs are NaN until done().
    FaithfulnessResult result() const;

    const MetricsOptions& options() const { return options_; }
    int class_index() const { return cls_; }
    const std::vector<float>& saliency() const { return saliency_; }  // S: H·W values in [0, 1]
    const std::vector<float>& baseline() const { return baseline_; }  // C·H·W

private:
    enum class Kind : uint8_t { Masked, AllBaseline, Deletion, Insertion };
    struct Perturbation {
        Kind kind;
        int32_t point;  // index into counts
    };
    void write(const Perturbation& p, float* dst) const;

    MetricsOptions options_;
    int C_, H_, W_;
    size_t classes_;
    int cls_;
    std::vector<float> input_, saliency_, baseline_;
    std::vector<int32_t> ranks_;
    FaithfulnessResult r_;
    std::vector<Perturbation> plan_;
    size_t next_ = 0, told_ = 0;
};

}  // namespace iscam
