// iscam eval: explanations and their faithfulness metrics over a dataset, one JSON line per image
// and method, with ROAD and the sanity checks on request; resumable, and split into deterministic
// shards for job arrays (deploy/).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <set>

#include "cam_math.h"
#include "commands.h"
#include "common.h"
#include "error.h"
#include "eval_inputs.h"
#include "file_hash.h"
#include "jsonl_file.h"
#include "metrics_json.h"
#include "metrics_options.h"
#include "file_io.h"
#include "metrics_run.h"
#include "results_row.h"
#include "road_options.h"
#include "road_run.h"
#include "run_limits.h"
#include "sanity_run.h"

namespace iscam::cli {

namespace {

struct EvalArgs {
    ModelArgs model;
    std::string images, list, method = "all", out, layer, shard = "0/1";
    int samples = 0, batch = 32;
    float sigma = 2.0f;
    uint64_t seed = 0;
    bool resume = false, restart = false, progress = false;
    MetricsArgs metrics;
    RoadArgs road;
    bool sanity = false, sanity_independent = false;
};

// What eval measures of each map beyond the metrics: ROAD, the sanity checks (on these model bytes).
struct Extras {
    std::optional<RoadOptions> road;
    std::optional<std::string> sanity_model;
    bool cascade = true;
};

RowItem key_of(const EvalItem& item) { return {item.image, item.class_index.value_or(-1), item.repeat}; }

// The fields every row of an item has: its image (results_row.h), the class asked for, its repeat.
nlohmann::json item_fields(const EvalItem& item) {
    nlohmann::json row;
    put_image_path(row, item.image);
    row["requested_class"] = item.class_index ? nlohmann::json(*item.class_index) : nlohmann::json(nullptr);
    if (item.repeat > 0) row["repeat"] = item.repeat;
    return row;
}

// What a row's numbers depend on besides its item and method; --resume takes a row as done only
// when its settings are these. `common`: the same for every method (and an error row's).
struct Settings {
    nlohmann::json common;
    nlohmann::json of(Method m, const ExplainOptions& o) const {
        nlohmann::json s = common;
        if (m == Method::SSCAM) s["options"] = {{"samples", o.sscam_samples}, {"sigma", o.sscam_sigma}, {"seed", o.seed}};
        if (m == Method::ISCAM) s["options"] = {{"samples", o.iscam_samples}};
        return s;
    }
};

Settings settings_of(const EvalArgs& a, const std::string& layer, const MetricsOptions& metrics, const Extras& extras) {
    const ModelArgs& m = a.model;
    const std::string sidecar = std::filesystem::path(m.model).replace_extension(".json").string();
    std::error_code ec;
    Settings s;
    s.common = {{"model_sha256", file_sha256(m.model)},
                {"sidecar_sha256", std::filesystem::is_regular_file(sidecar, ec) ? file_sha256(sidecar) : ""},
                {"layer", layer},
                {"preprocess", {{"size", m.size}, {"preset", m.preset}, {"mean", m.mean}, {"std", m.std_}, {"gray", m.gray},
                                {"bgr", m.bgr}, {"resize", m.resize}, {"crop", m.crop}, {"output", m.output},
                                {"layout", m.layout}}},
                {"metrics", {{"steps", metrics.steps}, {"baseline", baseline_name(metrics)}, {"score", score_name(metrics.score)}}}};
    if (extras.road) s.common["road"] = {{"percentages", extras.road->percentages}, {"noise", extras.road->noise}, {"seed", extras.road->seed}};
    if (extras.sanity_model) s.common["sanity"] = {{"randomisation", extras.cascade ? "cascading" : "independent"}, {"seed", a.seed}};
    return s;
}

// The first setting in which `there` (a row's) differs from `here`, as "key: X there, Y here";
// the model and the layer first, as the likeliest.
std::string difference(const nlohmann::json& there, const nlohmann::json& here, const std::string& prefix = "") {
    const auto shown = [](const nlohmann::json& v) { return v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); };
    if (!there.is_object()) return "no settings recorded there";
    std::vector<std::string> keys = {"model_sha256", "sidecar_sha256", "layer"};
    for (const auto& [key, value] : here.items()) keys.push_back(key);
    for (const auto& [key, value] : there.items()) keys.push_back(key);
    for (const std::string& key : keys) {
        const auto a = there.find(key), b = here.find(key);
        const std::string name = prefix + key;
        if (a == there.end() && b == here.end()) continue;
        if (a == there.end()) return name + ": none there";
        if (b == here.end()) return name + ": none here";
        if (*a == *b) continue;
        return a->is_object() && b->is_object() ? difference(*a, *b, name + ".")
                                                : name + ": " + shown(*a) + " there, " + shown(*b) + " here";
    }
    return "";
}

// What a results file already holds: rows of (item, method), and items whose error was their own
// (a bad image, a class out of range) and so done for good; other errors are retried.
struct Held {
    std::set<std::pair<RowItem, std::string>> rows;
    std::set<RowItem> errors;
    bool has(const EvalItem& item, Method m) const {
        return errors.count(key_of(item)) || rows.count({key_of(item), method_name(m)});
    }
};

Held read_held(const std::string& path, const Settings& settings, const ExplainOptions& options) {
    Held held;
    read_jsonl(path, [&](const nlohmann::json& j, uint64_t) {
        const auto row = parse_row(j);
        if (!row) return;
        const nlohmann::json expected = row->method.empty()       ? settings.common
                                        : parse_method(row->method) ? settings.of(*parse_method(row->method), options)
                                                                    : nlohmann::json();
        const nlohmann::json there = j.contains("settings") ? j["settings"] : nlohmann::json();
        if (there != expected)
            throw InputError("'" + path + "' holds rows made with other settings (" + difference(there, expected) +
                             "): give another --out, or --restart to keep it as " + path + ".N and start anew");
        if (!row->method.empty())
            held.rows.insert({row->item, row->method});
        else if (row->input_fault)
            held.errors.insert(row->item);
    });
    return held;
}

// Puts an existing results file aside as PATH.1 (or the first free number) for --restart.
void set_aside(const std::string& path) {
    for (int n = 1;; ++n) {
        const std::string aside = path + "." + std::to_string(n);
        std::error_code ec;
        if (std::filesystem::exists(aside, ec) || ec) continue;
        std::filesystem::rename(path, aside, ec);
        if (ec) throw InputError("cannot rename '" + path + "' to '" + aside + "': " + ec.message());
        std::fprintf(stderr, "iscam eval: kept the earlier results as %s\n", aside.c_str());
        return;
    }
}

// Refuses what --out must not touch. True when --restart is to set an earlier results file aside
// (done once everything else is checked).
bool check_out(const EvalArgs& a) {
    const ResultsFileKind kind = results_file_kind(a.out);
    if (kind == ResultsFileKind::Empty) return false;
    if (kind == ResultsFileKind::Foreign)
        throw InputError("'" + a.out + "' is not an iscam eval results file (by its first or last line): left as it is; give another --out");
    if (a.restart) return true;
    if (kind == ResultsFileKind::Older)
        throw InputError("'" + a.out + "' holds rows of an older iscam, without the settings --resume matches: --restart keeps it as " +
                         a.out + ".N and starts anew");
    if (!a.resume)
        throw InputError("'" + a.out + "' already holds results: add --resume to continue it, --restart to start anew, or remove it");
    return false;
}

void eval_progress(size_t done, size_t total, size_t errors, double elapsed_s, bool force) {
    static double last = -1;
    if (!force && !isatty(STDERR_FILENO)) return;
    if (done < total && elapsed_s - last < 0.2) return;
    last = elapsed_s;
    const double p = total ? double(done) / double(total) : 1.0;
    const int width = 30, filled = int(p * width);
    const double eta = done ? elapsed_s * double(total - done) / double(done) : 0;
    std::fprintf(stderr, "\r[%.*s%*s] %3d%%  %zu/%zu images  %zu errors  %.1fs elapsed  ETA %.1fs ", filled,
                 "##############################", width - filled, "", int(p * 100), done, total, errors, elapsed_s, eta);
    if (done == total) std::fprintf(stderr, "\n");
    std::fflush(stderr);
}

nlohmann::json map_rows(const CamResult& r) {
    nlohmann::json rows = nlohmann::json::array();
    for (int y = 0; y < r.height; ++y)
        rows.push_back(std::vector<float>(r.map.begin() + size_t(y) * r.width, r.map.begin() + size_t(y + 1) * r.width));
    return rows;
}

double ms_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

enum class Outcome { Done, Cancelled };

// Explains one image with each method still missing and appends one line for each.
Outcome eval_image(const EvalArgs& a, const EvalItem& item, LoadedModel& m, const std::string& layer,
                   const std::vector<Method>& methods, const Held& held, const ExplainOptions& options,
                   const MetricsOptions& metrics, const Extras& extras, const Settings& settings, JsonlAppender& out) {
    const auto start = std::chrono::steady_clock::now();
    const Image image = load_image(item.image, image_limits(a.model));
    const Tensor x = m.input_from_image(image);
    const double load_ms = ms_since(start);
    MetricsRequest mreq;
    mreq.options = metrics;
    mreq.batch = size_t(a.batch);
    const int H = int(x.shape[2]), W = int(x.shape[3]);
    const InputWindow window = input_window(image.width, image.height, m.config.preprocess);
    mreq.ground_truth = ground_truth(item.box, item.mask, image.width, image.height, H, W, window);
    // The part of the image the map covers (all of it unless the input is centre-cropped).
    const nlohmann::json region = {window.left, window.top, window.left + W * window.step_x, window.top + H * window.step_y};
    for (Method method : methods) {
        if (held.has(item, method)) continue;
        ExplainRequest req;
        req.methods = {method};
        req.class_index = item.class_index.value_or(-1);
        req.batch = size_t(a.batch);
        req.write_threads = a.model.threads;
        req.options = options;
        ExplainRun run = run_explanation(m.classifier, x, req, {}, &g_cancel);
        if (run.cancelled) return Outcome::Cancelled;
        const CamResult cam = run.explainer->result(method);
        const MetricsRun mr = run_metrics(m.classifier, x, run.logits, run.class_index, cam, mreq, &g_cancel);
        if (mr.cancelled) return Outcome::Cancelled;
        nlohmann::json passes = {{"explain", run.forward_passes}, {"metrics", mr.result.forward_passes}};
        nlohmann::json times = {{"load", load_ms}, {"explain", run.total_ms}, {"explain_inference", run.inference_ms},
                                {"metrics", mr.total_ms}, {"metrics_inference", mr.inference_ms}};
        size_t total_passes = run.forward_passes + mr.result.forward_passes;
        double total_ms = load_ms + run.total_ms + mr.total_ms;
        std::optional<RoadRun> road;
        if (extras.road) {
            road = run_road(m.classifier, x, run.logits, run.class_index, cam, *extras.road, size_t(a.batch), &g_cancel);
            if (road->cancelled) return Outcome::Cancelled;
            passes["road"] = road->result.forward_passes;
            times["road"] = road->total_ms;
            total_passes += road->result.forward_passes;
            total_ms += road->total_ms;
        }
        std::optional<SanityRun> sanity;
        SanityRequest sreq{req, extras.cascade, a.seed};
        if (extras.sanity_model) {
            sreq.explain.class_index = run.class_index;
            sanity = run_sanity(*extras.sanity_model, m.classifier, x, sreq, {}, &g_cancel);
            if (sanity->cancelled) return Outcome::Cancelled;
            passes["sanity"] = sanity->forward_passes;
            times["sanity"] = sanity->total_ms;
            total_passes += sanity->forward_passes;
            total_ms += sanity->total_ms;
        }
        passes["total"] = total_passes;
        times["total"] = total_ms;

        default_labels(m.config, run.logits.size(), data_dir());
        const std::vector<float> probability = softmax(std::vector<double>(run.logits.begin(), run.logits.end()));
        const int predicted = int(std::max_element(run.logits.begin(), run.logits.end()) - run.logits.begin());
        nlohmann::json line = item_fields(item);
        line.update(nlohmann::json{
            {"method", method_name(method)},
            {"model", a.model.model},
            {"layer", layer},
            {"class", run.class_index},
            {"class_label", label_of(m.config, run.class_index)},
            {"predicted_class", predicted},
            {"predicted_probability", probability[size_t(predicted)]},
            {"image_size", {image.width, image.height}},
            {"input_region", region},
            {"map_shape", {cam.height, cam.width}},
            {"map", map_rows(cam)},
            {"metrics", metrics_json(mr.result, metrics, mr.localisation ? &*mr.localisation : nullptr)},
            {"forward_passes", passes},
            {"timings_ms", times},
            {"settings", settings.of(method, req.options)}});
        if (road) line["road"] = road_run_json(*road, *extras.road);
        if (sanity) line["sanity"] = sanity_run_json(*sanity, sreq);
        if (method == Method::SSCAM) line["options"] = {{"samples", req.options.sscam_samples}, {"sigma", a.sigma}, {"seed", a.seed}};
        if (method == Method::ISCAM) line["options"] = {{"samples", req.options.iscam_samples}};
        out.append(line);
    }
    return Outcome::Done;
}

}  // namespace

