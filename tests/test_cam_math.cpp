#include <catch2/catch.hpp>
#include <cmath>

#include "cam_math.h"

using namespace iscam;

TEST_CASE("per-channel min-max normalisation (SPEC step 1) matches hand values") {
    std::vector<float> v = {2, 4, 6, 10};
    minmax_normalise(v.data(), v.size());
    const float d = 8 + kEps;
    CHECK(v[0] == Approx(0.0f));
    CHECK(v[1] == Approx(2 / d));
    CHECK(v[2] == Approx(4 / d));
    CHECK(v[3] == Approx(8 / d));
}

TEST_CASE("a constant channel normalises to exact zeros") {
    std::vector<float> v(9, 3.5f);
    minmax_normalise(v.data(), v.size());
    for (float x : v) CHECK(x == 0.0f);
}

TEST_CASE("softmax (SPEC step 4) matches hand values and is shift invariant") {
    const auto w = softmax({0.0, std::log(3.0)});
    CHECK(w[0] == Approx(0.25f));
    CHECK(w[1] == Approx(0.75f));
    const auto big = softmax({1000.0, 1000.0 + std::log(3.0)});
    CHECK(big[0] == Approx(0.25f));
    CHECK(big[1] == Approx(0.75f));
}

TEST_CASE("weighted map (SPEC step 5): ReLU of the weighted sum, then min-max") {
    // Two channels of 2×2: A0 = [1 0; 0 -4], A1 = [0 2; 0 0]; w = (0.5, 0.5).
    const std::vector<float> a = {1, 0, 0, -4, 0, 2, 0, 0};
    const auto map = weighted_map(a.data(), 4, {0, 1}, {0.5f, 0.5f});
    // Σ = [0.5 1; 0 -2] → ReLU [0.5 1; 0 0] → /1
    CHECK(map[0] == Approx(0.5f));
    CHECK(map[1] == Approx(1.0f));
    CHECK(map[2] == 0.0f);
    CHECK(map[3] == 0.0f);
}

TEST_CASE("weighted map over a subset of channels ignores the others") {
    const std::vector<float> a = {1, 2, 3, 4, 100, 100, 100, 100};
    const auto map = weighted_map(a.data(), 4, {0}, {1.0f});
    CHECK(map[3] == Approx(1.0f));
    CHECK(map[0] == 0.0f);
}
