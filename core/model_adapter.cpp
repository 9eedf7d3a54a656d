#include "model_adapter.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>
#include <unordered_set>

#include "error.h"

namespace iscam {

const char* layout_name(Layout l) { return l == Layout::NHWC ? "nhwc" : "nchw"; }

std::optional<Layout> parse_layout(const std::string& s) {
    if (s == "nchw") return Layout::NCHW;
    if (s == "nhwc") return Layout::NHWC;
    return std::nullopt;
}

namespace {

bool is_float_type(int32_t t) {
    return t == onnx_type::float32 || t == onnx_type::float16 || t == onnx_type::float64;
}

std::string lower(std::string s) {
    for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string join(const std::vector<std::string>& names) {
    std::string s;
    for (const auto& n : names) s += (s.empty() ? "'" : ", '") + n + "'";
    return s;
}

std::string dims_text(const ValueDecl& v) {
    std::string s;
    for (const Dim& d : v.dims) s += (s.empty() ? "" : "×") + (d.value >= 0 ? std::to_string(d.value) : std::string("?"));
    return s;
}

InputInfo analyse_input(const GraphInfo& g, const ModelChoices& choices) {
    if (g.inputs.size() != 1) {
        std::vector<std::string> names;
        for (const auto& v : g.inputs) names.push_back(v.name);
        throw InputError("the model has " + std::to_string(g.inputs.size()) + " inputs (" + join(names) +
                         "); iscam feeds one image tensor");
    }
    const ValueDecl& in = g.inputs.front();
    const std::string what = "the model's input '" + in.name + "'";
    if (!in.has_shape || in.dims.size() != 4)
        throw InputError(what + " is not a 4-D image tensor (N×C×H×W or N×H×W×C)" +
                         (in.has_shape ? ", it is " + dims_text(in) : std::string()));
    if (in.elem_type != onnx_type::float32 && in.elem_type != onnx_type::float16 &&
        in.elem_type != onnx_type::float64 && in.elem_type != onnx_type::uint8)
        throw InputError(what + " is " + onnx_type_name(in.elem_type) +
                         "; iscam feeds images as float32, float16, float64 or uint8");
    auto is_channels = [](int64_t v) { return v == 1 || v == 3; };
    InputInfo info;
    info.name = in.name;
    info.elem_type = in.elem_type;
    info.layout = choices.layout ? *choices.layout
                                 : (is_channels(in.dims[3].value) && !is_channels(in.dims[1].value) ? Layout::NHWC
                                                                                                    : Layout::NCHW);
    const bool nhwc = info.layout == Layout::NHWC;
    info.batch = in.dims[0].value;
    info.channels = in.dims[nhwc ? 3 : 1].value;
    info.height = in.dims[nhwc ? 1 : 2].value;
    info.width = in.dims[nhwc ? 2 : 3].value;
    if (info.channels < 1) throw InputError(what + " has no fixed channel count (" + dims_text(in) + ")");
    constexpr int64_t kMaxDim = 1 << 20;
    for (int64_t d : {info.batch, info.channels, info.height, info.width})
        if (d > kMaxDim) throw InputError(what + " has an implausible shape " + dims_text(in));
    if (info.elem_type == onnx_type::uint8 && g.opset < 11)
        throw InputError(what + " is uint8 and the model's opset is " + std::to_string(g.opset) +
                         "; feeding it needs opset 11 or newer (Round)");
    std::vector<std::string> parts;
    if (nhwc) parts.push_back("channels last (N×H×W×C): transposed from N×C×H×W");
    if (info.elem_type == onnx_type::uint8) parts.push_back("uint8: the preprocessed values are rounded and clipped to 0..255");
    else if (info.elem_type != onnx_type::float32) parts.push_back(onnx_type_name(info.elem_type) + ": cast from float32");
    for (const auto& p : parts) info.note += (info.note.empty() ? what + " is " : "; ") + p;
    return info;
}

bool fits_score_rule(const ValueDecl& o) {
    return is_float_type(o.elem_type) && o.has_shape && (o.dims.size() == 1 || o.dims.size() == 2);
}

ScoreInfo analyse_score(const GraphInfo& g, const ModelChoices& choices, std::vector<std::string>& fitting) {
    std::vector<std::string> all;
    for (const auto& o : g.outputs) {
        all.push_back(o.name);
        if (fits_score_rule(o)) fitting.push_back(o.name);
    }
    const ValueDecl* chosen = nullptr;
    if (!choices.output.empty()) {
        for (const auto& o : g.outputs)
            if (o.name == choices.output) chosen = &o;
        if (!chosen) throw InputError("--output '" + choices.output + "' is not an output of the model (its outputs: " + join(all) + ")");
        if (chosen->elem_type && !is_float_type(chosen->elem_type))
            throw InputError("the model's output '" + chosen->name + "' is " + onnx_type_name(chosen->elem_type) +
                             ", not class scores");
    } else {
        auto named_like = [&](const char* word) -> const ValueDecl* {
            for (const auto& o : g.outputs)
                if (fits_score_rule(o) && lower(o.name).find(word) != std::string::npos) return &o;
            return nullptr;
        };
        chosen = named_like("logit");
        if (!chosen) chosen = named_like("output");
        for (const auto& o : g.outputs)
            if (!chosen && fits_score_rule(o)) chosen = &o;
        // No output declares [N, classes] or [classes]: the first that may be float; its shape is
        // checked when it runs.
        for (const auto& o : g.outputs)
            if (!chosen && (o.elem_type == 0 || is_float_type(o.elem_type))) chosen = &o;
        if (!chosen) throw InputError("none of the model's outputs (" + join(all) + ") is a float tensor of class scores");
    }
    ScoreInfo s;
    s.output = s.tensor = chosen->name;
    s.elem_type = chosen->elem_type ? chosen->elem_type : onnx_type::float32;
    // SPEC's scores are logits: a Softmax (through shape-only ops) gives way to its input.
    static const std::unordered_set<std::string> shape_only = {"Identity", "Reshape", "Flatten", "Squeeze", "Unsqueeze"};
    const NodeDecl* node = g.producer(s.output);
    for (int depth = 0; node && node->domain.empty() && shape_only.count(node->op_type) && depth < 16; ++depth)
        node = node->inputs.empty() ? nullptr : g.producer(node->inputs[0]);
    if (node && node->domain.empty() && (node->op_type == "Softmax" || node->op_type == "LogSoftmax") && !node->inputs.empty()) {
        s.tensor = node->inputs[0];
        s.note = "the model's output '" + s.output + "' comes from a " + node->op_type + ": iscam scores its input '" +
                 s.tensor + "' (SPEC: class scores are logits)";
    }
    return s;
}

// Where a quantized tensor's scale and zero point come from: the node that makes it.
struct Quantization {
    std::string scale, zero_point;
};

class QuantizationFinder {
public:
    explicit QuantizationFinder(const GraphInfo& g) : g_(g) {
        for (const auto& n : g.nodes)
            if (!n.outputs.empty()) producer_[n.outputs[0]] = &n;
    }

    // The quantization of `tensor` when it holds quantized activations, else nothing.
    std::optional<Quantization> of(const std::string& tensor, int depth = 0) const {
        auto it = producer_.find(tensor);
        if (it == producer_.end() || depth > 64) return std::nullopt;
        const NodeDecl& n = *it->second;
        if (auto where = output_params(n)) {
            const auto [scale, zero_point] = *where;
            if (n.inputs.size() <= size_t(scale)) return std::nullopt;
            return Quantization{n.inputs[size_t(scale)], n.inputs.size() > size_t(zero_point) ? n.inputs[size_t(zero_point)] : ""};
        }
        // Ops that move quantized values without changing their scale.
        static const std::unordered_set<std::string> keeps_scale = {"MaxPool", "Identity", "Transpose", "Reshape",
                                                                    "Flatten", "Squeeze", "Unsqueeze"};
        if (n.domain.empty() && keeps_scale.count(n.op_type) && !n.inputs.empty()) return of(n.inputs[0], depth + 1);
        return std::nullopt;
    }

    // Ops whose output is quantized activations worth offering as target layers.
    static bool makes_activations(const NodeDecl& n) {
        return (output_params(n) && n.op_type != "QuantizeLinear") || (n.domain.empty() && n.op_type == "MaxPool");
    }

    int32_t type_of(const std::string& tensor, const Quantization& q) const {
        if (int32_t t = g_.declared_type(tensor)) return t;
        if (const InitializerDecl* zp = q.zero_point.empty() ? nullptr : g_.initializer(q.zero_point)) return zp->elem_type;
        return onnx_type::uint8;
    }

private:
    // (scale, zero point) input positions of the output's quantization, for the ops that quantize.
    static std::optional<std::pair<int, int>> output_params(const NodeDecl& n) {
        const bool onnx = n.domain.empty(), ms = n.domain == "com.microsoft";
        if (onnx && n.op_type == "QuantizeLinear") return std::pair{1, 2};
        if (onnx && n.op_type == "QLinearConv") return std::pair{6, 7};
        if (!ms) return std::nullopt;
        if (n.op_type == "QLinearAdd" || n.op_type == "QLinearMul") return std::pair{6, 7};
        if (n.op_type == "QLinearConcat") return std::pair{0, 1};
        if (n.op_type == "QLinearAveragePool" || n.op_type == "QLinearGlobalAveragePool" ||
            n.op_type == "QLinearLeakyRelu" || n.op_type == "QLinearSigmoid")
            return std::pair{3, 4};
        return std::nullopt;
    }

    const GraphInfo& g_;
    std::unordered_map<std::string, const NodeDecl*> producer_;
};

std::vector<ProbeLayer> find_probes(const GraphInfo& g, TensorNames& names) {
    const QuantizationFinder quantized(g);
    const std::vector<std::string> float_names = layer_probe_names(g);
    const std::unordered_set<std::string> float_set(float_names.begin(), float_names.end());
    std::vector<ProbeLayer> probes;
    const bool can_dequantize = g.opset >= 10;  // DequantizeLinear
    for (const auto& n : g.nodes) {
        if (n.outputs.empty() || n.outputs[0].empty()) continue;
        const std::string& out = n.outputs[0];
        const auto q = QuantizationFinder::makes_activations(n) ? quantized.of(out) : std::nullopt;
        if (q) {
            if (!can_dequantize) continue;
            const int32_t type = quantized.type_of(out, *q);
            probes.push_back({out, n.op_type, type, q->scale, q->zero_point, names.fresh(out + "_dequantized")});
        } else if (float_set.count(out)) {
            probes.push_back({out, n.op_type, onnx_type::float32, "", "", out});
        }
    }
    return probes;
}

ValueDecl float_input(const ModelPlan& plan, const GraphInfo& g) {
    const ValueDecl& in = g.inputs.front();
    const bool nhwc = plan.input.layout == Layout::NHWC;
    ValueDecl v;
    v.name = plan.engine_input;
    v.elem_type = onnx_type::float32;
    v.has_shape = true;
    for (int i : nhwc ? std::vector<int>{0, 3, 1, 2} : std::vector<int>{0, 1, 2, 3}) v.dims.push_back(in.dims[size_t(i)]);
    return v;
}

}  // namespace

const ProbeLayer* ModelPlan::probe(const std::string& name) const {
    for (const auto& p : probes)
        if (p.name == name) return &p;
    return nullptr;
}

std::string ModelPlan::engine_layer(const std::string& layer) const {
    const ProbeLayer* p = probe(layer);
    return p ? p->engine_name : layer;
}

ModelPlan plan_model(const GraphInfo& g, const ModelChoices& choices) {
    ModelPlan plan;
    TensorNames names(g);
    plan.input = analyse_input(g, choices);
    plan.score = analyse_score(g, choices, plan.score_outputs);
    plan.probes = find_probes(g, names);
    plan.external_data = g.has_external_data();
    const bool adapt_input = plan.input.layout != Layout::NCHW || plan.input.elem_type != onnx_type::float32;
    plan.engine_input = adapt_input ? names.fresh(plan.input.name + "_nchw_float32") : plan.input.name;
    plan.engine_score = plan.score.elem_type != onnx_type::float32 ? names.fresh(plan.score.tensor + "_float32") : plan.score.tensor;
    return plan;
}

std::string engine_model(const std::string& bytes, const GraphInfo& g, const ModelPlan& plan, const EngineOptions& o) {
    PatchOptions p;
    p.symbolic_batch = o.symbolic_batch;
    p.replace_outputs = true;
    TensorNames names(g);
    for (const auto& used : {plan.engine_input, plan.engine_score}) names.use(used);
    for (const auto& probe : plan.probes) names.use(probe.engine_name);

    if (plan.engine_input != plan.input.name) {
        p.removed_inputs = {plan.input.name};
        p.new_inputs = {float_input(plan, g)};
        std::string x = plan.engine_input;
        auto step = [&](NewNode node, bool last) {
            const std::string y = last ? plan.input.name : names.fresh(plan.input.name + "_" + node.op_type);
            node.inputs.insert(node.inputs.begin(), x);
            node.outputs = {y};
            p.nodes_first.push_back(std::move(node));
            x = y;
        };
        const int32_t type = plan.input.elem_type;
        if (plan.input.layout == Layout::NHWC) step({"Transpose", {}, {}, {}, {{"perm", {0, 2, 3, 1}}}, {}}, type == onnx_type::float32);
        if (type == onnx_type::uint8) {
            const std::string lo = names.fresh("iscam_uint8_min"), hi = names.fresh("iscam_uint8_max");
            p.float_constants = {{lo, 0.0f}, {hi, 255.0f}};
            step({"Clip", {lo, hi}, {}, {}, {}, {}}, false);
            step({"Round", {}, {}, {}, {}, {}}, false);
        }
        if (type != onnx_type::float32) step({"Cast", {}, {}, {{"to", type}}, {}, {}}, true);
    }
    if (plan.engine_score != plan.score.tensor)
        p.nodes_last.push_back({"Cast", {plan.score.tensor}, {plan.engine_score}, {{"to", onnx_type::float32}}, {}, {}});

    p.extra_outputs = {plan.engine_score};
    for (const std::string& layer : o.layers) {
        const ProbeLayer* probe = plan.probe(layer);
        const std::string exposed = probe ? probe->engine_name : layer;
        if (std::find(p.extra_outputs.begin(), p.extra_outputs.end(), exposed) != p.extra_outputs.end()) continue;
        if (probe && !probe->scale.empty()) {
            NewNode dq{"DequantizeLinear", {probe->name, probe->scale}, {exposed}, {}, {}, {}};
            if (!probe->zero_point.empty()) dq.inputs.push_back(probe->zero_point);
            p.nodes_last.push_back(std::move(dq));
        }
        p.extra_outputs.push_back(exposed);
    }
    return patch_onnx(bytes, g, p);
}

}  // namespace iscam
