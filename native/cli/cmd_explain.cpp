#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>

#include "colormap.h"
#include "commands.h"
#include "common.h"
#include "fast_mode_options.h"
#include "error.h"
#include "file_io.h"
#include "metrics_options.h"
#include "memory_budget.h"
#include "output_files.h"
#include "result_json.h"
#include "run_limits.h"
#include "road_options.h"

namespace iscam::cli {

namespace {

struct ExplainArgs {
    ModelArgs model;
    std::string image, npy, method = "iscam", layer, out, overlay, compare, json, colormap = "jet";
    int class_index = -1, samples = 0, batch = 32;
    FastModeArgs fast;
    int contrast = -1;
    float sigma = 2.0f, alpha = 0.5f;
    uint64_t seed = 0;
    uint64_t memory_budget_mib = 0;
    bool no_shortcuts = false, progress = false;
};

std::string duration_text(double s) {
    char text[32];
    if (s < 120) std::snprintf(text, sizeof text, "%.0f s", s);
    else if (s < 2 * 3600) std::snprintf(text, sizeof text, "%.0f min", s / 60);
    else if (s < 48 * 3600) std::snprintf(text, sizeof text, "%.1f h", s / 3600);
    else std::snprintf(text, sizeof text, "%.1f days", s / 86400);
    return text;
}

// A run that will take long says so once its first batch has shown the speed.
constexpr double kLongRunSeconds = 60;
void note_long_run(const Explainer& ex, double elapsed_s) {
    if (ex.done() || ex.passes_done() == 0) return;
    const double total_s = elapsed_s * double(ex.total_passes()) / double(ex.passes_done());
    if (total_s >= kLongRunSeconds)
        std::fprintf(stderr, "iscam: note: %zu forward passes will take about %s at this speed (Ctrl-C stops)\n",
                     ex.total_passes(), duration_text(total_s).c_str());
}

// The batch within the memory budget (for the explanation and the metrics); says so when it
// lowers --batch.
size_t batch_within_budget(const ExplainRequest& req, const Tensor& x, size_t max_batch) {
    const BatchFit fit = fit_batch(req.batch, x.data.size(), req.memory_budget);
    if (fit.batch >= std::min(req.batch, max_batch)) return req.batch;
    std::fprintf(stderr,
                 "iscam: note: --batch %zu lowered to %zu: %zu inputs of %lldx%lldx%lld would take about %s with "
                 "ONNX Runtime's tensors, over the memory budget of %s%s\n",
                 req.batch, fit.batch, req.batch, (long long)x.shape[1], (long long)x.shape[2], (long long)x.shape[3],
                 byte_size_text(fit.requested_bytes).c_str(), byte_size_text(fit.budget).c_str(),
                 req.memory_budget ? "" : " (half the memory available; --memory-budget sets it)");
    return fit.batch;
}

// The image outputs' size: small images (28×28 Fashion-MNIST) are shown larger, the shorter side
// becoming 224, and large ones smaller, the longer side at most 2048: a 1×5000 strip stays 1×2048
// rather than becoming 224×1120000.
constexpr int kDisplayShorter = 224, kDisplayLonger = 2048;
std::pair<int, int> display_size(int width, int height) {
    const int shorter = std::min(width, height), longer = std::max(width, height);
    const double s = std::min(shorter < kDisplayShorter ? double(kDisplayShorter) / shorter : 1.0,
                              double(kDisplayLonger) / longer);
    if (s == 1.0) return {width, height};
    return {std::max(1, int(width * s + 0.5)), std::max(1, int(height * s + 0.5))};
}

std::string png_bytes(const Image& image) {
    const std::vector<uint8_t> png = encode_png(image);
    return std::string(png.begin(), png.end());
}

// The PNG outputs asked for, into `files`; returns the lines naming them. Built only when asked.
std::string add_image_outputs(const ExplainArgs& a, const Explainer& ex, const Tensor& x,
                              const std::optional<Image>& image, OutputFiles& files) {
    if (a.out.empty() && a.overlay.empty() && a.compare.empty()) return "";
    const Colormap cmap = *parse_colormap(a.colormap);
    const auto [W, H] = image ? display_size(image->width, image->height) : display_size(int(x.shape[3]), int(x.shape[2]));
    Image base;
    if (image) base = W == image->width && H == image->height ? *image : resize_image(*image, W, H);
    std::map<Method, Image> heat;
    for (Method m : ex.methods()) {
        const CamResult r = ex.result(m);
        heat[m] = colorize(r.map, r.height, r.width, W, H, cmap);
    }
    const Method primary = heat.count(Method::ISCAM) ? Method::ISCAM : ex.methods().front();
    std::string lines;
    if (!a.out.empty()) {
        files.set(a.out, png_bytes(heat[primary]));
        lines += "heatmap:      " + a.out + "\n";
    }
    if (!a.overlay.empty()) {
        files.set(a.overlay, png_bytes(blend(base, heat[primary], a.alpha)));
        lines += "overlay:      " + a.overlay + "\n";
    }
    if (!a.compare.empty()) {
        std::vector<Image> panels;
        if (image) panels.push_back(base);
        for (Method m : ex.methods()) panels.push_back(image ? blend(base, heat[m], a.alpha) : heat[m]);
        files.set(a.compare, png_bytes(side_by_side(panels)));
        lines += "side by side: " + a.compare + " (" + (image ? "image, " : "");
        for (size_t i = 0; i < ex.methods().size(); ++i)
            lines += std::string(method_title(ex.methods()[i])) + (i + 1 < ex.methods().size() ? ", " : ")\n");
    }
    return lines;
}

}  // namespace

std::function<int()> add_explain_command(CLI::App& app) {
    auto* cmd = app.add_subcommand("explain", "explain a class of an image with Score-CAM, SS-CAM or IS-CAM");
    auto a = std::make_shared<ExplainArgs>();
    add_model_options(cmd, a->model);
    add_layer_reading_options(cmd, a->model);
    cmd->add_option("-i,--image", a->image, "image file (PNG, JPEG, BMP, GIF, ...)");
    cmd->add_option("--input-npy", a->npy, "preprocessed float32 .npy input of the model's input shape");
    cmd->add_option("--method", a->method, method_names() + ", a comma list, or all")->capture_default_str();
    cmd->add_option("--layer", a->layer, "target layer (see `iscam layers`; default: the one it marks)");
    auto* class_option = cmd->add_option("--class", a->class_index, "class to explain (default: the top-1)");
    auto* contrast_option = cmd->add_option(
        "--contrast", a->contrast, "contrastive map: why --class and not this class (score f(·)_A − f(·)_B, docs/math.md)");
    cmd->add_option("--samples", a->samples, "N for SS-CAM and IS-CAM (default 35 and 10)")->check(CLI::Range(1, kMaxSamples));
    cmd->add_option("--sigma", a->sigma, "SS-CAM noise σ")->capture_default_str();
    cmd->add_option("--seed", a->seed, "SS-CAM noise seed")->capture_default_str();
    cmd->add_option("--batch", a->batch, "masked inputs per ONNX Runtime run")->capture_default_str()->check(CLI::Range(1, kMaxBatch));
    cmd->add_option("--memory-budget", a->memory_budget_mib, "MiB the batch may take (default: half the memory available)")
        ->check(CLI::Range(uint64_t(1), uint64_t(1) << 30));
    cmd->add_flag("--no-shortcuts", a->no_shortcuts, "score every channel (no skipping of all-zero channels)");
    add_fast_mode_options(cmd, a->fast);
    cmd->add_option("-o,--out", a->out, "heatmap PNG");
    cmd->add_option("--overlay", a->overlay, "heatmap blended over the image, PNG");
    cmd->add_option("--compare", a->compare, "image and one overlay per method side by side, PNG");
    cmd->add_option("--json", a->json, "result JSON (map, weights, scores, timings)");
    cmd->add_option("--colormap", a->colormap, "jet, turbo, viridis, inferno or gray")
        ->capture_default_str()->check(CLI::IsMember({"jet", "turbo", "viridis", "inferno", "gray"}));
    cmd->add_option("--alpha", a->alpha, "overlay opacity")->capture_default_str()->check(CLI::Range(0.0f, 1.0f));
    cmd->add_flag("--progress", a->progress, "show the progress bar even when stderr is not a terminal");
    auto metrics = std::make_shared<MetricsArgs>();
    add_metrics_options(cmd, *metrics, true, true);
    auto road = std::make_shared<RoadArgs>();
    add_road_options(cmd, *road);
    return [a, class_option, contrast_option, metrics, road] {
        if (metrics->road()) road->enabled = true;
        if (class_option->count() > 0 && a->class_index < 0)
            throw InputError("class " + std::to_string(a->class_index) + " is out of range: classes count from 0");
        if (contrast_option->count() > 0 && a->contrast < 0)
            throw InputError("--contrast " + std::to_string(a->contrast) + " is out of range: classes count from 0");
        if (contrast_option->count() > 0 && metrics->faithfulness())
            throw InputError("--metrics measures one class's score, not a contrast: leave out --contrast or --metrics");
        if (contrast_option->count() > 0 && road->enabled)
            throw InputError("ROAD measures one class's score, not a contrast: leave out --contrast or the ROAD option");
        const auto methods = parse_methods(a->method);
        ExplainRequest req;
        req.methods = methods;
        req.class_index = a->class_index;
        req.contrast_class = a->contrast;
        req.batch = size_t(a->batch);
        req.memory_budget = a->memory_budget_mib * kMiB;
        req.write_threads = a->model.threads;
        req.options.sscam_sigma = a->sigma;
        req.options.seed = a->seed;
        req.options.shortcuts = !a->no_shortcuts;
        apply_fast_mode(a->fast, req.options);
        if (a->samples > 0) req.options.sscam_samples = req.options.iscam_samples = a->samples;
        validate(req.options);
        if (!a->overlay.empty() && a->image.empty()) throw InputError("--overlay needs an --image to draw on");
        OutputFiles files;  // checked now, written together at the end
        files.plan(a->json, "--json");
        files.plan(a->out, "--out");
        files.plan(a->overlay, "--overlay");
        files.plan(a->compare, "--compare");

        LoadedModel m = load_model(a->model);
        print_model_notes(m);
        // Decoded once: for the input tensor and for the overlays.
        const std::optional<Image> image =
            a->image.empty() ? std::nullopt : std::optional<Image>(load_image(a->image, image_limits(a->model)));
        const Tensor x = image ? m.input_from_image(*image) : load_input(m, "", a->npy);
        const std::string layer = a->layer.empty() ? m.default_layer() : a->layer;
        m.classifier.select_layer(layer, m.input_shape());
        if (!m.classifier.batch_note().empty()) std::fprintf(stderr, "iscam: note: %s\n", m.classifier.batch_note().c_str());

        req.batch = batch_within_budget(req, x, m.classifier.max_batch());

        const bool force = a->progress;
        auto progress = [force, first = true](const Explainer& ex, double t) mutable {
            if (first) note_long_run(ex, t);
            first = false;
            progress_bar(ex, t, force);
        };
        ExplainRun run = run_explanation(m.classifier, x, req, progress, &g_cancel);
        progress_done();
        if (run.cancelled) {
            std::fprintf(stderr, "iscam: cancelled after %zu of %zu forward passes; nothing written\n",
                         run.explainer->passes_done(), run.explainer->total_passes());
            return 130;
        }
        default_labels(m.config, run.logits.size(), data_dir());
        const auto t0 = std::chrono::steady_clock::now();
        ResultContext ctx;
        ctx.model = a->model.model;
        ctx.layer = layer;
        ctx.class_index = run.class_index;
        ctx.class_label = label_of(m.config, run.class_index);
        ctx.total_forward_passes = run.forward_passes;
        ctx.contrast_class = run.contrast_class;
        ctx.contrast_label = label_of(m.config, run.contrast_class);
        nlohmann::json result = run_json(*run.explainer, ctx);
        const double result_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        set_timings(result, run.inference_ms, run.total_ms - run.inference_ms + result_ms);

        const std::string against = run.contrast_class < 0 ? ""
                                    : " against class " + std::to_string(run.contrast_class) +
                                          (ctx.contrast_label.empty() ? "" : " " + ctx.contrast_label);
        std::printf("explained class %d%s%s%s with %s on layer %s: %zu forward passes, %.1f ms (%.1f ms inference)\n",
                    run.class_index, ctx.class_label.empty() ? "" : " ", ctx.class_label.c_str(), against.c_str(),
                    a->method.c_str(), layer.c_str(), run.forward_passes, run.total_ms + result_ms, run.inference_ms);
        if (metrics->faithfulness() && !add_explain_metrics(result, *metrics, m.classifier, x, run, req,
                                                     truth_frame(image ? &*image : nullptr, m.config.preprocess, x)))
            return 130;
        if (road->enabled && !add_explain_road(result, *road, m.classifier, x, run, req, a->seed)) return 130;
        std::string written;
        if (!a->json.empty()) {
            files.set(a->json, result.dump() + "\n");
            written += "json:         " + a->json + "\n";
        }
        // A centre-cropped input shows only part of the image: the overlays are drawn on that part.
        const std::optional<Image> region =
            image && m.config.preprocess.center_crop ? std::optional<Image>(m.input_region(*image)) : std::nullopt;
        written += add_image_outputs(*a, *run.explainer, x, region ? region : image, files);
        files.commit();
        std::fputs(written.c_str(), stdout);
        return 0;
    };
}

}  // namespace iscam::cli
