#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "noise.h"

using namespace iscam;

TEST_CASE("SS-CAM noise equals the Python reference's stream") {
    // Values printed by scripts/reference_cam.py's noise_field (numpy, written from the same definition).
    std::vector<float> z(5);
    noise_field(0, 1, 2, 1.0f, z.data(), z.size());
    const float expected[] = {0.8629108667373657f, 0.5244008302688599f, 0.11630551517009735f, -0.8390915989875793f,
                              1.5967227220535278f};
    for (int i = 0; i < 5; ++i) CHECK(z[i] == Approx(expected[i]).margin(1e-6));
    std::vector<float> y(3);
    noise_field(42, 7, 0, 2.0f, y.data(), y.size());
    CHECK(y[0] == Approx(-1.8194714784622192f).margin(1e-6));
    CHECK(y[2] == Approx(1.3016979694366455f).margin(1e-6));
}

TEST_CASE("seeded noise is reproducible and differs between seeds, channels and samples") {
    std::vector<float> a(1000), b(1000), c(1000), d(1000), e(1000);
    noise_field(7, 3, 4, 2.0f, a.data(), a.size());
    noise_field(7, 3, 4, 2.0f, b.data(), b.size());
    noise_field(8, 3, 4, 2.0f, c.data(), c.size());
    noise_field(7, 4, 4, 2.0f, d.data(), d.size());
    noise_field(7, 3, 5, 2.0f, e.data(), e.size());
    CHECK(a == b);
    CHECK(a != c);
    CHECK(a != d);
    CHECK(a != e);
}

TEST_CASE("noise is N(0, sigma^2)") {
    const size_t n = 200000;
    std::vector<float> z(n);
    noise_field(1, 0, 0, 2.0f, z.data(), n);
    double mean = 0, sq = 0;
    size_t within_one_sigma = 0;
    for (float v : z) {
        mean += v;
        sq += double(v) * v;
        within_one_sigma += std::fabs(v) < 2.0f;
    }
    mean /= n;
    const double sd = std::sqrt(sq / n - mean * mean);
    CHECK(std::fabs(mean) < 0.02);
    CHECK(sd == Approx(2.0).epsilon(0.01));
    CHECK(double(within_one_sigma) / n == Approx(0.6827).epsilon(0.01));
}
