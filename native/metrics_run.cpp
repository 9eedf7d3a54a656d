#include "metrics_run.h"

#include <algorithm>
#include <chrono>

#include "error.h"
#include "memory_budget.h"
#include "metrics_json.h"
#include "run_limits.h"

namespace iscam {

namespace {
using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }
}  // namespace

MetricsRun run_metrics(Classifier& model, const Tensor& x, const std::vector<float>& logits, int cls,
                       const CamResult& cam, const MetricsRequest& request, const std::atomic<bool>* cancel) {
    if (request.batch < 1 || request.batch > size_t(kMaxBatch))
        throw InputError("batch size must be between 1 and " + std::to_string(kMaxBatch));
    if (cam.map.empty()) throw InputError("the map has no scored channel yet");
    const auto start = Clock::now();
    MetricsRun run;
    const int C = int(x.shape[1]), H = int(x.shape[2]), W = int(x.shape[3]);
    FaithfulnessEvaluator ev(request.options, C, H, W, x.data.data(), cam.map.data(), cam.height, cam.width,
                             logits.data(), logits.size(), cls);
    const size_t capacity = std::min(fit_batch(request.batch, x.data.size(), request.memory_budget).batch, model.max_batch());
    std::vector<float> batch(capacity * x.data.size());
    while (!ev.done()) {
        if (cancel && cancel->load()) {
            run.cancelled = true;
            break;
        }
        const size_t n = ev.next_batch(batch.data(), capacity);
        const auto t = Clock::now();
        size_t stride = 0;
        const float* out = model.batch_logits(batch.data(), n, &stride);
        run.inference_ms += ms_since(t);
        ev.tell(out, n, stride);
    }
    run.result = ev.result();
    if (request.ground_truth) run.localisation = localise(ev.saliency(), *request.ground_truth);
    run.total_ms = ms_since(start);
    return run;
}

nlohmann::json metrics_run_json(const MetricsRun& run, const MetricsOptions& options) {
    nlohmann::json j = metrics_json(run.result, options, run.localisation ? &*run.localisation : nullptr);
    j["timings_ms"] = {{"inference", run.inference_ms},
                       {"other", run.total_ms - run.inference_ms},
                       {"total", run.total_ms}};
    return j;
}

}  // namespace iscam
