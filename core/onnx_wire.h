#pragma once
// The protobuf wire-format helpers shared by the ONNX readers and writers (onnx_graph.cpp,
// onnx_dequantize.cpp): field numbers from onnx.proto, and field reads that check the wire type
// first, so that malformed bytes are a BadField, never a protozero assertion or a misread.
#include <protozero/pbf_reader.hpp>
#include <protozero/pbf_writer.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace iscam::onnx_wire {

// Field numbers from onnx.proto (ModelProto, GraphProto, NodeProto, ValueInfoProto, TypeProto, ...).
namespace f {
constexpr uint32_t model_ir_version = 1, model_graph = 7, model_opset_import = 8;
constexpr uint32_t opset_domain = 1, opset_version = 2;
constexpr uint32_t graph_node = 1, graph_initializer = 5, graph_input = 11, graph_output = 12, graph_value_info = 13,
                   graph_quantization_annotation = 14;
constexpr uint32_t node_input = 1, node_output = 2, node_name = 3, node_op_type = 4, node_attribute = 5, node_domain = 7;
constexpr uint32_t attribute_name = 1, attribute_f = 2, attribute_i = 3, attribute_ints = 8, attribute_type = 20;
constexpr uint32_t attribute_type_float = 1, attribute_type_int = 2, attribute_type_ints = 7;
constexpr uint32_t value_name = 1, value_type = 2;
constexpr uint32_t type_tensor = 1;
constexpr uint32_t tensor_elem_type = 1, tensor_shape = 2;
constexpr uint32_t shape_dim = 1;
constexpr uint32_t dim_value = 1, dim_param = 2;
constexpr uint32_t initializer_dims = 1, initializer_data_type = 2, initializer_float_data = 4, initializer_int32_data = 5,
                   initializer_int64_data = 7, initializer_name = 8, initializer_raw_data = 9,
                   initializer_double_data = 10, initializer_data_location = 14;
constexpr int64_t data_location_external = 1;
}  // namespace f

using protozero::pbf_reader;
using protozero::pbf_writer;
using wire = protozero::pbf_wire_type;

// Malformed bytes; the public reader or writer turns it into the one InputError it throws.
struct BadField {};

inline void require(const pbf_reader& r, wire type) {
    if (r.wire_type() != type) throw BadField{};
}
inline std::string string_field(pbf_reader& r) {
    require(r, wire::length_delimited);
    return r.get_string();
}
inline pbf_reader message_field(pbf_reader& r) {
    require(r, wire::length_delimited);
    return r.get_message();
}
inline int64_t int_field(pbf_reader& r) {
    require(r, wire::varint);
    return r.get_int64();
}
// A repeated int64 field, packed or not.
inline void append_ints(pbf_reader& r, std::vector<int64_t>& out) {
    if (r.wire_type() == wire::length_delimited) {
        for (int64_t v : r.get_packed_int64()) out.push_back(v);
    } else {
        out.push_back(int_field(r));
    }
}

// Copies the current field unchanged, whatever its wire type.
inline void copy_field(pbf_reader& in, pbf_writer& out) {
    const uint32_t tag = in.tag();
    switch (in.wire_type()) {
        case wire::varint: out.add_uint64(tag, in.get_uint64()); break;
        case wire::fixed64: out.add_fixed64(tag, in.get_fixed64()); break;
        case wire::fixed32: out.add_fixed32(tag, in.get_fixed32()); break;
        case wire::length_delimited: out.add_bytes(tag, in.get_view()); break;
        default: throw BadField{};
    }
}

inline const char* const kNotProtobuf = "the file is not an ONNX model (its bytes are not a valid protobuf message)";
inline const char* const kWrongWireType = "the file is not an ONNX model (a field has the wrong protobuf wire type)";

}  // namespace iscam::onnx_wire
