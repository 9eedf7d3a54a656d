// Contrastive maps through the C API (iscam_explain_params.contrast_class): the score is
// f(·)_A − f(·)_B (docs/math.md), the result and its JSON name B, and bad contrasts are an error
// status with a message. The map against its definition: tests/test_contrastive_map.cpp.
#include <catch2/catch.hpp>
#include <iscam/iscam.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "capi_test_support.h"

namespace {
constexpr int kAnkleBoot = 9, kSneaker = 7;

iscam_status explain(iscam_context* ctx, int cls, int contrast, iscam_result** r) {
    iscam_explain_params p = iscam_default_explain_params();
    p.methods = ISCAM_METHOD_SCORECAM;
    p.class_index = cls;
    p.contrast_class = contrast;
    return iscam_explain_file(ctx, ankle_boot().c_str(), p, r);
}

std::vector<float> map_of(const iscam_result* r) {
    const float* m = iscam_result_map(r, ISCAM_METHOD_SCORECAM);
    return std::vector<float>(m, m + size_t(iscam_result_map_height(r)) * iscam_result_map_width(r));
}
}  // namespace

TEST_CASE("C API: a contrastive map scores f(·)_A − f(·)_B and says so") {
    iscam_context* ctx = nullptr;
    REQUIRE(iscam_init_from_file(bundled_model().c_str(), iscam_default_context_params(), &ctx) == ISCAM_OK);
    CHECK(iscam_default_explain_params().contrast_class == -1);
    iscam_prediction top[10];
    size_t n = 0;
    REQUIRE(iscam_predict_file(ctx, ankle_boot().c_str(), 10, top, &n) == ISCAM_OK);
    float logit[10] = {};
    for (size_t i = 0; i < n; ++i) logit[top[i].class_index] = top[i].logit;

    iscam_result *plain = nullptr, *ab = nullptr;
    REQUIRE(explain(ctx, kAnkleBoot, -1, &plain) == ISCAM_OK);
    REQUIRE(explain(ctx, kAnkleBoot, kSneaker, &ab) == ISCAM_OK);
    CHECK(iscam_result_contrast_class(plain) == -1);
    CHECK(iscam_result_contrast_class(ab) == kSneaker);
    CHECK(iscam_result_class(ab) == kAnkleBoot);
    CHECK(iscam_result_class_score(ab) == Approx(logit[kAnkleBoot] - logit[kSneaker]).margin(1e-4));
    const float* s_plain = iscam_result_scores(plain, ISCAM_METHOD_SCORECAM);
    const float* s_ab = iscam_result_scores(ab, ISCAM_METHOD_SCORECAM);
    bool differs = false;
    for (size_t k = 0; k < iscam_result_n_channels(ab); ++k) differs |= std::fabs(s_plain[k] - s_ab[k]) > 1e-3;
    CHECK(differs);
    CHECK(max_abs_diff(map_of(plain), map_of(ab)) > 0.05);
    const auto doc = nlohmann::json::parse(iscam_result_json(ab));
    CHECK(doc["contrast_class"] == kSneaker);
    CHECK(doc["contrast_label"] == "Sneaker");
    CHECK_FALSE(nlohmann::json::parse(iscam_result_json(plain)).contains("contrast_class"));
    iscam_result_free(plain);
    iscam_result_free(ab);

    iscam_result* r = nullptr;
    CHECK(explain(ctx, kAnkleBoot, 10, &r) == ISCAM_ERROR_ARGUMENT);
    CHECK(std::string(iscam_last_error()).find("contrast_class 10 is out of range") != std::string::npos);
    CHECK(explain(ctx, kAnkleBoot, kAnkleBoot, &r) == ISCAM_ERROR_ARGUMENT);
    CHECK(std::string(iscam_last_error()).find("must differ") != std::string::npos);
    CHECK(explain(ctx, kAnkleBoot, -2, &r) == ISCAM_ERROR_ARGUMENT);
    CHECK(explain(ctx, -1, kAnkleBoot, &r) == ISCAM_ERROR_INPUT);  // the top-1 is the ankle boot
    CHECK(std::string(iscam_last_error()).find("must differ") != std::string::npos);
    CHECK(r == nullptr);
    iscam_free(ctx);
}
