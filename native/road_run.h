#pragma once
// Drives ROAD's evaluator (core/road.h) with an ONNX Runtime classifier, like metrics_run.h.
#include <atomic>
#include <nlohmann/json.hpp>
#include <vector>

#include "classifier.h"
#include "explainer.h"
#include "road.h"

namespace iscam {

struct RoadRun {
    RoadResult result;
    double inference_ms = 0, total_ms = 0;
    bool cancelled = false;
};

// ROAD of `cam` (class cls) for x whose logits are `logits`; the classifier's layer must be selected.
RoadRun run_road(Classifier& model, const Tensor& x, const std::vector<float>& logits, int cls, const CamResult& cam,
                 const RoadOptions& options, size_t batch, const std::atomic<bool>* cancel = nullptr);

// core/road_json.h's object with the run's timings_ms {inference, other, total}.
nlohmann::json road_run_json(const RoadRun& run, const RoadOptions& options);

}  // namespace iscam
