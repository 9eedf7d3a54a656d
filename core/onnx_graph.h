#pragma once
// Reading and patching ONNX model bytes (protobuf wire format, through protozero). Every field is
// checked for its wire type and length before it is read: malformed bytes are an InputError.
#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

namespace iscam {

// ONNX TensorProto.DataType values the project meets.
namespace onnx_type {
constexpr int32_t float32 = 1, uint8 = 2, int8 = 3, int32 = 6, int64 = 7, float16 = 10, float64 = 11;
}
// "float32", "uint8", ... or "ONNX type N".
std::string onnx_type_name(int32_t elem_type);

struct Dim {
    int64_t value = -1;   // -1 when symbolic or unknown
    std::string param;    // the symbolic name, if any
};

struct ValueDecl {
    std::string name;
    int32_t elem_type = 0;  // ONNX TensorProto.DataType; 0 = not declared
    bool has_shape = false;
    std::vector<Dim> dims;
};

struct NodeDecl {
    std::string name, op_type, domain;
    std::vector<std::string> inputs, outputs;
    std::vector<std::pair<std::string, std::vector<int64_t>>> ints_attributes;  // integer-list attributes (perm, ...)

    const std::vector<int64_t>* ints_attribute(const std::string& attribute) const;  // nullptr when absent
};

struct InitializerDecl {
    std::string name;
    int32_t elem_type = 0;
    std::vector<int64_t> dims;
    bool external = false;  // its data lives in a file beside the model (data_location EXTERNAL)
};

struct GraphInfo {
    int64_t ir_version = 0;
    int64_t opset = 0;                // version of the default (ai.onnx) operator set
    std::vector<ValueDecl> inputs;    // real inputs (initializers removed)
    std::vector<ValueDecl> outputs;
    std::vector<ValueDecl> value_info;
    std::vector<NodeDecl> nodes;
    std::vector<InitializerDecl> initializers;

    bool has_external_data() const;
    const NodeDecl* producer(const std::string& tensor) const;       // nullptr for inputs and initializers
    const InitializerDecl* initializer(const std::string& name) const;
    int32_t declared_type(const std::string& tensor) const;           // from inputs, outputs, value_info; 0 if unknown
};

// The tensor names a graph uses, for the names a patch adds.
class TensorNames {
public:
    explicit TensorNames(const GraphInfo& g);
    void use(const std::string& name) { used_.insert(name); }
    std::string fresh(const std::string& base);  // base, else base_1, base_2, ...: the first unused

private:
    std::unordered_set<std::string> used_;
};

// Throws InputError("... is not an ONNX model ...") when the bytes are not a usable model.
GraphInfo read_onnx(const std::string& bytes);

// Tensors worth probing as target layers: the first float output of every node whose op keeps
// an image-like layout (Conv, Relu, pooling, BatchNormalization, Concat, Add, DequantizeLinear,
// ...) or a token sequence (MatMul, LayerNormalization, Transpose), in graph order. Which of
// them are read as maps, and how, is layer_reading.h's decision.
std::vector<std::string> layer_probe_names(const GraphInfo& g);

// A node added by a patch: ai.onnx domain, integer (list) attributes only.
struct NewNode {
    std::string op_type;
    std::vector<std::string> inputs, outputs;
    std::vector<std::pair<std::string, int64_t>> int_attributes;
    std::vector<std::pair<std::string, std::vector<int64_t>>> ints_attributes;
    std::vector<std::pair<std::string, float>> float_attributes;
};

struct PatchOptions {
    std::vector<std::string> extra_outputs;  // node outputs to expose as graph outputs
    bool symbolic_batch = false;              // make dim 0 of the inputs and outputs symbolic
    bool replace_outputs = false;             // extra_outputs become the graph's only outputs, in order
    std::vector<ValueDecl> new_inputs;        // graph inputs to add
    std::vector<std::string> removed_inputs;  // graph inputs that new nodes produce instead
    std::vector<NewNode> nodes_first;         // written before the graph's own nodes
    std::vector<NewNode> nodes_last;          // written after them
    std::vector<std::pair<std::string, float>> float_constants;  // scalar float32 initializers
};
// Returns new model bytes; every other field is copied as it was. Throws InputError on bytes
// that are not a valid protobuf message.
std::string patch_onnx(const std::string& bytes, const GraphInfo& g, const PatchOptions& options);

}  // namespace iscam
