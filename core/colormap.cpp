#include "colormap.h"

#include <algorithm>
#include <cmath>
#include <fstream>

#include "error.h"
#include "resample.h"

#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image_write.h>

namespace iscam {

namespace {

#include "colormap_tables.inc"

constexpr uint64_t kMaxPngRowBytes = uint64_t(512) << 20;

// Linear between the 256 entries, so that v = i/255 gives entry i exactly.
void lookup(const uint8_t (&t)[256][3], float v, uint8_t rgb[3]) {
    const float x = v * 255.0f;
    const int i = std::min(int(x), 254);
    const float f = x - float(i);
    for (int ch = 0; ch < 3; ++ch) rgb[ch] = uint8_t(std::lround(float(t[i][ch]) + f * float(t[i + 1][ch] - t[i][ch])));
}

}  // namespace

std::optional<Colormap> parse_colormap(const std::string& name) {
    for (Colormap c : {Colormap::Jet, Colormap::Turbo, Colormap::Viridis, Colormap::Inferno, Colormap::Gray})
        if (name == colormap_name(c)) return c;
    return std::nullopt;
}

const char* colormap_name(Colormap c) {
    switch (c) {
        case Colormap::Jet: return "jet";
        case Colormap::Turbo: return "turbo";
        case Colormap::Viridis: return "viridis";
        case Colormap::Inferno: return "inferno";
        case Colormap::Gray: return "gray";
    }
    return "?";
}

void colormap_rgb(Colormap c, float v, uint8_t rgb[3]) {
    v = std::isfinite(v) ? std::clamp(v, 0.0f, 1.0f) : 0.0f;
    switch (c) {
        case Colormap::Jet: return lookup(kJet, v, rgb);
        case Colormap::Turbo: return lookup(kTurbo, v, rgb);
        case Colormap::Viridis: return lookup(kViridis, v, rgb);
        case Colormap::Inferno: return lookup(kInferno, v, rgb);
        case Colormap::Gray: break;
    }
    rgb[0] = rgb[1] = rgb[2] = uint8_t(std::lround(v * 255.0f));
}

Image colorize(const std::vector<float>& map, int h, int w, int width, int height, Colormap c) {
    std::vector<float> up(size_t(width) * height);
    BilinearResizer(h, w, height, width)(map.data(), up.data());
    Image out;
    out.width = width;
    out.height = height;
    out.rgb.resize(3 * up.size());
    for (size_t i = 0; i < up.size(); ++i) colormap_rgb(c, up[i], &out.rgb[3 * i]);
    return out;
}

Image blend(const Image& image, const Image& heat, float alpha) {
    Image out = image;
    for (size_t i = 0; i < out.rgb.size(); ++i)
        out.rgb[i] = uint8_t(std::lround((1.0f - alpha) * image.rgb[i] + alpha * heat.rgb[i]));
    return out;
}

Image side_by_side(const std::vector<Image>& images, int gap) {
    Image out;
    for (const Image& im : images) {
        out.width += im.width;
        out.height = std::max(out.height, im.height);
    }
    if (images.size() > 1) out.width += gap * int(images.size() - 1);
    out.rgb.assign(size_t(out.width) * out.height * 3, 255);
    int x0 = 0;
    for (const Image& im : images) {
        for (int y = 0; y < im.height; ++y)
            std::copy_n(&im.rgb[size_t(y) * im.width * 3], size_t(im.width) * 3, &out.rgb[(size_t(y) * out.width + x0) * 3]);
        x0 += im.width + gap;
    }
    return out;
}

std::vector<uint8_t> encode_png(const Image& image) {
    // stb_image_write sizes its filtered rows, (3W + 1)·H bytes, and its growing zlib buffer in
    // int: far below 2³¹ keeps both from overflowing.
    if ((3 * uint64_t(image.width) + 1) * uint64_t(image.height) > kMaxPngRowBytes)
        throw InputError("a " + std::to_string(image.width) + "×" + std::to_string(image.height) +
                         " PNG is too large to write (at most " + std::to_string(kMaxPngRowBytes >> 20) +
                         " MiB of pixel rows)");
    if (image.width < 1 || image.height < 1 || image.rgb.size() != size_t(image.width) * image.height * 3)
        throw std::logic_error("encode_png: the image's size does not match its pixels");
    std::vector<uint8_t> bytes;
    auto append = [](void* ctx, void* data, int size) {
        auto* out = static_cast<std::vector<uint8_t>*>(ctx);
        out->insert(out->end(), static_cast<uint8_t*>(data), static_cast<uint8_t*>(data) + size);
    };
    if (!stbi_write_png_to_func(append, &bytes, image.width, image.height, 3, image.rgb.data(), image.width * 3))
        throw std::runtime_error("PNG encoding failed");
    return bytes;
}

void write_png(const std::string& path, const Image& image) {
    const std::vector<uint8_t> bytes = encode_png(image);
    std::ofstream out(path, std::ios::binary);
    if (!out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size())))
        throw InputError("cannot write '" + path + "'");
}

}  // namespace iscam
