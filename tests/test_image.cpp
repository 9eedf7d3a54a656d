#include <catch2/catch.hpp>
#include <stb_image_write.h>

#include "error.h"
#include "image.h"
#include "preprocess.h"
#include "test_support.h"

using namespace iscam;

namespace {

std::vector<uint8_t> png(int w, int h, int channels, const std::vector<uint8_t>& pixels) {
    std::vector<uint8_t> out;
    stbi_write_png_to_func(
        [](void* ctx, void* data, int size) {
            auto* o = static_cast<std::vector<uint8_t>*>(ctx);
            o->insert(o->end(), static_cast<uint8_t*>(data), static_cast<uint8_t*>(data) + size);
        },
        &out, w, h, channels, pixels.data(), w * channels);
    return out;
}

}  // namespace

TEST_CASE("grey images become RGB with equal channels") {
    const auto bytes = png(2, 1, 1, {10, 200});
    const Image img = decode_image(bytes.data(), bytes.size());
    REQUIRE(img.width == 2);
    CHECK(img.rgb == std::vector<uint8_t>{10, 10, 10, 200, 200, 200});
}

TEST_CASE("alpha is composited on white") {
    const auto bytes = png(1, 1, 4, {0, 0, 0, 0});
    const Image img = decode_image(bytes.data(), bytes.size());
    CHECK(img.rgb == std::vector<uint8_t>{255, 255, 255});
}

TEST_CASE("truncated, empty and non-image files are refused with a reason") {
    auto bytes = png(8, 8, 3, std::vector<uint8_t>(192, 7));
    bytes.resize(bytes.size() / 2);
    CHECK_THROWS_AS(decode_image(bytes.data(), bytes.size()), InputError);
    CHECK_THROWS_WITH(decode_image(bytes.data(), 0), Catch::Contains("empty"));
    const std::string text = "this is not an image";
    CHECK_THROWS_WITH(decode_image(reinterpret_cast<const uint8_t*>(text.data()), text.size()),
                      Catch::Contains("cannot decode"));
    CHECK_THROWS_WITH(load_image("/nonexistent.png"), Catch::Contains("cannot open"));
}

TEST_CASE("preprocessing: resize, /255, mean/std, NCHW") {
    const auto bytes = png(2, 2, 3, {255, 0, 0, 255, 0, 0, 255, 0, 0, 255, 0, 0});
    const Image img = decode_image(bytes.data(), bytes.size());
    Preprocess p;
    p.height = 3;
    p.width = 5;
    const Tensor t = to_input_tensor(img, p);
    REQUIRE(t.shape == std::vector<int64_t>{1, 3, 3, 5});
    CHECK(t.data[0] == Approx((1.0f - 0.485f) / 0.229f));
    CHECK(t.data[15] == Approx((0.0f - 0.456f) / 0.224f));
    p.gray = true;
    const Tensor g = to_input_tensor(img, p);
    REQUIRE(g.shape == std::vector<int64_t>{1, 1, 3, 5});
    CHECK(g.data[0] == Approx((0.299f - 0.485f) / 0.229f));
}

TEST_CASE("presets and bounds") {
    Preprocess p = preprocess_preset("unit", Preprocess{});
    CHECK(p.mean[0] == 0.0f);
    CHECK(p.std[2] == 1.0f);
    CHECK_THROWS_WITH(preprocess_preset("nope", p), Catch::Contains("unknown preprocessing preset"));
    p.std[1] = 0;
    CHECK_THROWS_AS(validate(p), InputError);
}

TEST_CASE("the bundled samples decode") {
    const Image img = load_image(source_path("web/samples/fashion-0-ankle-boot.png"));
    CHECK(img.width == 28);
    CHECK(img.height == 28);
    const Image cat = load_image(source_path("web/samples/chelsea.png"));
    CHECK(cat.width > 200);
}
