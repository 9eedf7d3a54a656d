// Reading and patching ONNX bytes, and the core's model analysis (model_adapter) on the
// odd-case models of scripts/make_test_models.py --cases (made by the ctest fixture).
#include <catch2/catch.hpp>

#include "error.h"
#include "file_io.h"
#include "model_adapter.h"
#include "onnx_graph.h"
#include "test_support.h"

using namespace iscam;

namespace {
std::string default_model() { return read_file(source_path("web/models/fashion-cnn.onnx"), "model", kMaxModelBytes); }
std::string case_model(const std::string& name) {
    return read_file(build_path("test-models/case-" + name + ".onnx"), "model", kMaxModelBytes);
}
ModelPlan case_plan(const std::string& name, const ModelChoices& choices = {}) {
    return plan_model(read_onnx(case_model(name)), choices);
}
}  // namespace

TEST_CASE("the default model's graph is read") {
    const GraphInfo g = read_onnx(default_model());
    REQUIRE(g.inputs.size() == 1);
    CHECK(g.opset == 13);
    const ModelPlan plan = plan_model(g);
    CHECK(plan.input.name == "input");
    CHECK(plan.input.batch == 1);
    CHECK(plan.input.channels == 1);
    CHECK(plan.input.height == 28);
    CHECK(plan.input.layout == Layout::NCHW);
    CHECK(plan.input.note.empty());
    CHECK(plan.score.output == "logits");
    CHECK(plan.score.tensor == "logits");
    CHECK(plan.engine_input == "input");
    CHECK(plan.engine_score == "logits");
    CHECK_FALSE(plan.external_data);
    const auto probes = layer_probe_names(g);
    CHECK(probes.size() >= 4);
    CHECK(probes.back().find("pool2") != std::string::npos);
    REQUIRE(plan.probes.size() == probes.size());
    CHECK(plan.probes.back().engine_name == probes.back());
}

TEST_CASE("patching adds outputs and makes the batch symbolic, and keeps everything else") {
    const std::string bytes = default_model();
    const GraphInfo g = read_onnx(bytes);
    PatchOptions p;
    p.extra_outputs = {layer_probe_names(g).back()};
    p.symbolic_batch = true;
    const GraphInfo patched = read_onnx(patch_onnx(bytes, g, p));
    REQUIRE(patched.outputs.size() == 2);
    CHECK(patched.outputs[1].name == p.extra_outputs[0]);
    CHECK(patched.inputs[0].dims[0].param == "batch");
    CHECK(patched.inputs[0].dims[2].value == 28);
    CHECK(patched.outputs[0].dims[0].param == "batch");
    CHECK(patched.nodes.size() == g.nodes.size());
    CHECK(patched.ir_version == g.ir_version);

    const GraphInfo same = read_onnx(patch_onnx(bytes, g, PatchOptions{}));
    CHECK(same.outputs.size() == 1);
    CHECK(same.value_info.size() == g.value_info.size());
}

TEST_CASE("files that are not ONNX models are refused with a reason") {
    CHECK_THROWS_WITH(read_onnx("hello, I am a text file\n"), Catch::Contains("not an ONNX model"));
    CHECK_THROWS_WITH(read_onnx(""), Catch::Contains("not an ONNX model"));
    std::string truncated = default_model();
    truncated.resize(truncated.size() / 3);
    CHECK_THROWS_WITH(read_onnx(truncated), Catch::Contains("not an ONNX model"));
    CHECK_THROWS_AS(read_onnx(read_file(source_path("web/samples/chelsea.png"), "image", kMaxImageBytes)), InputError);
}

TEST_CASE("fields of the wrong wire type are refused, never read or asserted on") {
    // ir_version 7, then a graph whose node has its input (field 1, a string) as a varint.
    const std::string node_input_varint("\x08\x07\x3a\x04\x0a\x02\x08\x01", 8);
    CHECK_THROWS_WITH(read_onnx(node_input_varint), Catch::Contains("wrong protobuf wire type"));
    // The graph itself (field 7, a message) as a varint.
    CHECK_THROWS_WITH(read_onnx(std::string("\x08\x07\x38\x05", 4)), Catch::Contains("wrong protobuf wire type"));
    // Two graphs: not one model.
    const std::string bytes = default_model();
    CHECK_THROWS_AS(read_onnx(bytes + bytes), InputError);
}

