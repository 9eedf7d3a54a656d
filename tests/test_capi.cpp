// The C API (iscam/iscam.h) on the bundled model, as a program linked to libiscam sees it: what
// each call gives, that its maps are the engine's (the PyTorch reference), and that every misuse
// is an error status with a message, never a crash.
#include <catch2/catch.hpp>
#include <iscam/iscam.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#include <stb/stb_image.h>

#include "capi_test_support.h"

namespace {

struct Context {
    iscam_context* ctx = nullptr;
    explicit Context(iscam_context_params p = iscam_default_context_params(), const std::string& path = bundled_model()) {
        REQUIRE(iscam_init_from_file(path.c_str(), p, &ctx) == ISCAM_OK);
    }
    ~Context() { iscam_free(ctx); }
    operator iscam_context*() const { return ctx; }
};

struct Result {
    iscam_result* r = nullptr;
    ~Result() { iscam_result_free(r); }
    operator iscam_result*() const { return r; }
};

struct Rgb {
    int width = 0, height = 0;
    std::vector<uint8_t> pixels;
};

Rgb decode(const std::string& path) {
    Rgb img;
    int channels = 0;
    stbi_uc* p = stbi_load(path.c_str(), &img.width, &img.height, &channels, 3);
    REQUIRE(p);
    img.pixels.assign(p, p + size_t(img.width) * img.height * 3);
    stbi_image_free(p);
    return img;
}

iscam_explain_params quick(unsigned methods) {
    iscam_explain_params p = iscam_default_explain_params();
    p.methods = methods;
    p.sscam_samples = 4;
    p.iscam_samples = 4;
    return p;
}

std::vector<float> map_of(const iscam_result* r, unsigned method) {
    const float* m = iscam_result_map(r, method);
    REQUIRE(m);
    return std::vector<float>(m, m + size_t(iscam_result_map_height(r)) * iscam_result_map_width(r));
}

bool has_message() { return std::string(iscam_last_error()).size() > 0; }

}  // namespace

TEST_CASE("C API: version and defaults") {
    CHECK(std::string(iscam_version()) == "0.4.0");
    CHECK(iscam_version_number() == ISCAM_VERSION_MAJOR * 10000 + ISCAM_VERSION_MINOR * 100 + ISCAM_VERSION_PATCH);
    const iscam_context_params c = iscam_default_context_params();
    CHECK(c.threads == 0);
    CHECK(c.device == ISCAM_DEVICE_CPU);
    CHECK(c.sidecar_path == nullptr);
    CHECK(c.max_image_pixels == 64000000u);
    const iscam_explain_params e = iscam_default_explain_params();
    CHECK(e.methods == ISCAM_METHOD_ISCAM);
    CHECK(e.layer == nullptr);
    CHECK(e.class_index == -1);
    CHECK(e.sscam_samples == 35);
    CHECK(e.iscam_samples == 10);
    CHECK(e.sscam_sigma == 2.0f);
    CHECK(e.shortcuts);
    CHECK(e.channels == 0);
    CHECK(e.batch == 32);
    CHECK(e.memory_budget == 0);
    CHECK(e.progress == nullptr);
    CHECK(std::string(iscam_status_name(ISCAM_ERROR_CANCELLED)) == "cancelled");
    CHECK(std::string(iscam_method_name(ISCAM_METHOD_SSCAM)) == "sscam");
}

TEST_CASE("C API: a context from a file applies the model's sidecar") {
    Context ctx;
    int64_t shape[4];
    REQUIRE(iscam_input_shape(ctx, shape) == ISCAM_OK);
    CHECK(std::vector<int64_t>(shape, shape + 4) == std::vector<int64_t>{1, 1, 28, 28});
    size_t classes = 0;
    REQUIRE(iscam_class_count(ctx, &classes) == ISCAM_OK);
    CHECK(classes == 10);
    CHECK(std::string(iscam_class_label(ctx, 9)) == "Ankle boot");

    size_t n = 0;
    REQUIRE(iscam_layer_count(ctx, &n) == ISCAM_OK);
    REQUIRE(n >= 4);
    iscam_layer last;
    REQUIRE(iscam_layer_at(ctx, n - 1, &last) == ISCAM_OK);
    CHECK(std::string(last.op_type) == "MaxPool");
    CHECK((last.channels == 64 && last.height == 7 && last.width == 7));
    const char* def = nullptr;
    REQUIRE(iscam_default_layer(ctx, &def) == ISCAM_OK);
    CHECK(std::string(def) == last.name);
}

