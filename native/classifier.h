#pragma once
// An ONNX image classifier prepared for explaining: the model as the engine sees it (core
// model_adapter: float32 N×C×H×W input, float32 scores, float32 target layers), its candidate
// target layers, and a session that returns the class scores of a batch and, on demand, the
// layer's activations. Every shape ONNX Runtime returns is checked before it is read.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "class_score.h"
#include "file_io.h"
#include "layer_reading.h"
#include "model_adapter.h"
#include "onnx_graph.h"
#include "ort_session.h"
#include "tensor.h"

namespace iscam {

class Classifier {
public:
    // Throws InputError when the bytes are not an ONNX image classifier. `name` names the model in
    // messages; `data_folder` is where its external data files are ("": bytes without a folder).
    Classifier(std::string model_bytes, RuntimeOptions options, const ModelChoices& choices = {},
               std::string name = "the model", std::string data_folder = "");
    static Classifier from_file(const std::string& path, RuntimeOptions options, const ModelChoices& choices = {});

    const GraphInfo& graph() const { return graph_; }
    const ModelPlan& plan() const { return plan_; }
    const InputInfo& input() const { return plan_.input; }
    const RuntimeOptions& runtime() const { return runtime_; }
    const std::string& name() const { return name_; }
    const LayerChoices& layer_choices() const { return layer_choices_; }

    // The model run once on zeros of `input_shape` with every probe tensor exposed; the outputs
    // layer_reading.h offers (maps, channels-last maps, token grids, and those only an override
    // reads), in graph order. Throws InputError when the model has no tensor to probe.
    std::vector<LayerInfo> layers(const std::vector<int64_t>& input_shape);
    // The default among them (layer_reading.h's default_layer_index); throws InputError when none is read.
    std::string default_layer(const std::vector<int64_t>& input_shape);

    // Plain forward pass of one input: the logits.
    std::vector<float> logits(const Tensor& x);

    // Builds the explain session for `layer` (batching allowed when the graph permits).
    void select_layer(const std::string& layer, const std::vector<int64_t>& input_shape);
    const std::string& layer() const { return layer_; }
    // How the selected layer is read (valid after the first forward_with_layer).
    const std::optional<LayerReading>& layer_reading() const { return reading_; }
    size_t max_batch() const { return max_batch_; }
    const std::string& batch_note() const { return batch_note_; }

    struct Forward {
        std::vector<float> logits;
        Tensor activations;  // 1×K×h×w, read as layer_reading() says
    };
    Forward forward_with_layer(const Tensor& x);
    // Class `cls` scores of n inputs laid out back to back in `batch`.
    void class_scores(const float* batch, size_t n, int cls, float* scores);
    // Their scores for `target` (the class, or the class against a contrast class).
    void class_scores(const float* batch, size_t n, const ClassScore& target, float* scores);
    // Every logit of n inputs laid out back to back in `batch`: n rows of *stride values, valid
    // until the next run (the faithfulness metrics need the whole row for a softmax).
    const float* batch_logits(const float* batch, size_t n, size_t* stride);
    // The logits of n inputs already in CUDA device memory, left there (row stride *stride);
    // valid until the next run.
    const float* device_logits(const float* batch, size_t n, size_t* stride);
    size_t class_count() const { return class_count_; }

private:
    std::vector<int64_t> batch_shape(size_t n) const;
    std::unique_ptr<OrtSession> session(const EngineOptions& options, const char* what) const;
    std::vector<OutputTensor> run(OrtSession& s, const float* data, const std::vector<int64_t>& shape,
                                  const std::vector<std::string>& outputs);
    void check_input(const std::vector<int64_t>& shape, size_t values) const;
    // The score rows of a batch of n: checks the output holds n × classes values.
    const float* score_rows(const OutputTensor& out, size_t n, size_t* stride);

    std::string bytes_, name_, data_folder_;
    GraphInfo graph_;
    ModelPlan plan_;
    RuntimeOptions runtime_;
    LayerChoices layer_choices_;
    GraphLayout layer_layout_;  // what the graph says about the selected layer
    std::optional<LayerReading> reading_;
    std::unique_ptr<OrtSession> plain_, explain_;
    std::string layer_, batch_note_;
    std::vector<int64_t> input_shape_;
    size_t max_batch_ = 1, class_count_ = 0;
};

}  // namespace iscam
