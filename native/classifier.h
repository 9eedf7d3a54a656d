#pragma once
// An ONNX image classifier prepared for explaining: its input, its candidate target layers,
// and a session that returns the class scores of a batch and, on demand, the layer's activations.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "onnx_graph.h"
#include "ort_session.h"
#include "tensor.h"

namespace iscam {

std::string read_file(const std::string& path, const std::string& what);

class Classifier {
public:
    // Throws InputError when the bytes are not an ONNX image classifier.
    Classifier(std::string model_bytes, RuntimeOptions options);
    static Classifier from_file(const std::string& path, RuntimeOptions options);

    const GraphInfo& graph() const { return graph_; }
    const InputInfo& input() const { return input_; }
    const RuntimeOptions& runtime() const { return runtime_; }

    // The model run once on zeros of `input_shape` with every probe tensor exposed; the 4-D
    // outputs with spatial size > 1, in graph order (the last is torch-cam's default).
    std::vector<LayerInfo> layers(const std::vector<int64_t>& input_shape);

    // Plain forward pass of one input: the logits.
    std::vector<float> logits(const Tensor& x);

    // Builds the explain session for `layer` (batching allowed when the graph permits).
    void select_layer(const std::string& layer, const std::vector<int64_t>& input_shape);
    const std::string& layer() const { return layer_; }
    size_t max_batch() const { return max_batch_; }
    const std::string& batch_note() const { return batch_note_; }

    struct Forward {
        std::vector<float> logits;
        Tensor activations;  // 1×K×h×w
    };
    Forward forward_with_layer(const Tensor& x);
    // Class `cls` scores of n inputs laid out back to back in `batch`.
    void class_scores(const float* batch, size_t n, int cls, float* scores);
    // The logits of n inputs already in CUDA device memory, left there (row stride *stride);
    // valid until the next run.
    const float* device_logits(const float* batch, size_t n, size_t* stride);
    size_t class_count() const { return class_count_; }

private:
    std::vector<int64_t> batch_shape(size_t n) const;

    std::string bytes_;
    GraphInfo graph_;
    InputInfo input_;
    RuntimeOptions runtime_;
    std::unique_ptr<OrtSession> plain_, explain_;
    std::string layer_, logits_name_, batch_note_;
    std::vector<int64_t> input_shape_;
    size_t max_batch_ = 1, class_count_ = 0;
};

}  // namespace iscam