TEST_CASE("C API: predict gives the top-k classes, most probable first") {
    Context ctx;
    iscam_prediction top[3];
    size_t n = 0;
    REQUIRE(iscam_predict_file(ctx, ankle_boot().c_str(), 3, top, &n) == ISCAM_OK);
    REQUIRE(n == 3);
    CHECK(top[0].class_index == 9);
    CHECK(std::string(top[0].label) == "Ankle boot");
    CHECK(top[0].probability > 0.9f);
    CHECK((top[0].probability >= top[1].probability && top[1].probability >= top[2].probability));
    CHECK(top[0].logit > top[1].logit);

    std::vector<iscam_prediction> all(20);
    REQUIRE(iscam_predict_file(ctx, ankle_boot().c_str(), all.size(), all.data(), &n) == ISCAM_OK);
    CHECK(n == 10);
    double sum = 0;
    for (size_t i = 0; i < n; ++i) sum += all[i].probability;
    CHECK(sum == Approx(1.0).margin(1e-5));
}

TEST_CASE("C API: a context from bytes takes the sidecar by path, and predicts as from the file") {
    const std::string bytes = file_bytes(bundled_model());
    const std::string sidecar = source_path("web/models/fashion-cnn.json");
    iscam_context_params p = iscam_default_context_params();
    p.sidecar_path = sidecar.c_str();
    iscam_context* from_bytes = nullptr;
    REQUIRE(iscam_init_from_buffer(bytes.data(), bytes.size(), p, &from_bytes) == ISCAM_OK);
    Context from_file;
    iscam_prediction a, b;
    REQUIRE(iscam_predict_file(from_bytes, ankle_boot().c_str(), 1, &a, nullptr) == ISCAM_OK);
    REQUIRE(iscam_predict_file(from_file, ankle_boot().c_str(), 1, &b, nullptr) == ISCAM_OK);
    CHECK(a.class_index == b.class_index);
    CHECK(a.logit == b.logit);
    CHECK(std::string(a.label) == "Ankle boot");
    iscam_free(from_bytes);

    iscam_context* bare = nullptr;
    REQUIRE(iscam_init_from_buffer(bytes.data(), bytes.size(), iscam_default_context_params(), &bare) == ISCAM_OK);
    CHECK(std::string(iscam_class_label(bare, 9)).empty());  // no sidecar: no labels
    iscam_free(bare);
}

TEST_CASE("C API: the maps from a tensor agree with the PyTorch reference") {
    const auto ref = nlohmann::json::parse(file_bytes(source_path("tests/fixtures/fashion-reference.json")));
    const std::vector<float> x = npy_values(source_path("tests/fixtures/fashion-input.npy"));
    Context ctx;
    for (const auto& [name, expected] : ref["methods"].items()) {
        iscam_explain_params p = iscam_default_explain_params();
        const unsigned bits[] = {ISCAM_METHOD_SCORECAM, ISCAM_METHOD_SSCAM, ISCAM_METHOD_ISCAM};
        for (unsigned b : bits)
            if (name == iscam_method_name(b)) p.methods = b;
        p.batch = 64;
        if (name == "sscam") {
            p.sscam_samples = expected["samples"];
            p.sscam_sigma = expected["sigma"];
            p.seed = expected["seed"];
        }
        if (name == "iscam") p.iscam_samples = expected["samples"];
        const std::string layer = ref["onnx_layer"];
        p.layer = layer.c_str();
        Result r;
        REQUIRE(iscam_explain_tensor(ctx, x.data(), x.size(), p, &r.r) == ISCAM_OK);
        CHECK(iscam_result_class(r) == ref["class"].get<int>());
        std::vector<float> want;
        for (const auto& row : expected["map"])
            for (float v : row) want.push_back(v);
        const double worst = max_abs_diff(want, map_of(r, p.methods));
        INFO(name << ": max |map - reference| = " << worst);
        CHECK(worst < 1e-4);
        CHECK(iscam_result_image_width(r) == 0);
    }
}

