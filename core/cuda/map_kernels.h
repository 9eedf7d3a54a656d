#pragma once
// SPEC step 5 on the GPU: the twin of cam_math's weighted_map (same order of sums, same rounding).
#include <cuda_runtime_api.h>

#include <cstddef>
#include <vector>

namespace iscam::gpu {

// ReLU(Σ_i weights[i]·A_channels[i]) min-max normalised; `activations` is device memory (K×hw),
// the hw values of the map come back to the host.
std::vector<float> weighted_map(const float* activations, size_t hw, const std::vector<int>& channels,
                                const std::vector<float>& weights, cudaStream_t stream);

}  // namespace iscam::gpu
