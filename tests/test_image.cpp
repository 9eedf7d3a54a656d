#include <catch2/catch.hpp>
#include <stb_image_write.h>

#include "colormap.h"
#include "error.h"
#include "file_io.h"
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

TEST_CASE("the header is measured without decoding") {
    const auto bytes = png(5, 3, 4, std::vector<uint8_t>(60, 9));
    const ImageInfo info = measure_image(bytes.data(), bytes.size());
    CHECK(info.width == 5);
    CHECK(info.height == 3);
    CHECK(info.channels == 4);
    CHECK_FALSE(info.sixteen_bit);
    auto truncated = bytes;
    truncated.resize(40);  // IHDR complete, pixels missing: measurable, not decodable
    CHECK(measure_image(truncated.data(), truncated.size()).width == 5);
    CHECK_THROWS_WITH(decode_image(truncated.data(), truncated.size()), Catch::StartsWith("cannot decode the image"));
}

TEST_CASE("images over the pixel budget are refused from their header") {
    const auto bytes = png(300, 200, 3, std::vector<uint8_t>(300 * 200 * 3, 1));
    ImageLimits limits;
    limits.max_pixels = 59'999;
    CHECK_THROWS_WITH(decode_image(bytes.data(), bytes.size(), limits),
                      "the image is 300×200 pixels (0.1 megapixels), over the limit of 0.1 megapixels");
    limits.max_pixels = 60'000;
    CHECK(decode_image(bytes.data(), bytes.size(), limits).width == 300);
    // A 35-byte GIF whose screen is 16000×16000 (3.2 GB before the budget).
    const std::string gif = std::string("GIF89a") + "\x80\x3e\x80\x3e" + std::string("\0\0\0,\0\0\0\0\1\0\1\0\0\2\2\x44\1\0;", 19);
    CHECK_THROWS_WITH(decode_image(reinterpret_cast<const uint8_t*>(gif.data()), gif.size()),
                      Catch::Contains("16000×16000 pixels (256.0 megapixels), over the limit of 64.0 megapixels"));
}

TEST_CASE("the decoder's memory is held to the decoding budget") {
    const auto bytes = png(64, 64, 3, std::vector<uint8_t>(64 * 64 * 3, 200));
    ImageLimits limits;
    limits.max_decode_bytes = 10'000;  // less than the 12 KiB of pixels
    CHECK_THROWS_WITH(decode_image(bytes.data(), bytes.size(), limits),
                      "decoding the 64×64 image needs more than the decoding budget of 10000 bytes");
    // The budget ends with the decode: the next one has its own.
    CHECK(decode_image(bytes.data(), bytes.size()).rgb.size() == 64 * 64 * 3);
}

TEST_CASE("only PNG, JPEG, BMP and GIF are decoded; other formats are refused by name") {
    for (const std::string bytes : {std::string("P5\n4 4\n65535\n") + std::string(32, '\0'),  // 16-bit PGM
                                    std::string("8BPS\0\1", 6) + std::string(34, '\0')}) {    // PSD
        CHECK_THROWS_WITH(decode_image(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()),
                          "cannot decode the image: not a PNG, JPEG, BMP or GIF image");
    }
}

TEST_CASE("a failure stb_image gives no reason for still has one") {
    // IDAT length 2^31: stb_image fails without setting its reason (NULL in 2.27).
    const std::string png_bytes = std::string("\x89PNG\r\n\x1a\n", 8) + std::string("\0\0\0\x0dIHDR\0\0\0\1\0\0\0\1\x08\x02\0\0\0", 21) +
                                  std::string(4, '\0') + std::string("\x80\0\0\0IDAT", 8) + std::string(8, '\0');
    CHECK_THROWS_WITH(decode_image(reinterpret_cast<const uint8_t*>(png_bytes.data()), png_bytes.size()),
                      "cannot decode the image: corrupt data");
}

TEST_CASE("folders, devices and oversized files are refused before reading") {
    CHECK_THROWS_WITH(load_image(source_path("web/samples")), Catch::Contains("is a folder, not a file"));
    CHECK_THROWS_WITH(load_image("/dev/zero"), Catch::Contains("is not a regular file"));
    CHECK_THROWS_WITH(read_file(source_path("web/samples/chelsea.png"), "image", 1000),
                      Catch::Contains("over the 1000 bytes limit for a image"));
}

TEST_CASE("a PNG too large for stb_image_write's int arithmetic is refused, not overflowed") {
    Image wide;  // (3W + 1)·H over 2^31: refused before its pixels are looked at
    wide.width = 1 << 20;
    wide.height = 700;
    CHECK_THROWS_WITH(encode_png(wide), "a 1048576×700 PNG is too large to write (at most 512 MiB of pixel rows)");
}