TEST_CASE("C API: an image file and its RGB pixels give the same result") {
    Context ctx;
    const Rgb img = decode(ankle_boot());
    Result a, b;
    REQUIRE(iscam_explain_file(ctx, ankle_boot().c_str(), quick(ISCAM_METHOD_ISCAM), &a.r) == ISCAM_OK);
    REQUIRE(iscam_explain_rgb(ctx, img.pixels.data(), img.pixels.size(), img.width, img.height,
                              quick(ISCAM_METHOD_ISCAM), &b.r) == ISCAM_OK);
    CHECK(map_of(a, ISCAM_METHOD_ISCAM) == map_of(b, ISCAM_METHOD_ISCAM));
    CHECK(iscam_result_class(a) == 9);
    CHECK(std::string(iscam_result_class_label(a)) == "Ankle boot");
    CHECK(iscam_result_image_width(a) == 28);
    CHECK(iscam_result_image_height(b) == 28);
}

TEST_CASE("C API: an image file's bytes in memory give the file's result") {
    Context ctx;
    const std::string bytes = file_bytes(ankle_boot());
    Result a, b;
    REQUIRE(iscam_explain_file(ctx, ankle_boot().c_str(), quick(ISCAM_METHOD_ISCAM), &a.r) == ISCAM_OK);
    REQUIRE(iscam_explain_encoded(ctx, bytes.data(), bytes.size(), quick(ISCAM_METHOD_ISCAM), &b.r) == ISCAM_OK);
    CHECK(map_of(a, ISCAM_METHOD_ISCAM) == map_of(b, ISCAM_METHOD_ISCAM));
    CHECK(iscam_result_image_width(b) == 28);
    iscam_prediction top[3];
    size_t n = 0;
    REQUIRE(iscam_predict_encoded(ctx, bytes.data(), bytes.size(), 3, top, &n) == ISCAM_OK);
    CHECK(n == 3);
    CHECK(top[0].class_index == 9);
    CHECK(iscam_predict_encoded(ctx, nullptr, bytes.size(), 3, top, &n) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_predict_encoded(ctx, bytes.data(), 0, 3, top, &n) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_predict_encoded(ctx, bytes.data(), bytes.size() / 2, 3, top, &n) == ISCAM_ERROR_INPUT);  // torn
    iscam_result* r = nullptr;
    const std::string text = "not an image";
    CHECK(iscam_explain_encoded(ctx, text.data(), text.size(), quick(ISCAM_METHOD_ISCAM), &r) == ISCAM_ERROR_INPUT);
    CHECK(r == nullptr);
}

TEST_CASE("C API: one run computes several methods; the JSON is the CLI's document") {
    Context ctx;
    Result r;
    REQUIRE(iscam_explain_file(ctx, ankle_boot().c_str(), quick(ISCAM_METHOD_ALL), &r.r) == ISCAM_OK);
    REQUIRE(iscam_result_n_methods(r) == 3);
    const auto doc = nlohmann::json::parse(iscam_result_json(r));
    REQUIRE(doc["results"].size() == 3);
    CHECK(doc["total_forward_passes"] == iscam_result_total_forward_passes(r));
    CHECK(doc["class"] == 9);
    CHECK(doc["layer"] == iscam_result_layer(r));
    for (size_t i = 0; i < 3; ++i) {
        const unsigned m = iscam_result_method_at(r, i);
        const auto& j = doc["results"][i];
        CHECK(j["method"] == iscam_method_name(m));
        std::vector<float> from_json;
        for (const auto& row : j["map"])
            for (float v : row) from_json.push_back(v);
        CHECK(from_json == map_of(r, m));
        CHECK(j["forward_passes"] == iscam_result_forward_passes(r, m));
        const float* w = iscam_result_weights(r, m);
        REQUIRE(w);
        for (size_t k = 0; k < iscam_result_n_channels(r); ++k)
            CHECK((j["weights"][k].is_null() ? std::isnan(w[k]) : j["weights"][k].get<float>() == w[k]));
    }
    const iscam_timings t = iscam_result_timings(r);
    CHECK(t.inference_ms > 0);
    CHECK(t.total_ms == Approx(t.inference_ms + t.other_ms));
    CHECK(iscam_result_total_forward_passes(r) > iscam_result_forward_passes(r, ISCAM_METHOD_ISCAM));
}

