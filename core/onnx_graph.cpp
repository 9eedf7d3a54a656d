#include "onnx_graph.h"

#include <algorithm>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "error.h"
#include "onnx_wire.h"

namespace iscam {

using namespace onnx_wire;

std::string onnx_type_name(int32_t t) {
    switch (t) {
        case onnx_type::float32: return "float32";
        case onnx_type::uint8: return "uint8";
        case onnx_type::int8: return "int8";
        case onnx_type::int32: return "int32";
        case onnx_type::int64: return "int64";
        case onnx_type::float16: return "float16";
        case onnx_type::float64: return "float64";
        default: return "ONNX type " + std::to_string(t);
    }
}

namespace {

std::vector<Dim> read_shape(pbf_reader shape) {
    std::vector<Dim> dims;
    while (shape.next()) {
        if (shape.tag() != f::shape_dim) {
            shape.skip();
            continue;
        }
        pbf_reader d = message_field(shape);
        Dim dim;
        while (d.next()) {
            if (d.tag() == f::dim_value) dim.value = std::max<int64_t>(-1, int_field(d));
            else if (d.tag() == f::dim_param) dim.param = string_field(d);
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
            out.name = string_field(v);
        } else if (v.tag() == f::value_type) {
            pbf_reader type = message_field(v);
            while (type.next()) {
                if (type.tag() != f::type_tensor) { type.skip(); continue; }
                pbf_reader tensor = message_field(type);
                while (tensor.next()) {
                    if (tensor.tag() == f::tensor_elem_type) out.elem_type = int32_t(int_field(tensor));
                    else if (tensor.tag() == f::tensor_shape) { out.has_shape = true; out.dims = read_shape(message_field(tensor)); }
                    else tensor.skip();
                }
            }
        } else {
            v.skip();
        }
    }
    return out;
}

// An AttributeProto's name and its integer list; an empty name for any other kind of attribute.
std::pair<std::string, std::vector<int64_t>> read_ints_attribute(pbf_reader a) {
    std::pair<std::string, std::vector<int64_t>> out;
    bool has_ints = false;
    while (a.next()) {
        if (a.tag() == f::attribute_name) out.first = string_field(a);
        else if (a.tag() == f::attribute_ints) { append_ints(a, out.second); has_ints = true; }
        else a.skip();
    }
    if (!has_ints) out.first.clear();
    return out;
}

NodeDecl read_node(pbf_reader n) {
    NodeDecl out;
    while (n.next()) {
        switch (n.tag()) {
            case f::node_attribute: {
                auto attribute = read_ints_attribute(message_field(n));
                if (!attribute.first.empty()) out.ints_attributes.push_back(std::move(attribute));
                break;
            }
            case f::node_input: out.inputs.push_back(string_field(n)); break;
            case f::node_output: out.outputs.push_back(string_field(n)); break;
            case f::node_name: out.name = string_field(n); break;
            case f::node_op_type: out.op_type = string_field(n); break;
            case f::node_domain: out.domain = string_field(n); break;
            default: n.skip();
        }
    }
    if (out.domain == "ai.onnx") out.domain.clear();
    return out;
}

InitializerDecl read_initializer(pbf_reader t) {
    InitializerDecl out;
    while (t.next()) {
        switch (t.tag()) {
            case f::initializer_name: out.name = string_field(t); break;
            case f::initializer_data_type: out.elem_type = int32_t(int_field(t)); break;
            case f::initializer_dims: append_ints(t, out.dims); break;
            case f::initializer_data_location: out.external = int_field(t) == f::data_location_external; break;
            default: t.skip();
        }
    }
    return out;
}

// (domain, version) of one OperatorSetIdProto.
std::pair<std::string, int64_t> read_opset(pbf_reader o) {
    std::pair<std::string, int64_t> out{"", 0};
    while (o.next()) {
        if (o.tag() == f::opset_domain) out.first = string_field(o);
        else if (o.tag() == f::opset_version) out.second = int_field(o);
        else o.skip();
    }
    return out;
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

void write_node(pbf_writer& graph, const NewNode& n, const std::string& name) {
    pbf_writer node(graph, f::graph_node);
    for (const auto& i : n.inputs) node.add_string(f::node_input, i);
    for (const auto& o : n.outputs) node.add_string(f::node_output, o);
    node.add_string(f::node_name, name);
    node.add_string(f::node_op_type, n.op_type);
    for (const auto& [key, value] : n.int_attributes) {
        pbf_writer a(node, f::node_attribute);
        a.add_string(f::attribute_name, key);
        a.add_int64(f::attribute_i, value);
        a.add_int32(f::attribute_type, f::attribute_type_int);
    }
    for (const auto& [key, values] : n.ints_attributes) {
        pbf_writer a(node, f::node_attribute);
        a.add_string(f::attribute_name, key);
        for (int64_t v : values) a.add_int64(f::attribute_ints, v);
        a.add_int32(f::attribute_type, f::attribute_type_ints);
    }
    for (const auto& [key, value] : n.float_attributes) {
        pbf_writer a(node, f::node_attribute);
        a.add_string(f::attribute_name, key);
        a.add_float(f::attribute_f, value);
        a.add_int32(f::attribute_type, f::attribute_type_float);
    }
}

void write_float_constant(pbf_writer& graph, const std::string& name, float value) {
    pbf_writer t(graph, f::graph_initializer);
    t.add_int32(f::initializer_data_type, onnx_type::float32);
    t.add_float(f::initializer_float_data, value);
    t.add_string(f::initializer_name, name);
}

ValueDecl with_symbolic_batch(ValueDecl v) {
    if (v.has_shape && !v.dims.empty()) v.dims[0] = Dim{-1, "batch"};
    return v;
}

}  // namespace

const std::vector<int64_t>* NodeDecl::ints_attribute(const std::string& attribute) const {
    for (const auto& [key, values] : ints_attributes)
        if (key == attribute) return &values;
    return nullptr;
}

bool GraphInfo::has_external_data() const {
    for (const auto& i : initializers)
        if (i.external) return true;
    return false;
}

const NodeDecl* GraphInfo::producer(const std::string& tensor) const {
    for (const auto& n : nodes)
        for (const auto& o : n.outputs)
            if (o == tensor) return &n;
    return nullptr;
}

const InitializerDecl* GraphInfo::initializer(const std::string& name) const {
    for (const auto& i : initializers)
        if (i.name == name) return &i;
    return nullptr;
}

int32_t GraphInfo::declared_type(const std::string& tensor) const {
    for (const auto* list : {&inputs, &outputs, &value_info})
        for (const auto& v : *list)
            if (v.name == tensor) return v.elem_type;
    return 0;
}

TensorNames::TensorNames(const GraphInfo& g) {
    for (const auto* list : {&g.inputs, &g.outputs, &g.value_info})
        for (const auto& v : *list) used_.insert(v.name);
    for (const auto& i : g.initializers) used_.insert(i.name);
    for (const auto& n : g.nodes) {
        used_.insert(n.inputs.begin(), n.inputs.end());
        used_.insert(n.outputs.begin(), n.outputs.end());
    }
}

std::string TensorNames::fresh(const std::string& base) {
    std::string name = base;
    for (int i = 1; used_.count(name); ++i) name = base + "_" + std::to_string(i);
    used_.insert(name);
    return name;
}

GraphInfo read_onnx(const std::string& bytes) {
    GraphInfo g;
    int graphs = 0;
    try {
        pbf_reader model(bytes);
        std::string graph_bytes;
        while (model.next()) {
            if (model.tag() == f::model_ir_version) {
                g.ir_version = int_field(model);
            } else if (model.tag() == f::model_graph) {
                ++graphs;
                graph_bytes = string_field(model);
            } else if (model.tag() == f::model_opset_import) {
                const auto [domain, version] = read_opset(message_field(model));
                if (domain.empty() || domain == "ai.onnx") g.opset = version;
            } else {
                model.skip();
            }
        }
        std::unordered_set<std::string> initializer_names;
        std::vector<ValueDecl> inputs;
        pbf_reader graph(graph_bytes);
        while (graph.next()) {
            switch (graph.tag()) {
                case f::graph_node: g.nodes.push_back(read_node(message_field(graph))); break;
                case f::graph_initializer:
                    g.initializers.push_back(read_initializer(message_field(graph)));
                    initializer_names.insert(g.initializers.back().name);
                    break;
                case f::graph_input: inputs.push_back(read_value(message_field(graph))); break;
                case f::graph_output: g.outputs.push_back(read_value(message_field(graph))); break;
                case f::graph_value_info: g.value_info.push_back(read_value(message_field(graph))); break;
                default: graph.skip();
            }
        }
        for (auto& in : inputs)
            if (!initializer_names.count(in.name)) g.inputs.push_back(std::move(in));
    } catch (const protozero::exception&) {
        throw InputError(kNotProtobuf);
    } catch (const BadField&) {
        throw InputError(kWrongWireType);
    }
    if (graphs != 1 || g.ir_version <= 0 || g.ir_version > 100 || g.nodes.empty() || g.inputs.empty() || g.outputs.empty())
        throw InputError("the file is not an ONNX model (no graph with nodes, inputs and outputs)");
    return g;
}

std::vector<std::string> layer_probe_names(const GraphInfo& g) {
    static const std::set<std::string> image_ops = {
        "Conv", "ConvTranspose", "Relu", "LeakyRelu", "PRelu", "Elu", "Selu", "Celu", "Clip", "Sigmoid",
        "HardSigmoid", "HardSwish", "Tanh", "Mish", "Gelu", "Softplus", "BatchNormalization",
        "InstanceNormalization", "LRN", "MaxPool", "AveragePool", "LpPool", "Add", "Sub", "Mul", "Div",
        "Sum", "Max", "Min", "Concat", "Dropout", "Identity", "Upsample", "Resize", "Pad", "DequantizeLinear",
        // Transformer blocks and channels-last stages: token sequences and N×H×W×C maps.
        "MatMul", "LayerNormalization", "Transpose"};
    std::unordered_map<std::string, int32_t> types;
    for (const auto& v : g.value_info) types[v.name] = v.elem_type;
    std::vector<std::string> names;
    for (const auto& n : g.nodes) {
        if (!n.domain.empty() || !image_ops.count(n.op_type) || n.outputs.empty() || n.outputs[0].empty()) continue;
        auto t = types.find(n.outputs[0]);
        if (t != types.end() && t->second != onnx_type::float32) continue;
        names.push_back(n.outputs[0]);
    }
    return names;
}

std::string patch_onnx(const std::string& bytes, const GraphInfo& g, const PatchOptions& options) {
    std::unordered_map<std::string, const ValueDecl*> known;
    for (const auto& v : g.value_info) known[v.name] = &v;
    for (const auto& v : g.outputs) known[v.name] = &v;
    std::unordered_set<std::string> real_inputs, existing_outputs;
    for (const auto& v : g.inputs) real_inputs.insert(v.name);
    for (const auto& v : g.outputs) existing_outputs.insert(v.name);
    const std::unordered_set<std::string> removed(options.removed_inputs.begin(), options.removed_inputs.end());

    auto output_decl = [&](const std::string& name) {
        ValueDecl v;
        auto it = known.find(name);
        if (it != known.end()) v = *it->second;
        v.name = name;
        return options.symbolic_batch ? with_symbolic_batch(v) : v;
    };

    std::string out;
    try {
        pbf_writer model_out(out);
        pbf_reader model(bytes);
        while (model.next()) {
            if (model.tag() != f::model_graph) {
                copy_field(model, model_out);
                continue;
            }
            pbf_writer graph_out(model_out, f::model_graph);
            pbf_reader graph = message_field(model);
            int added = 0;
            const auto node_name = [&] { return "iscam_patch_" + std::to_string(added++); };
            for (const auto& n : options.nodes_first) write_node(graph_out, n, node_name());
            for (const auto& v : options.new_inputs)
                write_value(graph_out, f::graph_input, options.symbolic_batch ? with_symbolic_batch(v) : v);
            for (const auto& [name, value] : options.float_constants) write_float_constant(graph_out, name, value);
            while (graph.next()) {
                const uint32_t tag = graph.tag();
                if (tag == f::graph_input && (options.symbolic_batch || !removed.empty())) {
                    ValueDecl v = read_value(message_field(graph));
                    if (removed.count(v.name)) continue;
                    if (options.symbolic_batch && real_inputs.count(v.name)) v = with_symbolic_batch(v);
                    write_value(graph_out, tag, v);
                } else if (tag == f::graph_output && options.replace_outputs) {
                    graph.skip();
                } else if (tag == f::graph_output && options.symbolic_batch) {
                    write_value(graph_out, tag, with_symbolic_batch(read_value(message_field(graph))));
                } else if (tag == f::graph_value_info && options.symbolic_batch) {
                    graph.skip();  // stale batch-1 shapes would contradict batched runs; ORT infers them again
                } else {
                    copy_field(graph, graph_out);
                }
            }
            for (const auto& n : options.nodes_last) write_node(graph_out, n, node_name());
            for (const std::string& name : options.extra_outputs) {
                if (existing_outputs.count(name) && !options.replace_outputs) continue;
                write_value(graph_out, f::graph_output, output_decl(name));
            }
        }
    } catch (const protozero::exception&) {
        throw InputError(kNotProtobuf);
    } catch (const BadField&) {
        throw InputError(kWrongWireType);
    }
    return out;
}

}  // namespace iscam