std::function<int()> add_eval_command(CLI::App& app) {
    auto* cmd = app.add_subcommand("eval", "explanations and their faithfulness metrics over a dataset, one JSON line per image and method");
    auto a = std::make_shared<EvalArgs>();
    add_model_options(cmd, a->model);
    auto* images = cmd->add_option("--images", a->images, "folder of images (png, jpg, bmp, gif), taken in name order");
    auto* list = cmd->add_option("--list", a->list, "CSV with a header: image, and optionally class, box (\"x0,y0,x1,y1\"), mask")
                     ->check(CLI::ExistingFile);
    images->excludes(list);
    cmd->add_option("--method", a->method, "scorecam, sscam, iscam, a comma list, or all")->capture_default_str();
    cmd->add_option("-o,--out", a->out, "results file (JSON lines), appended to line by line")->required();
    auto* resume = cmd->add_flag("--resume", a->resume,
                                 "continue a results file: skip the items and methods it holds rows of, made with the same model "
                                 "(by SHA-256), layer and options; retry errors that were not the image's");
    cmd->add_flag("--restart", a->restart, "keep an existing results file as OUT.N (the first free N) and start OUT anew")
        ->excludes(resume);
    cmd->add_option("--shard", a->shard, "take images i, i+n, i+2n, ... of the list (0 <= i < n)")->capture_default_str();
    cmd->add_option("--layer", a->layer, "target layer (default: the last candidate)");
    cmd->add_option("--samples", a->samples, "N for SS-CAM and IS-CAM (default 35 and 10)")->check(CLI::Range(1, kMaxSamples));
    cmd->add_option("--sigma", a->sigma, "SS-CAM noise σ")->capture_default_str();
    cmd->add_option("--seed", a->seed, "SS-CAM noise seed")->capture_default_str();
    cmd->add_option("--batch", a->batch, "inputs per ONNX Runtime run")->capture_default_str()->check(CLI::Range(1, kMaxBatch));
    cmd->add_flag("--progress", a->progress, "show the progress bar even when stderr is not a terminal");
    add_metrics_options(cmd, a->metrics, false, false);
    add_road_options(cmd, a->road, false);
    auto* sanity = cmd->add_flag("--sanity", a->sanity,
                                 "the sanity checks of each map as `iscam sanity` runs them (cascading): one explanation "
                                 "more for each randomisable layer and one for a random class");
    cmd->add_flag("--sanity-independent", a->sanity_independent, "randomise one layer at a time in the sanity checks")
        ->needs(sanity);
    return [a] {
        if (a->images.empty() && a->list.empty()) throw InputError("give --images DIR or --list FILE.csv");
        const auto [shard, shards] = parse_shard(a->shard);
        const auto methods = parse_methods(a->method);
        const MetricsOptions metrics = metrics_options(a->metrics);
        Extras extras;
        if (a->road.enabled) {
            extras.road = road_options(a->road, a->seed);
            extras.road->score = metrics.score;  // ROAD's curves on the scale of the metrics'
        }
        extras.cascade = !a->sanity_independent;
        ExplainOptions explain_options;
        explain_options.sscam_sigma = a->sigma;
        explain_options.seed = a->seed;
        if (a->samples > 0) explain_options.sscam_samples = explain_options.iscam_samples = a->samples;
        validate(explain_options);

        const bool restart = check_out(*a);
        const std::vector<EvalItem> items = shard_of(a->list.empty() ? items_from_dir(a->images) : items_from_csv(a->list),
                                                     shard, shards);
        LoadedModel m = load_model(a->model);
        const std::string layer = a->layer.empty() ? m.default_layer() : a->layer;
        m.classifier.select_layer(layer, m.input_shape());
        if (a->sanity) {
            extras.sanity_model = read_file(a->model.model, "the model", kMaxModelBytes);
            if (randomisable_layers(m.classifier.graph()).empty())
                throw InputError(m.classifier.name() + " has no randomisable layer (no Conv, Gemm or MatMul with weights in the model)");
        }
        const Settings settings = settings_of(*a, layer, metrics, extras);
        const Held held = restart ? Held{} : read_held(a->out, settings, explain_options);
        std::vector<const EvalItem*> todo;
        for (const EvalItem& item : items)
            if (std::any_of(methods.begin(), methods.end(), [&](Method m) { return !held.has(item, m); }))
                todo.push_back(&item);
        if (restart) set_aside(a->out);
        JsonlAppender out(a->out);
        std::fprintf(stderr, "iscam eval: shard %d/%d: %zu images, %zu already done, %zu to do\n", shard, shards,
                     items.size(), items.size() - todo.size(), todo.size());

        const auto start = std::chrono::steady_clock::now();
        size_t done = 0, errors = 0;
        for (const EvalItem* item : todo) {
            try {
                if (eval_image(*a, *item, m, layer, methods, held, explain_options, metrics, extras, settings, out) ==
                    Outcome::Cancelled) {
                    eval_progress(done, todo.size(), errors, ms_since(start) / 1000, a->progress);
                    std::fprintf(stderr, "\niscam: cancelled after %zu of %zu images; --resume continues\n", done, todo.size());
                    return 130;
                }
            } catch (const WriteError&) {
                throw;
            } catch (const InputError& e) {  // the image's (or its list row's) fault: done, as an error row
                nlohmann::json row = item_fields(*item);
                row.update(nlohmann::json{{"error", e.what()}, {"error_kind", "input"}, {"settings", settings.common}});
                out.append(row);
                ++errors;
            }
            ++done;
            eval_progress(done, todo.size(), errors, ms_since(start) / 1000, a->progress);
        }
        std::printf("evaluated %zu images (%zu errors) with %s in %.1f s: %s\n", done, errors, a->method.c_str(),
                    ms_since(start) / 1000, a->out.c_str());
        return 0;
    };
}

}  // namespace iscam::cli