TEST_CASE("C API: upsampled map, heatmap and overlay") {
    Context ctx;
    Result r;
    REQUIRE(iscam_explain_file(ctx, ankle_boot().c_str(), quick(ISCAM_METHOD_ISCAM), &r.r) == ISCAM_OK);
    const std::vector<float> map = map_of(r, ISCAM_METHOD_ISCAM);
    std::vector<float> up(28 * 28);
    REQUIRE(iscam_result_upsampled_map(r, ISCAM_METHOD_ISCAM, 28, 28, up.data(), up.size()) == ISCAM_OK);
    CHECK(up[0] == Approx(map[0]));           // half-pixel centres, clamped edges: corners are kept
    CHECK(up.back() == Approx(map.back()));
    for (float v : up) CHECK((v >= 0 && v <= 1));

    iscam_overlay_params o = iscam_default_overlay_params();
    std::vector<uint8_t> heat(56 * 40 * 3), over(56 * 40 * 3);
    REQUIRE(iscam_result_heatmap(r, ISCAM_METHOD_ISCAM, o, 56, 40, heat.data(), heat.size()) == ISCAM_OK);
    o.alpha = 1;
    REQUIRE(iscam_result_overlay(r, ISCAM_METHOD_ISCAM, o, 56, 40, over.data(), over.size()) == ISCAM_OK);
    CHECK(over == heat);  // fully opaque: the heatmap alone
    o.alpha = 0;
    std::vector<uint8_t> image(28 * 28 * 3);
    REQUIRE(iscam_result_overlay(r, ISCAM_METHOD_ISCAM, o, 28, 28, image.data(), image.size()) == ISCAM_OK);
    CHECK(image == decode(ankle_boot()).pixels);  // fully transparent: the image itself

    const std::string png = (std::filesystem::temp_directory_path() / "iscam-test-capi-overlay.png").string();
    REQUIRE(iscam_write_png(png.c_str(), heat.data(), heat.size(), 56, 40) == ISCAM_OK);
    int w = 0, h = 0, c = 0;
    stbi_uc* back = stbi_load(png.c_str(), &w, &h, &c, 3);
    REQUIRE(back);
    CHECK(std::vector<uint8_t>(back, back + heat.size()) == heat);
    stbi_image_free(back);
    std::filesystem::remove(png);
}

TEST_CASE("C API: one context explains many images, and a result outlives its context") {
    iscam_context* ctx = nullptr;
    REQUIRE(iscam_init_from_file(bundled_model().c_str(), iscam_default_context_params(), &ctx) == ISCAM_OK);
    Result boot, shoe, again;
    REQUIRE(iscam_explain_file(ctx, ankle_boot().c_str(), quick(ISCAM_METHOD_SCORECAM), &boot.r) == ISCAM_OK);
    REQUIRE(iscam_explain_file(ctx, sneaker().c_str(), quick(ISCAM_METHOD_SCORECAM), &shoe.r) == ISCAM_OK);
    REQUIRE(iscam_explain_file(ctx, ankle_boot().c_str(), quick(ISCAM_METHOD_SCORECAM), &again.r) == ISCAM_OK);
    iscam_free(ctx);
    CHECK(iscam_result_class(boot) == 9);
    CHECK(iscam_result_class(shoe) == 7);
    CHECK(std::string(iscam_result_class_label(shoe)) == "Sneaker");
    CHECK(map_of(boot, ISCAM_METHOD_SCORECAM) == map_of(again, ISCAM_METHOD_SCORECAM));
    CHECK(map_of(boot, ISCAM_METHOD_SCORECAM) != map_of(shoe, ISCAM_METHOD_SCORECAM));
    CHECK(nlohmann::json::parse(iscam_result_json(shoe))["class_label"] == "Sneaker");
}

namespace {
struct Progress {
    std::vector<size_t> done;
    size_t total = 0;
    size_t stop_after = SIZE_MAX;  // calls
    static bool report(size_t done, size_t total, double elapsed_s, void* self) {
        auto& p = *static_cast<Progress*>(self);
        p.done.push_back(done);
        p.total = total;
        return elapsed_s >= 0 && p.done.size() < p.stop_after;
    }
};
}  // namespace

