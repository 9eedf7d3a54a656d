#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>

#include "error.h"
#include "onnx_graph.h"
#include "test_support.h"

using namespace iscam;

namespace {
std::string default_model() {
    std::ifstream in(source_path("web/models/fashion-cnn.onnx"), std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}
}  // namespace

TEST_CASE("the default model's graph is read") {
    const GraphInfo g = read_onnx(default_model());
    REQUIRE(g.inputs.size() == 1);
    const InputInfo in = image_input(g);
    CHECK(in.name == "input");
    CHECK(in.batch == 1);
    CHECK(in.channels == 1);
    CHECK(in.height == 28);
    CHECK(g.outputs.front().name == "logits");
    const auto probes = layer_probe_names(g);
    CHECK(probes.size() >= 4);
    CHECK(probes.back().find("pool2") != std::string::npos);
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
    std::ifstream png(source_path("web/samples/chelsea.png"), std::ios::binary);
    CHECK_THROWS_AS(read_onnx(std::string((std::istreambuf_iterator<char>(png)), std::istreambuf_iterator<char>())),
                    InputError);
}

TEST_CASE("candidate shapes are 4-D with spatial size > 1") {
    CHECK(is_candidate_shape({1, 64, 7, 7}));
    CHECK(is_candidate_shape({1, 64, 1, 7}));
    CHECK_FALSE(is_candidate_shape({1, 64, 1, 1}));
    CHECK_FALSE(is_candidate_shape({1, 10}));
}
