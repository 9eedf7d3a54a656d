// ONNX model bytes for the worker: read once, patched copies for ONNX Runtime Web.
#include "js_interop.h"
#include "onnx_graph.h"

using emscripten::val;
using namespace iscam::js;

namespace iscam {
namespace {

// The model bytes and their graph, read once; patched copies are made from them.
class OnnxModel {
public:
    explicit OnnxModel(const val& bytes)
        : bytes_(to_bytes(bytes)), graph_(guarded([&] { return read_onnx(bytes_); })) {}

    // {name, batch, channels, height, width}; -1 for a symbolic dimension.
    val imageInput() const {
        return guarded([&] {
            const InputInfo in = image_input(graph_);
            val out = val::object();
            out.set("name", in.name);
            out.set("batch", double(in.batch));
            out.set("channels", double(in.channels));
            out.set("height", double(in.height));
            out.set("width", double(in.width));
            return out;
        });
    }

    val outputNames() const {
        std::vector<std::string> names;
        for (const auto& o : graph_.outputs) names.push_back(o.name);
        return strings_to_js(names);
    }

    // [{name, op}] in graph order: the tensors worth probing as target layers.
    val probeLayers() const {
        val out = val::array();
        const std::vector<std::string> names = layer_probe_names(graph_);
        for (const auto& name : names) {
            val layer = val::object();
            layer.set("name", name);
            for (const auto& node : graph_.nodes)
                if (!node.outputs.empty() && node.outputs[0] == name) layer.set("op", node.op_type);
            out.call<void>("push", layer);
        }
        return out;
    }

    val patch(const val& extra_outputs, bool symbolic_batch) const {
        return guarded([&] {
            const std::string patched = patch_onnx(bytes_, graph_, {strings_from_js(extra_outputs), symbolic_batch});
            return to_typed_array("Uint8Array", reinterpret_cast<const uint8_t*>(patched.data()), patched.size());
        });
    }

private:
    std::string bytes_;
    GraphInfo graph_;
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
        .function("imageInput", &OnnxModel::imageInput)
        .function("outputNames", &OnnxModel::outputNames)
        .function("probeLayers", &OnnxModel::probeLayers)
        .function("patch", &OnnxModel::patch);
    function("isCandidateShape", &candidate_shape);
}
