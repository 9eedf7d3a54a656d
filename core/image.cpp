#include "image.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "error.h"
#include "file_io.h"
#include "resample.h"

namespace iscam {
namespace {

// The decoder's memory, counted: stb_image allocates through these hooks, and an allocation that
// would take the live total over the allowance fails, so a decompression bomb (a zlib stream far
// longer than its header says, a GIF screen of 16000²) stops at the budget, not at the machine's
// memory. Each block carries its size in front, for free().
struct DecodeBudget {
    size_t allowance = SIZE_MAX;
    size_t live = 0;
    bool exceeded = false;
};
thread_local DecodeBudget t_budget;
constexpr size_t kBlockHeader = alignof(std::max_align_t);

void* budget_malloc(size_t n) {
    if (n > t_budget.allowance - std::min(t_budget.live, t_budget.allowance) || n > SIZE_MAX - kBlockHeader) {
        t_budget.exceeded = true;
        return nullptr;
    }
    auto* block = static_cast<unsigned char*>(std::malloc(n + kBlockHeader));
    if (!block) return nullptr;
    std::memcpy(block, &n, sizeof n);
    t_budget.live += n;
    return block + kBlockHeader;
}

size_t block_size(void* p) {
    size_t n;
    std::memcpy(&n, static_cast<unsigned char*>(p) - kBlockHeader, sizeof n);
    return n;
}

void budget_free(void* p) {
    if (!p) return;
    t_budget.live -= std::min(t_budget.live, block_size(p));
    std::free(static_cast<unsigned char*>(p) - kBlockHeader);
}

void* budget_realloc(void* p, size_t n) {
    if (!p) return budget_malloc(n);
    void* q = budget_malloc(n);
    if (!q) return nullptr;  // stb_image keeps and later frees p
    std::memcpy(q, p, std::min(n, block_size(p)));
    budget_free(p);
    return q;
}

}  // namespace
}  // namespace iscam

#define STBI_MALLOC(n) iscam::budget_malloc(n)
#define STBI_REALLOC(p, n) iscam::budget_realloc(p, n)
#define STBI_FREE(p) iscam::budget_free(p)
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_ONLY_BMP
#define STBI_ONLY_GIF
#define STBI_NO_STDIO
#define STB_IMAGE_IMPLEMENTATION
#define STBI_FAILURE_USERMSG
#include <stb_image.h>

