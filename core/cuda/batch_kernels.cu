#include "cuda/batch_kernels.h"

#include <stdexcept>
#include <vector>

#include "cuda/block_reduce.cuh"
#include "noise.h"
#include "resample.h"

namespace iscam::gpu {

namespace {

using Tap = BilinearResizer::Tap;
constexpr unsigned kThreads = 256;

// SPEC step 1, one block per channel.
__global__ void normalise_channels(const float* a, float* out, int hw) {
    const size_t first = size_t(blockIdx.x) * hw;
    block_minmax_normalise(a + first, out + first, size_t(hw));
}

// BilinearResizer's value at (r, c): along x on rows r.i0 and r.i1, then along y.
__device__ inline float upsampled(const float* a, int w, const Tap& r, const Tap& c) {
    const float* s0 = a + size_t(r.i0) * w;
    const float* s1 = a + size_t(r.i1) * w;
    const float row0 = __fadd_rn(s0[c.i0], __fmul_rn(c.t, __fsub_rn(s0[c.i1], s0[c.i0])));
    const float row1 = __fadd_rn(s1[c.i0], __fmul_rn(c.t, __fsub_rn(s1[c.i1], s1[c.i0])));
    return __fadd_rn(row0, __fmul_rn(r.t, __fsub_rn(row1, row0)));
}

struct BatchArgs {
    const Pass* passes;
    const float* normalised;  // K·h·w
    const Tap* rows;          // H
    const Tap* cols;          // W
    const float* input;       // C·H·W
    int h, w, C, H, W;
    uint64_t seed;
    float sigma;
    float* batch;
};

// Thread q of pass blockIdx.y makes the mask at pixels 2q and 2q+1 (Box-Muller draws noise in
// pairs, as noise_field does) and writes it times X into all C planes. kEven: H·W is even, so
// every pair is one aligned float2 of X and of the batch.
template <bool kEven>
__global__ void write_batch(BatchArgs a) {
    const size_t HW = size_t(a.H) * a.W;
    const size_t q = size_t(blockIdx.x) * blockDim.x + threadIdx.x;
    const size_t p0 = 2 * q, p1 = p0 + 1;
    if (p0 >= HW) return;
    const bool second = kEven || p1 < HW;
    const Pass pass = a.passes[blockIdx.y];
    float* dst = a.batch + size_t(blockIdx.y) * a.C * HW;

    float m0 = 0.0f, m1 = 0.0f;
    if (pass.kind != PassKind::Zero) {
        const float* an = a.normalised + size_t(pass.channel) * a.h * a.w;
        m0 = upsampled(an, a.w, a.rows[p0 / a.W], a.cols[p0 % a.W]);
        if (second) m1 = upsampled(an, a.w, a.rows[p1 / a.W], a.cols[p1 % a.W]);
        if (pass.kind == PassKind::Noised) {
            float z0, z1;
            noise_pair(noise_stream(a.seed, uint32_t(pass.channel), uint32_t(pass.index)), q, a.sigma, &z0, &z1);
            m0 = __fadd_rn(z0, m0);
            m1 = __fadd_rn(z1, m1);
        } else {
            m0 = __fmul_rn(pass.gamma, m0);
            m1 = __fmul_rn(pass.gamma, m1);
        }
    }
    for (int c = 0; c < a.C; ++c) {
        const float* x = a.input + size_t(c) * HW;
        float* d = dst + size_t(c) * HW;
        if (pass.kind == PassKind::Zero) {
            // As the CPU's memset: +0 whatever X holds.
            if (kEven) {
                reinterpret_cast<float2*>(d)[q] = make_float2(0.0f, 0.0f);
            } else {
                d[p0] = 0.0f;
                if (second) d[p1] = 0.0f;
            }
        } else if (kEven) {
            const float2 v = reinterpret_cast<const float2*>(x)[q];
            reinterpret_cast<float2*>(d)[q] = make_float2(__fmul_rn(m0, v.x), __fmul_rn(m1, v.y));
        } else {
            d[p0] = __fmul_rn(m0, x[p0]);
            if (second) d[p1] = __fmul_rn(m1, x[p1]);
        }
    }
}

template <typename T>
void upload(const DeviceBuffer<T>& dst, const T* src, cudaStream_t stream) {
    check(cudaMemcpyAsync(dst.get(), src, dst.size() * sizeof(T), cudaMemcpyHostToDevice, stream), "cudaMemcpyAsync");
}

}  // namespace

BatchMaker::BatchMaker(const Shapes& shapes, const ExplainOptions& options, const float* activations,
                       const float* input, size_t capacity, cudaStream_t stream)
    : shapes_(shapes), seed_(options.seed), sigma_(options.sscam_sigma), stream_(stream),
      activations_(size_t(shapes.K) * shapes.map_size()), normalised_(activations_.size()),
      input_(shapes.input_size()), rows_(size_t(shapes.H)), cols_(size_t(shapes.W)), passes_(capacity) {
    if (capacity < 1 || capacity > 65535) throw std::logic_error("batch maker capacity must be 1..65535");
    const std::vector<Tap> rows = half_pixel_taps(shapes.h, shapes.H), cols = half_pixel_taps(shapes.w, shapes.W);
    upload(activations_, activations, stream_);
    upload(input_, input, stream_);
    upload(rows_, rows.data(), stream_);
    upload(cols_, cols.data(), stream_);
    normalise_channels<<<unsigned(shapes.K), kThreads, 0, stream_>>>(activations_.get(), normalised_.get(),
                                                                     int(shapes.map_size()));
    check(cudaGetLastError(), "normalisation kernel");
}

void BatchMaker::write(const Pass* passes, size_t count, float* batch) {
    if (count == 0) return;
    if (count > passes_.size()) throw std::logic_error("more passes than the batch maker's capacity");
    check(cudaMemcpyAsync(passes_.get(), passes, count * sizeof(Pass), cudaMemcpyHostToDevice, stream_),
          "cudaMemcpyAsync");
    const BatchArgs args{passes_.get(), normalised_.get(), rows_.get(), cols_.get(), input_.get(),
                         shapes_.h, shapes_.w, shapes_.C, shapes_.H, shapes_.W, seed_, sigma_, batch};
    const size_t HW = size_t(shapes_.H) * shapes_.W, pairs = (HW + 1) / 2;
    const dim3 grid(unsigned((pairs + kThreads - 1) / kThreads), unsigned(count));
    if (HW % 2 == 0)
        write_batch<true><<<grid, kThreads, 0, stream_>>>(args);
    else
        write_batch<false><<<grid, kThreads, 0, stream_>>>(args);
    check(cudaGetLastError(), "batch kernel");
}

}  // namespace iscam::gpu
