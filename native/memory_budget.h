#pragma once
// Sizing the batch to the memory: each masked input of a batch costs its own buffer and the
// intermediate tensors ONNX Runtime keeps for it while it runs.
#include <cstddef>
#include <cstdint>

namespace iscam {

// Bytes one input of `input_size` floats costs in a batch, estimated: 24 times its own size.
// Measured (maximum resident set size, --batch 32 vs 128, 3×224×224): squeezenet1_1 and
// resnet18 take 13 times the input per batch item, mobilenet_v2 19 times.
constexpr uint64_t kBatchBytesPerFloat = 24 * sizeof(float);

// Memory this process can still take: /proc/meminfo's MemAvailable, within a cgroup v2 limit
// and the address-space limit (ulimit -v).
uint64_t available_memory();

struct BatchFit {
    size_t batch = 1;              // what fits (at most the request, at least 1)
    uint64_t requested_bytes = 0;  // what the requested batch would take
    uint64_t budget = 0;
};

// The requested batch, lowered when it does not fit in `budget` bytes (0: half the available memory).
BatchFit fit_batch(size_t requested, size_t input_size, uint64_t budget);

}  // namespace iscam
