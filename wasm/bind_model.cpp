// ONNX model bytes for the worker: read once, analysed by the core (model_adapter), and the
// engine models ONNX Runtime Web runs made from them; copies with re-drawn weights for the
// sanity checks (weight_randomisation); the float form of an int8 model (onnx_dequantize).
#include "js_interop.h"
#include "layer_reading.h"
#include "model_adapter.h"
#include "onnx_dequantize.h"
#include "onnx_graph.h"
#include "weight_randomisation.h"

using emscripten::val;
using namespace iscam::js;

namespace iscam {
namespace {

std::string type_name(int32_t t) { return t ? onnx_type_name(t) : "unknown"; }

std::optional<Layout> layout_choice(const val& choices, const char* key) {
    const std::string layout = choices[key].isString() ? choices[key].as<std::string>() : "";
    if (layout.empty()) return std::nullopt;
    const auto l = parse_layout(layout);
    if (!l) throw InputError("unknown layout '" + layout + "' (nchw or nhwc)");
    return l;
}

// {tokens: a number (else by rule), grid: [h, w] (else by rule), layerLayout: '', 'nchw' or 'nhwc'}.
LayerChoices layer_choices(const val& choices) {
    LayerChoices c;
    if (choices["tokens"].isNumber()) c.extra_tokens = int64_t(choices["tokens"].as<double>());
    if (choices["grid"].isArray()) {
        const auto grid = to_vector<double>(choices["grid"]);
        if (grid.size() != 2) throw InputError("the grid takes [height, width]");
        c.grid = std::pair<int64_t, int64_t>{int64_t(grid[0]), int64_t(grid[1])};
    }
    c.layout = layout_choice(choices, "layerLayout");
    return c;
}

val reading_js(const LayerReading& r) {
    val out = val::object();
    out.set("description", r.description());
    out.set("channels", double(r.channels));
    out.set("height", double(r.height));
    out.set("width", double(r.width));
    return out;
}

// The model bytes and their graph, read once; the plan of the latest analyse().
class OnnxModel {
public:
    explicit OnnxModel(const val& bytes)
        : bytes_(to_bytes(bytes)), graph_(guarded([&] { return read_onnx(bytes_); })) {}

    // choices: {output: '' (by rule) or a name, layout: '' (from the shape), 'nchw' or 'nhwc'}
    // and how target layers are read (layer_choices above).
    // {input: {name, batch, channels, height, width, layout, type, note}, score: {output, tensor,
    //  type, note}, scoreOutputs, outputs, probes: [{name, op, type, quantized}], externalData,
    //  engineInput, engineScore}; -1 for a symbolic dimension.
    val analyse(const val& choices) {
        return guarded([&] {
            ModelChoices c;
            c.output = choices["output"].isString() ? choices["output"].as<std::string>() : "";
            c.layout = layout_choice(choices, "layout");
            c.layer = layer_choices(choices);
            plan_ = plan_model(graph_, c);
            layer_choices_ = c.layer;
            analysed_ = true;
            return plan_js();
        });
    }

