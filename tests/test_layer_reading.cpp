// How target layers are read as K channels of h×w (core/layer_reading.h): maps, channels-last
// maps by graph and by shape, token grids of 0, 1 or 2 extra tokens, the overrides, the one-line
// refusals, the reshape itself and the default layer.
#include <catch2/catch.hpp>

#include "error.h"
#include "layer_reading.h"

using namespace iscam;

namespace {

NodeDecl node(std::string op, std::vector<std::string> inputs, std::string output,
              std::vector<int64_t> perm = {}) {
    NodeDecl n;
    n.name = output + "_node";
    n.op_type = std::move(op);
    n.inputs = std::move(inputs);
    n.outputs = {std::move(output)};
    if (!perm.empty()) n.ints_attributes.push_back({"perm", perm});
    return n;
}

GraphInfo graph(std::vector<NodeDecl> nodes) {
    GraphInfo g;
    g.inputs.push_back({"x", onnx_type::float32, true, {}});
    g.initializers.push_back({"w", onnx_type::float32, {8, 8}, false});
    g.nodes = std::move(nodes);
    return g;
}

LayerReading read(const std::vector<int64_t>& shape, int64_t H, int64_t W, const LayerChoices& c = {},
                  GraphLayout hint = {}) {
    const LayerVerdict v = read_layer(shape, hint, H, W, c);
    INFO(v.problem);
    REQUIRE(v.reading);
    CHECK(v.offered);
    return *v.reading;
}

LayerVerdict refusal(const std::vector<int64_t>& shape, int64_t H, int64_t W, const LayerChoices& c = {},
                     GraphLayout hint = {}) {
    const LayerVerdict v = read_layer(shape, hint, H, W, c);
    CHECK_FALSE(v.reading);
    CHECK_FALSE(v.problem.empty());
    CHECK(v.problem.find('\n') == std::string::npos);
    return v;
}

LayerInfo info(std::string name, std::string op, std::vector<int64_t> shape, int64_t H = 32, int64_t W = 32) {
    const LayerVerdict v = read_layer(shape, GraphLayout{}, H, W, {});
    return {std::move(name), std::move(op), std::move(shape), onnx_type::float32, v.reading, v.problem};
}

}  // namespace

TEST_CASE("token layers: 0, 1 or 2 extra tokens, a grid of the input's aspect ratio, token-major too") {
    const LayerReading cls = read({1, 17, 32}, 32, 32);
    CHECK(cls.form == LayerForm::Tokens);
    CHECK(cls.extra_tokens == 1);
    CHECK((cls.channels == 32 && cls.height == 4 && cls.width == 4));
    CHECK(cls.description() == "tokens: CLS + 4×4 grid");
    CHECK(read({1, 18, 32}, 32, 32).description() == "tokens: CLS + distillation + 4×4 grid");
    CHECK(read({1, 196, 8}, 224, 224).description() == "tokens: 14×14 grid");
    const LayerReading wide = read({1, 25, 16}, 32, 48);
    CHECK((wide.height == 4 && wide.width == 6 && wide.extra_tokens == 1));
    const LayerReading major = read({17, 1, 32}, 32, 32);
    CHECK(major.form == LayerForm::TokenMajor);
    CHECK(major.description() == "tokens (token-major): CLS + 4×4 grid");
    // ViT-B/16 at 224: 197 = 1 + 14·14
    CHECK(read({1, 197, 768}, 224, 224).description() == "tokens: CLS + 14×14 grid");
}

TEST_CASE("token counts no rule fits, or more than one grid fits, are refused with the way out") {
    const LayerVerdict three = refusal({1, 19, 16}, 32, 32);
    CHECK(three.offered);
    CHECK_THAT(three.problem, Catch::Contains("19 tokens make no grid") && Catch::Contains("--tokens"));
    // 6 tokens of a 32×48 input: a 2×3 grid (16-pixel patches) or CLS + distillation + 2×2 (24, padded)
    const LayerVerdict two_grids = refusal({1, 6, 8}, 32, 48);
    CHECK(two_grids.offered);
    CHECK_THAT(two_grids.problem, Catch::Contains("more than one grid") && Catch::Contains("--grid"));
    CHECK_THAT(refusal({2, 17, 8}, 32, 32).problem, Catch::Contains("not the tokens of one input"));
    CHECK_FALSE(refusal({2, 17, 8}, 32, 32).offered);
}

