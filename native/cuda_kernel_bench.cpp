// iscam_kernel_bench: how fast the GPU makes masked batches. For each pass kind and batch size, the
// GB/s the batch kernel writes (pass upload included, as in an explanation), then the time of the
// final-map kernel; one JSON line each. Shapes of ResNet-18 at 224: layer 512×7×7, input 3×224×224.
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <numeric>
#include <vector>

#include "cam_math.h"
#include "cuda/batch_kernels.h"
#include "cuda/device.h"
#include "cuda/map_kernels.h"
#include "error.h"
#include "noise.h"

using namespace iscam;

namespace {

std::vector<float> field(uint32_t channel, size_t n) {
    std::vector<float> v(n);
    noise_field(42, channel, 0, 1.0f, v.data(), n);
    return v;
}

void bench_batches(const Shapes& s, const ExplainOptions& o, const float* activations, const float* input,
                   const gpu::Stream& stream) {
    constexpr int kRepeats = 20;
    const struct { PassKind kind; const char* name; } kinds[] = {
        {PassKind::Scaled, "scaled"}, {PassKind::Noised, "noised"}, {PassKind::Zero, "zero"}};
    for (size_t batch : {64, 256, 1024}) {
        gpu::BatchMaker maker(s, o, activations, input, batch, stream.get());
        gpu::DeviceBuffer<float> out(batch * s.input_size());
        for (const auto& k : kinds) {
            std::vector<Pass> passes(batch);
            for (size_t i = 0; i < batch; ++i)
                passes[i] = {k.kind, 0, k.kind == PassKind::Zero ? -1 : int32_t(i % s.K), int32_t(i / s.K), 1.5f};
            maker.write(passes.data(), batch, out.get());  // warm-up
            cudaEvent_t start, stop;
            gpu::check(cudaEventCreate(&start), "cudaEventCreate");
            gpu::check(cudaEventCreate(&stop), "cudaEventCreate");
            gpu::check(cudaEventRecord(start, stream.get()), "cudaEventRecord");
            for (int r = 0; r < kRepeats; ++r) maker.write(passes.data(), batch, out.get());
            gpu::check(cudaEventRecord(stop, stream.get()), "cudaEventRecord");
            gpu::check(cudaEventSynchronize(stop), "cudaEventSynchronize");
            float ms = 0;
            gpu::check(cudaEventElapsedTime(&ms, start, stop), "cudaEventElapsedTime");
            cudaEventDestroy(start);
            cudaEventDestroy(stop);
            const double bytes = double(batch) * double(s.input_size()) * sizeof(float);
            const double seconds = ms / 1e3 / kRepeats;
            const nlohmann::json line = {{"kernel", "batch"}, {"kind", k.name},  {"batch", batch},
                                         {"bytes", bytes},    {"us", seconds * 1e6}, {"GB_s", bytes / seconds / 1e9}};
            std::printf("%s\n", line.dump().c_str());
        }
    }
}

void bench_map(const Shapes& s, const float* activations, const gpu::Stream& stream) {
    gpu::DeviceBuffer<float> dev(size_t(s.K) * s.map_size());
    gpu::check(cudaMemcpy(dev.get(), activations, dev.size() * sizeof(float), cudaMemcpyHostToDevice), "cudaMemcpy");
    std::vector<int> channels(s.K);
    std::iota(channels.begin(), channels.end(), 0);
    const std::vector<float> weights(s.K, 1.0f / float(s.K));
    gpu::weighted_map(dev.get(), s.map_size(), channels, weights, stream.get());  // warm-up
    constexpr int kRepeats = 100;
    const auto t0 = std::chrono::steady_clock::now();
    for (int r = 0; r < kRepeats; ++r) gpu::weighted_map(dev.get(), s.map_size(), channels, weights, stream.get());
    const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() / kRepeats;
    const nlohmann::json line = {{"kernel", "map"}, {"K", s.K}, {"hw", s.map_size()}, {"us", us}};
    std::printf("%s\n", line.dump().c_str());
}

}  // namespace

int main() {
    try {
        gpu::require_device();
        const Shapes s{512, 7, 7, 3, 224, 224};
        const ExplainOptions o;
        const std::vector<float> activations = field(0, size_t(s.K) * s.map_size()), input = field(1, s.input_size());
        const gpu::Stream stream;
        bench_batches(s, o, activations.data(), input.data(), stream);
        bench_map(s, activations.data(), stream);
        return 0;
    } catch (const InputError& e) {
        std::fprintf(stderr, "iscam_kernel_bench: %s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "iscam_kernel_bench: internal error: %s\n", e.what());
        return 1;
    }
}
