#include <catch2/catch.hpp>

#include "error.h"
#include "methods.h"

using namespace iscam;

TEST_CASE("IS-CAM coefficients are the cumulative i/N (SPEC step 3)") {
    const auto g = iscam_coefficients(10);
    const float expected[] = {0.1f, 0.3f, 0.6f, 1.0f, 1.5f, 2.1f, 2.8f, 3.6f, 4.5f, 5.5f};
    REQUIRE(g.size() == 10);
    for (int i = 0; i < 10; ++i) CHECK(g[i] == Approx(expected[i]).epsilon(1e-6));
    CHECK(g[3] == 1.0f);  // exactly Score-CAM's masked input
    CHECK(iscam_coefficients(1)[0] == 1.0f);
    CHECK(iscam_coefficients(3)[1] == 1.0f);
}

TEST_CASE("method names round-trip") {
    for (Method m : {Method::ScoreCAM, Method::SSCAM, Method::ISCAM}) CHECK(parse_method(method_name(m)) == m);
    CHECK_FALSE(parse_method("gradcam"));
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
