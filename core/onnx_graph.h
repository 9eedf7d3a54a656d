#pragma once
// Reading and patching ONNX model bytes (protobuf wire format, through protozero).
#include <cstdint>
#include <string>
#include <vector>

namespace iscam {

struct Dim {
    int64_t value = -1;   // -1 when symbolic or unknown
    std::string param;    // the symbolic name, if any
};

struct ValueDecl {
    std::string name;
    int32_t elem_type = 0;  // ONNX TensorProto.DataType; 1 = float
    bool has_shape = false;
    std::vector<Dim> dims;
};

struct NodeDecl {
    std::string name, op_type;
    std::vector<std::string> inputs, outputs;
};

struct GraphInfo {
    int64_t ir_version = 0;
    std::vector<ValueDecl> inputs;   // real inputs (initializers removed)
    std::vector<ValueDecl> outputs;
    std::vector<ValueDecl> value_info;
    std::vector<NodeDecl> nodes;
};

// Throws InputError("... is not an ONNX model ...") when the bytes are not a usable model.
GraphInfo read_onnx(const std::string& bytes);

// Tensors worth probing as target layers: the first float output of every node whose op keeps
// an image-like layout (Conv, Relu, pooling, BatchNormalization, Concat, Add, ...), in graph order.
std::vector<std::string> layer_probe_names(const GraphInfo& g);

struct PatchOptions {
    std::vector<std::string> extra_outputs;  // node outputs to expose as graph outputs
    bool symbolic_batch = false;              // make dim 0 of the inputs and outputs symbolic
};
// Returns new model bytes; every other field is copied as it was.
std::string patch_onnx(const std::string& bytes, const GraphInfo& g, const PatchOptions& options);

struct LayerInfo {
    std::string name, op_type;
    std::vector<int64_t> shape;  // as observed by running the model once
};
// SPEC/torch-cam: candidates are 4-D outputs with spatial size > 1; the default is the last one.
bool is_candidate_shape(const std::vector<int64_t>& shape);

// The model's image input: 4-D float NCHW. Throws InputError otherwise.
struct InputInfo {
    std::string name;
    int64_t batch = -1, channels = -1, height = -1, width = -1;  // -1 = symbolic
};
InputInfo image_input(const GraphInfo& g);

}  // namespace iscam
