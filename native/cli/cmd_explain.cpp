#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>

#include "colormap.h"
#include "commands.h"
#include "common.h"
#include "error.h"
#include "result_json.h"

namespace iscam::cli {

namespace {

struct ExplainArgs {
    ModelArgs model;
    std::string image, npy, method = "iscam", layer, out, overlay, compare, json, colormap = "jet";
    int class_index = -1, samples = 0, batch = 32;
    float sigma = 2.0f, alpha = 0.5f;
    uint64_t seed = 0;
    bool no_shortcuts = false, progress = false;
};

// Small images (28×28 Fashion-MNIST) are shown larger: the shorter side becomes at least 224.
Image display_image(const Image& img) {
    const int shorter = std::min(img.width, img.height);
    if (shorter >= 224) return img;
    const double s = 224.0 / shorter;
    return resize_image(img, int(img.width * s + 0.5), int(img.height * s + 0.5));
}

void write_outputs(const ExplainArgs& a, const ExplainRun& run, const Tensor& x, const std::optional<Image>& image) {
    const Explainer& ex = *run.explainer;
    const Colormap cmap = *parse_colormap(a.colormap);
    const Image base = image ? display_image(*image) : Image{};
    const int W = image ? base.width : int(x.shape[3]), H = image ? base.height : int(x.shape[2]);
    std::map<Method, Image> heat;
    for (Method m : ex.methods()) {
        const CamResult r = ex.result(m);
        heat[m] = colorize(r.map, r.height, r.width, W, H, cmap);
    }
    const Method primary = heat.count(Method::ISCAM) ? Method::ISCAM : ex.methods().front();
    if (!a.out.empty()) {
        write_png(a.out, heat[primary]);
        std::printf("heatmap:      %s\n", a.out.c_str());
    }
    if (!a.overlay.empty()) {
        write_png(a.overlay, blend(base, heat[primary], a.alpha));
        std::printf("overlay:      %s\n", a.overlay.c_str());
    }
    if (!a.compare.empty()) {
        std::vector<Image> panels;
        if (image) panels.push_back(base);
        for (Method m : ex.methods()) panels.push_back(image ? blend(base, heat[m], a.alpha) : heat[m]);
        write_png(a.compare, side_by_side(panels));
        std::printf("side by side: %s (", a.compare.c_str());
        if (image) std::printf("image, ");
        for (size_t i = 0; i < ex.methods().size(); ++i)
            std::printf("%s%s", method_title(ex.methods()[i]), i + 1 < ex.methods().size() ? ", " : ")\n");
    }
}

}  // namespace

std::function<int()> add_explain_command(CLI::App& app) {
    auto* cmd = app.add_subcommand("explain", "explain a class of an image with Score-CAM, SS-CAM or IS-CAM");
    auto a = std::make_shared<ExplainArgs>();
    add_model_options(cmd, a->model);
    cmd->add_option("-i,--image", a->image, "image file (PNG, JPEG, BMP, GIF, ...)");
    cmd->add_option("--input-npy", a->npy, "preprocessed float32 .npy input of the model's input shape");
    cmd->add_option("--method", a->method, "scorecam, sscam, iscam, a comma list, or all")->capture_default_str();
    cmd->add_option("--layer", a->layer, "target layer (see `iscam layers`; default: the last candidate)");
    auto* class_option = cmd->add_option("--class", a->class_index, "class to explain (default: the top-1)");
    cmd->add_option("--samples", a->samples, "N for SS-CAM and IS-CAM (default 35 and 10)")->check(CLI::Range(1, 10000));
    cmd->add_option("--sigma", a->sigma, "SS-CAM noise σ")->capture_default_str();
    cmd->add_option("--seed", a->seed, "SS-CAM noise seed")->capture_default_str();
    cmd->add_option("--batch", a->batch, "masked inputs per ONNX Runtime run")->capture_default_str()->check(CLI::Range(1, 4096));
    cmd->add_flag("--no-shortcuts", a->no_shortcuts, "score every channel (no skipping of all-zero channels)");
    cmd->add_option("-o,--out", a->out, "heatmap PNG");
    cmd->add_option("--overlay", a->overlay, "heatmap blended over the image, PNG");
    cmd->add_option("--compare", a->compare, "image and one overlay per method side by side, PNG");
    cmd->add_option("--json", a->json, "result JSON (map, weights, scores, timings)");
    cmd->add_option("--colormap", a->colormap, "jet, turbo, viridis, inferno or gray")
        ->capture_default_str()->check(CLI::IsMember({"jet", "turbo", "viridis", "inferno", "gray"}));
    cmd->add_option("--alpha", a->alpha, "overlay opacity")->capture_default_str()->check(CLI::Range(0.0f, 1.0f));
    cmd->add_flag("--progress", a->progress, "show the progress bar even when stderr is not a terminal");
    return [a, class_option] {
        if (class_option->count() > 0 && a->class_index < 0)
            throw InputError("class " + std::to_string(a->class_index) + " is out of range: classes count from 0");
        const auto methods = parse_methods(a->method);
        ExplainRequest req;
        req.methods = methods;
        req.class_index = a->class_index;
        req.batch = size_t(a->batch);
        req.write_threads = a->model.threads;
        req.options.sscam_sigma = a->sigma;
        req.options.seed = a->seed;
        req.options.shortcuts = !a->no_shortcuts;
        if (a->samples > 0) req.options.sscam_samples = req.options.iscam_samples = a->samples;
        validate(req.options);
        if (!a->overlay.empty() && a->image.empty()) throw InputError("--overlay needs an --image to draw on");

        LoadedModel m = load_model(a->model);
        // Decoded once: for the input tensor and for the overlays.
        const std::optional<Image> image = a->image.empty() ? std::nullopt : std::optional<Image>(load_image(a->image));
        const Tensor x = image ? m.input_from_image(*image) : load_input(m, "", a->npy);
        const std::string layer = a->layer.empty() ? m.default_layer() : a->layer;
        m.classifier.select_layer(layer, m.input_shape());
        if (!m.classifier.batch_note().empty()) std::fprintf(stderr, "iscam: note: %s\n", m.classifier.batch_note().c_str());

        const bool force = a->progress;
        ExplainRun run = run_explanation(
            m.classifier, x, req, [force](const Explainer& ex, double t) { progress_bar(ex, t, force); }, &g_cancel);
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
        nlohmann::json result = run_json(*run.explainer, ctx);
        const double result_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        set_timings(result, run.inference_ms, run.total_ms - run.inference_ms + result_ms);

        std::printf("explained class %d%s%s with %s on layer %s: %zu forward passes, %.1f ms (%.1f ms inference)\n",
                    run.class_index, ctx.class_label.empty() ? "" : " ", ctx.class_label.c_str(), a->method.c_str(),
                    layer.c_str(), run.forward_passes, run.total_ms + result_ms, run.inference_ms);
        if (!a->json.empty()) {
            std::ofstream out(a->json);
            if (!(out << result.dump() << "\n")) throw InputError("cannot write '" + a->json + "'");
            std::printf("json:         %s\n", a->json.c_str());
        }
        write_outputs(*a, run, x, image);
        return 0;
    };
}

}  // namespace iscam::cli