TEST_CASE("--tokens and --grid read what the rule does not, and say when they do not fit") {
    LayerChoices e3;
    e3.extra_tokens = 3;
    const LayerReading r = read({1, 19, 16}, 32, 32, e3);
    CHECK(r.description() == "tokens: 3 extra + 4×4 grid");
    LayerChoices grid;
    grid.grid = std::pair<int64_t, int64_t>{2, 8};
    const LayerReading g = read({1, 17, 16}, 32, 32, grid);
    CHECK((g.height == 2 && g.width == 8 && g.extra_tokens == 1));
    grid.grid = std::pair<int64_t, int64_t>{3, 3};
    CHECK_THAT(refusal({1, 19, 16}, 32, 32, grid).problem, Catch::Contains("a 3×3 grid does not make 19 tokens"));
    e3.grid = std::pair<int64_t, int64_t>{3, 3};
    CHECK_THAT(refusal({1, 19, 16}, 32, 32, e3).problem, Catch::Contains("a 3×3 grid and 3 extra tokens do not make 19 tokens"));
    LayerChoices all;
    all.extra_tokens = 19;
    CHECK_THAT(refusal({1, 19, 16}, 32, 32, all).problem, Catch::Contains("leave no patch tokens"));
}

TEST_CASE("4-D layers: the graph's layout first, then the shape, never a guess") {
    CHECK(read({1, 64, 7, 7}, 224, 224, {}, GraphLayout{Layout::NCHW}).description() == "channels-first");
    const LayerReading last = read({1, 8, 8, 24}, 32, 32, {}, GraphLayout{Layout::NHWC});
    CHECK((last.form == LayerForm::ChannelsLast && last.channels == 24 && last.height == 8 && last.width == 8));
    CHECK(last.description() == "channels-last");
    // No graph hint: only one reading has the input's aspect ratio.
    CHECK(read({1, 8, 8, 24}, 32, 32).description() == "channels-last (by shape)");
    CHECK(read({1, 24, 8, 8}, 32, 32).description() == "channels-first (by shape)");
    CHECK(read({1, 4, 6, 16}, 32, 48).description() == "channels-last (by shape)");
    // Both readings fit: offered with the reason, read only by --layer-layout.
    const LayerVerdict both = refusal({1, 8, 8, 8}, 32, 32);
    CHECK(both.offered);
    CHECK_THAT(both.problem, Catch::Contains("--layer-layout"));
    LayerChoices nhwc;
    nhwc.layout = Layout::NHWC;
    CHECK(read({1, 8, 8, 8}, 32, 32, nhwc).form == LayerForm::ChannelsLast);
    // The override wins over the graph.
    CHECK(read({1, 8, 8, 24}, 32, 32, nhwc, GraphLayout{Layout::NCHW}).channels == 24);
    CHECK_FALSE(refusal({1, 64, 1, 1}, 224, 224).offered);
    CHECK_FALSE(refusal({1, 64, 1, 1}, 224, 224, {}, GraphLayout{Layout::NCHW}).offered);
    CHECK_FALSE(refusal({1, 10}, 224, 224).offered);
}

TEST_CASE("the graph's layout: followed through layout-keeping ops to a Transpose, a Conv or the input") {
    const GraphInfo g = graph({
        node("Conv", {"x", "w"}, "c"),
        node("Relu", {"c"}, "r"),
        node("Transpose", {"r"}, "t", {0, 2, 3, 1}),
        node("MatMul", {"t", "w"}, "m"),
        node("Relu", {"m"}, "a"),
        node("Transpose", {"a"}, "back", {0, 3, 1, 2}),
        node("Reshape", {"back", "w"}, "reshaped"),
        node("Relu", {"reshaped"}, "unknown"),
        node("Transpose", {"unknown"}, "mixed", {0, 2, 1, 3}),
    });
    const auto layouts = graph_layouts(g, {"x", "c", "r", "t", "m", "a", "back", "unknown", "mixed"}, Layout::NCHW);
    CHECK(layouts[0].layout == Layout::NCHW);
    CHECK(layouts[1].layout == Layout::NCHW);
    CHECK(layouts[2].layout == Layout::NCHW);
    CHECK(layouts[3].layout == Layout::NHWC);
    CHECK(layouts[4].layout == Layout::NHWC);
    CHECK(layouts[5].layout == Layout::NHWC);  // back from the Transpose (0,2,3,1), forward to its inverse
    CHECK(layouts[6].layout == Layout::NCHW);
    CHECK_FALSE(layouts[7].layout);  // behind a Reshape and before a Transpose of another perm: untold
    CHECK_FALSE(layouts[8].layout);
}

TEST_CASE("a graph that contradicts itself settles nothing") {
    // An Add of a channels-first and a channels-last tensor.
    const GraphInfo g = graph({
        node("Conv", {"x", "w"}, "c"),
        node("Transpose", {"c"}, "t", {0, 2, 3, 1}),
        node("Add", {"c", "t"}, "sum"),
    });
    CHECK_FALSE(graph_layouts(g, {"sum"}, Layout::NCHW)[0].layout);
}