TEST_CASE("C API: progress reports every batch, and returning false cancels") {
    Context ctx;
    Progress seen;
    iscam_explain_params p = quick(ISCAM_METHOD_ISCAM);
    p.batch = 16;
    p.progress = &Progress::report;
    p.progress_user_data = &seen;
    Result r;
    REQUIRE(iscam_explain_file(ctx, ankle_boot().c_str(), p, &r.r) == ISCAM_OK);
    REQUIRE(seen.done.size() > 2);
    CHECK(seen.done.back() == seen.total);
    CHECK(seen.total + 1 == iscam_result_total_forward_passes(r));  // + the baseline pass
    for (size_t i = 1; i < seen.done.size(); ++i) CHECK(seen.done[i] > seen.done[i - 1]);

    Progress cancel;
    cancel.stop_after = 2;
    p.progress_user_data = &cancel;
    iscam_result* none = reinterpret_cast<iscam_result*>(&cancel);  // must be reset to NULL
    CHECK(iscam_explain_file(ctx, ankle_boot().c_str(), p, &none) == ISCAM_ERROR_CANCELLED);
    CHECK(none == nullptr);
    CHECK(cancel.done.size() == 2);
    CHECK(std::string(iscam_last_error()).find("cancelled") != std::string::npos);

    Result after;  // the context is still usable
    p.progress = nullptr;
    CHECK(iscam_explain_file(ctx, ankle_boot().c_str(), p, &after.r) == ISCAM_OK);
    CHECK(map_of(after, ISCAM_METHOD_ISCAM) == map_of(r, ISCAM_METHOD_ISCAM));
}

TEST_CASE("C API: fast mode scores only the channels asked") {
    Context ctx;
    iscam_explain_params p = quick(ISCAM_METHOD_SCORECAM);
    p.channels = 8;
    Result r;
    REQUIRE(iscam_explain_file(ctx, ankle_boot().c_str(), p, &r.r) == ISCAM_OK);
    CHECK(iscam_result_forward_passes(r, ISCAM_METHOD_SCORECAM) <= 8);
}

TEST_CASE("C API: fast mode with screening screens M channels and scores K of them in full") {
    Context ctx;
    iscam_explain_params p = quick(ISCAM_METHOD_ISCAM);
    p.iscam_samples = 10;
    p.channels = 4;
    p.select = ISCAM_SELECT_SCREEN;
    p.screen_channels = 16;
    Result r;
    REQUIRE(iscam_explain_file(ctx, ankle_boot().c_str(), p, &r.r) == ISCAM_OK);
    // 16 screening passes, then 9 a channel: IS-CAM's γ_4 = 1 pass is the screening pass.
    CHECK(iscam_result_forward_passes(r, ISCAM_METHOD_ISCAM) == 16 + 4 * 9);
    const float* w = iscam_result_weights(r, ISCAM_METHOD_ISCAM);
    size_t weighed = 0;
    for (size_t k = 0; k < iscam_result_n_channels(r); ++k) weighed += w[k] > 0;
    CHECK(weighed == 16);  // 4 scored in full, 12 with predicted scores; the other 48 weigh 0
    p.select = 7;
    Result bad;
    CHECK(iscam_explain_file(ctx, ankle_boot().c_str(), p, &bad.r) == ISCAM_ERROR_ARGUMENT);
    CHECK(std::string(iscam_last_error()).find("ISCAM_SELECT_SCREEN") != std::string::npos);
    p.select = ISCAM_SELECT_SCREEN;
    p.screen_channels = 4;
    CHECK(iscam_explain_file(ctx, ankle_boot().c_str(), p, &bad.r) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_default_explain_params().select == ISCAM_SELECT_VARIANCE);
}

