// End to end against the independent PyTorch reference (scripts/reference_cam.py, written from
// docs/math.md): the native ONNX Runtime path must give the same maps within 1e-4.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "classifier.h"
#include "explain_run.h"
#include "npy.h"
#include "test_support.h"

using namespace iscam;

namespace {

void check_against_reference(const std::string& model_path, const std::string& fixture, const std::string& input) {
    std::ifstream in(source_path(fixture));
    REQUIRE(in);
    const auto ref = nlohmann::json::parse(in);
    const Tensor x = read_npy(source_path(input));
    Classifier model = Classifier::from_file(model_path, RuntimeOptions{2});
    model.select_layer(ref["onnx_layer"].get<std::string>(), x.shape);
    for (const auto& [name, expected] : ref["methods"].items()) {
        ExplainRequest req;
        req.methods = {*parse_method(name)};
        req.batch = 64;
        if (ref.contains("contrast") && !ref["contrast"].is_null()) {  // a contrastive map of this class
            req.class_index = ref["class"];
            req.contrast_class = ref["contrast"];
        }
        if (name == "sscam") {
            req.options.sscam_samples = expected["samples"];
            req.options.sscam_sigma = expected["sigma"];
            req.options.seed = expected["seed"];
        }
        if (name == "iscam") req.options.iscam_samples = expected["samples"];
        const ExplainRun run = run_explanation(model, x, req);
        CHECK(run.class_index == ref["class"].get<int>());
        const CamResult r = run.explainer->result(req.methods[0]);
        std::vector<float> want;
        for (const auto& row : expected["map"])
            for (float v : row) want.push_back(v);
        REQUIRE(want.size() == r.map.size());
        const double worst = max_abs_diff(want, r.map);
        INFO(fixture << " " << name << ": max |map - reference| = " << worst);
        CHECK(worst < 1e-4);
        std::printf("%s %s: max abs difference to the PyTorch reference %.3g (%zu passes)\n", fixture.c_str(),
                    name.c_str(), worst, run.forward_passes);
    }
}

}  // namespace

TEST_CASE("default model: the three methods agree with the PyTorch reference") {
    check_against_reference(source_path("web/models/fashion-cnn.onnx"), "tests/fixtures/fashion-reference.json",
                            "tests/fixtures/fashion-input.npy");
}

TEST_CASE("default model: the contrastive maps (ankle boot against sneaker) agree with the PyTorch reference") {
    check_against_reference(source_path("web/models/fashion-cnn.onnx"), "tests/fixtures/fashion-contrast-reference.json",
                            "tests/fixtures/fashion-input.npy");
}

TEST_CASE("torchvision squeezenet1_1 at 224: the three methods agree with the PyTorch reference", "[torchvision]") {
    const std::string model = source_path("build/models/squeezenet1_1.onnx");
    if (!std::filesystem::exists(model)) FAIL("missing " << model << ": run scripts/export_torchvision.py (scripts/test.sh does)");
    check_against_reference(model, "tests/fixtures/squeezenet-reference.json", "tests/fixtures/squeezenet-input.npy");
}
