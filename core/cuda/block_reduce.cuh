#pragma once
// Block-wide pieces shared by the kernels. Every thread of the block must call them (no early
// return before), and blockDim.x must be a multiple of 32.
#include <cmath>
#include <cstddef>

#include "cam_math.h"

namespace iscam::gpu {

// The min and max of v[0..n), handed to every thread.
__device__ inline void block_min_max(const float* v, size_t n, float* lo_out, float* hi_out) {
    __shared__ float lo_s[32], hi_s[32];
    float lo = INFINITY, hi = -INFINITY;
    for (size_t i = threadIdx.x; i < n; i += blockDim.x) {
        lo = fminf(lo, v[i]);
        hi = fmaxf(hi, v[i]);
    }
    const unsigned lane = threadIdx.x % 32, warp = threadIdx.x / 32;
    for (int o = 16; o > 0; o >>= 1) {
        lo = fminf(lo, __shfl_xor_sync(0xffffffffu, lo, o));
        hi = fmaxf(hi, __shfl_xor_sync(0xffffffffu, hi, o));
    }
    if (lane == 0) {
        lo_s[warp] = lo;
        hi_s[warp] = hi;
    }
    __syncthreads();
    if (warp == 0) {
        const unsigned warps = blockDim.x / 32;
        lo = lane < warps ? lo_s[lane] : INFINITY;
        hi = lane < warps ? hi_s[lane] : -INFINITY;
        for (int o = 16; o > 0; o >>= 1) {
            lo = fminf(lo, __shfl_xor_sync(0xffffffffu, lo, o));
            hi = fmaxf(hi, __shfl_xor_sync(0xffffffffu, hi, o));
        }
        if (lane == 0) {
            lo_s[0] = lo;
            hi_s[0] = hi;
        }
    }
    __syncthreads();
    *lo_out = lo_s[0];
    *hi_out = hi_s[0];
}

// cam_math's minmax_normalise of v[0..n) into out (which may be v), with its rounding: explicit
// round-to-nearest operations, which nvcc does not contract into FMAs.
__device__ inline void block_minmax_normalise(const float* v, float* out, size_t n) {
    float lo, hi;
    block_min_max(v, n, &lo, &hi);
    const float denom = __fadd_rn(__fsub_rn(hi, lo), kEps);
    for (size_t i = threadIdx.x; i < n; i += blockDim.x) out[i] = __fdiv_rn(__fsub_rn(v[i], lo), denom);
}

}  // namespace iscam::gpu
