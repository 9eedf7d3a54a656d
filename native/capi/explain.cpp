// The C API: explain, from an image file, an encoded image in memory, RGB pixels or a preprocessed tensor.
#include <atomic>

#include "context.h"
#include "errors.h"
#include "result.h"
#include "run_limits.h"

using namespace iscam;
using namespace iscam::capi;

namespace {

ExplainRequest request_of(const iscam_explain_params& p, std::vector<unsigned>& bits) {
    if (p.methods == 0 || (p.methods & ~unsigned(all_methods_mask())))
        throw ArgumentError("methods must be ISCAM_METHOD_* bits, at least one");
    if (p.class_index < -1) throw ArgumentError("class_index must be -1 (the top-1) or a class");
    if (p.contrast_class < -1) throw ArgumentError("contrast_class must be -1 (none) or a class");
    if (p.contrast_class >= 0 && p.contrast_class == p.class_index)
        throw ArgumentError("contrast_class must differ from class_index (both are " + std::to_string(p.class_index) + ")");
    if (p.batch < 1 || p.batch > kMaxBatch) throw ArgumentError("batch must be between 1 and " + std::to_string(kMaxBatch));
    if (p.write_threads < 0 || p.write_threads > 256) throw ArgumentError("write_threads must be between 0 and 256");
    ExplainRequest r;
    r.methods.clear();
    for (Method method : all_methods())
        if (p.methods & mask_of(method)) {
            bits.push_back(mask_of(method));
            r.methods.push_back(method);
        }
    r.class_index = p.class_index;
    r.contrast_class = p.contrast_class;
    r.batch = size_t(p.batch);
    r.memory_budget = p.memory_budget;
    r.write_threads = p.write_threads;
    r.options.sscam_samples = p.sscam_samples;
    r.options.sscam_sigma = p.sscam_sigma;
    r.options.seed = p.seed;
    r.options.iscam_samples = p.iscam_samples;
    r.options.shortcuts = p.shortcuts;
    r.options.channels = p.channels;
    if (p.select != ISCAM_SELECT_VARIANCE && p.select != ISCAM_SELECT_SCREEN)
        throw ArgumentError("select must be ISCAM_SELECT_VARIANCE or ISCAM_SELECT_SCREEN, got " + std::to_string(p.select));
    r.options.select = p.select == ISCAM_SELECT_SCREEN ? ChannelSelect::Screen : ChannelSelect::Variance;
    r.options.screen_channels = p.screen_channels;
    try {
        validate(r.options);
    } catch (const InputError& e) {
        throw ArgumentError(e.what());
    }
    return r;
}

iscam_status explain(const char* function, iscam_context* ctx, const InputSource& source,
                     const iscam_explain_params& params, iscam_result** result) {
    if (result) *result = nullptr;
    return guarded(function, [&] {
        require(ctx, "ctx");
        require(result, "result");
        auto r = std::make_unique<iscam_result>();
        const ExplainRequest request = request_of(params, r->methods);
        PreparedInput in = prepare_input(*ctx, source);
        if (params.class_index >= 0 && size_t(params.class_index) >= class_count(*ctx))
            throw ArgumentError("class " + std::to_string(params.class_index) + " is out of range: the model has " +
                                std::to_string(*ctx->class_count) + " classes");
        if (params.contrast_class >= 0 && size_t(params.contrast_class) >= class_count(*ctx))
            throw ArgumentError("contrast_class " + std::to_string(params.contrast_class) +
                                " is out of range: the model has " + std::to_string(*ctx->class_count) + " classes");
        r->layer = params.layer ? std::string(params.layer) : default_layer(*ctx).name;
        select_layer(*ctx, r->layer);

        std::atomic<bool> cancel{false};
        ProgressFn progress;
        if (params.progress)
            progress = [&](const Explainer& ex, double elapsed_s) {
                if (!params.progress(ex.passes_done(), ex.total_passes(), elapsed_s, params.progress_user_data))
                    cancel = true;
            };
        r->run = run_explanation(ctx->model.classifier, in.tensor, request, progress, &cancel);
        if (r->run.cancelled || cancel)
            throw Cancelled("cancelled after " + std::to_string(r->run.explainer->passes_done()) + " of " +
                            std::to_string(r->run.explainer->total_passes()) + " forward passes");
        note_class_count(*ctx, r->run.logits.size());
        for (Method m : r->run.explainer->methods()) r->maps.push_back(r->run.explainer->result(m));
        r->model = ctx->name;
        r->class_label = label_of(ctx->model.config, r->run.class_index);
        r->contrast_label = label_of(ctx->model.config, r->run.contrast_class);
        if (in.image) r->image = ctx->model.input_region(*in.image);
        *result = r.release();
    });
}

}  // namespace

extern "C" {

iscam_explain_params iscam_default_explain_params(void) {
    const ExplainRequest defaults;
    iscam_explain_params p{};
    p.methods = ISCAM_METHOD_ISCAM;
    p.layer = nullptr;
    p.class_index = -1;
    p.sscam_samples = defaults.options.sscam_samples;
    p.sscam_sigma = defaults.options.sscam_sigma;
    p.seed = defaults.options.seed;
    p.iscam_samples = defaults.options.iscam_samples;
    p.shortcuts = defaults.options.shortcuts;
    p.channels = defaults.options.channels;
    p.batch = int(defaults.batch);
    p.memory_budget = defaults.memory_budget;
    p.write_threads = defaults.write_threads;
    p.progress = nullptr;
    p.progress_user_data = nullptr;
    p.contrast_class = -1;
    p.select = defaults.options.select == ChannelSelect::Screen ? ISCAM_SELECT_SCREEN : ISCAM_SELECT_VARIANCE;
    p.screen_channels = defaults.options.screen_channels;
    return p;
}

iscam_status iscam_explain_file(iscam_context* ctx, const char* image_path, iscam_explain_params params,
                                iscam_result** result) {
    InputSource s{InputSource::ImageFile};
    s.image_path = image_path;
    return explain(__func__, ctx, s, params, result);
}

iscam_status iscam_explain_encoded(iscam_context* ctx, const void* data, size_t size, iscam_explain_params params,
                                   iscam_result** result) {
    InputSource s{InputSource::EncodedImage};
    s.encoded = data;
    s.encoded_size = size;
    return explain(__func__, ctx, s, params, result);
}

iscam_status iscam_explain_rgb(iscam_context* ctx, const uint8_t* rgb, size_t rgb_size, int width, int height,
                               iscam_explain_params params, iscam_result** result) {
    InputSource s{InputSource::RgbPixels};
    s.rgb = rgb;
    s.rgb_size = rgb_size;
    s.width = width;
    s.height = height;
    return explain(__func__, ctx, s, params, result);
}

iscam_status iscam_explain_tensor(iscam_context* ctx, const float* tensor, size_t tensor_count,
                                  iscam_explain_params params, iscam_result** result) {
    InputSource s{InputSource::FloatTensor};
    s.tensor = tensor;
    s.tensor_count = tensor_count;
    return explain(__func__, ctx, s, params, result);
}

void iscam_result_free(iscam_result* result) { delete result; }

}  // extern "C"
