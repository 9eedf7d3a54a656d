#include "onnx_dequantize.h"

#include <cctype>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

#include "error.h"
#include "onnx_wire.h"

namespace iscam {

using namespace onnx_wire;

namespace {

// One node as read: its fields, and its attributes as bytes to copy.
struct RawNode {
    NodeDecl decl;
    std::string bytes;
    std::vector<std::pair<std::string, std::string>> attributes;  // (name, AttributeProto bytes)
};

RawNode read_raw_node(const std::string& bytes) {
    RawNode n;
    n.bytes = bytes;
    pbf_reader r(bytes);
    while (r.next()) {
        switch (r.tag()) {
            case f::node_input: n.decl.inputs.push_back(string_field(r)); break;
            case f::node_output: n.decl.outputs.push_back(string_field(r)); break;
            case f::node_name: n.decl.name = string_field(r); break;
            case f::node_op_type: n.decl.op_type = string_field(r); break;
            case f::node_domain: n.decl.domain = string_field(r); break;
            case f::node_attribute: {
                const std::string attribute = string_field(r);
                std::string name;
                pbf_reader a(attribute);
                while (a.next()) {
                    if (a.tag() == f::attribute_name) name = string_field(a);
                    else a.skip();
                }
                n.attributes.emplace_back(name, attribute);
                break;
            }
            default: r.skip();
        }
    }
    if (n.decl.domain == "ai.onnx") n.decl.domain.clear();
    return n;
}

std::string read_value_name(const std::string& bytes) {
    std::string name;
    pbf_reader v(bytes);
    while (v.next()) {
        if (v.tag() == f::value_name) name = string_field(v);
        else v.skip();
    }
    return name;
}

// An integer attribute's value, or `fallback` when the node has none.
int64_t int_attribute(const RawNode& n, const std::string& name, int64_t fallback) {
    for (const auto& [key, bytes] : n.attributes) {
        if (key != name) continue;
        pbf_reader a(bytes);
        while (a.next()) {
            if (a.tag() == f::attribute_i) return int_field(a);
            a.skip();
        }
    }
    return fallback;
}

// An initializer's values, whatever field holds them.
struct Constant {
    int32_t type = 0;
    std::vector<int64_t> dims;
    std::vector<double> values;
};

template <typename T>
void append_raw(const std::string& raw, std::vector<double>& out) {
    if (raw.size() % sizeof(T)) throw BadField{};
    for (size_t at = 0; at < raw.size(); at += sizeof(T)) {
        T v;
        std::memcpy(&v, raw.data() + at, sizeof(T));  // ONNX raw data is little-endian, as wasm32 and x86-64 are
        out.push_back(double(v));
    }
}

Constant read_constant(const std::string& bytes, const std::string& name) {
    Constant c;
    std::string raw;
    bool external = false;
    pbf_reader t(bytes);
    while (t.next()) {
        switch (t.tag()) {
            case f::initializer_dims: append_ints(t, c.dims); break;
            case f::initializer_data_type: c.type = int32_t(int_field(t)); break;
            case f::initializer_raw_data: raw = string_field(t); break;
            case f::initializer_data_location: external = int_field(t) == f::data_location_external; break;
            case f::initializer_float_data:
                if (t.wire_type() == wire::length_delimited) for (float v : t.get_packed_float()) c.values.push_back(v);
                else { require(t, wire::fixed32); c.values.push_back(t.get_float()); }
                break;
            case f::initializer_int32_data:
                if (t.wire_type() == wire::length_delimited) for (int32_t v : t.get_packed_int32()) c.values.push_back(v);
                else c.values.push_back(double(int_field(t)));
                break;
            case f::initializer_int64_data: {
                std::vector<int64_t> v;
                append_ints(t, v);
                c.values.insert(c.values.end(), v.begin(), v.end());
                break;
            }
            case f::initializer_double_data:
                if (t.wire_type() == wire::length_delimited) for (double v : t.get_packed_double()) c.values.push_back(v);
                else { require(t, wire::fixed64); c.values.push_back(t.get_double()); }
                break;
            default: t.skip();
        }
    }
    if (external) throw InputError("the quantized constant '" + name + "' is in an external data file");
    if (!raw.empty()) {
        switch (c.type) {
            case onnx_type::float32: append_raw<float>(raw, c.values); break;
            case onnx_type::float64: append_raw<double>(raw, c.values); break;
            case onnx_type::uint8: append_raw<uint8_t>(raw, c.values); break;
            case onnx_type::int8: append_raw<int8_t>(raw, c.values); break;
            case onnx_type::int32: append_raw<int32_t>(raw, c.values); break;
            case onnx_type::int64: append_raw<int64_t>(raw, c.values); break;
            default: throw InputError("the quantized constant '" + name + "' is " + onnx_type_name(c.type));
        }
    }
    size_t count = 1;
    for (int64_t d : c.dims) count *= size_t(std::max<int64_t>(d, 0));
    if (c.values.size() != count)
        throw InputError("the constant '" + name + "' holds " + std::to_string(c.values.size()) + " values for " +
                         std::to_string(count) + " elements");
    return c;
}

bool is_converted_op(const NodeDecl& n) {
    static const std::unordered_set<std::string> onnx_ops = {"QuantizeLinear", "DequantizeLinear", "QLinearConv",
                                                             "QLinearMatMul"};
    static const std::unordered_set<std::string> ms_ops = {
        "QuantizeLinear", "DequantizeLinear", "QLinearAdd", "QLinearMul", "QLinearConcat", "QLinearGlobalAveragePool",
        "QLinearAveragePool", "QLinearLeakyRelu", "QLinearSigmoid"};
    return (n.domain.empty() && onnx_ops.count(n.op_type)) || (n.domain == "com.microsoft" && ms_ops.count(n.op_type));
}

// Quantized ops without a float form here: copying them would leave integer tensors in a float graph.
bool is_other_quantized_op(const NodeDecl& n) {
    const std::string& op = n.op_type;
    return op.rfind("QLinear", 0) == 0 || op.find("Integer") != std::string::npos ||
           op.find("Quantize") != std::string::npos || (op.size() > 1 && op[0] == 'Q' && std::isupper(op[1]));
}

class Dequantizer {
public:
    Dequantizer(const GraphInfo& g, const std::unordered_map<std::string, std::string>& initializers)
        : names_(g), initializers_(initializers) {
        for (const auto& v : g.inputs) graph_inputs_.insert(v.name);
    }