TEST_CASE("C API: misuse of a context is an error status with a message, never a crash") {
    const iscam_context_params defaults = iscam_default_context_params();
    iscam_context* out = reinterpret_cast<iscam_context*>(&out);  // must be reset to NULL
    auto init = [&](const char* path, iscam_context_params p) {
        const iscam_status s = iscam_init_from_file(path, p, &out);
        CHECK(out == nullptr);
        CHECK(has_message());
        return s;
    };
    CHECK(init(nullptr, defaults) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_init_from_file(bundled_model().c_str(), defaults, nullptr) == ISCAM_ERROR_ARGUMENT);
    CHECK(init("/nonexistent/model.onnx", defaults) == ISCAM_ERROR_INPUT);
    CHECK(init(ankle_boot().c_str(), defaults) == ISCAM_ERROR_INPUT);  // not a model
    iscam_context_params p = defaults;
    p.threads = -1;
    CHECK(init(bundled_model().c_str(), p) == ISCAM_ERROR_ARGUMENT);
    p = defaults;
    p.height = 28;  // without a width
    CHECK(init(bundled_model().c_str(), p) == ISCAM_ERROR_ARGUMENT);
    p = defaults;
    p.layout = iscam_layout(7);
    CHECK(init(bundled_model().c_str(), p) == ISCAM_ERROR_ARGUMENT);
    p = defaults;
    p.device = iscam_device(9);
    CHECK(init(bundled_model().c_str(), p) == ISCAM_ERROR_ARGUMENT);
    p = defaults;
    p.preset = "sepia";
    CHECK(init(bundled_model().c_str(), p) == ISCAM_ERROR_INPUT);
    p = defaults;
    p.height = p.width = 32;  // the model fixes 28×28
    CHECK(init(bundled_model().c_str(), p) == ISCAM_ERROR_INPUT);
    p = defaults;
    p.resize = "sideways";
    CHECK(init(bundled_model().c_str(), p) == ISCAM_ERROR_INPUT);
    p = defaults;
    p.score_output = "no such output";
    CHECK(init(bundled_model().c_str(), p) == ISCAM_ERROR_INPUT);
    CHECK(std::string(iscam_last_error()).find("no such output") != std::string::npos);
    p = defaults;
    p.max_image_pixels = 0;
    CHECK(init(bundled_model().c_str(), p) == ISCAM_ERROR_ARGUMENT);
    p = defaults;
    p.sidecar_path = "/nonexistent/sidecar.json";
    CHECK(init(bundled_model().c_str(), p) == ISCAM_ERROR_INPUT);
    const char garbage[] = "not an onnx model";
    CHECK(iscam_init_from_buffer(garbage, sizeof garbage, defaults, &out) == ISCAM_ERROR_INPUT);
    CHECK(iscam_init_from_buffer(nullptr, 10, defaults, &out) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_init_from_buffer(garbage, 0, defaults, &out) == ISCAM_ERROR_ARGUMENT);
    CHECK(out == nullptr);

    int64_t shape[4];
    size_t n = 0;
    const char* name = nullptr;
    iscam_layer layer;
    CHECK(iscam_input_shape(nullptr, shape) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_class_count(nullptr, &n) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_class_label(nullptr, 0) == nullptr);
    CHECK(iscam_layer_count(nullptr, &n) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_layer_at(nullptr, 0, &layer) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_default_layer(nullptr, &name) == ISCAM_ERROR_ARGUMENT);
    iscam_free(nullptr);

    Context ctx;
    CHECK(iscam_input_shape(ctx, nullptr) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_class_count(ctx, nullptr) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_class_label(ctx, -1) == nullptr);
    CHECK(iscam_class_label(ctx, 10) == nullptr);
    CHECK(std::string(iscam_last_error()).find("out of range") != std::string::npos);
    CHECK(iscam_layer_count(ctx, nullptr) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_layer_at(ctx, 1000, &layer) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_layer_at(ctx, 0, nullptr) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_default_layer(ctx, nullptr) == ISCAM_ERROR_ARGUMENT);
}

