// ONNX model bytes for the worker: read once, analysed by the core (model_adapter), and the
// engine models ONNX Runtime Web runs made from them; copies with re-drawn weights for the
// sanity checks (weight_randomisation); the float form of an int8 model (onnx_dequantize).
#include "js_interop.h"
#include "model_adapter.h"
#include "onnx_dequantize.h"
#include "onnx_graph.h"
#include "weight_randomisation.h"

using emscripten::val;
using namespace iscam::js;

namespace iscam {
namespace {

std::string type_name(int32_t t) { return t ? onnx_type_name(t) : "unknown"; }

// The model bytes and their graph, read once; the plan of the latest analyse().
class OnnxModel {
public:
    explicit OnnxModel(const val& bytes)
        : bytes_(to_bytes(bytes)), graph_(guarded([&] { return read_onnx(bytes_); })) {}

    // choices: {output: '' (by rule) or a name, layout: '' (from the shape), 'nchw' or 'nhwc'}.
    // {input: {name, batch, channels, height, width, layout, type, note}, score: {output, tensor,
    //  type, note}, scoreOutputs, outputs, probes: [{name, op, type, quantized}], externalData,
    //  engineInput, engineScore}; -1 for a symbolic dimension.
    val analyse(const val& choices) {
        return guarded([&] {
            ModelChoices c;
            c.output = choices["output"].isString() ? choices["output"].as<std::string>() : "";
            const std::string layout = choices["layout"].isString() ? choices["layout"].as<std::string>() : "";
            if (!layout.empty()) {
                c.layout = parse_layout(layout);
                if (!c.layout) throw InputError("unknown layout '" + layout + "' (nchw or nhwc)");
            }
            plan_ = plan_model(graph_, c);
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
    bool analysed_ = false;
};

bool candidate_shape(const val& shape) {
    const std::vector<double> d = to_vector<double>(shape);
    return is_candidate_shape(std::vector<int64_t>(d.begin(), d.end()));
}

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
        .function("randomisableLayers", &OnnxModel::randomisableLayers)
        .function("randomised", &OnnxModel::randomised)
        .function("isQuantized", &OnnxModel::isQuantized)
        .function("floatForm", &OnnxModel::floatForm);
    function("isCandidateShape", &candidate_shape);
}
