#include <algorithm>
#include <cstdio>
#include <vector>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "common.h"
#include "fast_mode_options.h"
#include "noise.h"
#include "run_limits.h"

namespace iscam::cli {

namespace {

// A fixed, image-like input for when no image is given: smooth gradients plus seeded noise.
Tensor synthetic_input(const std::vector<int64_t>& shape) {
    Tensor t(shape);
    const size_t C = size_t(shape[1]), H = size_t(shape[2]), W = size_t(shape[3]);
    std::vector<float> noise(H * W);
    for (size_t c = 0; c < C; ++c) {
        noise_field(1234, uint32_t(c), 0, 0.5f, noise.data(), noise.size());
        for (size_t y = 0; y < H; ++y)
            for (size_t x = 0; x < W; ++x)
                t.data[(c * H + y) * W + x] = float(x + c * y) / float(W) - 0.5f + noise[y * W + x];
    }
    return t;
}

}  // namespace

std::function<int()> add_bench_command(CLI::App& app) {
    auto* cmd = app.add_subcommand("bench", "time explanations: one JSON line per run");
    auto args = std::make_shared<ModelArgs>();
    auto method = std::make_shared<std::string>("scorecam,iscam");
    auto image = std::make_shared<std::string>();
    auto layer = std::make_shared<std::string>();
    auto batch = std::make_shared<int>(32);
    auto repeat = std::make_shared<int>(1);
    auto samples = std::make_shared<int>(0);
    auto fast = std::make_shared<FastModeArgs>();
    add_model_options(cmd, *args);
    add_layer_reading_options(cmd, *args);
    cmd->add_option("--method", *method, "methods to time, one run each: a comma list or all")->capture_default_str();
    cmd->add_option("-i,--image", *image, "image to explain (default: a fixed synthetic input)");
    cmd->add_option("--layer", *layer, "target layer (see `iscam layers`; default: the one it marks)");
    cmd->add_option("--batch", *batch, "masked inputs per run")->capture_default_str()->check(CLI::Range(1, kMaxBatch));
    cmd->add_option("--repeat", *repeat, "runs per method")->capture_default_str()->check(CLI::Range(1, 1000));
    cmd->add_option("--samples", *samples, "N for SS-CAM and IS-CAM (default 35 and 10)")->check(CLI::Range(1, kMaxSamples));
    add_fast_mode_options(cmd, *fast);
    return [=] {
        LoadedModel m = load_model(*args);
        const Tensor x = image->empty() ? synthetic_input(m.input_shape()) : load_input(m, *image, "", image_limits(*args));
        const std::string l = layer->empty() ? m.default_layer() : *layer;
        m.classifier.select_layer(l, m.input_shape());
        // One untimed batch first: ONNX Runtime allocates and tunes on its first runs.
        const size_t warm = std::min(size_t(*batch), m.classifier.max_batch());
        std::vector<float> copies;
        for (size_t i = 0; i < warm; ++i) copies.insert(copies.end(), x.data.begin(), x.data.end());
        std::vector<float> scores(warm);
        m.classifier.forward_with_layer(x);
        m.classifier.class_scores(copies.data(), warm, 0, scores.data());
        for (Method meth : parse_methods(*method)) {
            for (int r = 0; r < *repeat; ++r) {
                ExplainRequest req;
                req.methods = {meth};
                req.batch = size_t(*batch);
                req.write_threads = args->threads;
                if (*samples > 0) req.options.sscam_samples = req.options.iscam_samples = *samples;
                apply_fast_mode(*fast, req.options);
                ExplainRun run = run_explanation(m.classifier, x, req, {}, &g_cancel);
                if (run.cancelled) return 130;
                const auto t0 = std::chrono::steady_clock::now();
                const CamResult res = run.explainer->result(meth);
                const double total = run.total_ms +
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
                const double overhead = total - run.inference_ms;
                const nlohmann::json line = {
                    {"model", args->model}, {"method", method_name(meth)}, {"device", args->device},
                    {"layer", l}, {"K", run.explainer->shapes().K},
                    {"channels_skipped", run.explainer->channels_skipped()},
                    {"channels_scored", res.channels_scored},
                    {"constant_channels_shared", run.explainer->constant_channels()},
                    {"forward_passes", run.forward_passes}, {"batch", std::min(size_t(*batch), m.classifier.max_batch())},
                    {"total_ms", total}, {"inference_ms", run.inference_ms}, {"overhead_ms", overhead},
                    {"overhead_pct", 100.0 * overhead / total}, {"ms_per_pass", total / double(run.forward_passes)}};
                std::printf("%s\n", line.dump().c_str());
                std::fflush(stdout);
            }
        }
        return 0;
    };
}

}  // namespace iscam::cli
