// libFuzzer: the sidecar (M.json) and labels parsers on arbitrary text. Anything that is not a
// valid sidecar or labels file must end in an InputError.
#include <cstdint>
#include <string>

#include "error.h"
#include "model_config.h"

using namespace iscam;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        parse_sidecar(text);
    } catch (const InputError&) {
    }
    try {
        parse_labels(text);
    } catch (const InputError&) {
    }
    return 0;
}