TEST_CASE("attention scores, a MatMul of two activations, are no map whatever their shape") {
    const GraphInfo g = graph({
        node("MatMul", {"x", "w"}, "q"),
        node("MatMul", {"x", "w"}, "k"),
        node("Transpose", {"k"}, "kt", {0, 1, 3, 2}),
        node("MatMul", {"q", "kt"}, "scores"),
        node("Mul", {"scores", "w"}, "scaled"),
        node("Softmax", {"scaled"}, "attn"),
        node("Reshape", {"attn", "w"}, "merged"),
    });
    const auto layouts = graph_layouts(g, {"q", "scores", "scaled", "attn", "merged"}, Layout::NCHW);
    CHECK_FALSE(layouts[0].activation_product);  // an activation times a weight
    CHECK(layouts[1].activation_product);
    CHECK(layouts[2].activation_product);
    CHECK(layouts[3].activation_product);
    CHECK_FALSE(layouts[4].activation_product);
    // 2 heads of 17×17 scores fit a 32×32 input by shape, and are still refused, not offered.
    const LayerVerdict v = refusal({1, 2, 17, 17}, 32, 32, {}, layouts[3]);
    CHECK_FALSE(v.offered);
    CHECK_THAT(v.problem, Catch::Contains("product of two activations"));
}

TEST_CASE("the reshape: channels-last and token grids become 1×K×h×w, extra tokens left out") {
    LayerReading last;
    last.form = LayerForm::ChannelsLast;
    last.channels = 2, last.height = 1, last.width = 3;
    const float hwc[] = {1, 2, 3, 4, 5, 6};  // pixel 0: (1, 2), pixel 1: (3, 4), pixel 2: (5, 6)
    const Tensor maps = to_maps(last, hwc, 6);
    CHECK(maps.shape == std::vector<int64_t>{1, 2, 1, 3});
    CHECK(maps.data == std::vector<float>{1, 3, 5, 2, 4, 6});

    LayerReading tokens;
    tokens.form = LayerForm::Tokens;
    tokens.channels = 2, tokens.height = 2, tokens.width = 2, tokens.extra_tokens = 2;
    const float ntd[] = {90, 91, 80, 81, 1, 2, 3, 4, 5, 6, 7, 8};  // CLS, distillation, then (y, x) row-major
    const Tensor grid = to_maps(tokens, ntd, 12);
    CHECK(grid.shape == std::vector<int64_t>{1, 2, 2, 2});
    CHECK(grid.data == std::vector<float>{1, 3, 5, 7, 2, 4, 6, 8});
    CHECK_THROWS_AS(to_maps(tokens, ntd, 10), InputError);
}

TEST_CASE("the default layer: the last read, or for a ViT the last encoder block's output") {
    GraphInfo g = graph({
        node("Conv", {"x", "w"}, "patch"),
        node("Add", {"tokens", "pos"}, "embedded"),  // + position embedding (an initializer): not a block
        node("MatMul", {"embedded", "w"}, "attn"),
        node("Add", {"embedded", "attn"}, "block0"),
        node("MatMul", {"block0", "w"}, "mlp"),
        node("Add", {"block0", "mlp"}, "block1"),
        node("LayerNormalization", {"block1", "w"}, "norm"),
    });
    g.initializers.push_back({"pos", onnx_type::float32, {1, 17, 32}, false});
    const std::vector<LayerInfo> vit = {info("patch", "Conv", {1, 32, 4, 4}), info("embedded", "Add", {1, 17, 32}),
                                        info("attn", "MatMul", {1, 17, 32}), info("block0", "Add", {1, 17, 32}),
                                        info("mlp", "MatMul", {1, 17, 32}), info("block1", "Add", {1, 17, 32}),
                                        info("norm", "LayerNormalization", {1, 17, 32})};
    CHECK(vit[default_layer_index(vit, g)].name == "block1");

    const std::vector<LayerInfo> cnn = {info("a", "Conv", {1, 8, 16, 16}), info("b", "Relu", {1, 8, 8, 8})};
    CHECK(default_layer_index(cnn, g) == 0);  // 1×8×8×8 of a 32×32 input: not read, never the default

    const std::vector<LayerInfo> none = {info("b", "Relu", {1, 8, 8, 8})};
    CHECK_THROWS_WITH(default_layer_index(none, g), Catch::Contains("no layer that reads") && Catch::Contains("--layer-layout"));
}
