#include "cuda/map_kernels.h"

#include <stdexcept>

#include "cuda/block_reduce.cuh"
#include "cuda/device.h"

namespace iscam::gpu {

namespace {

// One block: each thread sums its pixels over the channels in the given order, as Eigen's
// acc += w·A_k does on the CPU; then ReLU and the block's min-max normalisation.
__global__ void weighted_map_kernel(const float* a, size_t hw, const int* channels, const float* weights, int n,
                                    float* out) {
    for (size_t p = threadIdx.x; p < hw; p += blockDim.x) {
        float acc = 0.0f;
        for (int i = 0; i < n; ++i) acc = __fadd_rn(acc, __fmul_rn(weights[i], a[size_t(channels[i]) * hw + p]));
        out[p] = fmaxf(acc, 0.0f);
    }
    __syncthreads();
    block_minmax_normalise(out, out, hw);
}

}  // namespace

std::vector<float> weighted_map(const float* activations, size_t hw, const std::vector<int>& channels,
                                const std::vector<float>& weights, cudaStream_t stream) {
    if (channels.size() != weights.size()) throw std::logic_error("one weight per channel");
    DeviceBuffer<int> dev_channels(channels.size());
    DeviceBuffer<float> dev_weights(weights.size()), dev_map(hw);
    check(cudaMemcpyAsync(dev_channels.get(), channels.data(), channels.size() * sizeof(int), cudaMemcpyHostToDevice,
                          stream), "cudaMemcpyAsync");
    check(cudaMemcpyAsync(dev_weights.get(), weights.data(), weights.size() * sizeof(float), cudaMemcpyHostToDevice,
                          stream), "cudaMemcpyAsync");
    weighted_map_kernel<<<1, 256, 0, stream>>>(activations, hw, dev_channels.get(), dev_weights.get(),
                                                int(channels.size()), dev_map.get());
    check(cudaGetLastError(), "map kernel");
    std::vector<float> map(hw);
    check(cudaMemcpyAsync(map.data(), dev_map.get(), hw * sizeof(float), cudaMemcpyDeviceToHost, stream),
          "cudaMemcpyAsync");
    check(cudaStreamSynchronize(stream), "cudaStreamSynchronize");
    return map;
}

}  // namespace iscam::gpu
