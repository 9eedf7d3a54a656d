// The C API: versions, contexts, layers and predict.
#include "context.h"

#include <algorithm>

#include "cam_math.h"
#include "data_dir.h"
#include "errors.h"
#include "run_limits.h"

using namespace iscam;
using namespace iscam::capi;

namespace iscam::capi {

namespace {

ModelOptions model_options(const iscam_context_params& p) {
    if (p.threads < 0 || p.threads > 256) throw ArgumentError("threads must be between 0 and 256");
    if (p.device != ISCAM_DEVICE_CPU && p.device != ISCAM_DEVICE_CUDA) throw ArgumentError("unknown device");
    if ((p.height == 0) != (p.width == 0) || p.height < 0 || p.width < 0)
        throw ArgumentError("height and width must both be 0 (the model's or sidecar's size) or both positive");
    if (p.max_image_pixels == 0) throw ArgumentError("max_image_pixels must be positive");
    ModelOptions o;
    o.runtime.threads = p.threads;
    o.runtime.device = p.device == ISCAM_DEVICE_CUDA ? Device::Cuda : Device::Cpu;
    if (p.sidecar_path) o.sidecar_path = p.sidecar_path;
    if (p.labels_path) o.labels_path = p.labels_path;
    if (p.preset) o.preset = p.preset;
    if (p.set_mean) o.mean = std::array<float, 3>{p.mean[0], p.mean[1], p.mean[2]};
    if (p.set_std) o.std = std::array<float, 3>{p.std[0], p.std[1], p.std[2]};
    if (p.height > 0) o.size = std::make_pair(p.height, p.width);
    if (p.resize) o.resize = p.resize;
    if (p.crop) o.crop = p.crop;
    o.bgr = p.bgr;
    if (p.score_output) o.choices.output = p.score_output;
    if (p.layout == ISCAM_LAYOUT_NCHW) o.choices.layout = Layout::NCHW;
    else if (p.layout == ISCAM_LAYOUT_NHWC) o.choices.layout = Layout::NHWC;
    else if (p.layout != ISCAM_LAYOUT_AUTO) throw ArgumentError("unknown layout");
    if (p.extra_tokens < -1 || p.extra_tokens > kMaxExtraTokens)
        throw ArgumentError("extra_tokens must be -1 (by rule) or between 0 and " + std::to_string(kMaxExtraTokens));
    if (p.extra_tokens >= 0) o.choices.layer.extra_tokens = p.extra_tokens;
    if ((p.grid_height == 0) != (p.grid_width == 0) || p.grid_height < 0 || p.grid_width < 0 ||
        p.grid_height > kMaxGridSide || p.grid_width > kMaxGridSide)
        throw ArgumentError("grid_height and grid_width must both be 0 (by rule) or both between 1 and " +
                            std::to_string(kMaxGridSide));
    if (p.grid_height > 0) o.choices.layer.grid = std::pair<int64_t, int64_t>{p.grid_height, p.grid_width};
    if (p.layer_layout == ISCAM_LAYOUT_NCHW) o.choices.layer.layout = Layout::NCHW;
    else if (p.layer_layout == ISCAM_LAYOUT_NHWC) o.choices.layer.layout = Layout::NHWC;
    else if (p.layer_layout != ISCAM_LAYOUT_AUTO) throw ArgumentError("unknown layer_layout");
    return o;
}

iscam_context* new_context(LoadedModel model, std::string name, const iscam_context_params& p) {
    auto* ctx = new iscam_context{std::move(model), std::move(name), {}, {}, {}, {}, {}};
    ctx->limits.max_pixels = p.max_image_pixels;
    return ctx;
}

std::vector<int64_t> shape_of(const iscam_context& ctx) { return ctx.model.input_shape(); }

}  // namespace

PreparedInput prepare_input(const iscam_context& ctx, const InputSource& s) {
    PreparedInput in;
    if (s.kind == InputSource::FloatTensor) {
        require(s.tensor, "tensor");
        const size_t expected = Tensor::element_count(shape_of(ctx));
        if (s.tensor_count != expected)
            throw ArgumentError("the tensor has " + std::to_string(s.tensor_count) + " values but the model's input " +
                                "(iscam_input_shape) takes " + std::to_string(expected));
        in.tensor = Tensor(shape_of(ctx), std::vector<float>(s.tensor, s.tensor + s.tensor_count));
        return in;
    }
    if (s.kind == InputSource::ImageFile) {
        in.image = load_image(require(s.image_path, "image_path"), ctx.limits);
    } else if (s.kind == InputSource::EncodedImage) {
        require(s.encoded, "data");
        if (s.encoded_size == 0) throw ArgumentError("size is 0");
        in.image = decode_image(static_cast<const uint8_t*>(s.encoded), s.encoded_size, ctx.limits);
    } else {
        require(s.rgb, "rgb");
        if (s.width <= 0 || s.height <= 0) throw ArgumentError("width and height must be positive");
        const uint64_t pixels = uint64_t(s.width) * uint64_t(s.height);
        if (s.rgb_size != pixels * 3)
            throw ArgumentError("rgb_size is " + std::to_string(s.rgb_size) + " bytes but a " + std::to_string(s.width) +
                                "×" + std::to_string(s.height) + " RGB image has " + std::to_string(pixels * 3));
        ImageInfo info;
        info.width = s.width;
        info.height = s.height;
        info.channels = 3;
        check_image_limits(info, ctx.limits);
        in.image = Image{s.width, s.height, std::vector<uint8_t>(s.rgb, s.rgb + s.rgb_size)};
    }
    in.tensor = ctx.model.input_from_image(*in.image);
    return in;
}

void note_class_count(iscam_context& ctx, size_t count) {
    if (ctx.class_count) return;
    ctx.class_count = count;
    default_labels(ctx.model.config, count, bundled_data_dir());
}

size_t class_count(iscam_context& ctx) {
    if (!ctx.class_count) {
        const auto shape = shape_of(ctx);
        note_class_count(ctx, ctx.model.classifier.logits(Tensor(shape)).size());
    }
    return *ctx.class_count;
}

const std::vector<LayerInfo>& layers(iscam_context& ctx) {
    if (!ctx.layers) {
        ctx.layers = ctx.model.classifier.layers(shape_of(ctx));
        ctx.layer_readings.clear();
        for (const LayerInfo& l : *ctx.layers) ctx.layer_readings.push_back(l.reading ? l.reading->description() : "");
    }
    return *ctx.layers;
}

const LayerInfo& default_layer(iscam_context& ctx) {
    const auto& all = layers(ctx);
    return all[default_layer_index(all, ctx.model.classifier.graph())];
}

void select_layer(iscam_context& ctx, const std::string& layer) {
    if (ctx.selected_layer == layer) return;
    ctx.selected_layer.clear();  // the classifier's session is undefined if the next call throws
    ctx.model.classifier.select_layer(layer, shape_of(ctx));
    ctx.selected_layer = layer;
}

}  // namespace iscam::capi

