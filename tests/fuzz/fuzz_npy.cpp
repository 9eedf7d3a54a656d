// libFuzzer: the .npy reader on arbitrary bytes. Anything but a float32 C-order array whose data
// matches its shape must end in an InputError.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "error.h"
#include "npy.h"

using namespace iscam;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        const Tensor t = parse_npy(std::string(reinterpret_cast<const char*>(data), size));
        if (t.data.size() != Tensor::element_count(t.shape) || t.data.empty()) std::abort();
    } catch (const InputError&) {
    }
    return 0;
}
