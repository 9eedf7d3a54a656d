// Token and channels-last layers end to end against the independent PyTorch reference
// (scripts/make_layer_models.py through scripts/reference_cam.py, the layer reshaped as
// docs/math.md, "Token and channels-last layers" says): the native path within 1e-4, the layer
// listed and read as the reference reads it, and the models no rule reads refused with a reason.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "classifier.h"
#include "explain_run.h"
#include "npy.h"
#include "test_support.h"

using namespace iscam;

namespace {

std::string model_file(const std::string& name, const std::string& suffix) {
    return build_path("test-models/layers/" + name + suffix);
}

nlohmann::json reference(const std::string& name) {
    std::ifstream in(model_file(name, ".reference.json"));
    REQUIRE(in);
    return nlohmann::json::parse(in);
}

const LayerInfo& listed(const std::vector<LayerInfo>& layers, const std::string& name) {
    const auto it = std::find_if(layers.begin(), layers.end(), [&](const LayerInfo& l) { return l.name == name; });
    REQUIRE(it != layers.end());
    return *it;
}

void check_maps(Classifier& model, const nlohmann::json& ref, const Tensor& x, const std::string& name) {
    model.select_layer(ref["onnx_layer"].get<std::string>(), x.shape);
    for (const auto& [method, expected] : ref["methods"].items()) {
        ExplainRequest req;
        req.methods = {*parse_method(method)};
        if (method == "sscam") {
            req.options.sscam_samples = expected["samples"];
            req.options.sscam_sigma = expected["sigma"];
            req.options.seed = expected["seed"];
        }
        if (method == "iscam") req.options.iscam_samples = expected["samples"];
        const ExplainRun run = run_explanation(model, x, req);
        CHECK(run.class_index == ref["class"].get<int>());
        std::vector<float> want;
        for (const auto& row : expected["map"])
            for (float v : row) want.push_back(v);
        const CamResult r = run.explainer->result(req.methods[0]);
        REQUIRE(want.size() == r.map.size());
        const double worst = max_abs_diff(want, r.map);
        INFO(name << " " << method << ": max |map - reference| = " << worst);
        CHECK(worst < 1e-4);
    }
}

}  // namespace

TEST_CASE("ViTs and a channels-last CNN: read by rule, the default as practice has it, maps as the reference") {
    for (const std::string name : {"vit-cls", "vit-dist", "vit-mean", "vit-wide", "vit-token-major", "cnn-channels-last"}) {
        INFO(name);
        const auto ref = reference(name);
        const Tensor x = read_npy(model_file(name, "-input.npy"));
        Classifier model = Classifier::from_file(model_file(name, ".onnx"), RuntimeOptions{2});
        const auto layers = model.layers(x.shape);
        const LayerInfo& layer = listed(layers, ref["onnx_layer"].get<std::string>());
        REQUIRE(layer.reading);
        CHECK(layer.reading->description() == ref["reading"].get<std::string>());
        if (name.rfind("vit", 0) == 0) CHECK(model.default_layer(x.shape) == layer.name);
        check_maps(model, ref, x, name);
        const auto& read = *model.layer_reading();
        CHECK(std::vector<int64_t>{1, read.channels, read.height, read.width} ==
              ref["activation_shape"].get<std::vector<int64_t>>());
    }
}

TEST_CASE("a token count no rule fits: offered with the reason, refused, read with --tokens") {
    const auto ref = reference("bad-tokens");
    const Tensor x = read_npy(model_file("bad-tokens", "-input.npy"));
    Classifier model = Classifier::from_file(model_file("bad-tokens", ".onnx"), RuntimeOptions{2});
    const auto layers = model.layers(x.shape);
    const LayerInfo& layer = listed(layers, ref["onnx_layer"].get<std::string>());
    CHECK_FALSE(layer.reading);
    CHECK_THAT(layer.problem, Catch::Contains("19 tokens"));
    model.select_layer(layer.name, x.shape);
    CHECK_THROWS_WITH(model.forward_with_layer(x), Catch::Contains("19 tokens") && Catch::Contains("--tokens"));
    ModelChoices three;
    three.layer.extra_tokens = 3;
    Classifier overridden = Classifier::from_file(model_file("bad-tokens", ".onnx"), RuntimeOptions{2}, three);
    check_maps(overridden, ref, x, "bad-tokens --tokens 3");
}

TEST_CASE("a layout nothing tells: offered with the reason, never the default, read with --layer-layout") {
    const auto ref = reference("bad-layout");
    const Tensor x = read_npy(model_file("bad-layout", "-input.npy"));
    Classifier model = Classifier::from_file(model_file("bad-layout", ".onnx"), RuntimeOptions{2});
    const auto layers = model.layers(x.shape);
    const LayerInfo& layer = listed(layers, ref["onnx_layer"].get<std::string>());
    CHECK_FALSE(layer.reading);
    CHECK_THAT(layer.problem, Catch::Contains("--layer-layout"));
    CHECK(model.default_layer(x.shape) != layer.name);
    ModelChoices nhwc;
    nhwc.layer.layout = Layout::NHWC;
    Classifier overridden = Classifier::from_file(model_file("bad-layout", ".onnx"), RuntimeOptions{2}, nhwc);
    check_maps(overridden, ref, x, "bad-layout --layer-layout nhwc");
}