    // Appends the float twin of a converted node to nodes_.
    void convert(const RawNode& n) {
        const NodeDecl& d = n.decl;
        node_ = &d;
        const std::string& op = d.op_type;
        if (op == "QuantizeLinear") {
            clip(input(0), output(), 1, 2);
        } else if (op == "DequantizeLinear") {
            if (initializers_.count(input(0))) {
                floats_.push_back({output(), dequantized(0, 1, 2, int_attribute(n, "axis", 1))});
            } else {
                per_tensor(1, 2);
                emit("Identity", {input(0)}, output(), {});
            }
        } else if (op == "QLinearConv") {
            if (!initializers_.count(input(3))) fail("its weights are not a constant");
            const Constant w = dequantized(3, 4, 5, 0);
            std::vector<std::string> in = {operand(0, 1, 2), add_float(input(3) + "_float", w)};
            if (!input(8).empty()) in.push_back(add_float(input(8) + "_float", conv_bias(w, params(4, 5).first.values)));
            emit_clipped("Conv", in, n.attributes, 6, 7);
        } else if (op == "QLinearMatMul") {
            emit_clipped("MatMul", {operand(0, 1, 2, 0), operand(3, 4, 5, -1)}, {}, 6, 7);
        } else if (op == "QLinearAdd" || op == "QLinearMul") {
            emit_clipped(op == "QLinearAdd" ? "Add" : "Mul", {operand(0, 1, 2), operand(3, 4, 5)}, {}, 6, 7);
        } else if (op == "QLinearConcat") {
            std::vector<std::string> in;
            for (size_t i = 2; i + 2 < d.inputs.size(); i += 3) in.push_back(operand(i, i + 1, i + 2));
            emit_clipped("Concat", in, n.attributes, 0, 1);
        } else {  // the one-input ops: (x, x_scale, x_zero_point, y_scale, y_zero_point)
            if (int_attribute(n, "channels_last", 0)) fail("it is channels-last");
            std::vector<std::pair<std::string, std::string>> attributes;
            for (const auto& a : n.attributes)
                if (a.first != "channels_last") attributes.push_back(a);
            emit_clipped(op.substr(std::string("QLinear").size()), {operand(0, 1, 2)}, attributes, 3, 4);
        }
    }

