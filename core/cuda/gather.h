#pragma once
#include <cuda_runtime_api.h>

#include <cstddef>

namespace iscam::gpu {

// scores[i] = logits[i·stride + column] for i < n, all in device memory: a batch's class scores
// picked out of its logits on the device, so that only they cross to the host.
void gather_column(const float* logits, size_t n, size_t stride, size_t column, float* scores, cudaStream_t stream);

}  // namespace iscam::gpu
