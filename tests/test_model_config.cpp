// The sidecar and labels parsers: pure functions on text, every field checked before it is used.
#include <catch2/catch.hpp>

#include "error.h"
#include "model_config.h"

using namespace iscam;

TEST_CASE("a full sidecar is read") {
    const ModelConfig c = parse_sidecar(R"({"name": "x", "labels": ["cat", "dog"],
        "preprocess": {"size": [32, 48], "gray": false, "mean": [0.5], "std": [0.25, 0.5, 1],
                       "resize": 256, "crop": "center", "channel_order": "bgr"},
        "output": "logits", "layout": "nhwc"})");
    CHECK(c.labels == std::vector<std::string>{"cat", "dog"});
    CHECK(c.preprocess.height == 32);
    CHECK(c.preprocess.width == 48);
    CHECK(c.preprocess.mean == std::array<float, 3>{0.5f, 0.5f, 0.5f});
    CHECK(c.preprocess.std[2] == 1.0f);
    CHECK(c.preprocess.center_crop);
    CHECK(c.preprocess.shorter_side == 256);
    CHECK(c.preprocess.bgr);
    CHECK(c.normalisation_given);
    CHECK(c.choices.output == "logits");
    CHECK(c.choices.layout == Layout::NHWC);
    const ModelConfig pixels = parse_sidecar(R"({"preprocess": {"preset": "pixels", "resize": "shorter"}})");
    CHECK(pixels.preprocess.std[0] == Approx(1.0f / 255));
    CHECK(pixels.preprocess.center_crop);
    CHECK(pixels.preprocess.shorter_side == 0);
    CHECK_FALSE(parse_sidecar("{}").normalisation_given);
}

TEST_CASE("a sidecar field that is not valid is named, never read past") {
    const auto refused = [](const std::string& text, const std::string& reason) {
        INFO(text);
        CHECK_THROWS_WITH(parse_sidecar(text, "model sidecar 'm.json'"),
                          Catch::StartsWith("model sidecar 'm.json'") && Catch::Contains(reason));
    };
    refused(R"({"preprocess": {"size": [28]}})", "'preprocess.size' must be [height, width]");
    refused(R"({"preprocess": {"size": [28, "x"]}})", "'preprocess.size' must be a whole number from 1 to 8192");
    refused(R"({"preprocess": {"size": [0, 28]}})", "from 1 to 8192");
    refused(R"({"preprocess": {"size": 28}})", "[height, width]");
    refused(R"({"preprocess": {"mean": [1, 2]}})", "'preprocess.mean' must be one or three");
    refused(R"({"preprocess": {"std": [0]}})", "'preprocess.std' must be positive");
    refused(R"({"preprocess": {"gray": 1}})", "'preprocess.gray' must be true or false");
    refused(R"({"preprocess": {"preset": "zzz"}})", "unknown preprocessing preset");
    refused(R"({"preprocess": {"resize": "huge"}})", "takes stretch, shorter");
    refused(R"({"preprocess": {"resize": 100, "size": [224, 224]}})", "at least the input size");
    refused(R"({"preprocess": {"channel_order": "grb"}})", "'preprocess.channel_order'");
    refused(R"({"preprocess": []})", "'preprocess' must be an object");
    refused(R"({"labels": ["a", 2]})", "'labels[]' must be a string");
    refused(R"({"labels": "a"})", "'labels' must be an array of strings");
    refused(R"({"layout": "chw"})", "'layout' must be");
    refused(R"({"output": 3})", "'output' must be a string");
    refused(R"([1, 2])", "must be a JSON object");
    refused(R"({"labels": [)", "is not valid JSON (at byte");
    refused("", "is not valid JSON");
}

TEST_CASE("labels: a JSON array of strings or one name a line") {
    CHECK(parse_labels("cat\r\ndog \n\nbird") == std::vector<std::string>{"cat", "dog", "bird"});
    CHECK(parse_labels(" [\"a\", \"b\"]") == std::vector<std::string>{"a", "b"});
    CHECK(parse_labels("").empty());
    CHECK_THROWS_WITH(parse_labels("[1, 2]", "labels 'l.json'"), Catch::Contains("labels 'l.json' is not a JSON array of strings"));
    CHECK_THROWS_WITH(parse_labels("[\"a\"", "labels"), Catch::Contains("not a JSON array"));
    CHECK_THROWS_AS(parse_labels("{\"a\": 1}"), InputError);
}
