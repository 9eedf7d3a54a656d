#include "classifier.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <unordered_map>

#include "error.h"

namespace iscam {

namespace {

size_t per_item(const OutputTensor& t) {
    size_t n = 1;
    for (size_t i = 1; i < t.shape.size(); ++i) n *= size_t(t.shape[i]);
    return n;
}

// The output's values, or InputError naming what is not float32.
const float* float_data(const OutputTensor& t, const std::string& what) {
    if (!t.data) throw InputError(what + " is not a float32 tensor");
    return t.data;
}

}  // namespace

std::string read_file(const std::string& path, const std::string& what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError("cannot open " + what + " '" + path + "'");
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

Classifier::Classifier(std::string model_bytes, RuntimeOptions options)
    : bytes_(std::move(model_bytes)), graph_(read_onnx(bytes_)), input_(image_input(graph_)), runtime_(options) {
    logits_name_ = graph_.outputs.front().name;
}

Classifier Classifier::from_file(const std::string& path, RuntimeOptions options) {
    std::string bytes = read_file(path, "model");
    try {
        return Classifier(std::move(bytes), options);
    } catch (const InputError& e) {
        throw InputError("'" + path + "': " + e.what());
    }
}

std::vector<LayerInfo> Classifier::layers(const std::vector<int64_t>& input_shape) {
    PatchOptions patch;
    patch.extra_outputs = layer_probe_names(graph_);
    OrtSession probe(patch_onnx(bytes_, graph_, patch), runtime_);
    std::vector<std::string> names;
    for (const auto& n : patch.extra_outputs)
        if (std::find(probe.output_names().begin(), probe.output_names().end(), n) != probe.output_names().end())
            names.push_back(n);
    std::vector<float> zeros(Tensor::element_count(input_shape), 0.0f);
    const auto outputs = probe.run(zeros.data(), input_shape, names);
    std::unordered_map<std::string, std::string> op_of;
    for (const auto& node : graph_.nodes)
        if (!node.outputs.empty()) op_of[node.outputs[0]] = node.op_type;
    std::vector<LayerInfo> layers;
    for (size_t i = 0; i < names.size(); ++i)
        if (outputs[i].data && is_candidate_shape(outputs[i].shape)) layers.push_back({names[i], op_of[names[i]], outputs[i].shape});
    return layers;
}

std::vector<float> Classifier::logits(const Tensor& x) {
    if (!plain_) plain_ = std::make_unique<OrtSession>(bytes_, runtime_);
    const auto out = plain_->run(x.data.data(), x.shape, {logits_name_});
    const float* logits = float_data(out[0], "the model's output");
    return std::vector<float>(logits, logits + per_item(out[0]));
}

void Classifier::select_layer(const std::string& layer, const std::vector<int64_t>& input_shape) {
    const bool known = std::any_of(graph_.nodes.begin(), graph_.nodes.end(), [&](const NodeDecl& n) {
        return std::find(n.outputs.begin(), n.outputs.end(), layer) != n.outputs.end();
    });
    if (!known) throw InputError("layer '" + layer + "' is not a tensor of the model (`iscam layers` lists them)");
    layer_ = layer;
    input_shape_ = input_shape;
    PatchOptions patch;
    patch.extra_outputs = {layer};
    patch.symbolic_batch = true;
    explain_ = std::make_unique<OrtSession>(patch_onnx(bytes_, graph_, patch), runtime_);
    max_batch_ = 1 << 16;
    batch_note_.clear();
    try {
        std::vector<float> zeros(2 * Tensor::element_count(input_shape), 0.0f);
        const auto out = explain_->run(zeros.data(), batch_shape(2), {logits_name_});
        if (out[0].shape.empty() || out[0].shape[0] != 2) throw InputError("batch dimension not carried through");
    } catch (const InputError& e) {
        patch.symbolic_batch = false;
        explain_ = std::make_unique<OrtSession>(patch_onnx(bytes_, graph_, patch), runtime_);
        max_batch_ = 1;
        batch_note_ = "the model's graph fixes the batch size to 1, so masked inputs run one at a time";
    }
}

std::vector<int64_t> Classifier::batch_shape(size_t n) const {
    std::vector<int64_t> s = input_shape_;
    s[0] = int64_t(n);
    return s;
}

Classifier::Forward Classifier::forward_with_layer(const Tensor& x) {
    const auto out = explain_->run(x.data.data(), batch_shape(1), {logits_name_, layer_});
    Forward f;
    const float* logits = float_data(out[0], "the model's output");
    const float* activations = float_data(out[1], "layer '" + layer_ + "'");
    f.logits.assign(logits, logits + per_item(out[0]));
    class_count_ = f.logits.size();
    if (out[1].shape.size() != 4)
        throw InputError("layer '" + layer_ + "' is not a 4-D tensor (N×K×h×w), it has " +
                         std::to_string(out[1].shape.size()) + " dimensions");
    f.activations = Tensor(out[1].shape, std::vector<float>(activations, activations + per_item(out[1])));
    return f;
}

void Classifier::class_scores(const float* batch, size_t n, int cls, float* scores) {
    const auto out = explain_->run(batch, batch_shape(n), {logits_name_});
    const size_t stride = per_item(out[0]);
    const float* logits = float_data(out[0], "the model's output");
    for (size_t i = 0; i < n; ++i) scores[i] = logits[i * stride + size_t(cls)];
}

const float* Classifier::device_logits(const float* batch, size_t n, size_t* stride) {
    const OutputTensor out = explain_->run_on_device(batch, batch_shape(n), logits_name_);
    *stride = per_item(out);
    return out.data;
}

}  // namespace iscam
