#pragma once
// Drives the faithfulness evaluator (core/metrics.h) with an ONNX Runtime classifier: the ask/tell
// loop of docs/design.md for the metrics of one map.
#include <atomic>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "classifier.h"
#include "explainer.h"
#include "metrics.h"
#include "metrics_localisation.h"

namespace iscam {

struct MetricsRequest {
    MetricsOptions options;
    size_t batch = 32;           // lowered to fit memory_budget, as ExplainRequest's
    uint64_t memory_budget = 0;  // bytes the batch may take; 0: half the memory available
    std::optional<GroundTruth> ground_truth;  // on the input's H×W grid
};

struct MetricsRun {
    FaithfulnessResult result;
    std::optional<Localisation> localisation;
    double inference_ms = 0;  // time inside ONNX Runtime's Run
    double total_ms = 0;
    bool cancelled = false;
};

// The metrics of `cam` (class `cls`, the map of SPEC step 5) for the input x whose logits are
// `logits` (the explanation's baseline pass). The classifier's layer must be selected.
// Stops early, with cancelled set, when *cancel turns true.
MetricsRun run_metrics(Classifier& model, const Tensor& x, const std::vector<float>& logits, int cls,
                       const CamResult& cam, const MetricsRequest& request, const std::atomic<bool>* cancel = nullptr);

// metrics_json() of the run, with its timings_ms {inference, other, total}.
nlohmann::json metrics_run_json(const MetricsRun& run, const MetricsOptions& options);

}  // namespace iscam
