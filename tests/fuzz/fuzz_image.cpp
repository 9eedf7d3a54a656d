// libFuzzer: the image loader (header measure, budgets, stb_image's PNG, JPEG, BMP and GIF
// decoders) on arbitrary bytes. Anything it cannot decode must end in an InputError.
#include <cstdint>
#include <cstdlib>

#include "error.h"
#include "image.h"

using namespace iscam;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    ImageLimits limits;  // smaller than the defaults, so that each run stays fast
    limits.max_pixels = 4'000'000;
    limits.max_decode_bytes = uint64_t(256) << 20;
    try {
        const ImageInfo info = measure_image(data, size);
        const Image image = decode_image(data, size, limits);
        if (image.width != info.width || image.height != info.height ||
            image.rgb.size() != size_t(image.width) * size_t(image.height) * 3)
            std::abort();
    } catch (const InputError&) {
    }
    return 0;
}