namespace {

iscam_status predict(const char* function, iscam_context* ctx, const InputSource& source, size_t k,
                     iscam_prediction* out, size_t* count) {
    if (count) *count = 0;
    return guarded(function, [&] {
        require(ctx, "ctx");
        require(out, "out");
        if (k == 0) throw ArgumentError("k must be at least 1");
        const PreparedInput in = prepare_input(*ctx, source);
        const std::vector<float> logits = ctx->model.classifier.logits(in.tensor);
        note_class_count(*ctx, logits.size());
        const std::vector<float> probability = softmax(std::vector<double>(logits.begin(), logits.end()));
        const std::vector<int> order = descending_order(logits.data(), logits.size());
        const size_t n = std::min(k, order.size());
        for (size_t r = 0; r < n; ++r) {
            const int c = order[r];
            const auto& labels = ctx->model.config.labels;
            out[r] = {c, logits[size_t(c)], probability[size_t(c)], size_t(c) < labels.size() ? labels[size_t(c)].c_str() : ""};
        }
        if (count) *count = n;
    });
}

}  // namespace

extern "C" {

#define ISCAM_TEXT(x) #x
#define ISCAM_VERSION_TEXT(a, b, c) ISCAM_TEXT(a) "." ISCAM_TEXT(b) "." ISCAM_TEXT(c)
const char* iscam_version(void) { return ISCAM_VERSION_TEXT(ISCAM_VERSION_MAJOR, ISCAM_VERSION_MINOR, ISCAM_VERSION_PATCH); }

int iscam_version_number(void) { return ISCAM_VERSION_MAJOR * 10000 + ISCAM_VERSION_MINOR * 100 + ISCAM_VERSION_PATCH; }

iscam_context_params iscam_default_context_params(void) {
    iscam_context_params p{};
    p.threads = 0;
    p.device = ISCAM_DEVICE_CPU;
    p.layout = ISCAM_LAYOUT_AUTO;
    p.extra_tokens = -1;
    p.layer_layout = ISCAM_LAYOUT_AUTO;
    p.max_image_pixels = ImageLimits{}.max_pixels;
    return p;
}

iscam_status iscam_init_from_file(const char* model_path, iscam_context_params params, iscam_context** ctx) {
    if (ctx) *ctx = nullptr;
    return guarded(__func__, [&] {
        require(ctx, "ctx");
        require(model_path, "model_path");
        const ModelOptions options = model_options(params);
        *ctx = new_context(load_model(model_path, options), model_path, params);
    });
}

iscam_status iscam_init_from_buffer(const void* data, size_t size, iscam_context_params params, iscam_context** ctx) {
    if (ctx) *ctx = nullptr;
    return guarded(__func__, [&] {
        require(ctx, "ctx");
        require(data, "data");
        if (size == 0) throw ArgumentError("size is 0");
        const ModelOptions options = model_options(params);
        std::string bytes(static_cast<const char*>(data), size);
        *ctx = new_context(load_model_from_bytes(std::move(bytes), options), "(buffer)", params);
    });
}

void iscam_free(iscam_context* ctx) { delete ctx; }

iscam_status iscam_input_shape(const iscam_context* ctx, int64_t shape[4]) {
    return guarded(__func__, [&] {
        require(ctx, "ctx");
        require(shape, "shape");
        const auto s = shape_of(*ctx);
        std::copy(s.begin(), s.end(), shape);
    });
}

iscam_status iscam_class_count(iscam_context* ctx, size_t* count) {
    return guarded(__func__, [&] { *require(count, "count") = class_count(*require(ctx, "ctx")); });
}

const char* iscam_class_label(iscam_context* ctx, int index) {
    return guarded_value<const char*>(__func__, nullptr, [&] {
        const size_t n = class_count(*require(ctx, "ctx"));
        if (index < 0 || size_t(index) >= n)
            throw ArgumentError("class " + std::to_string(index) + " is out of range 0.." + std::to_string(n - 1));
        const auto& labels = ctx->model.config.labels;
        return size_t(index) < labels.size() ? labels[size_t(index)].c_str() : "";
    });
}

iscam_status iscam_layer_count(iscam_context* ctx, size_t* count) {
    return guarded(__func__, [&] { *require(count, "count") = layers(*require(ctx, "ctx")).size(); });
}

iscam_status iscam_layer_at(iscam_context* ctx, size_t index, iscam_layer* layer) {
    return guarded(__func__, [&] {
        require(layer, "layer");
        const auto& all = layers(*require(ctx, "ctx"));
        if (index >= all.size())
            throw ArgumentError("layer " + std::to_string(index) + " is out of range: the model has " +
                                std::to_string(all.size()) + " candidate layers");
        const LayerInfo& l = all[index];
        const auto& r = l.reading;
        *layer = {l.name.c_str(), l.op_type.c_str(), r ? r->channels : 0, r ? r->height : 0, r ? r->width : 0,
                  ctx->layer_readings[index].c_str(), l.problem.c_str()};
    });
}

iscam_status iscam_default_layer(iscam_context* ctx, const char** name) {
    return guarded(__func__, [&] {
        require(name, "name");
        auto& c = *require(ctx, "ctx");
        *name = default_layer(c).name.c_str();
    });
}

iscam_status iscam_predict_file(iscam_context* ctx, const char* image_path, size_t k, iscam_prediction* out,
                                size_t* count) {
    InputSource s{InputSource::ImageFile};
    s.image_path = image_path;
    return predict(__func__, ctx, s, k, out, count);
}

iscam_status iscam_predict_encoded(iscam_context* ctx, const void* data, size_t size, size_t k, iscam_prediction* out,
                                   size_t* count) {
    InputSource s{InputSource::EncodedImage};
    s.encoded = data;
    s.encoded_size = size;
    return predict(__func__, ctx, s, k, out, count);
}

iscam_status iscam_predict_rgb(iscam_context* ctx, const uint8_t* rgb, size_t rgb_size, int width, int height,
                               size_t k, iscam_prediction* out, size_t* count) {
    InputSource s{InputSource::RgbPixels};
    s.rgb = rgb;
    s.rgb_size = rgb_size;
    s.width = width;
    s.height = height;
    return predict(__func__, ctx, s, k, out, count);
}

iscam_status iscam_predict_tensor(iscam_context* ctx, const float* tensor, size_t tensor_count, size_t k,
                                  iscam_prediction* out, size_t* count) {
    InputSource s{InputSource::FloatTensor};
    s.tensor = tensor;
    s.tensor_count = tensor_count;
    return predict(__func__, ctx, s, k, out, count);
}

}  // extern "C"