namespace iscam {
namespace {

// stb_image leaves its reason unset on some failures (a PNG chunk length ≥ 2³¹): never NULL here.
std::string failure_reason() {
    const char* reason = stbi_failure_reason();
    return reason && *reason ? reason : "corrupt data";
}

// What a decoder may need at its peak for an image of `info`, generously: a progressive 4-channel
// JPEG holds 16 bytes a (32-aligned) pixel, a 16-bit PNG its raw rows, its pixels and a copy;
// the compressed data may be copied once (PNG's IDAT chunks are joined).
uint64_t decode_estimate(const ImageInfo& info, size_t file_size) {
    auto padded = [](int v) { return (uint64_t(v) + 31) / 32 * 32; };
    return padded(info.width) * padded(info.height) * 20 * (info.sixteen_bit ? 2 : 1) + 2 * uint64_t(file_size) +
           16 * kMiB;
}

// Resets the budget on every way out of a decode.
struct BudgetScope {
    explicit BudgetScope(size_t allowance) { t_budget = {allowance, 0, false}; }
    ~BudgetScope() { t_budget = {}; }
};

std::string dims(const ImageInfo& info) { return std::to_string(info.width) + "×" + std::to_string(info.height); }

}  // namespace

ImageInfo measure_image(const uint8_t* data, size_t size) {
    if (size == 0) throw InputError("the image file is empty");
    if (size > kMaxImageBytes)
        throw InputError("the image file is " + byte_size_text(size) + ", over the " + byte_size_text(kMaxImageBytes) +
                         " limit for an image");
    // stbi_info_from_memory one format at a time (stb_image's own steps, in this file), so that
    // the reason of the format the file claims to be survives: stbi_info, having tried them all,
    // says only "unknown type".
    struct Format {
        const char* name;
        int (*test)(stbi__context*);
        int (*info)(stbi__context*, int*, int*, int*);
    };
    for (const Format& f : {Format{"PNG", stbi__png_test, stbi__png_info}, Format{"JPEG", stbi__jpeg_test, stbi__jpeg_info},
                            Format{"BMP", stbi__bmp_test, stbi__bmp_info}, Format{"GIF", stbi__gif_test, stbi__gif_info}}) {
        stbi__context s;
        stbi__start_mem(&s, data, int(size));
        if (!f.test(&s)) continue;
        ImageInfo info;
        info.format = f.name;
        stbi__g_failure_reason = nullptr;
        if (!f.info(&s, &info.width, &info.height, &info.channels))
            throw InputError(std::string("cannot decode the image (") + f.name + "): " + failure_reason());
        if (info.width < 1 || info.height < 1) throw InputError("cannot decode the image: it has no pixels");
        info.sixteen_bit = stbi_is_16_bit_from_memory(data, int(size)) != 0;
        return info;
    }
    throw InputError("cannot decode the image: not a PNG, JPEG, BMP or GIF image");
}

void check_image_limits(const ImageInfo& info, const ImageLimits& limits) {
    if (info.pixels() > limits.max_pixels) {
        char text[160];
        std::snprintf(text, sizeof text, " pixels (%.1f megapixels), over the limit of %.1f megapixels",
                      double(info.pixels()) / 1e6, double(limits.max_pixels) / 1e6);
        throw InputError("the image is " + dims(info) + text);
    }
}

Image decode_image(const uint8_t* data, size_t size, const ImageLimits& limits) {
    const ImageInfo info = measure_image(data, size);
    check_image_limits(info, limits);
    const uint64_t estimate = decode_estimate(info, size);
    const uint64_t allowance = std::min({estimate, limits.max_decode_bytes, uint64_t(SIZE_MAX)});
    int w = 0, h = 0, channels = 0;
    stbi_uc* pixels = nullptr;
    bool exceeded = false;
    std::string reason;
    {
        BudgetScope scope{size_t(allowance)};
        stbi__g_failure_reason = nullptr;
        pixels = stbi_load_from_memory(data, int(size), &w, &h, &channels, 4);
        exceeded = t_budget.exceeded;
        if (!pixels) reason = failure_reason();
    }
    if (!pixels && exceeded && allowance < estimate)
        throw InputError("decoding the " + dims(info) + " image needs more than the decoding budget of " +
                         byte_size_text(allowance));
    if (!pixels && exceeded)
        throw InputError("decoding the image needs more than " + byte_size_text(allowance) + ", more than a " +
                         dims(info) + " image can: the file is corrupt or hostile");
    if (!pixels) throw InputError("cannot decode the image: " + reason);
    if (w != info.width || h != info.height) {
        stbi_image_free(pixels);
        throw InputError("cannot decode the image: its size changed while decoding (corrupt header)");
    }
    Image img;
    img.width = w;
    img.height = h;
    img.rgb.resize(size_t(w) * h * 3);
    for (size_t i = 0; i < size_t(w) * h; ++i) {
        const float a = pixels[4 * i + 3] / 255.0f;
        for (int c = 0; c < 3; ++c)
            img.rgb[3 * i + c] = uint8_t(std::lround(pixels[4 * i + c] * a + 255.0f * (1.0f - a)));
    }
    stbi_image_free(pixels);
    return img;
}

Image load_image(const std::string& path, const ImageLimits& limits) {
    const std::string bytes = read_file(path, "image", kMaxImageBytes);
    try {
        return decode_image(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), limits);
    } catch (const InputError& e) {
        throw InputError("'" + path + "': " + e.what());
    }
}

std::vector<float> resized_planes(const Image& image, int height, int width) {
    const size_t src = size_t(image.width) * image.height, dst = size_t(width) * height;
    std::vector<float> plane(src), out(3 * dst);
    BilinearResizer resize(image.height, image.width, height, width);
    for (int c = 0; c < 3; ++c) {
        for (size_t i = 0; i < src; ++i) plane[i] = image.rgb[3 * i + c];
        resize(plane.data(), &out[c * dst]);
    }
    return out;
}

Image resize_image(const Image& image, int width, int height) {
    const std::vector<float> planes = resized_planes(image, height, width);
    const size_t n = size_t(width) * height;
    Image out;
    out.width = width;
    out.height = height;
    out.rgb.resize(3 * n);
    for (size_t i = 0; i < n; ++i)
        for (int c = 0; c < 3; ++c) out.rgb[3 * i + c] = uint8_t(std::lround(std::clamp(planes[c * n + i], 0.0f, 255.0f)));
    return out;
}

}  // namespace iscam
