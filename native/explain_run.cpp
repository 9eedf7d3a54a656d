#include "explain_run.h"

#include <algorithm>
#include <future>
#include <thread>

#include "batch_scorer.h"
#include "error.h"
#include "memory_budget.h"
#include "run_limits.h"
#ifdef ISCAM_CUDA
#include "cuda_scorer.h"
#endif

namespace iscam {

namespace {
using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

// Two batch buffers: the next batch's masked inputs are written on another thread while ONNX
// Runtime scores the current one. Passes are written and told in plan order, as without it.
class CpuScorer final : public BatchScorer {
public:
    CpuScorer(Classifier& model, Explainer& ex, size_t capacity)
        : model_(model), ex_(ex), batches_{std::vector<float>(capacity * ex.shapes().input_size()),
                                           std::vector<float>(capacity * ex.shapes().input_size())} {}
    ~CpuScorer() override {
        if (ahead_.valid()) ahead_.wait();
    }
    void write(const Pass* passes, size_t n) override { ex_.write_inputs(passes, n, batches_[current_].data()); }
    bool writes_ahead() const override { return true; }
    void write_ahead(const Pass* passes, size_t n) override {
        float* next = batches_[1 - current_].data();
        ahead_ = std::async(std::launch::async, [this, passes, n, next] { ex_.write_inputs(passes, n, next); });
    }
    void advance() override {
        ahead_.get();
        current_ = 1 - current_;
    }
    void score(size_t n, const ClassScore& target, float* scores) override {
        model_.class_scores(batches_[current_].data(), n, target, scores);
    }

private:
    Classifier& model_;
    Explainer& ex_;
    std::vector<float> batches_[2];
    size_t current_ = 0;
    std::future<void> ahead_;
};
}  // namespace

ExplainRun run_explanation(Classifier& model, const Tensor& input, const ExplainRequest& request,
                           const ProgressFn& progress, const std::atomic<bool>* cancel) {
    if (request.batch < 1 || request.batch > size_t(kMaxBatch))
        throw InputError("batch size must be between 1 and " + std::to_string(kMaxBatch));
    ExplainRun run;
    const auto start = Clock::now();
    auto t = Clock::now();
    Classifier::Forward fwd = model.forward_with_layer(input);
    run.inference_ms += ms_since(t);
    run.logits = fwd.logits;
    const int classes = int(fwd.logits.size());
    run.class_index = request.class_index;
    if (run.class_index < 0)
        run.class_index = int(std::max_element(fwd.logits.begin(), fwd.logits.end()) - fwd.logits.begin());
    if (run.class_index >= classes || request.class_index < -1)
        throw InputError("class " + std::to_string(request.class_index) + " is out of range: the model has " +
                         std::to_string(classes) + " classes (0.." + std::to_string(classes - 1) + ")");
    run.contrast_class = request.contrast_class;
    const ClassScore target{run.class_index, run.contrast_class};
    check_class_score(target, fwd.logits.size());
    run.baseline = target.of(fwd.logits.data());

    const auto& a = fwd.activations.shape;
    const Shapes shapes{int(a[1]), int(a[2]), int(a[3]), int(input.shape[1]), int(input.shape[2]), int(input.shape[3])};
    run.explainer = std::make_unique<Explainer>(request.methods, request.options, shapes, fwd.activations.data.data(),
                                                input.data.data(), run.baseline);
    Explainer& ex = *run.explainer;
    ex.set_write_threads(request.write_threads > 0 ? request.write_threads
                                                   : int(std::clamp(std::thread::hardware_concurrency(), 1u, 4u)));

    const size_t capacity =
        std::min(fit_batch(request.batch, input.data.size(), request.memory_budget).batch, model.max_batch());
    std::unique_ptr<BatchScorer> scorer;
#ifdef ISCAM_CUDA
    if (model.runtime().device == Device::Cuda)
        scorer = make_cuda_scorer(model, ex, fwd.activations.data.data(), capacity);
#endif
    if (!scorer) scorer = std::make_unique<CpuScorer>(model, ex, capacity);
    std::vector<float> scores(capacity);
    run.forward_passes = 1;
    size_t n = 0;
    const Pass* first = ex.take_passes(capacity, &n);
    scorer->write(first, n);
    while (n > 0) {
        if (cancel && cancel->load()) {
            run.cancelled = true;
            break;
        }
        size_t next_n = 0;
        const Pass* next = ex.take_passes(capacity, &next_n);
        if (next_n && scorer->writes_ahead()) scorer->write_ahead(next, next_n);
        t = Clock::now();
        scorer->score(n, target, scores.data());
        run.inference_ms += ms_since(t);
        ex.tell(scores.data(), n);
        run.forward_passes += n;
        if (progress) progress(ex, ms_since(start) / 1000.0);
        if (next_n) {
            if (scorer->writes_ahead()) scorer->advance();
            else scorer->write(next, next_n);
        } else if (!ex.done()) {  // a screening run: its chosen channels are planned now
            next = ex.take_passes(capacity, &next_n);
            scorer->write(next, next_n);
        }
        n = next_n;
    }
    run.total_ms = ms_since(start);
    return run;
}

}  // namespace iscam
