#include "weight_randomisation.h"

#include <protozero/pbf_reader.hpp>
#include <protozero/pbf_writer.hpp>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

#include "error.h"
#include "noise.h"

namespace iscam {

namespace {

using protozero::pbf_reader;
using protozero::pbf_writer;
using wire = protozero::pbf_wire_type;

// onnx.proto field numbers (ModelProto.graph, GraphProto.initializer, TensorProto).
constexpr uint32_t kModelGraph = 7, kGraphInitializer = 5;
constexpr uint32_t kDims = 1, kDataType = 2, kFloatData = 4, kInt32Data = 5, kName = 8, kRawData = 9,
                   kDataLocation = 14;

bool is_weight_type(int32_t t) { return t == onnx_type::float32 || t == onnx_type::int8 || t == onnx_type::uint8; }

// The initializer feeding `tensor` directly, or through a DequantizeLinear of an int8/uint8 one.
const InitializerDecl* weight_initializer(const GraphInfo& g, const std::string& tensor) {
    if (const InitializerDecl* i = g.initializer(tensor)) return i->elem_type == onnx_type::float32 ? i : nullptr;
    const NodeDecl* p = g.producer(tensor);
    if (!p || p->op_type != "DequantizeLinear" || !p->domain.empty() || p->inputs.empty()) return nullptr;
    const InitializerDecl* q = g.initializer(p->inputs[0]);
    return q && (q->elem_type == onnx_type::int8 || q->elem_type == onnx_type::uint8) ? q : nullptr;
}

struct Tensor8 {  // an initializer's values as doubles, and what to write them back as
    int32_t type = 0;
    std::vector<double> values;
};

void require(const pbf_reader& r, wire t) {
    if (r.wire_type() != t) throw InputError("the model's weights are not valid ONNX (a field has the wrong wire type)");
}

Tensor8 read_values(pbf_reader t, const std::string& name) {
    Tensor8 out;
    std::string raw;
    std::vector<double> listed;
    while (t.next()) {
        switch (t.tag()) {
            case kDataType: require(t, wire::varint); out.type = int32_t(t.get_int32()); break;
            case kRawData: require(t, wire::length_delimited); raw = t.get_string(); break;
            case kFloatData:
                if (t.wire_type() == wire::length_delimited) for (float v : t.get_packed_float()) listed.push_back(v);
                else { require(t, wire::fixed32); listed.push_back(t.get_float()); }
                break;
            case kInt32Data:
                if (t.wire_type() == wire::length_delimited) for (int32_t v : t.get_packed_int32()) listed.push_back(v);
                else { require(t, wire::varint); listed.push_back(t.get_int32()); }
                break;
            case kDataLocation:
                require(t, wire::varint);
                if (t.get_int64() == 1) throw InputError("the weights of '" + name + "' live outside the model file");
                break;
            default: t.skip();
        }
    }
    if (!raw.empty()) {
        const size_t size = out.type == onnx_type::float32 ? 4 : 1;
        if (raw.size() % size) throw InputError("the weights of '" + name + "' have a partial value");
        for (size_t i = 0; i < raw.size(); i += size) {
            if (out.type == onnx_type::float32) {
                float v;
                std::memcpy(&v, raw.data() + i, 4);  // ONNX raw data is little-endian, as are our targets
                out.values.push_back(v);
            } else {
                out.values.push_back(out.type == onnx_type::int8 ? double(int8_t(raw[i])) : double(uint8_t(raw[i])));
            }
        }
    } else {
        out.values = std::move(listed);
    }
    if (out.values.empty()) throw InputError("the weights of '" + name + "' hold no values");
    return out;
}

std::string redrawn_raw(const Tensor8& t, uint64_t seed, uint32_t layer, uint32_t index) {
    const size_t n = t.values.size();
    double mean = 0, var = 0;
    for (double v : t.values) mean += v;
    mean /= double(n);
    for (double v : t.values) var += (v - mean) * (v - mean);
    const double sd = std::sqrt(var / double(n));
    std::vector<float> z(n);
    noise_field(seed, layer, index, 1.0f, z.data(), n);
    std::string raw;
    if (t.type == onnx_type::float32) {
        raw.resize(4 * n);
        for (size_t i = 0; i < n; ++i) {
            const float v = float(mean + sd * double(z[i]));
            std::memcpy(&raw[4 * i], &v, 4);
        }
        return raw;
    }
    const double lo = t.type == onnx_type::int8 ? -128 : 0, hi = t.type == onnx_type::int8 ? 127 : 255;
    raw.resize(n);
    for (size_t i = 0; i < n; ++i) {
        const double v = std::clamp(std::nearbyint(mean + sd * double(z[i])), lo, hi);
        raw[i] = t.type == onnx_type::int8 ? char(int8_t(v)) : char(uint8_t(v));
    }
    return raw;
}

// The initializer message with its values replaced by `raw` (raw_data); other fields copied.
void write_initializer(pbf_writer& graph, pbf_reader t, const std::string& raw) {
    pbf_writer out(graph, kGraphInitializer);
    while (t.next()) {
        const uint32_t tag = t.tag();
        if (tag == kFloatData || tag == kInt32Data || tag == kRawData) { t.skip(); continue; }
        switch (t.wire_type()) {
            case wire::varint: out.add_uint64(tag, t.get_uint64()); break;
            case wire::fixed64: out.add_fixed64(tag, t.get_fixed64()); break;
            case wire::fixed32: out.add_fixed32(tag, t.get_fixed32()); break;
            case wire::length_delimited: out.add_bytes(tag, t.get_view()); break;
            default: throw InputError("the model's weights are not valid ONNX");
        }
    }
    out.add_bytes(kRawData, raw);
}

std::string tensor_name(pbf_reader t) {
    while (t.next()) {
        if (t.tag() == kName && t.wire_type() == wire::length_delimited) return t.get_string();
        t.skip();
    }
    return "";
}

}  // namespace

std::vector<RandomisableLayer> randomisable_layers(const GraphInfo& g) {
    std::vector<RandomisableLayer> layers;
    for (auto n = g.nodes.rbegin(); n != g.nodes.rend(); ++n) {
        if (!n->domain.empty()) continue;
        RandomisableLayer l{n->name, n->op_type, {}};
        const auto input = [&](size_t i) { return i < n->inputs.size() ? n->inputs[i] : std::string(); };
        if (n->op_type == "Conv" || n->op_type == "Gemm" || n->op_type == "MatMul") {
            const InitializerDecl* w = weight_initializer(g, input(1));
            if (!w && n->op_type == "MatMul") w = weight_initializer(g, input(0));
            if (!w) continue;
            l.tensors.push_back(w->name);
            const InitializerDecl* b = n->op_type == "MatMul" ? nullptr : g.initializer(input(2));
            if (b && b->elem_type == onnx_type::float32) l.tensors.push_back(b->name);
        } else if (n->op_type == "QLinearConv" || n->op_type == "QLinearMatMul") {
            const InitializerDecl* w = g.initializer(input(3));
            if (!w && n->op_type == "QLinearMatMul") w = g.initializer(input(0));
            if (!w || !is_weight_type(w->elem_type) || w->elem_type == onnx_type::float32) continue;
            l.tensors.push_back(w->name);
        } else {
            continue;
        }
        layers.push_back(std::move(l));
    }
    return layers;
}

std::vector<size_t> cascade_layers(size_t i) {
    std::vector<size_t> out;
    for (size_t l = 1; l <= i; ++l) out.push_back(l);
    return out;
}

std::string randomise_layers(const std::string& bytes, const std::vector<RandomisableLayer>& layers,
                             const std::vector<size_t>& layer_numbers, uint64_t seed) {
    std::map<std::string, std::pair<uint32_t, uint32_t>> redraw;  // tensor → (layer, index in layer)
    for (size_t l : layer_numbers) {
        if (l < 1 || l > layers.size())
            throw InputError("layer " + std::to_string(l) + " is out of range: the model has " +
                             std::to_string(layers.size()) + " randomisable layers");
        for (size_t t = 0; t < layers[l - 1].tensors.size(); ++t)
            redraw.emplace(layers[l - 1].tensors[t], std::make_pair(uint32_t(l), uint32_t(t)));
    }
    std::string out;
    try {
        pbf_writer model_out(out);
        pbf_reader model(bytes);
        while (model.next()) {
            if (model.tag() != kModelGraph || model.wire_type() != wire::length_delimited) {
                switch (model.wire_type()) {
                    case wire::varint: model_out.add_uint64(model.tag(), model.get_uint64()); break;
                    case wire::fixed64: model_out.add_fixed64(model.tag(), model.get_fixed64()); break;
                    case wire::fixed32: model_out.add_fixed32(model.tag(), model.get_fixed32()); break;
                    case wire::length_delimited: model_out.add_bytes(model.tag(), model.get_view()); break;
                    default: throw InputError("the model is not valid protobuf");
                }
                continue;
            }
            pbf_writer graph_out(model_out, kModelGraph);
            pbf_reader graph = model.get_message();
            while (graph.next()) {
                if (graph.tag() != kGraphInitializer || graph.wire_type() != wire::length_delimited) {
                    switch (graph.wire_type()) {
                        case wire::varint: graph_out.add_uint64(graph.tag(), graph.get_uint64()); break;
                        case wire::fixed64: graph_out.add_fixed64(graph.tag(), graph.get_fixed64()); break;
                        case wire::fixed32: graph_out.add_fixed32(graph.tag(), graph.get_fixed32()); break;
                        case wire::length_delimited: graph_out.add_bytes(graph.tag(), graph.get_view()); break;
                        default: throw InputError("the model is not valid protobuf");
                    }
                    continue;
                }
                const protozero::data_view view = graph.get_view();
                const std::string name = tensor_name(pbf_reader(view));
                const auto it = redraw.find(name);
                if (it == redraw.end()) {
                    graph_out.add_bytes(kGraphInitializer, view);
                    continue;
                }
                const Tensor8 t = read_values(pbf_reader(view), name);
                write_initializer(graph_out, pbf_reader(view), redrawn_raw(t, seed, it->second.first, it->second.second));
            }
        }
    } catch (const protozero::exception&) {
        throw InputError("the model is not valid protobuf");
    }
    return out;
}

}  // namespace iscam
