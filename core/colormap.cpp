#include "colormap.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>

#include "error.h"
#include "resample.h"

#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image_write.h>

namespace iscam {

namespace {

using Stop = std::array<float, 3>;

// Piecewise-linear tables sampled from matplotlib's colormaps (viridis, inferno) and
// Google's Turbo; a dozen stops keep the table short and the error invisible in a heatmap.
const std::vector<Stop> kTurbo = {{0.190f, 0.072f, 0.232f}, {0.275f, 0.420f, 0.892f}, {0.158f, 0.735f, 0.923f},
                                  {0.212f, 0.949f, 0.529f}, {0.640f, 0.990f, 0.234f}, {0.938f, 0.800f, 0.228f},
                                  {0.985f, 0.495f, 0.130f}, {0.832f, 0.201f, 0.024f}, {0.480f, 0.016f, 0.011f}};
const std::vector<Stop> kViridis = {{0.267f, 0.005f, 0.329f}, {0.283f, 0.141f, 0.458f}, {0.254f, 0.265f, 0.530f},
                                    {0.207f, 0.372f, 0.553f}, {0.164f, 0.471f, 0.558f}, {0.128f, 0.567f, 0.551f},
                                    {0.135f, 0.659f, 0.518f}, {0.267f, 0.749f, 0.441f}, {0.478f, 0.821f, 0.318f},
                                    {0.741f, 0.873f, 0.150f}, {0.993f, 0.906f, 0.144f}};
const std::vector<Stop> kInferno = {{0.001f, 0.000f, 0.014f}, {0.122f, 0.047f, 0.283f}, {0.335f, 0.060f, 0.428f},
                                    {0.533f, 0.134f, 0.416f}, {0.729f, 0.213f, 0.333f}, {0.893f, 0.344f, 0.195f},
                                    {0.981f, 0.548f, 0.035f}, {0.973f, 0.788f, 0.191f}, {0.988f, 0.998f, 0.645f}};

constexpr uint64_t kMaxPngRowBytes = uint64_t(512) << 20;

Stop interpolate(const std::vector<Stop>& t, float v) {
    const float x = v * float(t.size() - 1);
    const size_t i = std::min(size_t(x), t.size() - 2);
    const float f = x - float(i);
    return {t[i][0] + f * (t[i + 1][0] - t[i][0]), t[i][1] + f * (t[i + 1][1] - t[i][1]),
            t[i][2] + f * (t[i + 1][2] - t[i][2])};
}

Stop jet(float v) {
    auto ramp = [](float x) { return std::clamp(1.5f - std::fabs(x), 0.0f, 1.0f); };
    return {ramp(4 * v - 3), ramp(4 * v - 2), ramp(4 * v - 1)};
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
    Stop s;
    switch (c) {
        case Colormap::Jet: s = jet(v); break;
        case Colormap::Turbo: s = interpolate(kTurbo, v); break;
        case Colormap::Viridis: s = interpolate(kViridis, v); break;
        case Colormap::Inferno: s = interpolate(kInferno, v); break;
        default: s = {v, v, v};
    }
    for (int i = 0; i < 3; ++i) rgb[i] = uint8_t(std::lround(s[i] * 255.0f));
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
