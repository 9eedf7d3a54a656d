#include "cuda/device.h"

#include <stdexcept>
#include <string>

#include "error.h"

namespace iscam::gpu {

void check(cudaError_t status, const char* what) {
    if (status != cudaSuccess) throw std::runtime_error(std::string(what) + ": " + cudaGetErrorString(status));
}

void require_device() {
    int count = 0;
    const cudaError_t status = cudaGetDeviceCount(&count);
    if (status == cudaErrorInsufficientDriver)
        throw InputError("no CUDA device: the NVIDIA driver is missing or older than CUDA 13 needs (580 or later)");
    if (status == cudaErrorNoDevice || (status == cudaSuccess && count == 0))
        throw InputError("no CUDA device on this machine");
    if (status != cudaSuccess) throw InputError(std::string("no usable CUDA device: ") + cudaGetErrorString(status));
}

bool device_available() {
    int count = 0;
    return cudaGetDeviceCount(&count) == cudaSuccess && count > 0;
}

}  // namespace iscam::gpu