    // A copied node must not be a quantized operator this file has no float form for.
    void check_copied(const RawNode& n) {
        if (is_other_quantized_op(n.decl))
            throw InputError("the node '" + n.decl.name + "' (" + n.decl.op_type + ") has no float form in iscam");
    }

    struct FloatConstant {
        std::string name;
        Constant value;
    };
    struct Node {
        std::string op_type;
        std::vector<std::string> inputs;
        std::string output;
        std::vector<std::pair<std::string, std::string>> attributes;
    };
    const std::vector<FloatConstant>& floats() const { return floats_; }
    const std::vector<Node>& nodes() const { return nodes_; }
    // Initializers read by the converted nodes only, which the float graph drops.
    const std::unordered_set<std::string>& consumed() const { return consumed_; }

private:
    const std::string& input(size_t i) const {
        static const std::string none;
        return i < node_->inputs.size() ? node_->inputs[i] : none;
    }
    const std::string& output() const {
        if (node_->outputs.empty()) fail("it has no output");
        return node_->outputs[0];
    }
    [[noreturn]] void fail(const std::string& why) const {
        throw InputError("the quantized node '" + node_->name + "' (" + node_->op_type + ") has no float form: " + why);
    }

    Constant constant(size_t i) {
        const std::string& name = input(i);
        auto it = initializers_.find(name);
        if (it == initializers_.end()) fail("'" + name + "' is not a constant");
        consumed_.insert(name);
        return read_constant(it->second, name);
    }
    // Scale and zero point of input i's quantization (a missing zero point: uint8 zeros).
    std::pair<Constant, Constant> params(size_t scale, size_t zero_point) {
        Constant s = constant(scale), z;
        if (input(zero_point).empty()) {
            z.type = onnx_type::uint8;
            z.values.assign(s.values.size(), 0.0);
        } else {
            z = constant(zero_point);
        }
        if (z.values.size() != s.values.size()) fail("its scale and zero point differ in size");
        return {s, z};
    }
    std::pair<double, double> per_tensor(size_t scale, size_t zero_point) {
        const auto [s, z] = params(scale, zero_point);
        if (s.values.size() != 1) fail("'" + input(scale) + "' quantizes per channel");
        return {s.values[0], z.values[0]};
    }

    // The constant input i, dequantized with its scale and zero point along `axis` (< 0: from the end).
    Constant dequantized(size_t i, size_t scale, size_t zero_point, int64_t axis) {
        Constant q = constant(i);
        const auto [s, z] = params(scale, zero_point);
        const int64_t rank = int64_t(q.dims.size());
        if (axis < 0) axis += rank;
        size_t inner = 1, channels = 1;
        if (s.values.size() > 1) {
            if (axis < 0 || axis >= rank || q.dims[size_t(axis)] != int64_t(s.values.size()))
                fail("the scale of '" + input(i) + "' does not match its axis " + std::to_string(axis));
            channels = s.values.size();
            for (int64_t a = axis + 1; a < rank; ++a) inner *= size_t(q.dims[size_t(a)]);
        }
        for (size_t k = 0; k < q.values.size(); ++k) {
            const size_t c = (k / inner) % channels;
            q.values[k] = (q.values[k] - z.values[c]) * s.values[c];
        }
        q.type = onnx_type::float32;
        return q;
    }

