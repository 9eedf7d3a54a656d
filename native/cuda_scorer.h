#pragma once
// The GPU batches of run_explanation: masked inputs written by kernels into device memory and run
// by ONNX Runtime's CUDA provider through I/O binding; only the class scores come back.
#include <memory>

#include "batch_scorer.h"
#include "classifier.h"

namespace iscam {

// `activations`: the layer's K·h·w activations from the baseline pass (host memory); `capacity`:
// the most passes a batch takes.
std::unique_ptr<BatchScorer> make_cuda_scorer(Classifier& model, const Explainer& ex, const float* activations,
                                              size_t capacity);

}  // namespace iscam
