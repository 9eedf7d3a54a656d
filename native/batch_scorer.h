#pragma once
// One batch of run_explanation's loop, after Explainer::take_passes: write the passes' masked
// inputs, then score them. On the CPU: Explainer::write_inputs and ONNX Runtime on host memory
// (explain_run.cpp); on the GPU: kernels and the CUDA provider on device memory (cuda_scorer.cpp).
#include <cstddef>

#include "class_score.h"
#include "explainer.h"

namespace iscam {

class BatchScorer {
public:
    virtual ~BatchScorer() = default;
    virtual void write(const Pass* passes, size_t n) = 0;
    // The class scores (ClassScore::of) of the n inputs last written.
    virtual void score(size_t n, const ClassScore& target, float* scores) = 0;
    // A scorer that writes ahead starts writing the next batch with write_ahead, before the
    // current one is scored; advance() waits for it and makes it the current batch.
    virtual bool writes_ahead() const { return false; }
    virtual void write_ahead(const Pass*, size_t) {}
    virtual void advance() {}
};

}  // namespace iscam
