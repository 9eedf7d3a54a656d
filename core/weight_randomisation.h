#pragma once
// The model parameter randomisation test of Adebayo et al. (2018), on model bytes: the weights of
// the layers counted from the output down are re-drawn from a seeded generator with the original
// tensor's mean and standard deviation (docs/math.md, "Sanity checks").
#include <cstdint>
#include <string>
#include <vector>

#include "onnx_graph.h"

namespace iscam {

struct RandomisableLayer {
    std::string node, op_type;
    std::vector<std::string> tensors;  // initializer names: the weight, then the float bias if any
};

// Conv, Gemm, MatMul (float weights, or int8/uint8 weights fed through DequantizeLinear),
// QLinearConv and QLinearMatMul nodes with an initializer weight; layer 1 is the last in graph
// order (the one nearest the output).
std::vector<RandomisableLayer> randomisable_layers(const GraphInfo& g);

// Re-draws tensor t of layer L (1-based in randomisable_layers) as mean + std·z, z the standard
// normal stream noise_field(seed, L, t, 1) of core/noise.h; integer tensors are rounded half to
// even and clamped to their type's range. Returns new model bytes, everything else unchanged.
// Throws InputError for a layer number out of range or weights stored outside the model.
std::string randomise_layers(const std::string& bytes, const std::vector<RandomisableLayer>& layers,
                             const std::vector<size_t>& layer_numbers, uint64_t seed);

// Layer numbers for step i of the cascading test (1..i) or the independent one (i alone).
std::vector<size_t> cascade_layers(size_t i);

}  // namespace iscam
