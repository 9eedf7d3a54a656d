#pragma once
// How a target layer's activations are read as K channels of h×w (docs/math.md, "Token and
// channels-last layers"): N×K×h×w maps, N×H×W×C channels-last maps, and token sequences
// [N, T, D] or [T, N, D] of e extra tokens then an h×w grid of patch tokens in row-major order.
// The graph decides a 4-D layer's layout first, its shape second; what neither settles, and a
// token count that fits no grid, is said in one line, never guessed.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model_adapter.h"
#include "onnx_graph.h"
#include "tensor.h"

namespace iscam {

enum class LayerForm { ChannelsFirst, ChannelsLast, Tokens, TokenMajor };

struct LayerReading {
    LayerForm form = LayerForm::ChannelsFirst;
    int64_t channels = 0, height = 0, width = 0;
    int64_t extra_tokens = 0;  // token forms: the leading tokens left out of the map
    bool by_shape = false;     // 4-D: the graph did not settle the layout, the shape did

    bool tokens() const { return form == LayerForm::Tokens || form == LayerForm::TokenMajor; }
    // "channels-first", "channels-last (by shape)", "tokens: CLS + 4×4 grid", ...
    std::string description() const;
};

// What the graph says about a 4-D tensor.
struct GraphLayout {
    // Followed back and forth through ops that keep the layout to a Transpose (0,2,3,1) or
    // (0,3,1,2), a convolution, pooling or normalisation, or the model's input. Unset when the
    // graph settles nothing or contradicts itself.
    std::optional<Layout> layout;
    // Made by a MatMul of two activations (attention scores q·kᵀ, their product with v), then
    // ops that keep the layout: no map of the input, whatever its shape.
    bool activation_product = false;
};
std::vector<GraphLayout> graph_layouts(const GraphInfo& g, const std::vector<std::string>& tensors, Layout input_layout);

struct LayerVerdict {
    std::optional<LayerReading> reading;  // unset: not read as maps
    std::string problem;                  // why not, one line; "" when read
    bool offered = false;                 // listed as a candidate (read, or unreadable only for want of an override)
};
// The reading of one input's activations of `shape` for an input_height × input_width input.
LayerVerdict read_layer(const std::vector<int64_t>& shape, const GraphLayout& graph, int64_t input_height,
                        int64_t input_width, const LayerChoices& choices);

// The activations as the explainer takes them: 1×K×h×w. Throws InputError when `count` is not
// the size the reading was made for.
Tensor to_maps(const LayerReading& reading, const float* data, size_t count);

struct LayerInfo {
    std::string name, op_type;
    std::vector<int64_t> shape;  // as observed by running the model once
    int32_t elem_type = onnx_type::float32;  // the tensor's own type (int8/uint8: read dequantized)
    std::optional<LayerReading> reading;      // unset: offered, but only an override reads it
    std::string problem;                      // why it is not read ("" when it is)
};

// The default target layer among `layers` (graph order): the last one read, as torch-cam picks
// it, or, when that is a token layer, the last encoder block's output (the last token layer made
// by an Add of two computed tensors, a residual). Throws InputError when no layer is read.
size_t default_layer_index(const std::vector<LayerInfo>& layers, const GraphInfo& g);

}  // namespace iscam
