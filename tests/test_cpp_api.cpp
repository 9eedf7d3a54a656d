// The header-only C++ wrapper (iscam/iscam.hpp), built as C++11: RAII, std types, exceptions
// that carry the C API's status, and a progress std::function whose exceptions come back out.
#include <catch2/catch.hpp>
#include <iscam/iscam.hpp>

#include <stdexcept>
#include <string>

#include "capi_test_support.h"

namespace {
iscam::ExplainParams quick() {
    iscam::ExplainParams p = iscam::default_explain_params();
    p.iscam_samples = 4;
    return p;
}
}  // namespace

TEST_CASE("C++ API: a context, its layers, predict and explain") {
    iscam::Context model(bundled_model());
    CHECK(model.input_shape() == std::vector<int64_t>({1, 1, 28, 28}));
    CHECK(model.class_count() == 10);
    CHECK(model.class_label(7) == "Sneaker");
    const std::vector<iscam::Layer> layers = model.layers();
    REQUIRE(!layers.empty());
    CHECK(model.default_layer() == layers.back().name);
    CHECK(layers.back().channels == 64);

    const std::vector<iscam::Prediction> top = model.predict_file(ankle_boot(), 2);
    REQUIRE(top.size() == 2);
    CHECK(top[0].label == "Ankle boot");

    const iscam::Result r = model.explain_file(ankle_boot(), quick());
    CHECK(r.methods() == std::vector<unsigned>{ISCAM_METHOD_ISCAM});
    CHECK(r.class_index() == 9);
    CHECK(r.class_label() == "Ankle boot");
    CHECK(r.layer() == layers.back().name);
    const std::vector<float> map = r.map(ISCAM_METHOD_ISCAM);
    CHECK(map.size() == size_t(r.map_height() * r.map_width()));
    CHECK(r.weights(ISCAM_METHOD_ISCAM).size() == r.n_channels());
    CHECK(r.forward_passes(ISCAM_METHOD_ISCAM) + 1 == r.total_forward_passes());
    CHECK(r.json().find("\"method\":\"iscam\"") != std::string::npos);
    CHECK(r.overlay(ISCAM_METHOD_ISCAM, 30, 20).size() == 30 * 20 * 3);
    CHECK(r.upsampled_map(ISCAM_METHOD_ISCAM, 28, 28).size() == 28 * 28);

    // The same map through the C API: the wrapper adds nothing to what is computed.
    iscam_result* c = nullptr;
    iscam_explain_params p = quick();
    REQUIRE(iscam_explain_file(model.get(), ankle_boot().c_str(), p, &c) == ISCAM_OK);
    const float* cm = iscam_result_map(c, ISCAM_METHOD_ISCAM);
    CHECK(std::vector<float>(cm, cm + map.size()) == map);
    iscam_result_free(c);
}

TEST_CASE("C++ API: a context from bytes; a copied result shares the run") {
    const std::string bytes = file_bytes(bundled_model());
    iscam::Context model = iscam::Context::from_buffer(bytes.data(), bytes.size());
    iscam::Result a = model.explain_file(sneaker(), quick());
    const iscam::Result b = a;
    a = model.explain_file(ankle_boot(), quick());
    CHECK(b.class_index() == 7);
    CHECK(a.class_index() == 9);
}

TEST_CASE("C++ API: failures throw iscam::Error with the C API's status") {
    try {
        iscam::Context missing("/nonexistent/model.onnx");
        FAIL("no exception");
    } catch (const iscam::Error& e) {
        CHECK(e.status() == ISCAM_ERROR_INPUT);
        CHECK(std::string(e.what()).find("/nonexistent/model.onnx") != std::string::npos);
    }
    iscam::Context model(bundled_model());
    iscam::ExplainParams p = quick();
    p.methods = 0;
    try {
        model.explain_file(ankle_boot(), p);
        FAIL("no exception");
    } catch (const iscam::Error& e) {
        CHECK(e.status() == ISCAM_ERROR_ARGUMENT);
    }
    const iscam::Result r = model.explain_file(ankle_boot(), quick());
    CHECK_THROWS_AS(r.map(ISCAM_METHOD_SSCAM), iscam::Error);
    CHECK_THROWS_AS(r.forward_passes(ISCAM_METHOD_SCORECAM), iscam::Error);
    CHECK_THROWS_AS(model.class_label(99), iscam::Error);
    CHECK_THROWS_AS(model.predict_rgb(std::vector<uint8_t>(10), 28, 28), iscam::Error);
    CHECK_THROWS_AS(model.predict_tensor(std::vector<float>(3)), iscam::Error);
}

TEST_CASE("C++ API: progress, cancelling, and an exception thrown by the callback") {
    iscam::Context model(bundled_model());
    size_t calls = 0, last = 0, total = 0;
    model.explain_file(ankle_boot(), quick(), [&](size_t done, size_t all, double) {
        ++calls;
        last = done;
        total = all;
        return true;
    });
    CHECK(calls > 0);
    CHECK(last == total);

    try {
        model.explain_file(ankle_boot(), quick(), [](size_t, size_t, double) { return false; });
        FAIL("no exception");
    } catch (const iscam::Error& e) {
        CHECK(e.status() == ISCAM_ERROR_CANCELLED);
    }
    CHECK_THROWS_WITH(model.explain_file(ankle_boot(), quick(),
                                         [](size_t, size_t, double) -> bool { throw std::logic_error("stop here"); }),
                      "stop here");
    CHECK(model.explain_file(ankle_boot(), quick()).class_index() == 9);  // still usable
}
