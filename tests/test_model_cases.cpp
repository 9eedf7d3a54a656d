// Models as people bring them, through the native backend: the odd cases of
// scripts/make_test_models.py --cases (each the same CNN seen another way: the same class and
// map as the plain model), and int8 QDQ / QOperator models of scripts/quantize_onnx.py (maps
// that agree with the float model's). Both are made by ctest fixtures (tests/CMakeLists.txt).
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <filesystem>

#include "error.h"
#include "explain_run.h"
#include "model_loader.h"
#include "test_support.h"

using namespace iscam;

namespace {

std::string case_path(const std::string& name) { return build_path("test-models/case-" + name + ".onnx"); }

struct Explained {
    int top1;
    std::vector<float> logits, scorecam, iscam;
};

Explained explain(const std::string& model_path, const std::string& image_path, ModelOptions o = {},
                  const std::string& layer = "", int channels = 0) {
    o.runtime.threads = 1;
    LoadedModel m = load_model(model_path, o);
    const Tensor x = m.input_from_image(load_image(image_path));
    m.classifier.select_layer(layer.empty() ? m.default_layer() : layer, m.input_shape());
    ExplainRequest r;
    r.methods = {Method::ScoreCAM, Method::ISCAM};
    r.options.channels = channels;
    const ExplainRun run = run_explanation(m.classifier, x, r);
    return {run.class_index, run.logits, run.explainer->result(Method::ScoreCAM).map, run.explainer->result(Method::ISCAM).map};
}

const std::string kImage = build_path("test-models/case-image.png");

}  // namespace

TEST_CASE("odd models give the plain model's class and maps") {
    const Explained plain = explain(case_path("plain"), kImage, {}, "relu2");
    for (const char* name : {"logits-1d", "logits-not-first", "softmax-last", "nhwc", "external-data"}) {
        INFO(name);
        const Explained e = explain(case_path(name), kImage, {}, "relu2");
        CHECK(e.top1 == plain.top1);
        CHECK(max_abs_diff(e.logits, plain.logits) < 1e-5);
        CHECK(max_abs_diff(e.scorecam, plain.scorecam) < 1e-5);
        CHECK(max_abs_diff(e.iscam, plain.iscam) < 1e-5);
    }
    ModelOptions size16;
    size16.size = std::make_pair(16, 16);
    const Explained dynamic = explain(case_path("dynamic-hw"), kImage, size16, "relu2");
    CHECK(max_abs_diff(dynamic.iscam, plain.iscam) < 1e-5);

    // float16 input and logits: the masked inputs are rounded to float16 (11 significant bits).
    const Explained half = explain(case_path("float16"), kImage, {}, "relu2");
    CHECK(half.top1 == plain.top1);
    CHECK(max_abs_diff(half.logits, plain.logits) < 1e-2);
    CHECK(max_abs_diff(half.scorecam, plain.scorecam) < 2e-2);
}

TEST_CASE("a uint8 input gets 0..255 pixels, rounded; its maps match the float model of pixels") {
    // case-pixels takes the same 0..255 values as float32; the image is 16×16, the model's size,
    // so the pixels are whole numbers and only the masked inputs are rounded for uint8.
    ModelOptions pixels;
    pixels.preset = "pixels";
    const Explained reference = explain(case_path("pixels"), kImage, pixels, "relu2");
    const Explained u8 = explain(case_path("uint8"), kImage, {}, "relu2");
    CHECK(u8.top1 == reference.top1);
    CHECK(max_abs_diff(u8.logits, reference.logits) < 1e-4);
    // Score-CAM's masked inputs stay in 0..255 (rounding only); IS-CAM's scaled ones saturate at 255.
    CHECK(pearson(u8.scorecam, reference.scorecam) > 0.999);
    CHECK(pearson(u8.iscam, reference.iscam) > 0.9);
}

TEST_CASE("a dynamic input size takes the size asked for") {
    ModelOptions o;
    o.size = std::make_pair(24, 20);
    LoadedModel m = load_model(case_path("dynamic-hw"), o);
    CHECK(m.input_shape() == std::vector<int64_t>{1, 3, 24, 20});
    const auto layers = m.classifier.layers(m.input_shape());
    REQUIRE_FALSE(layers.empty());
    CHECK(layers.back().shape == std::vector<int64_t>{1, 8, 24, 20});
}

TEST_CASE("a softmax output is scored through its input; predict does not apply softmax twice") {
    LoadedModel plain = load_model(case_path("plain"), {});
    LoadedModel soft = load_model(case_path("softmax-last"), {});
    const Tensor x = plain.input_from_image(load_image(kImage));
    CHECK(max_abs_diff(plain.classifier.logits(x), soft.classifier.logits(x)) < 1e-6);
    CHECK_THAT(soft.classifier.plan().score.note, Catch::Contains("Softmax"));
}

