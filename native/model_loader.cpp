#include "model_loader.h"

#include "error.h"
#include "npy.h"
#include "preprocess.h"

namespace iscam {

namespace {

std::string shape_text(const std::vector<int64_t>& shape) {
    std::string s;
    for (auto d : shape) s += (s.empty() ? "" : "x") + std::to_string(d);
    return s;
}

}  // namespace

LoadedModel load_model(const std::string& path, const ModelOptions& o) {
    Classifier c = Classifier::from_file(path, o.runtime);
    ModelConfig config = load_model_config(path, c.input(), o.labels_path);
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
    validate(p);
    return {path, std::move(c), std::move(config)};
}

std::vector<int64_t> LoadedModel::input_shape() const {
    return {1, classifier.input().channels, config.preprocess.height, config.preprocess.width};
}

std::string LoadedModel::default_layer() {
    const auto layers = classifier.layers(input_shape());
    if (layers.empty()) throw InputError("the model has no 4-D layer with spatial size > 1 to explain");
    return layers.back().name;
}

Tensor LoadedModel::input_from_image(const Image& image) const { return to_input_tensor(image, config.preprocess); }

Tensor LoadedModel::input_from_npy(const std::string& npy_path) const {
    Tensor t = read_npy(npy_path);
    if (t.shape != input_shape())
        throw InputError("'" + npy_path + "' has shape " + shape_text(t.shape) + " but the model takes " +
                         shape_text(input_shape()));
    return t;
}

}  // namespace iscam
