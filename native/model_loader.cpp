#include "model_loader.h"

#include "error.h"
#include "file_io.h"
#include "npy.h"
#include "onnx_dequantize.h"
#include "preprocess.h"

namespace iscam {

namespace {

std::string shape_text(const std::vector<int64_t>& shape) {
    std::string s;
    for (auto d : shape) s += (s.empty() ? "" : "x") + std::to_string(d);
    return s;
}

ModelChoices merged_choices(const ModelConfig& sidecar, const ModelOptions& o) {
    ModelChoices c = sidecar.choices;
    if (!o.choices.output.empty()) c.output = o.choices.output;
    if (o.choices.layout) c.layout = o.choices.layout;
    if (o.choices.layer.extra_tokens) c.layer.extra_tokens = o.choices.layer.extra_tokens;
    if (o.choices.layer.grid) c.layer.grid = o.choices.layer.grid;
    if (o.choices.layer.layout) c.layer.layout = o.choices.layer.layout;
    return c;
}

// The sidecar's settings, what the model's input fixes, then the caller's options.
LoadedModel finish(std::string path, Classifier c, ModelConfig config, const ModelOptions& o) {
    fit_to_input(config, c.input());
    Preprocess& p = config.preprocess;
    if (!o.preset.empty()) p = preprocess_preset(o.preset, p);
    if (o.mean) p.mean = *o.mean;
    if (o.std) p.std = *o.std;
    if (o.gray && c.input().channels != 1)
        throw InputError("--gray asks for one channel but the model takes " + std::to_string(c.input().channels));
    if (o.size) {
        const auto [h, w] = *o.size;
        if ((c.input().height > 0 && h != c.input().height) || (c.input().width > 0 && w != c.input().width))
            throw InputError("--size " + std::to_string(h) + "x" + std::to_string(w) + " does not match the model's fixed input " +
                             std::to_string(c.input().height) + "x" + std::to_string(c.input().width));
        p.height = h;
        p.width = w;
    }
    set_resize(p, o.resize, o.crop, "--resize/--crop");
    if (o.bgr) p.bgr = true;
    validate(p);
    if (!o.labels_path.empty()) config.labels = read_labels(o.labels_path);
    return {std::move(path), std::move(c), std::move(config)};
}

// The int8 model at `path` as its float form (onnx_dequantize.h).
std::string float_form_of(const std::string& path) {
    const std::string bytes = read_file(path, "model", kMaxModelBytes);
    const GraphInfo graph = read_onnx(bytes);
    if (!is_quantized(graph)) throw InputError("--float-form: '" + path + "' has no quantized operators to run as float");
    return dequantize_model(bytes, graph);
}

}  // namespace

LoadedModel load_model(const std::string& path, const ModelOptions& o) {
    ModelConfig config = load_sidecar(path, o.sidecar_path);
    Classifier c = o.float_form ? Classifier(float_form_of(path), o.runtime, merged_choices(config, o))
                                : Classifier::from_file(path, o.runtime, merged_choices(config, o));
    return finish(path, std::move(c), std::move(config), o);
}

LoadedModel load_model_from_bytes(std::string bytes, const ModelOptions& o) {
    ModelConfig config = o.sidecar_path.empty() ? ModelConfig{} : load_sidecar("", o.sidecar_path);
    Classifier c(std::move(bytes), o.runtime, merged_choices(config, o));
    return finish("", std::move(c), std::move(config), o);
}

std::vector<int64_t> LoadedModel::input_shape() const {
    return {1, classifier.input().channels, config.preprocess.height, config.preprocess.width};
}

std::string LoadedModel::default_layer() { return classifier.default_layer(input_shape()); }

Tensor LoadedModel::input_from_image(const Image& image) const {
    const int64_t c = classifier.input().channels;
    if (c != 1 && c != 3)
        throw InputError(classifier.name() + " takes " + std::to_string(c) +
                         " input channels; an image gives 1 (gray) or 3 (RGB): give a preprocessed --input-npy instead");
    return to_input_tensor(image, config.preprocess);
}

Image LoadedModel::input_region(const Image& image) const { return iscam::input_region(image, config.preprocess); }

Tensor LoadedModel::input_from_npy(const std::string& npy_path) const {
    Tensor t = read_npy(npy_path);
    if (t.shape != input_shape())
        throw InputError("'" + npy_path + "' has shape " + shape_text(t.shape) + " but the model takes " +
                         shape_text(input_shape()));
    return t;
}

}  // namespace iscam
