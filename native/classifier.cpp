#include "classifier.h"

#include <algorithm>
#include <filesystem>

#include "error.h"

namespace iscam {

Classifier::Classifier(std::string model_bytes, RuntimeOptions options, const ModelChoices& choices, std::string name,
                       std::string data_folder)
    : bytes_(std::move(model_bytes)), name_(std::move(name)), data_folder_(std::move(data_folder)),
      graph_(read_onnx(bytes_)), plan_(plan_model(graph_, choices)), runtime_(options), layer_choices_(choices.layer) {
    if (plan_.external_data && data_folder_.empty())
        throw InputError("the model keeps its weights in external data files beside it: load it from its file, "
                         "or re-save it as one file");
}

Classifier Classifier::from_file(const std::string& path, RuntimeOptions options, const ModelChoices& choices) {
    std::string bytes = read_file(path, "model", kMaxModelBytes);
    const std::string folder = std::filesystem::path(path).parent_path().string();
    try {
        return Classifier(std::move(bytes), options, choices, "'" + path + "'", folder.empty() ? "." : folder);
    } catch (const InputError& e) {
        throw InputError("'" + path + "': " + e.what());
    }
}

std::unique_ptr<OrtSession> Classifier::session(const EngineOptions& options, const char* what) const {
    try {
        return std::make_unique<OrtSession>(engine_model(bytes_, graph_, plan_, options), runtime_,
                                            plan_.external_data ? data_folder_ : "");
    } catch (const InputError& e) {
        throw InputError(name_ + ": " + e.what() + " (" + what + ")");
    }
}

void Classifier::check_input(const std::vector<int64_t>& shape, size_t values) const {
    const InputInfo& in = plan_.input;
    const bool fits = shape.size() == 4 && shape[0] >= 1 && shape[1] == in.channels &&
                      (in.height < 0 || shape[2] == in.height) && (in.width < 0 || shape[3] == in.width) &&
                      shape[2] >= 1 && shape[3] >= 1 && Tensor::element_count(shape) == values;
    if (!fits)
        throw InputError(name_ + " takes inputs of " + std::to_string(in.channels) + " channels" +
                         (in.height > 0 ? " at " + std::to_string(in.height) + "×" + std::to_string(in.width) : "") +
                         ", not " + dims_text(shape) + " (" + std::to_string(values) + " values)");
}

std::vector<OutputTensor> Classifier::run(OrtSession& s, const float* data, const std::vector<int64_t>& shape,
                                          const std::vector<std::string>& outputs) {
    try {
        return s.run(data, shape, outputs);
    } catch (const InputError& e) {
        throw InputError(name_ + ": " + e.what());
    }
}

const float* Classifier::score_rows(const OutputTensor& out, size_t n, size_t* stride) {
    const std::string what = name_ + ": the score tensor '" + plan_.score.tensor + "'";
    if (!out.data) throw InputError(what + " is not a float tensor");
    const size_t total = out.count();
    // One item: every value is a class. A batch: [n, …] with the same classes per item.
    const bool batch_ok = n == 1 || (!out.shape.empty() && out.shape[0] == int64_t(n) && total % n == 0);
    const size_t classes = batch_ok ? total / n : 0;
    if (!batch_ok || classes == 0 || (class_count_ && classes != class_count_))
        throw InputError(what + " has shape " + dims_text(out.shape) + " for a batch of " + std::to_string(n) +
                         (class_count_ ? ", not " + std::to_string(n) + "×" + std::to_string(class_count_) : std::string()));
    class_count_ = classes;
    *stride = classes;
    return out.data;
}

std::vector<LayerInfo> Classifier::layers(const std::vector<int64_t>& input_shape) {
    // Nothing to probe is the model's shape, not a run for ONNX Runtime to refuse.
    if (plan_.probes.empty())
        throw InputError(name_ + " has no tensor that could be a target layer (no convolution, activation, pooling "
                                 "or DequantizeLinear output)");
    check_input(input_shape, Tensor::element_count(input_shape));
    EngineOptions options;
    for (const auto& p : plan_.probes) options.layers.push_back(p.name);
    const auto probe = session(options, "probing the target layers");
    std::vector<const ProbeLayer*> probes;
    std::vector<std::string> names{plan_.engine_score};
    for (const auto& p : plan_.probes)
        if (std::find(probe->output_names().begin(), probe->output_names().end(), p.engine_name) != probe->output_names().end()) {
            probes.push_back(&p);
            names.push_back(p.engine_name);
        }
    std::vector<float> zeros(Tensor::element_count(input_shape), 0.0f);
    const auto outputs = run(*probe, zeros.data(), input_shape, names);
    std::vector<std::string> names_4d;
    for (size_t i = 0; i < probes.size(); ++i)
        if (outputs[i + 1].shape.size() == 4) names_4d.push_back(probes[i]->name);
    const auto layouts = graph_layouts(graph_, names_4d, plan_.input.layout);
    std::vector<LayerInfo> layers;
    for (size_t i = 0, i4 = 0; i < probes.size(); ++i) {
        const OutputTensor& t = outputs[i + 1];
        const GraphLayout hint = t.shape.size() == 4 ? layouts[i4++] : GraphLayout{};
        if (!t.data) continue;
        LayerVerdict v = read_layer(t.shape, hint, input_shape[2], input_shape[3], layer_choices_);
        if (v.offered)
            layers.push_back({probes[i]->name, probes[i]->op_type, t.shape, probes[i]->elem_type, v.reading, v.problem});
    }
    return layers;
}

std::string Classifier::default_layer(const std::vector<int64_t>& input_shape) {
    const auto all = layers(input_shape);
    return all[default_layer_index(all, graph_)].name;
}

std::vector<float> Classifier::logits(const Tensor& x) {
    check_input(x.shape, x.data.size());
    if (!plain_) plain_ = session({}, "predicting");
    const auto out = run(*plain_, x.data.data(), x.shape, {plan_.engine_score});
    size_t stride = 0;
    const float* scores = score_rows(out[0], size_t(x.shape[0]), &stride);
    return std::vector<float>(scores, scores + out[0].count());
}

void Classifier::select_layer(const std::string& layer, const std::vector<int64_t>& input_shape) {
    const bool known = std::any_of(graph_.nodes.begin(), graph_.nodes.end(), [&](const NodeDecl& n) {
        return std::find(n.outputs.begin(), n.outputs.end(), layer) != n.outputs.end();
    });
    if (!known) throw InputError("layer '" + layer + "' is not a tensor of the model (`iscam layers` lists them)");
    check_input(input_shape, Tensor::element_count(input_shape));
    layer_.clear();
    reading_.reset();
    layer_layout_ = graph_layouts(graph_, {layer}, plan_.input.layout)[0];
    input_shape_ = input_shape;
    const std::string what = "explaining layer '" + layer + "'";
    EngineOptions options{{layer}, true};
    explain_ = session(options, what.c_str());
    max_batch_ = 1 << 16;
    batch_note_.clear();
    try {
        std::vector<float> zeros(2 * Tensor::element_count(input_shape), 0.0f);
        const auto out = explain_->run(zeros.data(), batch_shape(2), {plan_.engine_score});
        const size_t total = out[0].count();
        if (!out[0].data || out[0].shape.size() < 2 || out[0].shape[0] != 2 || total % 2 != 0)
            throw InputError("batch dimension not carried through");
    } catch (const InputError&) {
        options.symbolic_batch = false;
        explain_ = session(options, what.c_str());
        max_batch_ = 1;
        batch_note_ = "the model's graph fixes the batch size to 1, so masked inputs run one at a time";
    }
    layer_ = layer;
}

std::vector<int64_t> Classifier::batch_shape(size_t n) const {
    std::vector<int64_t> s = input_shape_;
    s[0] = int64_t(n);
    return s;
}

Classifier::Forward Classifier::forward_with_layer(const Tensor& x) {
    if (!explain_) throw std::logic_error("forward_with_layer before select_layer");
    check_input(x.shape, x.data.size());
    if (x.shape != batch_shape(1)) throw InputError(name_ + ": the input is " + dims_text(x.shape) + ", the layer was selected for " + dims_text(batch_shape(1)));
    const auto out = run(*explain_, x.data.data(), x.shape, {plan_.engine_score, plan_.engine_layer(layer_)});
    Forward f;
    size_t stride = 0;
    const float* logits = score_rows(out[0], 1, &stride);
    f.logits.assign(logits, logits + stride);
    const OutputTensor& a = out[1];
    const std::string what = "layer '" + layer_ + "'";
    if (!a.data) throw InputError(what + " is not a float32 tensor");
    const LayerVerdict v = read_layer(a.shape, layer_layout_, input_shape_[2], input_shape_[3], layer_choices_);
    if (!v.reading) throw InputError(what + ": " + v.problem);
    reading_ = v.reading;
    f.activations = to_maps(*v.reading, a.data, a.count());
    return f;
}

void Classifier::class_scores(const float* batch, size_t n, int cls, float* scores) {
    class_scores(batch, n, ClassScore{cls}, scores);
}

void Classifier::class_scores(const float* batch, size_t n, const ClassScore& target, float* scores) {
    size_t stride = 0;
    const float* logits = batch_logits(batch, n, &stride);
    check_class_score(target, stride);
    iscam::class_scores(logits, n, stride, target, scores);
}

const float* Classifier::batch_logits(const float* batch, size_t n, size_t* stride) {
    if (!explain_) throw std::logic_error("batch_logits before select_layer");
    if (n < 1 || n > max_batch_) throw std::logic_error("batch of " + std::to_string(n) + " over the session's maximum");
    const auto out = run(*explain_, batch, batch_shape(n), {plan_.engine_score});
    return score_rows(out[0], n, stride);
}

const float* Classifier::device_logits(const float* batch, size_t n, size_t* stride) {
    if (!explain_) throw std::logic_error("device_logits before select_layer");
    OutputTensor out;
    try {
        out = explain_->run_on_device(batch, batch_shape(n), plan_.engine_score);
    } catch (const InputError& e) {
        throw InputError(name_ + ": " + e.what());
    }
    return score_rows(out, n, stride);  // the data stays a device pointer; only the shape is read here
}

}  // namespace iscam
