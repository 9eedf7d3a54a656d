#pragma once
// The CUDA runtime as the rest of the project uses it: a device check, owned allocations, a stream.
#include <cuda_runtime_api.h>

#include <cstddef>

namespace iscam::gpu {

// Throws InputError with the runtime's reason when no CUDA device can be used (no driver, no GPU).
void require_device();
bool device_available();

// Throws std::runtime_error naming `what` and the runtime's reason unless `status` is cudaSuccess.
void check(cudaError_t status, const char* what);

// n elements of T in device memory, freed with the object.
template <typename T>
class DeviceBuffer {
public:
    explicit DeviceBuffer(size_t n) : n_(n) {
        if (n > 0) check(cudaMalloc(reinterpret_cast<void**>(&p_), n * sizeof(T)), "cudaMalloc");
    }
    ~DeviceBuffer() { cudaFree(p_); }
    DeviceBuffer(const DeviceBuffer&) = delete;
    DeviceBuffer& operator=(const DeviceBuffer&) = delete;

    T* get() const { return p_; }
    size_t size() const { return n_; }

private:
    T* p_ = nullptr;
    size_t n_;
};

class Stream {
public:
    Stream() { check(cudaStreamCreateWithFlags(&s_, cudaStreamNonBlocking), "cudaStreamCreate"); }
    ~Stream() { cudaStreamDestroy(s_); }
    Stream(const Stream&) = delete;
    Stream& operator=(const Stream&) = delete;

    cudaStream_t get() const { return s_; }
    void synchronize() const { check(cudaStreamSynchronize(s_), "cudaStreamSynchronize"); }

private:
    cudaStream_t s_ = nullptr;
};

}  // namespace iscam::gpu