    // QLinearConv's int32 bias is in units of x_scale × w_scale (per output channel).
    Constant conv_bias(const Constant& w, const std::vector<double>& w_scale) {
        Constant b = constant(8);
        const double x_scale = per_tensor(1, 2).first;
        const size_t out = w.dims.empty() ? 0 : size_t(w.dims[0]);
        if (b.values.size() != out) fail("its bias does not have one value per output channel");
        for (size_t m = 0; m < out; ++m) b.values[m] *= x_scale * w_scale[w_scale.size() == 1 ? 0 : m];
        b.type = onnx_type::float32;
        return b;
    }

    // Input i as float: a dequantized constant, else the tensor itself (it holds its dequantized
    // value in the float graph), which must be quantized per tensor.
    std::string operand(size_t i, size_t scale, size_t zero_point, int64_t axis = 0) {
        const std::string& name = input(i);
        if (initializers_.count(name)) return add_float(name + "_float", dequantized(i, scale, zero_point, axis));
        if (graph_inputs_.count(name)) fail("its input '" + name + "' is a quantized graph input");
        per_tensor(scale, zero_point);
        return name;
    }

    std::string add_float(const std::string& base, Constant value) {
        const std::string name = names_.fresh(base);
        floats_.push_back({name, std::move(value)});
        return name;
    }
    std::string scalar(const std::string& base, double v) {
        Constant c;
        c.type = onnx_type::float32;
        c.values = {v};
        return add_float(base, std::move(c));
    }

    void emit(const std::string& op, std::vector<std::string> inputs, const std::string& out,
              std::vector<std::pair<std::string, std::string>> attributes) {
        nodes_.push_back({op, std::move(inputs), out, std::move(attributes)});
    }
    // y = Clip(x, lo, hi): the values y's quantization can hold.
    void clip(const std::string& x, const std::string& y, size_t scale, size_t zero_point) {
        const auto [s, z] = per_tensor(scale, zero_point);
        const int32_t type = input(zero_point).empty() ? onnx_type::uint8 : constant(zero_point).type;
        const double lo = type == onnx_type::int8 ? -128 : 0, hi = type == onnx_type::int8 ? 127 : 255;
        if (type != onnx_type::int8 && type != onnx_type::uint8) fail("it quantizes to " + onnx_type_name(type));
        emit("Clip", {x, scalar(y + "_min", (lo - z) * s), scalar(y + "_max", (hi - z) * s)}, y, {});
    }
    void emit_clipped(const std::string& op, std::vector<std::string> inputs,
                      std::vector<std::pair<std::string, std::string>> attributes, size_t scale, size_t zero_point) {
        const std::string unclipped = names_.fresh(output() + "_" + op);
        emit(op, std::move(inputs), unclipped, std::move(attributes));
        clip(unclipped, output(), scale, zero_point);
    }

