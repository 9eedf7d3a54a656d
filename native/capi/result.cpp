// The C API: reading a result, upsampling and colouring its maps, writing PNGs.
#include <algorithm>

#include "colormap.h"
#include "errors.h"
#include "result.h"
#include "result_json.h"

using namespace iscam;
using namespace iscam::capi;

namespace {

const CamResult& map_of(const iscam_result* r, unsigned method) {
    require(r, "result");
    const auto it = std::find(r->methods.begin(), r->methods.end(), method);
    if (it == r->methods.end())
        throw ArgumentError("method " + std::to_string(method) + " is not in this result (iscam_result_method_at)");
    return r->maps[size_t(it - r->methods.begin())];
}

void check_size(int width, int height, size_t given, size_t per_pixel, const char* what) {
    if (width <= 0 || height <= 0) throw ArgumentError("width and height must be positive");
    if (width > 65536 || height > 65536) throw ArgumentError("width and height must be at most 65536");
    const size_t expected = size_t(width) * size_t(height) * per_pixel;
    if (given != expected)
        throw ArgumentError(std::string(what) + " is " + std::to_string(given) + " but " + std::to_string(width) + "×" +
                            std::to_string(height) + " needs " + std::to_string(expected));
}

Colormap colormap_of(const iscam_overlay_params& p) {
    if (p.colormap < ISCAM_COLORMAP_JET || p.colormap > ISCAM_COLORMAP_GRAY) throw ArgumentError("unknown colormap");
    if (!(p.alpha >= 0.0f && p.alpha <= 1.0f)) throw ArgumentError("alpha must be between 0 and 1");
    constexpr Colormap kMaps[] = {Colormap::Jet, Colormap::Turbo, Colormap::Viridis, Colormap::Inferno, Colormap::Gray};
    return kMaps[p.colormap];
}

Image heatmap(const CamResult& m, const iscam_overlay_params& p, int width, int height) {
    return colorize(m.map, m.height, m.width, width, height, colormap_of(p));
}

void copy_out(const Image& img, uint8_t* out) { std::copy(img.rgb.begin(), img.rgb.end(), out); }

}  // namespace

