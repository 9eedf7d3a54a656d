#pragma once
// The masked inputs written on the GPU straight into the batch ONNX Runtime reads: the device twin
// of Explainer::write_inputs, with the same bilinear taps, noise stream, γ and rounding.
#include <cstdint>

#include "cuda/device.h"
#include "explainer.h"

namespace iscam::gpu {

class BatchMaker {
public:
    // Uploads X (C·H·W), the layer's raw activations A (K·h·w; normalised there, SPEC step 1) and
    // the h×w → H×W taps. One write takes at most `capacity` passes (≤ 65535).
    BatchMaker(const Shapes& shapes, const ExplainOptions& options, const float* activations, const float* input,
               size_t capacity, cudaStream_t stream);

    // Writes the inputs of `passes` (host memory, as Explainer::take_passes gives them) into
    // `batch` (device memory from cudaMalloc, count·C·H·W floats), asynchronously on the stream.
    void write(const Pass* passes, size_t count, float* batch);

    const float* normalised() const { return normalised_.get(); }  // device Ā, K·h·w

private:
    Shapes shapes_;
    uint64_t seed_;
    float sigma_;
    cudaStream_t stream_;
    DeviceBuffer<float> activations_, normalised_, input_;
    DeviceBuffer<BilinearResizer::Tap> rows_, cols_;
    DeviceBuffer<Pass> passes_;
};

}  // namespace iscam::gpu
