#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "resample.h"
#include "test_support.h"

using namespace iscam;

TEST_CASE("bilinear half-pixel upsampling equals PyTorch's F.interpolate(align_corners=False)") {
    // tests/fixtures/resample-torch.json is written by scripts/make_resample_fixture.py.
    std::ifstream in(source_path("tests/fixtures/resample-torch.json"));
    REQUIRE(in);
    const auto cases = nlohmann::json::parse(in);
    REQUIRE(cases.size() >= 5);
    for (const auto& c : cases) {
        const int h = c["src_shape"][0], w = c["src_shape"][1], H = c["dst_shape"][0], W = c["dst_shape"][1];
        const auto src = c["src"].get<std::vector<float>>();
        const auto expected = c["dst"].get<std::vector<float>>();
        std::vector<float> dst(size_t(H) * W);
        BilinearResizer(h, w, H, W)(src.data(), dst.data());
        double worst = 0;
        for (size_t i = 0; i < dst.size(); ++i) worst = std::max(worst, double(std::abs(dst[i] - expected[i])));
        INFO(h << "x" << w << " -> " << H << "x" << W);
        CHECK(worst < 1e-6);
    }
}

TEST_CASE("half-pixel taps clamp at the edges") {
    const auto taps = half_pixel_taps(2, 4);  // scale 0.5: x = -0.25, 0.25, 0.75, 1.25
    CHECK(taps[0].i0 == 0);
    CHECK(taps[0].t == 0.0f);
    CHECK(taps[1].t == Approx(0.25f));
    CHECK(taps[3].i0 == 1);
    CHECK(taps[3].i1 == 1);
}
