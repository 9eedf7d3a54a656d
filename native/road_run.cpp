#include "road_run.h"

#include <algorithm>
#include <chrono>

#include "error.h"
#include "road_json.h"
#include "run_limits.h"

namespace iscam {

namespace {
using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }
}  // namespace

RoadRun run_road(Classifier& model, const Tensor& x, const std::vector<float>& logits, int cls, const CamResult& cam,
                 const RoadOptions& options, size_t batch, const std::atomic<bool>* cancel) {
    if (batch < 1 || batch > size_t(kMaxBatch))
        throw InputError("batch size must be between 1 and " + std::to_string(kMaxBatch));
    if (cam.map.empty()) throw InputError("the map has no scored channel yet");
    const auto start = Clock::now();
    RoadRun run;
    RoadEvaluator ev(options, int(x.shape[1]), int(x.shape[2]), int(x.shape[3]), x.data.data(), cam.map.data(),
                     cam.height, cam.width, logits.data(), logits.size(), cls);
    const size_t capacity = std::min(batch, model.max_batch());
    std::vector<float> inputs(capacity * x.data.size());
    while (!ev.done()) {
        if (cancel && cancel->load()) {
            run.cancelled = true;
            break;
        }
        const size_t n = ev.next_batch(inputs.data(), capacity);
        const auto t = Clock::now();
        size_t stride = 0;
        const float* out = model.batch_logits(inputs.data(), n, &stride);
        run.inference_ms += ms_since(t);
        ev.tell(out, n, stride);
    }
    run.result = ev.result();
    run.total_ms = ms_since(start);
    return run;
}

nlohmann::json road_run_json(const RoadRun& run, const RoadOptions& options) {
    nlohmann::json j = road_json(run.result, options);
    j["timings_ms"] = {{"inference", run.inference_ms}, {"other", run.total_ms - run.inference_ms}, {"total", run.total_ms}};
    return j;
}

}  // namespace iscam