    TensorNames names_;
    const std::unordered_map<std::string, std::string>& initializers_;
    std::unordered_set<std::string> graph_inputs_, consumed_;
    const NodeDecl* node_ = nullptr;
    std::vector<FloatConstant> floats_;
    std::vector<Node> nodes_;
};

void write_float_constant(pbf_writer& graph, const std::string& name, const Constant& c) {
    pbf_writer t(graph, f::graph_initializer);
    for (int64_t d : c.dims) t.add_int64(f::initializer_dims, d);
    t.add_int32(f::initializer_data_type, onnx_type::float32);
    t.add_string(f::initializer_name, name);
    std::string raw(c.values.size() * sizeof(float), '\0');
    for (size_t i = 0; i < c.values.size(); ++i) {
        const float v = float(c.values[i]);
        std::memcpy(raw.data() + i * sizeof(float), &v, sizeof(float));
    }
    t.add_bytes(f::initializer_raw_data, raw);
}

void write_node(pbf_writer& graph, const Dequantizer::Node& n, const std::string& name) {
    pbf_writer node(graph, f::graph_node);
    for (const auto& i : n.inputs) node.add_string(f::node_input, i);
    node.add_string(f::node_output, n.output);
    node.add_string(f::node_name, name);
    node.add_string(f::node_op_type, n.op_type);
    for (const auto& a : n.attributes) node.add_message(f::node_attribute, a.second);
}

}  // namespace

bool is_quantized(const GraphInfo& g) {
    for (const auto& n : g.nodes)
        if (is_converted_op(n)) return true;
    return false;
}

std::string dequantize_model(const std::string& bytes, const GraphInfo& g) {
    if (g.opset < 11)
        throw InputError("the model's opset is " + std::to_string(g.opset) + "; its float form needs opset 11 or newer (Clip)");
    std::string out;
    try {
        std::string graph_bytes;
        pbf_writer model_out(out);
        pbf_reader model(bytes);
        while (model.next()) {
            if (model.tag() == f::model_graph) graph_bytes = string_field(model);
            else copy_field(model, model_out);
        }
        std::unordered_map<std::string, std::string> initializers;
        std::vector<std::string> initializer_order;
        std::vector<RawNode> nodes;
        pbf_reader graph(graph_bytes);
        while (graph.next()) {
            if (graph.tag() == f::graph_node) {
                nodes.push_back(read_raw_node(string_field(graph)));
            } else if (graph.tag() == f::graph_initializer) {
                const std::string t = string_field(graph);
                std::string name;
                pbf_reader r(t);
                while (r.next()) {
                    if (r.tag() == f::initializer_name) name = string_field(r);
                    else r.skip();
                }
                if (initializers.emplace(name, t).second) initializer_order.push_back(name);
            } else {
                graph.skip();
            }
        }

        Dequantizer dq(g, initializers);
        std::vector<std::pair<size_t, size_t>> twins(nodes.size());  // each converted node's span in dq.nodes()
        std::unordered_set<std::string> still_read, quantized_tensors;  // initializers that copied nodes read
        for (size_t i = 0; i < nodes.size(); ++i) {
            const NodeDecl& d = nodes[i].decl;
            if (is_converted_op(d)) {
                const size_t begin = dq.nodes().size();
                dq.convert(nodes[i]);
                twins[i] = {begin, dq.nodes().size()};
                quantized_tensors.insert(d.outputs.begin(), d.outputs.end());
            } else {
                dq.check_copied(nodes[i]);
                still_read.insert(d.inputs.begin(), d.inputs.end());
            }
        }
        for (const auto& o : g.outputs)
            if (quantized_tensors.count(o.name) && o.elem_type && o.elem_type != onnx_type::float32)
                throw InputError("the model's output '" + o.name + "' is quantized (" + onnx_type_name(o.elem_type) +
                                 "); its float form would change the output's type");

        const auto dropped = [&](const std::string& name) { return dq.consumed().count(name) && !still_read.count(name); };
        pbf_writer graph_out(model_out, f::model_graph);
        pbf_reader again(graph_bytes);
        while (again.next()) {
            const uint32_t tag = again.tag();
            if (tag == f::graph_node || tag == f::graph_initializer || tag == f::graph_value_info ||
                tag == f::graph_quantization_annotation) {
                again.skip();  // value_info would give quantized tensors their integer types; ORT infers them
            } else if (tag == f::graph_input) {
                const std::string v = string_field(again);
                if (!dropped(read_value_name(v))) graph_out.add_message(tag, v);  // old models list initializers as inputs
            } else {
                copy_field(again, graph_out);
            }
        }
        int added = 0;
        for (size_t i = 0; i < nodes.size(); ++i) {
            if (!is_converted_op(nodes[i].decl)) {
                graph_out.add_message(f::graph_node, nodes[i].bytes);
                continue;
            }
            for (size_t k = twins[i].first; k < twins[i].second; ++k)
                write_node(graph_out, dq.nodes()[k], "iscam_float_" + std::to_string(added++));
        }
        for (const auto& name : initializer_order)
            if (!dropped(name)) graph_out.add_message(f::graph_initializer, initializers.at(name));
        for (const auto& c : dq.floats()) write_float_constant(graph_out, c.name, c.value);
    } catch (const protozero::exception&) {
        throw InputError(kNotProtobuf);
    } catch (const BadField&) {
        throw InputError(kWrongWireType);
    }
    return out;
}

}  // namespace iscam
