#include "image.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>

#include "error.h"
#include "resample.h"

#define STB_IMAGE_IMPLEMENTATION
#define STBI_FAILURE_USERMSG
#include <stb_image.h>

namespace iscam {

Image decode_image(const uint8_t* data, size_t size) {
    if (size == 0) throw InputError("the image file is empty");
    if (size > size_t(1) << 30) throw InputError("the image file is larger than 1 GiB");
    int w = 0, h = 0, channels = 0;
    stbi_uc* pixels = stbi_load_from_memory(data, int(size), &w, &h, &channels, 4);
    if (!pixels) throw InputError(std::string("cannot decode the image: ") + stbi_failure_reason());
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

Image load_image(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError("cannot open image '" + path + "'");
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    try {
        return decode_image(bytes.data(), bytes.size());
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
