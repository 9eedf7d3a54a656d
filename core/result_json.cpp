#include "result_json.h"

#include <cmath>

namespace iscam {

namespace {

nlohmann::json numbers_or_null(const std::vector<float>& v) {
    nlohmann::json a = nlohmann::json::array();
    for (float x : v) a.push_back(std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr));
    return a;
}

nlohmann::json options_json(Method m, const ExplainOptions& o, size_t layer_channels) {
    nlohmann::json j = {{"shortcuts", o.shortcuts}};
    if (o.channels > 0) {
        j["fast_mode"] = {{"channels", o.channels}, {"criterion", select_name(o.select)}};
        if (o.select == ChannelSelect::Screen) j["fast_mode"]["screened"] = screened_channels(o, layer_channels);
    }
    const nlohmann::json own = method_options_json(m, o);
    if (!own.is_null()) j.update(own);
    return j;
}

// The contrast class, only in a contrastive result: other documents stay as they were.
nlohmann::json with_contrast(nlohmann::json j, const ResultContext& ctx) {
    if (ctx.contrast_class >= 0) {
        j["contrast_class"] = ctx.contrast_class;
        j["contrast_label"] = ctx.contrast_label;
    }
    return j;
}

}  // namespace

nlohmann::json method_options_json(Method m, const ExplainOptions& o) {
    const MethodSpec& spec = method_spec(m);
    nlohmann::json j;
    if (spec.samples) j["samples"] = o.*spec.samples;
    if (spec.kind == PassKind::Noised) {
        j["sigma"] = o.sscam_sigma;
        j["seed"] = o.seed;
    }
    return j;
}

nlohmann::json result_json(const CamResult& r, const Explainer& ex, const ResultContext& ctx) {
    nlohmann::json map = nlohmann::json::array();
    for (int y = 0; y < r.height && !r.map.empty(); ++y)
        map.push_back(std::vector<float>(r.map.begin() + size_t(y) * r.width, r.map.begin() + size_t(y + 1) * r.width));
    return {{"method", method_name(r.method)},
            {"model", ctx.model},
            {"layer", ctx.layer},
            {"class", ctx.class_index},
            {"class_label", ctx.class_label},
            {"map_shape", {r.height, r.width}},
            {"map", map},
            {"weights", numbers_or_null(r.weights)},
            {"scores", numbers_or_null(r.scores)},
            {"channels", ex.shapes().K},
            {"channels_skipped", ex.channels_skipped()},
            {"constant_channels_shared", ex.constant_channels()},
            {"channels_scored", r.channels_scored},
            {"channels_predicted", r.channels_predicted},
            {"forward_passes", r.forward_passes},
            {"options", options_json(r.method, ex.options(), size_t(ex.shapes().K))}};
}

nlohmann::json run_json(const Explainer& ex, const ResultContext& ctx) {
    if (ex.methods().size() == 1) {
        nlohmann::json j = result_json(ex.result(ex.methods()[0]), ex, ctx);
        j["total_forward_passes"] = ctx.total_forward_passes;
        return with_contrast(j, ctx);
    }
    nlohmann::json results = nlohmann::json::array();
    for (Method m : ex.methods()) results.push_back(with_contrast(result_json(ex.result(m), ex, ctx), ctx));
    return with_contrast({{"model", ctx.model},
                          {"layer", ctx.layer},
                          {"class", ctx.class_index},
                          {"class_label", ctx.class_label},
                          {"total_forward_passes", ctx.total_forward_passes},
                          {"results", results}},
                         ctx);
}

void set_timings(nlohmann::json& j, double inference_ms, double other_ms) {
    const nlohmann::json t = {{"inference", inference_ms}, {"other", other_ms}, {"total", inference_ms + other_ms}};
    j["timings_ms"] = t;
    if (j.contains("results"))
        for (auto& r : j["results"]) r["timings_ms"] = t;
}

}  // namespace iscam
