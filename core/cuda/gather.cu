#include "cuda/gather.h"

#include "cuda/device.h"

namespace iscam::gpu {

namespace {

__global__ void gather_kernel(const float* logits, size_t n, size_t stride, size_t column, float* scores) {
    const size_t i = size_t(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i < n) scores[i] = logits[i * stride + column];
}

}  // namespace

void gather_column(const float* logits, size_t n, size_t stride, size_t column, float* scores, cudaStream_t stream) {
    if (n == 0) return;
    gather_kernel<<<unsigned((n + 255) / 256), 256, 0, stream>>>(logits, n, stride, column, scores);
    check(cudaGetLastError(), "gather kernel");
}

}  // namespace iscam::gpu