TEST_CASE("models that do not fit are refused with a reason naming the model") {
    const Image image = load_image(kImage);
    LoadedModel wide = load_model(case_path("1000-channels"), {});
    CHECK_THROWS_WITH(wide.input_from_image(image), Catch::Contains("case-1000-channels.onnx") && Catch::Contains("1000 input channels"));
    CHECK_THROWS_WITH(wide.classifier.logits(Tensor({1, 3, 8, 8})), Catch::Contains("takes inputs of 1000 channels"));

    LoadedModel reshape = load_model(case_path("reshape-2"), {});
    const Tensor x = reshape.input_from_image(image);
    reshape.classifier.select_layer("relu2", reshape.input_shape());
    ExplainRequest r;
    r.batch = 32;
    CHECK_THROWS_WITH(run_explanation(reshape.classifier, x, r), Catch::Contains("has shape 2×64 for a batch of 32"));

    LoadedModel none = load_model(case_path("no-layer"), {});
    CHECK_THROWS_WITH(none.default_layer(), Catch::Contains("no tensor that could be a target layer"));
    ModelOptions bad_output;
    bad_output.choices.output = "probabilities";
    CHECK_THROWS_WITH(load_model(case_path("plain"), bad_output), Catch::Contains("not an output of the model"));

    // External data needs the file beside the model, and a folder to find it in.
    CHECK_THROWS_WITH(load_model_from_bytes(read_file(case_path("external-data"), "model", kMaxModelBytes), {}),
                      Catch::Contains("external data"));
    const std::string lonely = build_path("test-models/lonely/case-external-data.onnx");
    std::filesystem::create_directories(build_path("test-models/lonely"));
    std::filesystem::copy_file(case_path("external-data"), lonely, std::filesystem::copy_options::overwrite_existing);
    CHECK_THROWS_WITH(load_model(lonely, {}).default_layer(), Catch::Contains("lonely/case-external-data.onnx") &&
                                                                   Catch::Contains("ONNX Runtime cannot load the model"));
}

TEST_CASE("int8 models: layers, predict and explain with no layer given, maps that agree with the float model's") {
    const std::string float_model = source_path("web/models/fashion-cnn.onnx");
    for (const char* form : {"qdq", "qoperator"}) {
        const std::string int8 = build_path(std::string("test-models/fashion-cnn-int8-") + form + ".onnx");
        INFO(form);
        LoadedModel m = load_model(int8, {});
        const auto layers = m.classifier.layers(m.input_shape());
        REQUIRE(layers.size() >= 4);
        CHECK(layers.back().op_type == "DequantizeLinear");
        CHECK(layers.back().shape == std::vector<int64_t>{1, 64, 7, 7});
        if (std::string(form) == "qoperator") {
            CHECK(layers.front().op_type == "QLinearConv");
            CHECK(layers.front().elem_type == onnx_type::uint8);
        }
        for (const char* sample : {"fashion-0-ankle-boot", "fashion-1-pullover", "fashion-9-sneaker"}) {
            INFO(sample);
            const std::string image = source_path(std::string("web/samples/") + sample + ".png");
            const Explained f = explain(float_model, image);
            const Explained q = explain(int8, image);
            CHECK(q.top1 == f.top1);
            CHECK(pearson(q.scorecam, f.scorecam) >= 0.99);
            CHECK(pearson(q.iscam, f.iscam) >= 0.9);
        }
    }
}

TEST_CASE("an int8 torchvision model: quantized candidates, the float model's class, fast mode") {
    const std::string float_model = source_path("build/models/squeezenet1_1.onnx");
    const std::string int8 = build_path("test-models/squeezenet1_1-int8-qoperator.onnx");
    ModelOptions o;
    o.runtime.threads = 2;
    LoadedModel m = load_model(int8, o);
    const auto layers = m.classifier.layers(m.input_shape());
    REQUIRE_FALSE(layers.empty());
    CHECK(std::any_of(layers.begin(), layers.end(), [](const LayerInfo& l) { return l.op_type == "QLinearConcat"; }));
    const std::string image = source_path("web/samples/chelsea.png");
    LoadedModel f = load_model(float_model, o);
    const Tensor x = f.input_from_image(load_image(image));
    // Random weights leave the top logits nearly tied: the int8 top-1 is among the float top-5.
    const auto fl = f.classifier.logits(x), ql = m.classifier.logits(x);
    const float q_top = fl[size_t(std::max_element(ql.begin(), ql.end()) - ql.begin())];
    CHECK(std::count_if(fl.begin(), fl.end(), [&](float v) { return v > q_top; }) < 5);
    const Explained e = explain(int8, image, o, "", 16);
    CHECK(e.iscam.size() == 13 * 13);
}