extern "C" {

size_t iscam_result_n_methods(const iscam_result* r) {
    return guarded_value<size_t>(__func__, 0, [&] { return require(r, "result")->methods.size(); });
}

unsigned iscam_result_method_at(const iscam_result* r, size_t index) {
    return guarded_value<unsigned>(__func__, 0, [&] {
        if (index >= require(r, "result")->methods.size()) throw ArgumentError("index is out of range");
        return r->methods[index];
    });
}

const char* iscam_method_name(unsigned method) {
    for (Method m : all_methods())  // ISCAM_METHOD_* is mask_of (tests/test_method_table.cpp)
        if (mask_of(m) == method) return method_name(m);
    return guarded_value<const char*>(__func__, nullptr, []() -> const char* { throw ArgumentError("not one method bit"); });
}

int iscam_result_class(const iscam_result* r) {
    return guarded_value(__func__, -1, [&] { return require(r, "result")->run.class_index; });
}

const char* iscam_result_class_label(const iscam_result* r) {
    return guarded_value<const char*>(__func__, nullptr, [&] { return require(r, "result")->class_label.c_str(); });
}

const char* iscam_result_layer(const iscam_result* r) {
    return guarded_value<const char*>(__func__, nullptr, [&] { return require(r, "result")->layer.c_str(); });
}

float iscam_result_class_score(const iscam_result* r) {
    return guarded_value(__func__, 0.0f, [&] { return require(r, "result")->run.baseline; });
}

int iscam_result_contrast_class(const iscam_result* r) {
    return guarded_value(__func__, -1, [&] { return require(r, "result")->run.contrast_class; });
}

int iscam_result_map_height(const iscam_result* r) {
    return guarded_value(__func__, 0, [&] { return require(r, "result")->run.explainer->shapes().h; });
}

int iscam_result_map_width(const iscam_result* r) {
    return guarded_value(__func__, 0, [&] { return require(r, "result")->run.explainer->shapes().w; });
}

const float* iscam_result_map(const iscam_result* r, unsigned method) {
    return guarded_value<const float*>(__func__, nullptr, [&] { return map_of(r, method).map.data(); });
}

size_t iscam_result_n_channels(const iscam_result* r) {
    return guarded_value<size_t>(__func__, 0, [&] { return size_t(require(r, "result")->run.explainer->shapes().K); });
}

const float* iscam_result_weights(const iscam_result* r, unsigned method) {
    return guarded_value<const float*>(__func__, nullptr, [&] { return map_of(r, method).weights.data(); });
}

const float* iscam_result_scores(const iscam_result* r, unsigned method) {
    return guarded_value<const float*>(__func__, nullptr, [&] { return map_of(r, method).scores.data(); });
}

size_t iscam_result_forward_passes(const iscam_result* r, unsigned method) {
    return guarded_value<size_t>(__func__, 0, [&] { return map_of(r, method).forward_passes; });
}

size_t iscam_result_total_forward_passes(const iscam_result* r) {
    return guarded_value<size_t>(__func__, 0, [&] { return require(r, "result")->run.forward_passes; });
}

iscam_timings iscam_result_timings(const iscam_result* r) {
    return guarded_value(__func__, iscam_timings{0, 0, 0}, [&] {
        const ExplainRun& run = require(r, "result")->run;
        return iscam_timings{run.inference_ms, run.total_ms - run.inference_ms, run.total_ms};
    });
}

const char* iscam_result_json(iscam_result* r) {
    return guarded_value<const char*>(__func__, nullptr, [&] {
        require(r, "result");
        std::call_once(r->json_made, [r] {
            ResultContext ctx;
            ctx.model = r->model;
            ctx.layer = r->layer;
            ctx.class_index = r->run.class_index;
            ctx.class_label = r->class_label;
            ctx.total_forward_passes = r->run.forward_passes;
            ctx.contrast_class = r->run.contrast_class;
            ctx.contrast_label = r->contrast_label;
            nlohmann::json j = run_json(*r->run.explainer, ctx);
            set_timings(j, r->run.inference_ms, r->run.total_ms - r->run.inference_ms);
            r->json = j.dump();
        });
        return r->json.c_str();
    });
}

int iscam_result_image_width(const iscam_result* r) {
    return guarded_value(__func__, 0, [&] { return require(r, "result")->image ? r->image->width : 0; });
}

int iscam_result_image_height(const iscam_result* r) {
    return guarded_value(__func__, 0, [&] { return require(r, "result")->image ? r->image->height : 0; });
}

iscam_status iscam_result_upsampled_map(const iscam_result* r, unsigned method, int width, int height, float* out,
                                        size_t out_count) {
    return guarded(__func__, [&] {
        const CamResult& m = map_of(r, method);
        require(out, "out");
        check_size(width, height, out_count, 1, "out_count");
        BilinearResizer(m.height, m.width, height, width)(m.map.data(), out);
    });
}

iscam_overlay_params iscam_default_overlay_params(void) { return {ISCAM_COLORMAP_JET, 0.5f}; }

iscam_status iscam_result_heatmap(const iscam_result* r, unsigned method, iscam_overlay_params params, int width,
                                  int height, uint8_t* out, size_t out_size) {
    return guarded(__func__, [&] {
        const CamResult& m = map_of(r, method);
        require(out, "out");
        check_size(width, height, out_size, 3, "out_size");
        copy_out(heatmap(m, params, width, height), out);
    });
}

iscam_status iscam_result_overlay(const iscam_result* r, unsigned method, iscam_overlay_params params, int width,
                                  int height, uint8_t* out, size_t out_size) {
    return guarded(__func__, [&] {
        const CamResult& m = map_of(r, method);
        require(out, "out");
        check_size(width, height, out_size, 3, "out_size");
        if (!r->image) throw ArgumentError("the result was explained from a tensor: there is no image to draw on");
        const Image& img = *r->image;
        const Image base = img.width == width && img.height == height ? img : resize_image(img, width, height);
        copy_out(blend(base, heatmap(m, params, width, height), params.alpha), out);
    });
}

iscam_status iscam_write_png(const char* path, const uint8_t* rgb, size_t rgb_size, int width, int height) {
    return guarded(__func__, [&] {
        require(path, "path");
        require(rgb, "rgb");
        check_size(width, height, rgb_size, 3, "rgb_size");
        write_png(path, Image{width, height, std::vector<uint8_t>(rgb, rgb + rgb_size)});
    });
}

}  // extern "C"
