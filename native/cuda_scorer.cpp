#include "cuda_scorer.h"

#include <algorithm>
#include <vector>

#include "cuda/batch_kernels.h"
#include "cuda/device.h"
#include "cuda/gather.h"

namespace iscam {

namespace {

class CudaScorer final : public BatchScorer {
public:
    CudaScorer(Classifier& model, const Explainer& ex, const float* activations, size_t capacity)
        : model_(model),
          run_size_(std::max<size_t>(1, std::min(capacity, ex.total_passes()))),
          maker_(ex.shapes(), ex.options(), activations, ex.input().data(), run_size_, stream_.get()),
          batch_(run_size_ * ex.shapes().input_size()),
          scores_(2 * run_size_) {
        gpu::check(cudaMemsetAsync(batch_.get(), 0, batch_.size() * sizeof(float), stream_.get()), "cudaMemsetAsync");
    }

    void write(const Pass* passes, size_t n) override {
        maker_.write(passes, n, batch_.get());
        // ONNX Runtime reads the batch on a stream of its own.
        stream_.synchronize();
    }

    void score(size_t n, const ClassScore& target, float* scores) override {
        // Every run has the one shape run_size_, a short last batch padded with the previous
        // inputs (their scores are dropped): a new shape would rerun cuDNN's exhaustive search.
        size_t stride = 0;
        const float* logits = model_.device_logits(batch_.get(), run_size_, &stride);
        // Columns A (and B) come back; ClassScore::from combines them as on the CPU path.
        const size_t columns = target.contrastive() ? 2 : 1;
        gpu::gather_column(logits, n, stride, size_t(target.cls), scores_.get(), stream_.get());
        if (target.contrastive())
            gpu::gather_column(logits, n, stride, size_t(target.contrast), scores_.get() + n, stream_.get());
        picked_.resize(columns * n);
        gpu::check(cudaMemcpyAsync(picked_.data(), scores_.get(), columns * n * sizeof(float), cudaMemcpyDeviceToHost,
                                   stream_.get()),
                   "cudaMemcpyAsync");
        stream_.synchronize();
        for (size_t i = 0; i < n; ++i) scores[i] = target.from(picked_[i], columns == 2 ? picked_[n + i] : 0.0f);
    }

private:
    Classifier& model_;
    gpu::Stream stream_;
    size_t run_size_;
    gpu::BatchMaker maker_;
    gpu::DeviceBuffer<float> batch_, scores_;  // scores_: columns A and B
    std::vector<float> picked_;
};

}  // namespace

std::unique_ptr<BatchScorer> make_cuda_scorer(Classifier& model, const Explainer& ex, const float* activations,
                                              size_t capacity) {
    return std::make_unique<CudaScorer>(model, ex, activations, capacity);
}

}  // namespace iscam
