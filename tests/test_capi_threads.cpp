// The C API's thread-safety rule, "one context per thread": two threads, each with its own
// context, give the same maps as one thread explaining the same images one after the other.
#include <catch2/catch.hpp>
#include <iscam/iscam.h>

#include <string>
#include <thread>
#include <vector>

#include "capi_test_support.h"

namespace {

struct Maps {
    std::vector<std::vector<float>> by_method;
    std::string error;
};

iscam_explain_params params() {
    iscam_explain_params p = iscam_default_explain_params();
    p.methods = ISCAM_METHOD_ALL;
    p.sscam_samples = 6;
    p.iscam_samples = 6;
    p.seed = 3;
    p.write_threads = 1;
    return p;
}

// Explains each image with `ctx`, appending the maps of the three methods.
void explain_all(iscam_context* ctx, const std::vector<std::string>& images, Maps& out) {
    for (const auto& image : images) {
        iscam_result* r = nullptr;
        if (iscam_explain_file(ctx, image.c_str(), params(), &r) != ISCAM_OK) {
            out.error = iscam_last_error();
            return;
        }
        const size_t n = size_t(iscam_result_map_height(r)) * iscam_result_map_width(r);
        for (size_t i = 0; i < iscam_result_n_methods(r); ++i) {
            const float* m = iscam_result_map(r, iscam_result_method_at(r, i));
            out.by_method.emplace_back(m, m + n);
        }
        iscam_result_free(r);
    }
}

iscam_context* new_context() {
    iscam_context_params p = iscam_default_context_params();
    p.threads = 1;
    iscam_context* ctx = nullptr;
    REQUIRE(iscam_init_from_file(bundled_model().c_str(), p, &ctx) == ISCAM_OK);
    return ctx;
}

}  // namespace

TEST_CASE("two threads with two contexts give the same maps as one thread") {
    const std::vector<std::string> first = {ankle_boot(), sneaker()}, second = {sneaker(), ankle_boot()};

    Maps one_first, one_second;
    iscam_context* ctx = new_context();
    explain_all(ctx, first, one_first);
    explain_all(ctx, second, one_second);
    iscam_free(ctx);
    REQUIRE(one_first.error.empty());
    REQUIRE(one_second.error.empty());

    iscam_context* a = new_context();
    iscam_context* b = new_context();
    Maps two_first, two_second;
    std::thread ta([&] { explain_all(a, first, two_first); });
    std::thread tb([&] { explain_all(b, second, two_second); });
    ta.join();
    tb.join();
    iscam_free(a);
    iscam_free(b);
    REQUIRE(two_first.error.empty());
    REQUIRE(two_second.error.empty());

    REQUIRE(two_first.by_method.size() == 6);
    REQUIRE(two_second.by_method.size() == 6);
    for (size_t i = 0; i < 6; ++i) {
        CHECK(max_abs_diff(one_first.by_method[i], two_first.by_method[i]) < 1e-6);
        CHECK(max_abs_diff(one_second.by_method[i], two_second.by_method[i]) < 1e-6);
    }
    CHECK(max_abs_diff(one_first.by_method[0], one_first.by_method[3]) > 0.01);  // two different images
}

TEST_CASE("the last error is per thread") {
    iscam_context* out = nullptr;
    REQUIRE(iscam_init_from_file(nullptr, iscam_default_context_params(), &out) == ISCAM_ERROR_ARGUMENT);
    const std::string here = iscam_last_error();
    std::string there;
    std::thread t([&] {
        iscam_init_from_file("/nonexistent.onnx", iscam_default_context_params(), &out);
        there = iscam_last_error();
    });
    t.join();
    CHECK(here.find("model_path is NULL") != std::string::npos);
    CHECK(there.find("/nonexistent.onnx") != std::string::npos);
    CHECK(std::string(iscam_last_error()) == here);
}
