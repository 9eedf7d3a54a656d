#include <catch2/catch.hpp>

#include <iscam/iscam.h>

#include <set>

#include "error.h"
#include "methods.h"

using namespace iscam;

TEST_CASE("IS-CAM coefficients are the cumulative i/N (step 3 of docs/math.md)") {
    const auto g = iscam_coefficients(10);
    const float expected[] = {0.1f, 0.3f, 0.6f, 1.0f, 1.5f, 2.1f, 2.8f, 3.6f, 4.5f, 5.5f};
    REQUIRE(g.size() == 10);
    for (int i = 0; i < 10; ++i) CHECK(g[i] == Approx(expected[i]).epsilon(1e-6));
    CHECK(g[3] == 1.0f);  // exactly Score-CAM's masked input
    CHECK(iscam_coefficients(1)[0] == 1.0f);
    CHECK(iscam_coefficients(3)[1] == 1.0f);
}

TEST_CASE("method names round-trip") {
    std::set<std::string> names, titles;
    for (Method m : all_methods()) {
        CHECK(parse_method(method_name(m)) == m);
        names.insert(method_name(m));
        titles.insert(method_title(m));
    }
    CHECK(names.size() == size_t(kMethodCount));
    CHECK(titles.size() == size_t(kMethodCount));
    CHECK_FALSE(parse_method("gradcam"));
    CHECK(method_names() == "scorecam, sscam, iscam");
}

TEST_CASE("the C API's ISCAM_METHOD_* bits are the table's") {
    CHECK(ISCAM_METHOD_SCORECAM == mask_of(*parse_method("scorecam")));
    CHECK(ISCAM_METHOD_SSCAM == mask_of(*parse_method("sscam")));
    CHECK(ISCAM_METHOD_ISCAM == mask_of(*parse_method("iscam")));
    CHECK(ISCAM_METHOD_ALL == all_methods_mask());
}

TEST_CASE("a run's passes: N per scored channel and the baseline, shared where the inputs are equal") {
    const ExplainOptions o;  // IS-CAM's N 10 (γ_4 = 1), SS-CAM's 35
    using M = Method;
    CHECK(plan_passes({M::ScoreCAM}, o, 1280) == 1281);
    CHECK(plan_passes({M::ISCAM}, o, 1280) == 12801);
    CHECK(plan_passes({M::ScoreCAM, M::ISCAM}, o, 64) == 641);   // Score-CAM is IS-CAM's γ = 1 pass
    CHECK(plan_passes({M::ScoreCAM, M::SSCAM, M::ISCAM}, o, 8) == 8 * 45 + 1);
    ExplainOptions four = o;  // γ = 0.25, 0.75, 1.5, 2.5: no pass at γ = 1
    four.iscam_samples = 4;
    CHECK(plan_passes({M::ScoreCAM, M::ISCAM}, four, 64) == 64 * 5 + 1);
    ExplainOptions exact = o;
    exact.shortcuts = false;
    CHECK(plan_passes({M::ScoreCAM, M::ISCAM}, exact, 64) == 64 * 11 + 1);
    CHECK_THROWS_AS(plan_passes({}, o, 64), InputError);
    four.iscam_samples = 0;
    CHECK_THROWS_WITH(plan_passes({M::ISCAM}, four, 64), Catch::Contains("IS-CAM samples"));
}

TEST_CASE("options out of bounds are refused with the parameter's name") {
    ExplainOptions o;
    o.sscam_samples = 0;
    CHECK_THROWS_WITH(validate(o), Catch::Contains("SS-CAM samples"));
    o = {};
    o.iscam_samples = 20000;
    CHECK_THROWS_WITH(validate(o), Catch::Contains("IS-CAM samples"));
    o = {};
    o.sscam_sigma = -1;
    CHECK_THROWS_WITH(validate(o), Catch::Contains("sigma"));
}