TEST_CASE("C API: misuse of predict and explain is an error status with a message, never a crash") {
    iscam_context_params small = iscam_default_context_params();
    small.max_image_pixels = 100;
    Context ctx, tiny_budget(small);
    const Rgb img = decode(ankle_boot());
    const std::vector<float> x = npy_values(source_path("tests/fixtures/fashion-input.npy"));
    iscam_prediction top[3];
    size_t n = 7;
    const std::string boot_path = ankle_boot();
    const char* boot = boot_path.c_str();

    CHECK(iscam_predict_file(nullptr, boot, 3, top, &n) == ISCAM_ERROR_ARGUMENT);
    CHECK(n == 0);
    CHECK(iscam_predict_file(ctx, nullptr, 3, top, &n) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_predict_file(ctx, boot, 3, nullptr, &n) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_predict_file(ctx, boot, 0, top, &n) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_predict_file(ctx, "/nonexistent.png", 3, top, &n) == ISCAM_ERROR_INPUT);
    CHECK(iscam_predict_file(ctx, bundled_model().c_str(), 3, top, &n) == ISCAM_ERROR_INPUT);  // not an image
    CHECK(iscam_predict_rgb(ctx, nullptr, img.pixels.size(), 28, 28, 3, top, &n) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_predict_rgb(ctx, img.pixels.data(), img.pixels.size() - 1, 28, 28, 3, top, &n) == ISCAM_ERROR_ARGUMENT);
    CHECK(std::string(iscam_last_error()).find("rgb_size") != std::string::npos);
    CHECK(iscam_predict_rgb(ctx, img.pixels.data(), img.pixels.size(), 0, 28, 3, top, &n) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_predict_rgb(ctx, img.pixels.data(), img.pixels.size(), -28, -28, 3, top, &n) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_predict_rgb(tiny_budget, img.pixels.data(), img.pixels.size(), 28, 28, 3, top, &n) == ISCAM_ERROR_INPUT);
    CHECK(iscam_predict_file(tiny_budget, boot, 3, top, &n) == ISCAM_ERROR_INPUT);
    CHECK(iscam_predict_tensor(ctx, nullptr, x.size(), 3, top, &n) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_predict_tensor(ctx, x.data(), x.size() - 1, 3, top, &n) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_predict_tensor(ctx, x.data(), x.size() + 1, 3, top, &n) == ISCAM_ERROR_ARGUMENT);
    CHECK(n == 0);

    iscam_result* r = reinterpret_cast<iscam_result*>(&n);  // must be reset to NULL
    auto explain = [&](iscam_explain_params p) {
        const iscam_status s = iscam_explain_file(ctx, boot, p, &r);
        CHECK(r == nullptr);
        CHECK(has_message());
        return s;
    };
    const iscam_explain_params q = quick(ISCAM_METHOD_ISCAM);
    CHECK(iscam_explain_file(nullptr, boot, q, &r) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_explain_file(ctx, boot, q, nullptr) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_explain_file(ctx, nullptr, q, &r) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_explain_rgb(ctx, img.pixels.data(), 5, 28, 28, q, &r) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_explain_rgb(ctx, nullptr, img.pixels.size(), 28, 28, q, &r) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_explain_tensor(ctx, x.data(), 3, q, &r) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_explain_tensor(ctx, nullptr, x.size(), q, &r) == ISCAM_ERROR_ARGUMENT);
    CHECK(r == nullptr);
    iscam_explain_params p = q;
    p.methods = 0;
    CHECK(explain(p) == ISCAM_ERROR_ARGUMENT);
    p.methods = 8;
    CHECK(explain(p) == ISCAM_ERROR_ARGUMENT);
    p = q;
    p.batch = 0;
    CHECK(explain(p) == ISCAM_ERROR_ARGUMENT);
    p.batch = 5000;
    CHECK(explain(p) == ISCAM_ERROR_ARGUMENT);
    p = q;
    p.class_index = -2;
    CHECK(explain(p) == ISCAM_ERROR_ARGUMENT);
    p.class_index = 10;
    CHECK(explain(p) == ISCAM_ERROR_ARGUMENT);
    CHECK(std::string(iscam_last_error()).find("out of range") != std::string::npos);
    p = q;
    p.iscam_samples = 0;
    CHECK(explain(p) == ISCAM_ERROR_ARGUMENT);
    p = q;
    p.methods = ISCAM_METHOD_SSCAM;
    p.sscam_sigma = -1;
    CHECK(explain(p) == ISCAM_ERROR_ARGUMENT);
    p = q;
    p.channels = -1;
    CHECK(explain(p) == ISCAM_ERROR_ARGUMENT);
    p = q;
    p.write_threads = -1;
    CHECK(explain(p) == ISCAM_ERROR_ARGUMENT);
    p = q;
    p.layer = "no such layer";
    CHECK(explain(p) == ISCAM_ERROR_INPUT);
    CHECK(std::string(iscam_last_error()).find("no such layer") != std::string::npos);

    Result ok;  // after all of that the context still works
    REQUIRE(iscam_explain_file(ctx, boot, q, &ok.r) == ISCAM_OK);
    CHECK(iscam_result_class(ok) == 9);
}

