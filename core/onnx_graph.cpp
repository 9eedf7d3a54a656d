#include "onnx_graph.h"

#include <protozero/pbf_reader.hpp>
#include <protozero/pbf_writer.hpp>
#include <algorithm>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "error.h"

namespace iscam {

// Field numbers from onnx.proto (ModelProto, GraphProto, NodeProto, ValueInfoProto, TypeProto, ...).
namespace f {
constexpr uint32_t model_ir_version = 1, model_graph = 7;
constexpr uint32_t graph_node = 1, graph_initializer = 5, graph_input = 11, graph_output = 12, graph_value_info = 13;
constexpr uint32_t node_input = 1, node_output = 2, node_name = 3, node_op_type = 4;
constexpr uint32_t value_name = 1, value_type = 2;
constexpr uint32_t type_tensor = 1;
constexpr uint32_t tensor_elem_type = 1, tensor_shape = 2;
constexpr uint32_t shape_dim = 1;
constexpr uint32_t dim_value = 1, dim_param = 2;
constexpr uint32_t initializer_name = 8;
}  // namespace f

namespace {

using protozero::pbf_reader;
using protozero::pbf_writer;

std::vector<Dim> read_shape(pbf_reader shape) {
    std::vector<Dim> dims;
    while (shape.next(f::shape_dim)) {
        pbf_reader d = shape.get_message();
        Dim dim;
        while (d.next()) {
            if (d.tag() == f::dim_value) dim.value = d.get_int64();
            else if (d.tag() == f::dim_param) dim.param = d.get_string();
            else d.skip();
        }
        dims.push_back(dim);
    }
    return dims;
}

ValueDecl read_value(pbf_reader v) {
    ValueDecl out;
    while (v.next()) {
        if (v.tag() == f::value_name) {
            out.name = v.get_string();
        } else if (v.tag() == f::value_type) {
            pbf_reader type = v.get_message();
            while (type.next()) {
                if (type.tag() != f::type_tensor) { type.skip(); continue; }
                pbf_reader tensor = type.get_message();
                while (tensor.next()) {
                    if (tensor.tag() == f::tensor_elem_type) out.elem_type = tensor.get_int32();
                    else if (tensor.tag() == f::tensor_shape) { out.has_shape = true; out.dims = read_shape(tensor.get_message()); }
                    else tensor.skip();
                }
            }
        } else {
            v.skip();
        }
    }
    return out;
}

NodeDecl read_node(pbf_reader n) {
    NodeDecl out;
    while (n.next()) {
        switch (n.tag()) {
            case f::node_input: out.inputs.push_back(n.get_string()); break;
            case f::node_output: out.outputs.push_back(n.get_string()); break;
            case f::node_name: out.name = n.get_string(); break;
            case f::node_op_type: out.op_type = n.get_string(); break;
            default: n.skip();
        }
    }
    return out;
}

std::string initializer_name(pbf_reader t) {
    while (t.next()) {
        if (t.tag() == f::initializer_name) return t.get_string();
        t.skip();
    }
    return {};
}

void write_value(pbf_writer& parent, uint32_t field, const ValueDecl& v) {
    pbf_writer value(parent, field);
    value.add_string(f::value_name, v.name);
    if (!v.elem_type && !v.has_shape) return;  // ONNX Runtime infers an output's type when none is given
    pbf_writer type(value, f::value_type);
    pbf_writer tensor(type, f::type_tensor);
    tensor.add_int32(f::tensor_elem_type, v.elem_type);
    if (v.has_shape) {
        pbf_writer shape(tensor, f::tensor_shape);
        for (const Dim& d : v.dims) {
            pbf_writer dim(shape, f::shape_dim);
            if (!d.param.empty()) dim.add_string(f::dim_param, d.param);
            else if (d.value >= 0) dim.add_int64(f::dim_value, d.value);
        }
    }
}

// Copies the current field unchanged, whatever its wire type.
void copy_field(pbf_reader& in, pbf_writer& out) {
    using wt = protozero::pbf_wire_type;
    const uint32_t tag = in.tag();
    switch (in.wire_type()) {
        case wt::varint: out.add_uint64(tag, in.get_uint64()); break;
        case wt::fixed64: out.add_fixed64(tag, in.get_fixed64()); break;
        case wt::fixed32: out.add_fixed32(tag, in.get_fixed32()); break;
        case wt::length_delimited: out.add_bytes(tag, in.get_view()); break;
        default: throw InputError("the ONNX model uses an unknown protobuf wire type");
    }
}

ValueDecl with_symbolic_batch(ValueDecl v) {
    if (v.has_shape && !v.dims.empty()) v.dims[0] = Dim{-1, "batch"};
    return v;
}

}  // namespace

GraphInfo read_onnx(const std::string& bytes) {
    GraphInfo g;
    bool has_graph = false;
    try {
        pbf_reader model(bytes);
        std::string graph_bytes;
        while (model.next()) {
            if (model.tag() == f::model_ir_version && model.wire_type() == protozero::pbf_wire_type::varint) {
                g.ir_version = model.get_int64();
            } else if (model.tag() == f::model_graph && model.wire_type() == protozero::pbf_wire_type::length_delimited) {
                has_graph = true;
                graph_bytes = model.get_string();
            } else {
                model.skip();
            }
        }
        std::unordered_set<std::string> initializers;
        std::vector<ValueDecl> inputs;
        pbf_reader graph(graph_bytes);
        while (graph.next()) {
            switch (graph.tag()) {
                case f::graph_node: g.nodes.push_back(read_node(graph.get_message())); break;
                case f::graph_initializer: initializers.insert(initializer_name(graph.get_message())); break;
                case f::graph_input: inputs.push_back(read_value(graph.get_message())); break;
                case f::graph_output: g.outputs.push_back(read_value(graph.get_message())); break;
                case f::graph_value_info: g.value_info.push_back(read_value(graph.get_message())); break;
                default: graph.skip();
            }
        }
        for (auto& in : inputs)
            if (!initializers.count(in.name)) g.inputs.push_back(std::move(in));
    } catch (const protozero::exception&) {
        throw InputError("the file is not an ONNX model (its bytes are not a valid protobuf message)");
    }
    if (!has_graph || g.ir_version <= 0 || g.ir_version > 100 || g.nodes.empty() || g.inputs.empty() || g.outputs.empty())
        throw InputError("the file is not an ONNX model (no graph with nodes, inputs and outputs)");
    return g;
}

std::vector<std::string> layer_probe_names(const GraphInfo& g) {
    static const std::set<std::string> image_ops = {
        "Conv", "ConvTranspose", "Relu", "LeakyRelu", "PRelu", "Elu", "Selu", "Celu", "Clip", "Sigmoid",
        "HardSigmoid", "HardSwish", "Tanh", "Mish", "Gelu", "Softplus", "BatchNormalization",
        "InstanceNormalization", "LRN", "MaxPool", "AveragePool", "LpPool", "Add", "Sub", "Mul", "Div",
        "Sum", "Max", "Min", "Concat", "Dropout", "Identity", "Upsample", "Resize", "Pad"};
    std::unordered_map<std::string, int32_t> types;
    for (const auto& v : g.value_info) types[v.name] = v.elem_type;
    std::unordered_set<std::string> outputs;
    for (const auto& o : g.outputs) outputs.insert(o.name);
    std::vector<std::string> names;
    for (const auto& n : g.nodes) {
        if (!image_ops.count(n.op_type) || n.outputs.empty() || n.outputs[0].empty()) continue;
        auto t = types.find(n.outputs[0]);
        if (t != types.end() && t->second != 1) continue;
        names.push_back(n.outputs[0]);
    }
    return names;
}

std::string patch_onnx(const std::string& bytes, const GraphInfo& g, const PatchOptions& options) {
    std::unordered_map<std::string, const ValueDecl*> known;
    for (const auto& v : g.value_info) known[v.name] = &v;
    std::unordered_set<std::string> real_inputs, existing_outputs;
    for (const auto& v : g.inputs) real_inputs.insert(v.name);
    for (const auto& v : g.outputs) existing_outputs.insert(v.name);

    std::string out;
    pbf_writer model_out(out);
    pbf_reader model(bytes);
    while (model.next()) {
        if (model.tag() != f::model_graph) {
            copy_field(model, model_out);
            continue;
        }
        pbf_writer graph_out(model_out, f::model_graph);
        pbf_reader graph = model.get_message();
        while (graph.next()) {
            const uint32_t tag = graph.tag();
            if ((tag == f::graph_input || tag == f::graph_output) && options.symbolic_batch) {
                ValueDecl v = read_value(graph.get_message());
                if (tag == f::graph_output || real_inputs.count(v.name)) v = with_symbolic_batch(v);
                write_value(graph_out, tag, v);
            } else if (tag == f::graph_value_info && options.symbolic_batch) {
                graph.skip();  // stale batch-1 shapes would contradict batched runs; ORT infers them again
            } else {
                copy_field(graph, graph_out);
            }
        }
        for (const std::string& name : options.extra_outputs) {
            if (existing_outputs.count(name)) continue;
            ValueDecl v;
            auto it = known.find(name);
            if (it != known.end()) v = *it->second;
            v.name = name;
            if (options.symbolic_batch) v = with_symbolic_batch(v);
            write_value(graph_out, f::graph_output, v);
        }
    }
    return out;
}

bool is_candidate_shape(const std::vector<int64_t>& shape) {
    return shape.size() == 4 && (shape[2] > 1 || shape[3] > 1);
}

InputInfo image_input(const GraphInfo& g) {
    const ValueDecl& in = g.inputs.front();
    if (in.elem_type != 1)
        throw InputError("the model's input '" + in.name + "' is not float32 (ONNX type " + std::to_string(in.elem_type) + ")");
    if (!in.has_shape || in.dims.size() != 4)
        throw InputError("the model's input '" + in.name + "' is not a 4-D image tensor (N×C×H×W)");
    InputInfo info{in.name, in.dims[0].value, in.dims[1].value, in.dims[2].value, in.dims[3].value};
    auto is_channels = [](int64_t v) { return v == 1 || v == 3; };
    if (!is_channels(info.channels) && is_channels(info.width))
        throw InputError("the model's input '" + in.name + "' looks channels-last (N×H×W×C); only N×C×H×W models are supported");
    if (info.channels < 1)
        throw InputError("the model's input '" + in.name + "' has no fixed channel count");
    return info;
}

}  // namespace iscam
