#pragma once
// What the engine needs to know about an ONNX classifier, and the model as the engine sees it:
// one float32 N×C×H×W input, one float32 score (logits) output, target layers as float32 tensors.
// The model's own input layout (N×H×W×C) and type (uint8, float16, float64), a probabilities
// output (Softmax), a float16 score and quantized activations are bridged by nodes the patch
// adds, so every backend (ONNX Runtime native and CUDA, ONNX Runtime Web) and the explainer run
// unchanged: masking stays on the float input, after mean/std (SPEC step 3).
#include <optional>
#include <string>
#include <vector>

#include "onnx_graph.h"

namespace iscam {

enum class Layout { NCHW, NHWC };
const char* layout_name(Layout l);  // "nchw", "nhwc"
std::optional<Layout> parse_layout(const std::string& s);

// How target layers are read where the rules (layer_reading.h) should not decide; unset: by rule.
struct LayerChoices {
    std::optional<int64_t> extra_tokens;               // token layers: tokens before the patch tokens
    std::optional<std::pair<int64_t, int64_t>> grid;   // token layers: the patch grid, h and w
    std::optional<Layout> layout;                      // 4-D layers: N×C×H×W or N×H×W×C
};

// What the user may decide instead of the rules.
struct ModelChoices {
    std::string output;            // the score output by name; "": by rule
    std::optional<Layout> layout;  // unset: from the input's shape
    LayerChoices layer;
};

// The model's image input. The dimensions are in N×C×H×W order whatever the model's layout,
// as the engine feeds them; -1 = symbolic.
struct InputInfo {
    std::string name;
    int64_t batch = -1, channels = -1, height = -1, width = -1;
    Layout layout = Layout::NCHW;
    int32_t elem_type = onnx_type::float32;
    std::string note;  // one line when the input is adapted (layout or type), else ""
};

// The tensor read as the class scores.
struct ScoreInfo {
    std::string output;  // the graph output chosen (rule or --output)
    std::string tensor;  // that output, or the input of the Softmax/LogSoftmax that makes it
    int32_t elem_type = onnx_type::float32;
    std::string note;    // one line when tensor != output
};

// A tensor worth probing as a target layer.
struct ProbeLayer {
    std::string name, op_type;
    int32_t elem_type = onnx_type::float32;  // uint8/int8: quantized activations
    std::string scale, zero_point;            // quantized: the producer's output scale and zero point
    std::string engine_name;                  // the float32 tensor the engine model exposes for it
};

struct ModelPlan {
    InputInfo input;
    std::vector<std::string> score_outputs;  // the graph outputs that fit the score rule
    ScoreInfo score;
    std::vector<ProbeLayer> probes;          // graph order
    bool external_data = false;              // initializers in files beside the model
    std::string engine_input, engine_score;  // names in the engine model

    const ProbeLayer* probe(const std::string& name) const;
    // The engine model's float32 tensor for a target layer (a probe, or any tensor of the model).
    std::string engine_layer(const std::string& layer) const;
};

// Throws InputError naming what does not fit: no single 4-D image input, an input type the
// engine cannot feed, no output of class scores, an unknown --output.
ModelPlan plan_model(const GraphInfo& g, const ModelChoices& choices = {});

struct EngineOptions {
    std::vector<std::string> layers;  // target layers to expose (the model's names)
    bool symbolic_batch = false;      // make dim 0 of the input and outputs symbolic
};
// The engine model: input plan.engine_input, outputs plan.engine_score then the layers' engine
// tensors, in that order (the model's own outputs are dropped).
std::string engine_model(const std::string& bytes, const GraphInfo& g, const ModelPlan& plan,
                         const EngineOptions& options);

}  // namespace iscam