TEST_CASE("C API: misuse of a result is an error, never a crash") {
    Context ctx;
    Result r, from_tensor;
    REQUIRE(iscam_explain_file(ctx, ankle_boot().c_str(), quick(ISCAM_METHOD_ISCAM), &r.r) == ISCAM_OK);
    const std::vector<float> x = npy_values(source_path("tests/fixtures/fashion-input.npy"));
    REQUIRE(iscam_explain_tensor(ctx, x.data(), x.size(), quick(ISCAM_METHOD_ISCAM), &from_tensor.r) == ISCAM_OK);

    CHECK(iscam_result_n_methods(nullptr) == 0);
    CHECK(iscam_result_method_at(nullptr, 0) == 0);
    CHECK(iscam_result_method_at(r, 1) == 0);
    CHECK(iscam_result_class(nullptr) == -1);
    CHECK(iscam_result_class_label(nullptr) == nullptr);
    CHECK(iscam_result_layer(nullptr) == nullptr);
    CHECK(iscam_result_map_height(nullptr) == 0);
    CHECK(iscam_result_map_width(nullptr) == 0);
    CHECK(iscam_result_map(nullptr, ISCAM_METHOD_ISCAM) == nullptr);
    CHECK(iscam_result_map(r, ISCAM_METHOD_SSCAM) == nullptr);  // not computed
    CHECK(std::string(iscam_last_error()).find("not in this result") != std::string::npos);
    CHECK(iscam_result_map(r, 0) == nullptr);
    CHECK(iscam_result_weights(r, ISCAM_METHOD_SCORECAM) == nullptr);
    CHECK(iscam_result_scores(nullptr, ISCAM_METHOD_ISCAM) == nullptr);
    CHECK(iscam_result_n_channels(nullptr) == 0);
    CHECK(iscam_result_forward_passes(r, ISCAM_METHOD_SSCAM) == 0);
    CHECK(iscam_result_total_forward_passes(nullptr) == 0);
    CHECK(iscam_result_timings(nullptr).total_ms == 0);
    CHECK(iscam_result_json(nullptr) == nullptr);
    CHECK(iscam_result_image_width(nullptr) == 0);
    CHECK(iscam_method_name(ISCAM_METHOD_ALL) == nullptr);
    iscam_result_free(nullptr);

    std::vector<float> up(49);
    std::vector<uint8_t> rgb(49 * 3);
    const iscam_overlay_params o = iscam_default_overlay_params();
    CHECK(iscam_result_upsampled_map(nullptr, ISCAM_METHOD_ISCAM, 7, 7, up.data(), up.size()) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_result_upsampled_map(r, ISCAM_METHOD_ISCAM, 7, 7, nullptr, up.size()) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_result_upsampled_map(r, ISCAM_METHOD_ISCAM, 7, 7, up.data(), up.size() - 1) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_result_upsampled_map(r, ISCAM_METHOD_ISCAM, 0, 49, up.data(), 0) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_result_upsampled_map(r, ISCAM_METHOD_SSCAM, 7, 7, up.data(), up.size()) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_result_heatmap(r, ISCAM_METHOD_ISCAM, o, 7, 7, rgb.data(), up.size()) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_result_heatmap(r, ISCAM_METHOD_ISCAM, o, -7, -7, rgb.data(), rgb.size()) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_result_heatmap(r, ISCAM_METHOD_ISCAM, o, 100000, 100000, rgb.data(), rgb.size()) == ISCAM_ERROR_ARGUMENT);
    iscam_overlay_params bad = o;
    bad.colormap = iscam_colormap(42);
    CHECK(iscam_result_heatmap(r, ISCAM_METHOD_ISCAM, bad, 7, 7, rgb.data(), rgb.size()) == ISCAM_ERROR_ARGUMENT);
    bad = o;
    bad.alpha = 2;
    CHECK(iscam_result_overlay(r, ISCAM_METHOD_ISCAM, bad, 7, 7, rgb.data(), rgb.size()) == ISCAM_ERROR_ARGUMENT);
    bad.alpha = NAN;
    CHECK(iscam_result_overlay(r, ISCAM_METHOD_ISCAM, bad, 7, 7, rgb.data(), rgb.size()) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_result_overlay(from_tensor, ISCAM_METHOD_ISCAM, o, 7, 7, rgb.data(), rgb.size()) == ISCAM_ERROR_ARGUMENT);
    CHECK(std::string(iscam_last_error()).find("tensor") != std::string::npos);
    CHECK(iscam_result_heatmap(from_tensor, ISCAM_METHOD_ISCAM, o, 7, 7, rgb.data(), rgb.size()) == ISCAM_OK);

    CHECK(iscam_write_png(nullptr, rgb.data(), rgb.size(), 7, 7) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_write_png("x.png", nullptr, rgb.size(), 7, 7) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_write_png("x.png", rgb.data(), rgb.size(), 7, 8) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_write_png("/nonexistent/folder/x.png", rgb.data(), rgb.size(), 7, 7) == ISCAM_ERROR_INPUT);
    CHECK(has_message());
}
