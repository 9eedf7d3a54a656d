// The colour maps against matplotlib's own tables (tests/fixtures/colormaps-matplotlib.json,
// written by scripts/make_colormap_tables.py): every one of the 256 entries within 1/255.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "colormap.h"
#include "test_support.h"

using namespace iscam;

TEST_CASE("jet, turbo, viridis and inferno equal matplotlib's at every entry within 1/255") {
    std::ifstream in(source_path("tests/fixtures/colormaps-matplotlib.json"));
    REQUIRE(in);
    const auto tables = nlohmann::json::parse(in);
    for (Colormap c : {Colormap::Jet, Colormap::Turbo, Colormap::Viridis, Colormap::Inferno}) {
        const auto& table = tables.at(colormap_name(c));
        REQUIRE(table.size() == 256);
        double worst = 0;
        for (int i = 0; i < 256; ++i) {
            uint8_t rgb[3];
            colormap_rgb(c, float(i) / 255.0f, rgb);
            for (int ch = 0; ch < 3; ++ch) worst = std::max(worst, std::fabs(rgb[ch] / 255.0 - table[i][ch].get<double>()));
        }
        INFO(colormap_name(c) << ": worst difference " << worst * 255 << "/255");
        CHECK(worst <= 1.0 / 255 + 1e-9);
    }
}

TEST_CASE("between entries a colour map is linear, and values outside [0, 1] are clamped") {
    uint8_t lo[3], hi[3], mid[3], below[3], above[3], nan[3];
    colormap_rgb(Colormap::Viridis, 100.0f / 255, lo);
    colormap_rgb(Colormap::Viridis, 101.0f / 255, hi);
    colormap_rgb(Colormap::Viridis, 100.5f / 255, mid);
    for (int ch = 0; ch < 3; ++ch) CHECK(std::abs(2 * int(mid[ch]) - int(lo[ch]) - int(hi[ch])) <= 1);
    colormap_rgb(Colormap::Inferno, -3.0f, below);
    colormap_rgb(Colormap::Inferno, 0.0f, lo);
    colormap_rgb(Colormap::Inferno, 7.0f, above);
    colormap_rgb(Colormap::Inferno, 1.0f, hi);
    colormap_rgb(Colormap::Inferno, std::nanf(""), nan);
    for (int ch = 0; ch < 3; ++ch) {
        CHECK(below[ch] == lo[ch]);
        CHECK(above[ch] == hi[ch]);
        CHECK(nan[ch] == lo[ch]);
    }
}

TEST_CASE("gray is the value itself") {
    for (int i = 0; i < 256; ++i) {
        uint8_t rgb[3];
        colormap_rgb(Colormap::Gray, float(i) / 255.0f, rgb);
        CHECK((rgb[0] == i && rgb[1] == i && rgb[2] == i));
    }
}
