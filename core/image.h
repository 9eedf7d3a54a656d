#pragma once
// Decoding images (stb_image) within budgets, and resizing them.
#include <cstdint>
#include <string>
#include <vector>

namespace iscam {

// 8-bit RGB, row-major, 3 bytes a pixel (grey is expanded, alpha is composited on white).
struct Image {
    int width = 0, height = 0;
    std::vector<uint8_t> rgb;
};

// What the header says, read without decoding the pixels.
struct ImageInfo {
    std::string format;  // "PNG", "JPEG", "BMP" or "GIF"
    int width = 0, height = 0;
    int channels = 0;          // in the file: 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA
    bool sixteen_bit = false;  // 16 bits a channel (PNG)
    uint64_t pixels() const { return uint64_t(width) * uint64_t(height); }
};

// Budgets that refuse images which would exhaust memory (decompression bombs, absurd headers).
struct ImageLimits {
    uint64_t max_pixels = 64'000'000;                   // width × height, from the header
    uint64_t max_decode_bytes = uint64_t(2) << 30;      // the decoder's memory at its peak
};

// The formats compiled in: PNG, JPEG, BMP and GIF (first frame), what people bring. The others
// stb_image knows (PSD, PNM, TGA, HDR, PIC) are left out: rarely wanted here and less exercised
// (its 16-bit PGM/PPM path over-reads in 2.27). Throws InputError when the header is not one of them.
ImageInfo measure_image(const uint8_t* data, size_t size);
// Throws InputError when an image of `info` is over `limits`.
void check_image_limits(const ImageInfo& info, const ImageLimits& limits);

// Measures, checks the limits, then decodes. Throws InputError on anything it cannot decode
// or that would need more than the budget.
Image decode_image(const uint8_t* data, size_t size, const ImageLimits& limits = {});
Image load_image(const std::string& path, const ImageLimits& limits = {});

// Three float planes (R, G, B; 0..255) of the image, bilinear-resized (half-pixel) to height×width.
std::vector<float> resized_planes(const Image& image, int height, int width);

// Bilinear resize of an RGB image, for overlays at the image's own size.
Image resize_image(const Image& image, int width, int height);

}  // namespace iscam
