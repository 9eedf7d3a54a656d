#pragma once
// The float form of an int8 model: its quantized operators (QLinearConv, QLinearMatMul,
// com.microsoft QLinearAdd and friends, QuantizeLinear/DequantizeLinear) rewritten as their
// float32 twins, weights and biases dequantized into float32 initializers. Each quantized tensor
// keeps its name and holds its dequantized value, clipped to the range its scale and zero point
// can express (the quantized graph's fused ReLU/ReLU6 and saturation); only the rounding of
// activations is lost. ONNX Runtime Web runs float kernels faster than its int8 ones.
#include <string>

#include "onnx_graph.h"

namespace iscam {

// True when the graph has quantized operators that dequantize_model rewrites.
bool is_quantized(const GraphInfo& g);

// The float32 model. Throws InputError naming the node when an operator or a quantization
// (per-channel activations, a non-initializer weight) has no float form here.
std::string dequantize_model(const std::string& bytes, const GraphInfo& g);

}  // namespace iscam
