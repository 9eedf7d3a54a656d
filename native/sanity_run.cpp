#include "sanity_run.h"

#include <chrono>

#include "error.h"

namespace iscam {

SanityRun run_sanity(const std::string& model_bytes, Classifier& model, const Tensor& x, const SanityRequest& request,
                     const SanityProgressFn& progress, const std::atomic<bool>* cancel) {
    const auto t0 = std::chrono::steady_clock::now();
    const std::vector<RandomisableLayer> layers = randomisable_layers(model.graph());
    if (layers.empty())
        throw InputError(model.name() + " has no randomisable layer (no Conv, Gemm or MatMul with weights in the model)");
    const int H = int(x.shape[2]), W = int(x.shape[3]);
    const size_t runs = 2 + layers.size();
    SanityRun out;
    out.methods = request.explain.methods;
    size_t run_index = 0;
    const auto explain = [&](Classifier& c, int cls, std::vector<std::vector<float>>& maps) {
        ExplainRequest req = request.explain;
        req.class_index = cls;
        const size_t i = run_index++;
        ProgressFn p;
        if (progress) p = [&, i](const Explainer& ex, double t) { progress(i, runs, ex, t); };
        ExplainRun run = run_explanation(c, x, req, p, cancel);
        out.forward_passes += run.forward_passes;
        if (run.cancelled) return -1;
        maps.clear();
        for (Method m : out.methods) {
            const CamResult r = run.explainer->result(m);
            maps.push_back(map_at_input(r.map.data(), r.height, r.width, H, W));
        }
        return run.class_index;
    };
    const auto compare = [&](const std::vector<std::vector<float>>& a, const std::vector<std::vector<float>>& b) {
        std::vector<MapSimilarity> s;
        for (size_t m = 0; m < a.size(); ++m) s.push_back(compare_maps(a[m].data(), b[m].data(), H, W));
        return s;
    };
    const auto finish = [&](bool cancelled) {
        out.cancelled = cancelled;
        out.total_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        return out;
    };

    std::vector<std::vector<float>> original, other;
    out.class_index = explain(model, request.explain.class_index, original);
    if (out.class_index < 0) return finish(true);
    out.random_class = random_other_class(request.seed, out.class_index, model.class_count());
    if (explain(model, out.random_class, other) < 0) return finish(true);
    out.random_logit = compare(original, other);

    const ModelChoices choices{model.plan().score.output, model.plan().input.layout};
    for (size_t i = 1; i <= layers.size(); ++i) {
        const std::vector<size_t> which = request.cascade ? cascade_layers(i) : std::vector<size_t>{i};
        Classifier randomised(randomise_layers(model_bytes, layers, which, request.seed), model.runtime(), choices,
                              model.name() + " (randomised)");
        randomised.select_layer(model.layer(), x.shape);
        std::vector<std::vector<float>> maps;
        if (explain(randomised, out.class_index, maps) < 0) return finish(true);
        out.steps.push_back({i, layers[i - 1], compare(original, maps)});
    }
    return finish(false);
}

namespace {
nlohmann::json similarity_json(const std::vector<Method>& methods, const std::vector<MapSimilarity>& s) {
    nlohmann::json j = nlohmann::json::object();
    for (size_t i = 0; i < methods.size(); ++i)
        j[method_name(methods[i])] = {{"spearman", s[i].spearman},
                                      {"spearman_abs", s[i].spearman_abs},
                                      {"ssim", s[i].ssim},
                                      {"topk", s[i].topk}};
    return j;
}
}  // namespace

nlohmann::json sanity_run_json(const SanityRun& run, const SanityRequest& request) {
    nlohmann::json steps = nlohmann::json::array();
    for (const SanityStep& s : run.steps)
        steps.push_back({{"layer", s.layer},
                         {"node", s.info.node},
                         {"op_type", s.info.op_type},
                         {"tensors", s.info.tensors},
                         {"similarity", similarity_json(run.methods, s.similarity)}});
    nlohmann::json methods = nlohmann::json::array();
    for (Method m : run.methods) methods.push_back(method_name(m));
    return {{"class", run.class_index},
            {"methods", methods},
            {"randomisation", request.cascade ? "cascading" : "independent"},
            {"seed", request.seed},
            {"topk_fraction", kTopkFraction},
            {"steps", steps},
            {"random_logit", {{"class", run.random_class}, {"similarity", similarity_json(run.methods, run.random_logit)}}},
            {"forward_passes", run.forward_passes},
            {"total_ms", run.total_ms}};
}

}  // namespace iscam
