#pragma once
// Drives the ask/tell engine with an ONNX Runtime classifier: the loop of docs/design.md.
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include "classifier.h"
#include "explainer.h"

namespace iscam {

struct ExplainRequest {
    std::vector<Method> methods{Method::ISCAM};
    ExplainOptions options;
    int class_index = -1;  // -1: the top-1 class
    int contrast_class = -1;  // B of a contrastive map (docs/math.md); -1: none
    size_t batch = 32;           // lowered to fit memory_budget (fit_batch in memory_budget.h)
    uint64_t memory_budget = 0;  // bytes the batch may take; 0: half the memory available
    int write_threads = 0;  // threads writing masked inputs; 0: one per core, at most 4
};

struct ExplainRun {
    std::unique_ptr<Explainer> explainer;
    std::vector<float> logits;
    int class_index = 0;
    int contrast_class = -1;
    float baseline = 0;  // b = f(X)_A, or f(X)_A − f(X)_B
    double inference_ms = 0;  // time inside ONNX Runtime's Run, the baseline pass included
    double total_ms = 0;      // from the baseline pass to the last told score
    size_t forward_passes = 0;
    bool cancelled = false;
};

using ProgressFn = std::function<void(const Explainer&, double elapsed_s)>;

// Throws InputError for a class out of range. Stops early, with cancelled set, when *cancel turns true.
ExplainRun run_explanation(Classifier& model, const Tensor& input, const ExplainRequest& request,
                           const ProgressFn& progress = {}, const std::atomic<bool>* cancel = nullptr);

}  // namespace iscam
