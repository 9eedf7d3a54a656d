// iscam sanity: does the map depend on the model and the class? The model parameter randomisation
// test (cascading or independent) and the random-logit test of docs/math.md ("Sanity checks").
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "common.h"
#include "fast_mode_options.h"
#include "error.h"
#include "file_io.h"
#include "output_files.h"
#include "sanity_run.h"
#include "run_limits.h"

namespace iscam::cli {

namespace {

struct SanityArgs {
    ModelArgs model;
    std::string image, npy, method = "iscam", layer, json;
    int class_index = -1, samples = 0, batch = 32;
    FastModeArgs fast;
    float sigma = 2.0f;
    uint64_t seed = 0;
    bool cascade = false, independent = false, progress = false;
};

void print_similarity(const char* what, Method m, const MapSimilarity& s) {
    std::printf("%-28s %-8s spearman %7.4f  |spearman| %7.4f  ssim %7.4f  top-10%% %5.3f\n", what, method_name(m),
                s.spearman, s.spearman_abs, s.ssim, s.topk);
}

// One line on stderr: which explanation of how many, and an ETA for all of them.
struct SanityProgress {
    bool force;
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    bool shown = false;
    double last = -1;
    void operator()(size_t run, size_t runs, const Explainer& ex, double) {
        const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (!force && (!isatty(STDERR_FILENO) || t < 0.5)) return;
        if (t - last < 0.1 && !ex.done()) return;
        last = t;
        shown = true;
        const double p = (double(run) + ex.progress()) / double(runs);
        const double eta = p > 0 ? t * (1 - p) / p : 0;
        std::fprintf(stderr, "\rexplanation %zu/%zu  %3d%%  %.1fs elapsed  ETA %.1fs ", run + 1, runs, int(p * 100), t, eta);
        std::fflush(stderr);
    }
    void done() const {
        if (shown) std::fprintf(stderr, "\n");
    }
};

}  // namespace

std::function<int()> add_sanity_command(CLI::App& app) {
    auto* cmd = app.add_subcommand("sanity", "sanity checks: randomise the model's weights layer by layer from the "
                                             "output (cascading or independent) and explain a random other class");
    auto a = std::make_shared<SanityArgs>();
    add_model_options(cmd, a->model);
    add_layer_reading_options(cmd, a->model);
    cmd->add_option("-i,--image", a->image, "image file (PNG, JPEG, BMP, GIF, ...)");
    cmd->add_option("--input-npy", a->npy, "preprocessed float32 .npy input of the model's input shape");
    cmd->add_option("--method", a->method, method_names() + ", a comma list, or all")->capture_default_str();
    cmd->add_option("--layer", a->layer, "target layer (see `iscam layers`; default: the one it marks)");
    auto* class_option = cmd->add_option("--class", a->class_index, "class to explain (default: the top-1)");
    cmd->add_option("--samples", a->samples, "N for SS-CAM and IS-CAM (default 35 and 10)")->check(CLI::Range(1, kMaxSamples));
    cmd->add_option("--sigma", a->sigma, "SS-CAM noise σ")->capture_default_str();
    add_fast_mode_options(cmd, a->fast);
    cmd->add_option("--batch", a->batch, "masked inputs per ONNX Runtime run")->capture_default_str()->check(CLI::Range(1, kMaxBatch));
    cmd->add_option("--seed", a->seed, "seed of the re-drawn weights, the random class and SS-CAM's noise")->capture_default_str();
    auto* cascade = cmd->add_flag("--cascade", a->cascade, "randomise layers 1..i at step i (the default)");
    cmd->add_flag("--independent", a->independent, "randomise layer i alone at step i")->excludes(cascade);
    cmd->add_option("--json", a->json, "result JSON (the curve layer by layer, the random-logit similarity)");
    cmd->add_flag("--progress", a->progress, "show progress even when stderr is not a terminal");
    return [a, class_option] {
        if (class_option->count() > 0 && a->class_index < 0)
            throw InputError("class " + std::to_string(a->class_index) + " is out of range: classes count from 0");
        SanityRequest req;
        req.explain.methods = parse_methods(a->method);
        req.explain.class_index = a->class_index;
        req.explain.batch = size_t(a->batch);
        req.explain.write_threads = a->model.threads;
        req.explain.options.sscam_sigma = a->sigma;
        req.explain.options.seed = a->seed;
        apply_fast_mode(a->fast, req.explain.options);
        if (a->samples > 0) req.explain.options.sscam_samples = req.explain.options.iscam_samples = a->samples;
        validate(req.explain.options);
        req.cascade = !a->independent;
        req.seed = a->seed;
        OutputFiles files;
        files.plan(a->json, "--json");

        LoadedModel m = load_model(a->model);
        print_model_notes(m);
        const Tensor x = load_input(m, a->image, a->npy, image_limits(a->model));
        const std::string layer = a->layer.empty() ? m.default_layer() : a->layer;
        m.classifier.select_layer(layer, m.input_shape());
        const std::string bytes = read_file(a->model.model, "the model", kMaxModelBytes);

        SanityProgress bar{a->progress};
        const SanityRun run = run_sanity(bytes, m.classifier, x, req,
                                         [&bar](size_t i, size_t n, const Explainer& ex, double t) { bar(i, n, ex, t); },
                                         &g_cancel);
        bar.done();
        if (run.cancelled) {
            std::fprintf(stderr, "iscam: cancelled after %zu forward passes; nothing written\n", run.forward_passes);
            return 130;
        }
        default_labels(m.config, m.classifier.class_count(), data_dir());
        const char* mode = req.cascade ? "cascading" : "independent";
        std::printf("sanity checks of class %d %s on layer %s (%s randomisation, seed %llu): %zu forward passes, %.1f s\n",
                    run.class_index, label_of(m.config, run.class_index).c_str(), layer.c_str(), mode,
                    (unsigned long long)req.seed, run.forward_passes, run.total_ms / 1000);
        for (const SanityStep& s : run.steps) {
            char what[64];
            std::snprintf(what, sizeof what, "layer %zu %.12s (%s)", s.layer, s.info.node.c_str(), s.info.op_type.c_str());
            for (size_t i = 0; i < run.methods.size(); ++i) print_similarity(what, run.methods[i], s.similarity[i]);
        }
        char what[64];
        std::snprintf(what, sizeof what, "random logit (class %d)", run.random_class);
        for (size_t i = 0; i < run.methods.size(); ++i) print_similarity(what, run.methods[i], run.random_logit[i]);
        if (!a->json.empty()) {
            nlohmann::json doc = sanity_run_json(run, req);
            doc["model"] = a->model.model;
            doc["layer"] = layer;
            files.set(a->json, doc.dump() + "\n");
            files.commit();
            std::printf("json:         %s\n", a->json.c_str());
        }
        return 0;
    };
}

}  // namespace iscam::cli
