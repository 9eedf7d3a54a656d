// Images for the page: decoding, preprocessing (the CLI's, byte for byte), colour maps, overlays, PNG.
#include "colormap.h"
#include "js_interop.h"
#include "preprocess.h"

using emscripten::val;
using namespace iscam::js;

namespace iscam {
namespace {

val decode(const val& bytes) {
    return guarded([&] {
        const std::string b = to_bytes(bytes);
        return to_js(decode_image(reinterpret_cast<const uint8_t*>(b.data()), b.size()));
    });
}

// {format, width, height, channels} from the header alone, so the page can refuse or downsize
// a large image before decoding it. Throws InputError for a format the core does not read
// ("not a PNG, JPEG, BMP or GIF image") or a header it cannot read.
val measure(const val& bytes) {
    return guarded([&] {
        const std::string b = to_bytes(bytes);
        const ImageInfo info = measure_image(reinterpret_cast<const uint8_t*>(b.data()), b.size());
        val out = val::object();
        out.set("format", info.format);
        out.set("width", info.width);
        out.set("height", info.height);
        out.set("channels", info.channels);
        return out;
    });
}

Preprocess preprocess_from_js(const val& p) {
    Preprocess out;
    out.height = p["height"].as<int>();
    out.width = p["width"].as<int>();
    out.gray = p["gray"].as<bool>();
    const std::vector<float> mean = to_vector<float>(p["mean"]), std = to_vector<float>(p["std"]);
    if (mean.size() != 3 || std.size() != 3) throw InputError("mean and std need three values each");
    std::copy(mean.begin(), mean.end(), out.mean.begin());
    std::copy(std.begin(), std.end(), out.std.begin());
    // Optional: keep the aspect ratio and cut the centre out; B, G, R order.
    if (p["centerCrop"].isTrue()) out.center_crop = true;
    if (p["shorterSide"].isNumber()) out.shorter_side = p["shorterSide"].as<int>();
    if (p["bgr"].isTrue()) out.bgr = true;
    return out;
}

// {shape: [1, C, H, W], data: Float32Array}: the CLI's preprocessing, byte for byte.
val input_tensor(const val& image, const val& preprocess) {
    return guarded([&] {
        const Tensor t = to_input_tensor(image_from_js(image), preprocess_from_js(preprocess));
        val out = val::object();
        val shape = val::array();
        for (int64_t d : t.shape) shape.call<void>("push", double(d));
        out.set("shape", shape);
        out.set("data", to_typed_array("Float32Array", t.data.data(), t.data.size()));
        return out;
    });
}

// The part of the image the input shows (the centre crop, or all of it): overlays go on it.
val input_region_of(const val& image, const val& preprocess) {
    return guarded([&] { return to_js(iscam::input_region(image_from_js(image), preprocess_from_js(preprocess))); });
}

// {mean, std} of a named preset (imagenet, unit, symmetric, pixels).
val preset(const std::string& name) {
    return guarded([&] {
        const Preprocess p = preprocess_preset(name, Preprocess{});
        val out = val::object();
        out.set("mean", val::global("Array").call<val>("from", to_typed_array("Float32Array", p.mean.data(), 3)));
        out.set("std", val::global("Array").call<val>("from", to_typed_array("Float32Array", p.std.data(), 3)));
        return out;
    });
}

val resize(const val& image, int width, int height) {
    return guarded([&] {
        if (width < 1 || height < 1) throw InputError("cannot resize an image to no pixels");
        return to_js(resize_image(image_from_js(image), width, height));
    });
}

// The map upsampled to the image, coloured and blended with weight alpha: the CLI's overlay.
val overlay(const val& map, int h, int w, const val& image, const std::string& colormap, float alpha) {
    return guarded([&] {
        const std::vector<float> m = to_vector<float>(map);
        if (h < 1 || w < 1 || m.size() != size_t(h) * w) throw InputError("the map's size does not match h×w");
        const Image base = image_from_js(image);
        return to_js(blend(base, colorize(m, h, w, base.width, base.height, colormap_from(colormap)), alpha));
    });
}

// RGBA for ImageData.
val image_rgba(const val& image) {
    return guarded([&] {
        const Image im = image_from_js(image);
        std::vector<uint8_t> rgba(size_t(im.width) * im.height * 4, 255);
        for (size_t i = 0, n = size_t(im.width) * im.height; i < n; ++i)
            for (int c = 0; c < 3; ++c) rgba[4 * i + c] = im.rgb[3 * i + c];
        return to_typed_array("Uint8ClampedArray", rgba.data(), rgba.size());
    });
}

// n×1 RGBA samples of a colour map from 0 to 1, for a legend.
val colormap_strip(const std::string& colormap, int n) {
    return guarded([&] {
        const Colormap c = colormap_from(colormap);
        std::vector<uint8_t> rgba(size_t(n) * 4, 255);
        for (int i = 0; i < n; ++i) colormap_rgb(c, n > 1 ? float(i) / float(n - 1) : 0.0f, &rgba[4 * size_t(i)]);
        return to_typed_array("Uint8ClampedArray", rgba.data(), rgba.size());
    });
}

val colormap_names() {
    std::vector<std::string> names;
    for (Colormap c : {Colormap::Jet, Colormap::Turbo, Colormap::Viridis, Colormap::Inferno, Colormap::Gray})
        names.push_back(colormap_name(c));
    return strings_to_js(names);
}

// PNG bytes of images laid side by side (one image: just that image).
val png_side_by_side(const val& images) {
    return guarded([&] {
        std::vector<Image> list;
        const size_t n = images["length"].as<size_t>();
        for (size_t i = 0; i < n; ++i) list.push_back(image_from_js(images[i]));
        const std::vector<uint8_t> png = encode_png(list.size() == 1 ? list[0] : side_by_side(list));
        return to_typed_array("Uint8Array", png.data(), png.size());
    });
}

}  // namespace
}  // namespace iscam

EMSCRIPTEN_BINDINGS(iscam_image) {
    using namespace emscripten;
    using namespace iscam;
    function("measureImage", &measure);
    function("decodeImage", &decode);
    function("inputTensor", &input_tensor);
    function("inputRegion", &input_region_of);
    function("preprocessPreset", &preset);
    function("resizeImage", &resize);
    function("overlayImage", &overlay);
    function("imageRgba", &image_rgba);
    function("colormapStrip", &colormap_strip);
    function("colormapNames", &colormap_names);
    function("pngSideBySide", &png_side_by_side);
}
