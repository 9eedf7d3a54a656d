#pragma once
// SS-CAM's Gaussian noise as a counter-based stream: the draw for (seed, channel, sample, pixel)
// depends on nothing else, so batches, threads, WASM, CUDA and the Python reference agree.
// (std::normal_distribution is not reproducible across standard libraries, hence our own.)
#include <cmath>
#include <cstdint>

#ifdef __CUDACC__
#define ISCAM_HD __host__ __device__
#else
#define ISCAM_HD
#endif

namespace iscam {

ISCAM_HD inline uint64_t splitmix64(uint64_t x) {
    uint64_t z = x + 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

ISCAM_HD inline uint64_t noise_stream(uint64_t seed, uint32_t channel, uint32_t sample) {
    return splitmix64(seed ^ splitmix64((uint64_t(channel) << 32) | sample));
}

// Box-Muller on pixel pair q: writes σ·z for pixels 2q and 2q+1.
ISCAM_HD inline void noise_pair(uint64_t stream, uint64_t q, float sigma, float* z0, float* z1) {
    const uint64_t a = splitmix64(stream + 2 * q);
    const uint64_t b = splitmix64(stream + 2 * q + 1);
    const double u1 = double((a >> 11) + 1) * 0x1.0p-53;
    const double u2 = double(b >> 11) * 0x1.0p-53;
    const double r = sqrt(-2.0 * log(u1));
    const double t = 6.283185307179586476925286766559 * u2;
    *z0 = float(sigma * r * cos(t));
    *z1 = float(sigma * r * sin(t));
}

// The H×W noise field δ_kj of SPEC step 3 (SS-CAM).
inline void noise_field(uint64_t seed, uint32_t channel, uint32_t sample, float sigma, float* out, size_t n) {
    const uint64_t s = noise_stream(seed, channel, sample);
    size_t q = 0;
    for (; 2 * q + 1 < n; ++q) noise_pair(s, q, sigma, &out[2 * q], &out[2 * q + 1]);
    if (2 * q < n) {
        float spare;
        noise_pair(s, q, sigma, &out[2 * q], &spare);
    }
}

}  // namespace iscam
