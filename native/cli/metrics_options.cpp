#include "metrics_options.h"

#include <cstdio>

#include "common.h"
#include "error.h"
#include "image.h"
#include "metrics_run.h"
#include "run_limits.h"

namespace iscam::cli {

namespace {

std::array<double, 4> parse_box(const std::string& s) {
    std::array<double, 4> b{};
    char extra = 0;
    if (std::sscanf(s.c_str(), "%lf,%lf,%lf,%lf%c", &b[0], &b[1], &b[2], &b[3], &extra) != 4)
        throw InputError("--box takes x0,y0,x1,y1 in image pixels, like 10,20,110,140, got '" + s + "'");
    return b;
}

// CLI11 validators: bad values are refused while parsing, before any model is loaded.
std::string check_baseline(const std::string& s) {
    MetricsOptions o;
    return parse_baseline(s, o) ? "" : "takes zeros, blur or a number, got '" + s + "'";
}

std::string check_box(const std::string& s) {
    try {
        parse_box(s);
        return "";
    } catch (const InputError& e) {
        return e.what();
    }
}

}  // namespace

void add_metrics_options(CLI::App* cmd, MetricsArgs& a, bool with_switch, bool with_truth) {
    CLI::Option* on = nullptr;
    if (with_switch)
        on = cmd->add_option("--metrics", a.kinds,
                             "faithfulness metrics of each map (Average Drop, Increase in Confidence, deletion and "
                             "insertion); `--metrics road` for ROAD instead (as --road), `faithfulness,road` for both")
                 ->expected(0, 1)
                 ->default_str("faithfulness")
                 ->check(CLI::IsMember({"faithfulness", "road", "faithfulness,road", "road,faithfulness"}));
    const auto needs_switch = [on](CLI::Option* o) { return on ? o->needs(on) : o; };
    needs_switch(cmd->add_option("--steps", a.steps, "deletion / insertion steps T")
                     ->capture_default_str()->check(CLI::Range(1, kMaxMetricSteps)));
    needs_switch(cmd->add_option("--baseline", a.baseline, "what deleted positions become: zeros, blur or a value (preprocessed)")
                     ->capture_default_str()->check(CLI::Validator(check_baseline, "zeros|blur|VALUE")));
    needs_switch(cmd->add_option("--score", a.score, "softmax probability or logit")
                     ->capture_default_str()->check(CLI::IsMember({"softmax", "logit"})));
    if (!with_truth) return;
    auto* box = needs_switch(cmd->add_option("--box", a.box, "ground-truth box x0,y0,x1,y1 in image pixels: pointing games")
                                 ->check(CLI::Validator(check_box, "x0,y0,x1,y1")));
    needs_switch(cmd->add_option("--mask", a.mask, "ground-truth mask PNG of the image's size: pointing games")
                     ->check(CLI::ExistingFile)->excludes(box));
}

MetricsOptions metrics_options(const MetricsArgs& a) {
    MetricsOptions o;
    o.steps = a.steps;
    if (!parse_baseline(a.baseline, o)) throw InputError("--baseline " + check_baseline(a.baseline));
    const auto score = parse_score(a.score);
    if (!score) throw InputError("--score takes softmax or logit, got '" + a.score + "'");
    o.score = *score;
    validate(o);
    return o;
}

std::optional<GroundTruth> ground_truth(const std::string& box, const std::string& mask, int image_width,
                                        int image_height, int H, int W, const InputWindow& window) {
    if (!box.empty()) {
        const auto b = parse_box(box);
        return box_ground_truth(b[0], b[1], b[2], b[3], image_width, image_height, H, W, window);
    }
    if (!mask.empty()) return mask_ground_truth(load_image(mask), image_width, image_height, H, W, window);
    return std::nullopt;
}

TruthFrame truth_frame(const Image* image, const Preprocess& p, const Tensor& x) {
    if (image) return {image->width, image->height, input_window(image->width, image->height, p)};
    return {int(x.shape[3]), int(x.shape[2]), InputWindow{}};
}

bool add_explain_metrics(nlohmann::json& doc, const MetricsArgs& a, Classifier& model, const Tensor& x,
                         const ExplainRun& run, const ExplainRequest& explain, const TruthFrame& frame) {
    MetricsRequest request;
    request.options = metrics_options(a);
    request.batch = explain.batch;
    request.memory_budget = explain.memory_budget;
    request.ground_truth =
        ground_truth(a.box, a.mask, frame.width, frame.height, int(x.shape[2]), int(x.shape[3]), frame.window);
    const Explainer& ex = *run.explainer;
    for (size_t i = 0; i < ex.methods().size(); ++i) {
        const Method m = ex.methods()[i];
        const MetricsRun mr = run_metrics(model, x, run.logits, run.class_index, ex.result(m), request, &g_cancel);
        if (mr.cancelled) {
            std::fprintf(stderr, "iscam: cancelled while computing the metrics; nothing written\n");
            return false;
        }
        nlohmann::json& target = doc.contains("results") ? doc["results"][i] : doc;
        target["metrics"] = metrics_run_json(mr, request.options);
        const FaithfulnessResult& r = mr.result;
        std::printf("metrics %-9s average drop %.2f %%, increase %d, deletion AUC %.4f, insertion AUC %.4f", method_name(m),
                    100 * r.average_drop, int(r.increase), r.deletion_auc, r.insertion_auc);
        if (mr.localisation && mr.localisation->defined)
            std::printf(", pointing game %s, energy %.3f", mr.localisation->hit ? "hit" : "miss", mr.localisation->energy);
        std::printf(" (%zu forward passes, %.1f ms)\n", r.forward_passes, mr.total_ms);
    }
    return true;
}

}  // namespace iscam::cli