    // The engine model exposing `layers` (the model's names) after the score; see model_adapter.h.
    val engineModel(const val& layers, bool symbolic_batch) const {
        return guarded([&] {
            if (!analysed_) throw std::logic_error("engineModel before analyse");
            const std::string bytes = engine_model(bytes_, graph_, plan_, {strings_from_js(layers), symbolic_batch});
            return to_typed_array("Uint8Array", reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
        });
    }

    // The engine model's tensor for a target layer.
    std::string engineLayer(const std::string& layer) const { return plan_.engine_layer(layer); }

    // probed: [{name, op, shape}] of one input of height × width. The layers offered, as
    // layer_reading.h reads them: {layers: [{name, op, shape, reading: {description, channels,
    // height, width} or null, problem}], defaultIndex (-1: none read), defaultProblem}.
    val readLayers(const val& probed, double height, double width) const {
        return guarded([&] {
            std::vector<LayerInfo> layers;
            const size_t n = probed["length"].as<size_t>();
            std::vector<std::vector<int64_t>> shapes;
            std::vector<std::string> names_4d;
            for (size_t i = 0; i < n; ++i) {
                const auto d = to_vector<double>(probed[i]["shape"]);
                shapes.emplace_back(d.begin(), d.end());
                if (shapes.back().size() == 4) names_4d.push_back(probed[i]["name"].as<std::string>());
            }
            const auto layouts = graph_layouts(graph_, names_4d, plan_.input.layout);
            for (size_t i = 0, i4 = 0; i < n; ++i) {
                const GraphLayout hint = shapes[i].size() == 4 ? layouts[i4++] : GraphLayout{};
                const LayerVerdict v = read_layer(shapes[i], hint, int64_t(height), int64_t(width), layer_choices_);
                if (v.offered)
                    layers.push_back({probed[i]["name"].as<std::string>(), probed[i]["op"].as<std::string>(), shapes[i],
                                      onnx_type::float32, v.reading, v.problem});
            }
            val list = val::array();
            for (const LayerInfo& l : layers) {
                val layer = val::object();
                layer.set("name", l.name);
                layer.set("op", l.op_type);
                val shape = val::array();
                for (int64_t x : l.shape) shape.call<void>("push", double(x));
                layer.set("shape", shape);
                layer.set("reading", l.reading ? reading_js(*l.reading) : val::null());
                layer.set("problem", l.problem);
                list.call<void>("push", layer);
            }
            val out = val::object();
            out.set("layers", list);
            out.set("defaultIndex", -1);
            out.set("defaultProblem", std::string());
            try {
                out.set("defaultIndex", double(default_layer_index(layers, graph_)));
            } catch (const InputError& e) {
                out.set("defaultProblem", std::string(e.what()));
            }
            return out;
        });
    }

    // One input's activations of `layer` (dims, data) as the explainer reads them:
    // {dims: [1, K, h, w], data: Float32Array, reading}. Throws InputError with the reason when
    // no rule reads them.
    val readActivations(const std::string& layer, const val& dims, const val& data, double height, double width) const {
        return guarded([&] {
            const auto d = to_vector<double>(dims);
            const std::vector<int64_t> shape(d.begin(), d.end());
            const GraphLayout hint = shape.size() == 4 ? graph_layouts(graph_, {layer}, plan_.input.layout)[0] : GraphLayout{};
            const LayerVerdict v = read_layer(shape, hint, int64_t(height), int64_t(width), layer_choices_);
            if (!v.reading) throw InputError("layer '" + layer + "': " + v.problem);
            const std::vector<float> values = to_vector<float>(data);
            const Tensor maps = to_maps(*v.reading, values.data(), values.size());
            val out = val::object();
            val out_dims = val::array();
            for (int64_t x : maps.shape) out_dims.call<void>("push", double(x));
            out.set("dims", out_dims);
            out.set("data", to_typed_array("Float32Array", maps.data.data(), maps.data.size()));
            out.set("reading", reading_js(*v.reading));
            return out;
        });
    }

    // [{node, opType, tensors}]: layer 1 (nearest the output) first, as the sanity checks count.
    val randomisableLayers() const {
        return guarded([&] {
            val out = val::array();
            for (const RandomisableLayer& l : randomisable_layers(graph_)) {
                val layer = val::object();
                layer.set("node", l.node);
                layer.set("opType", l.op_type);
                layer.set("tensors", strings_to_js(l.tensors));
                out.call<void>("push", layer);
            }
            return out;
        });
    }

    // The model bytes with the weights of `layers` (numbers as randomisableLayers counts them)
    // re-drawn from `seed` (an integer below 2^53), everything else unchanged.
    val randomised(const val& layers, double seed) const {
        return guarded([&] {
            const uint64_t s = seed_from(seed);
            std::vector<size_t> numbers;
            for (double n : to_vector<double>(layers)) {
                if (!(n >= 1 && n == std::floor(n))) throw InputError("layer numbers count from 1");
                numbers.push_back(size_t(n));
            }
            const std::string bytes = randomise_layers(bytes_, randomisable_layers(graph_), numbers, s);
            return to_typed_array("Uint8Array", reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
        });
    }

    // True when the model has quantized operators that floatForm rewrites.
    bool isQuantized() const { return is_quantized(graph_); }

    // The model's float form: its int8 operators as float32 ones (core/onnx_dequantize.h).
    val floatForm() const {
        return guarded([&] {
            const std::string bytes = dequantize_model(bytes_, graph_);
            return to_typed_array("Uint8Array", reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
        });
    }

private:
    val plan_js() const {
        const InputInfo& in = plan_.input;
        val input = val::object();
        input.set("name", in.name);
        input.set("batch", double(in.batch));
        input.set("channels", double(in.channels));
        input.set("height", double(in.height));
        input.set("width", double(in.width));
        input.set("layout", std::string(layout_name(in.layout)));
        input.set("type", type_name(in.elem_type));
        input.set("note", in.note);
        val score = val::object();
        score.set("output", plan_.score.output);
        score.set("tensor", plan_.score.tensor);
        score.set("type", type_name(plan_.score.elem_type));
        score.set("note", plan_.score.note);
        val probes = val::array();
        for (const ProbeLayer& p : plan_.probes) {
            val probe = val::object();
            probe.set("name", p.name);
            probe.set("op", p.op_type);
            probe.set("type", type_name(p.elem_type));
            probe.set("quantized", !p.scale.empty());
            probes.call<void>("push", probe);
        }
        std::vector<std::string> outputs;
        for (const auto& o : graph_.outputs) outputs.push_back(o.name);
        val out = val::object();
        out.set("input", input);
        out.set("score", score);
        out.set("scoreOutputs", strings_to_js(plan_.score_outputs));
        out.set("outputs", strings_to_js(outputs));
        out.set("probes", probes);
        out.set("externalData", plan_.external_data);
        out.set("engineInput", plan_.engine_input);
        out.set("engineScore", plan_.engine_score);
        return out;
    }

    std::string bytes_;
    GraphInfo graph_;
    ModelPlan plan_;
    LayerChoices layer_choices_;
    bool analysed_ = false;
};

}  // namespace
}  // namespace iscam

EMSCRIPTEN_BINDINGS(iscam_model) {
    using namespace emscripten;
    using namespace iscam;
    class_<OnnxModel>("OnnxModel")
        .constructor<const val&>()
        .function("analyse", &OnnxModel::analyse)
        .function("engineModel", &OnnxModel::engineModel)
        .function("engineLayer", &OnnxModel::engineLayer)
        .function("readLayers", &OnnxModel::readLayers)
        .function("readActivations", &OnnxModel::readActivations)
        .function("randomisableLayers", &OnnxModel::randomisableLayers)
        .function("randomised", &OnnxModel::randomised)
        .function("isQuantized", &OnnxModel::isQuantized)
        .function("floatForm", &OnnxModel::floatForm);
}
