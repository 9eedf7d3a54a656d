#include "road_options.h"

#include <cstdio>

#include "common.h"
#include "error.h"
#include "road_run.h"

namespace iscam::cli {

namespace {
std::string check_percentages(const std::string& s) {
    try {
        parse_percentages(s);
        return "";
    } catch (const InputError& e) {
        return e.what();
    }
}
}  // namespace

void add_road_options(CLI::App* cmd, RoadArgs& a, bool with_score) {
    auto* on = cmd->add_flag("--road", a.enabled, "ROAD of each map: MoRF and LeRF curves with noisy linear imputation");
    cmd->add_option("--road-percentages", a.percentages, "the percentages of positions ROAD removes, increasing, in (0, 100)")
        ->capture_default_str()->check(CLI::Validator(check_percentages, "P,P,..."))->needs(on);
    if (with_score)
        cmd->add_option("--road-score", a.score, "softmax probability or logit")
            ->capture_default_str()->check(CLI::IsMember({"softmax", "logit"}))->needs(on);
}

RoadOptions road_options(const RoadArgs& a, uint64_t seed) {
    RoadOptions o;
    o.percentages = parse_percentages(a.percentages);
    o.score = *parse_score(a.score);
    o.seed = seed;
    return o;
}

bool add_explain_road(nlohmann::json& doc, const RoadArgs& a, Classifier& model, const Tensor& x, const ExplainRun& run,
                      const ExplainRequest& explain, uint64_t seed) {
    const RoadOptions o = road_options(a, seed);
    const Explainer& ex = *run.explainer;
    for (size_t i = 0; i < ex.methods().size(); ++i) {
        const Method m = ex.methods()[i];
        const RoadRun rr = run_road(model, x, run.logits, run.class_index, ex.result(m), o, explain.batch, &g_cancel);
        if (rr.cancelled) {
            std::fprintf(stderr, "iscam: cancelled while computing ROAD; nothing written\n");
            return false;
        }
        nlohmann::json& target = doc.contains("results") ? doc["results"][i] : doc;
        target["road"] = road_run_json(rr, o);
        std::printf("road    %-9s MoRF AUC %.4f, LeRF AUC %.4f, MoRF mean %.4f, LeRF mean %.4f (%zu forward passes, %.1f ms)\n",
                    method_name(m), rr.result.morf_auc, rr.result.lerf_auc, rr.result.morf_mean, rr.result.lerf_mean,
                    rr.result.forward_passes, rr.total_ms);
    }
    return true;
}

}  // namespace iscam::cli