TEST_CASE("the patcher meets malformed bytes with an InputError") {
    const std::string bytes = default_model();
    const GraphInfo g = read_onnx(bytes);
    PatchOptions p;
    p.symbolic_batch = true;
    std::string cut = bytes.substr(0, bytes.size() - 100);
    CHECK_THROWS_AS(patch_onnx(cut, g, p), InputError);
    CHECK_THROWS_AS(patch_onnx(std::string("\x08\x07\x3a\x02\x5a\x05", 6), g, p), InputError);
}

TEST_CASE("the score output: logits by rule, by name, before a softmax, or as chosen") {
    CHECK(case_plan("plain").score.tensor == "logits");
    const ModelPlan not_first = case_plan("logits-not-first");
    CHECK(not_first.score.output == "logits");
    CHECK(not_first.score_outputs == std::vector<std::string>{"flat", "logits"});
    CHECK(case_plan("logits-not-first", {"flat", {}}).score.tensor == "flat");
    CHECK_THROWS_WITH(case_plan("plain", {"nope", {}}), Catch::Contains("'nope' is not an output of the model (its outputs: 'logits')"));

    const ModelPlan softmax = case_plan("softmax-last");
    CHECK(softmax.score.output == "probabilities");
    CHECK(softmax.score.tensor == "logits");
    CHECK_THAT(softmax.score.note, Catch::Contains("Softmax") && Catch::Contains("'logits'"));
    CHECK(softmax.engine_score == "logits");

    const ModelPlan half = case_plan("float16");
    CHECK(half.score.elem_type == onnx_type::float16);
    CHECK(half.engine_score != "logits");
    CHECK(case_plan("logits-1d").score.output == "logits");
}

TEST_CASE("the input: layout from the shape or as chosen, type, dynamic size") {
    const ModelPlan nhwc = case_plan("nhwc");
    CHECK(nhwc.input.layout == Layout::NHWC);
    CHECK(nhwc.input.channels == 3);
    CHECK(nhwc.input.height == 16);
    CHECK_THAT(nhwc.input.note, Catch::Contains("channels last"));
    CHECK(nhwc.engine_input != "input");
    const ModelPlan forced = case_plan("nhwc", {"", Layout::NCHW});  // 1×16×16×3 read as N×C×H×W
    CHECK(forced.input.layout == Layout::NCHW);
    CHECK(forced.input.channels == 16);

    const ModelPlan u8 = case_plan("uint8");
    CHECK(u8.input.elem_type == onnx_type::uint8);
    CHECK_THAT(u8.input.note, Catch::Contains("rounded and clipped to 0..255"));
    CHECK(case_plan("float16").input.elem_type == onnx_type::float16);

    const ModelPlan dynamic = case_plan("dynamic-hw");
    CHECK(dynamic.input.height == -1);
    CHECK(dynamic.input.width == -1);
    CHECK(case_plan("1000-channels").input.channels == 1000);
    CHECK(case_plan("external-data").external_data);
}

TEST_CASE("the engine model takes float32 N×C×H×W and gives the score and layers as float32") {
    for (const char* name : {"nhwc", "uint8", "float16", "softmax-last"}) {
        INFO(name);
        const std::string bytes = case_model(name);
        const GraphInfo g = read_onnx(bytes);
        const ModelPlan plan = plan_model(g);
        EngineOptions o;
        o.layers = {"relu2"};
        o.symbolic_batch = true;
        const GraphInfo engine = read_onnx(engine_model(bytes, g, plan, o));
        REQUIRE(engine.inputs.size() == 1);
        CHECK(engine.inputs[0].name == plan.engine_input);
        CHECK(engine.inputs[0].elem_type == onnx_type::float32);
        REQUIRE(engine.inputs[0].dims.size() == 4);
        CHECK(engine.inputs[0].dims[0].param == "batch");
        CHECK(engine.inputs[0].dims[1].value == 3);
        CHECK(engine.inputs[0].dims[3].value == 16);
        REQUIRE(engine.outputs.size() == 2);
        CHECK(engine.outputs[0].name == plan.engine_score);
        CHECK(engine.outputs[1].name == "relu2");
        // The model's own input is made by the added nodes, in front of the graph's.
        const NodeDecl* feeds = engine.producer(plan.input.name);
        if (plan.engine_input != plan.input.name) {
            REQUIRE(feeds);
            CHECK(feeds->name.rfind("iscam_patch_", 0) == 0);
            CHECK(engine.nodes.front().name.rfind("iscam_patch_", 0) == 0);
        }
    }
}

TEST_CASE("a model without a probe-able layer has no probes") {
    CHECK(case_plan("no-layer").probes.empty());
}
