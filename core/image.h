#pragma once
// Decoding images (stb_image) and resizing them.
#include <cstdint>
#include <string>
#include <vector>

namespace iscam {

// 8-bit RGB, row-major, 3 bytes a pixel (grey is expanded, alpha is composited on white).
struct Image {
    int width = 0, height = 0;
    std::vector<uint8_t> rgb;
};

// PNG, JPEG, BMP, GIF (first frame), ... Throws InputError on anything it cannot decode.
Image decode_image(const uint8_t* data, size_t size);
Image load_image(const std::string& path);

// Three float planes (R, G, B; 0..255) of the image, bilinear-resized (half-pixel) to height×width.
std::vector<float> resized_planes(const Image& image, int height, int width);

// Bilinear resize of an RGB image, for overlays at the image's own size.
Image resize_image(const Image& image, int width, int height);

}  // namespace iscam
