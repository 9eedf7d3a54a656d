#pragma once
// The sanity checks of docs/math.md ("Sanity checks") with ONNX Runtime: the model parameter
// randomisation test (cascading or independent) and the random-logit test, each a full
// explanation per step, compared with the original map by core/similarity.h.
#include <atomic>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "explain_run.h"
#include "sanity.h"
#include "similarity.h"
#include "weight_randomisation.h"

namespace iscam {

struct SanityRequest {
    ExplainRequest explain;  // class_index -1: the top-1 class
    bool cascade = true;     // false: independent (one layer at a time)
    uint64_t seed = 0;       // the weights' draws and the random class
};

struct SanityStep {
    size_t layer = 0;  // 1 = nearest the output
    RandomisableLayer info;
    std::vector<MapSimilarity> similarity;  // one per method, against the original map
};

struct SanityRun {
    std::vector<Method> methods;
    int class_index = 0, random_class = 0;
    std::vector<MapSimilarity> random_logit;  // one per method: the map of random_class against class_index's
    std::vector<SanityStep> steps;
    size_t forward_passes = 0;
    double total_ms = 0;
    bool cancelled = false;
};

// Called during every explanation: run i of `runs` (original, random class, then one per layer).
using SanityProgressFn = std::function<void(size_t run, size_t runs, const Explainer&, double elapsed_s)>;

// `model` is the classifier made from model_bytes, its layer selected; x its input. Throws
// InputError when the model has no randomisable layer or one class only, or the class is out of range.
SanityRun run_sanity(const std::string& model_bytes, Classifier& model, const Tensor& x, const SanityRequest& request,
                     const SanityProgressFn& progress = {}, const std::atomic<bool>* cancel = nullptr);

// The result as `iscam sanity --json` and `iscam eval --sanity` write it: {class, methods,
// randomisation, seed, topk_fraction, steps: [{layer, node, op_type, tensors, similarity: {method:
// {spearman, spearman_abs, ssim, topk}}}], random_logit: {class, similarity}, forward_passes, total_ms}.
nlohmann::json sanity_run_json(const SanityRun& run, const SanityRequest& request);

}  // namespace iscam
