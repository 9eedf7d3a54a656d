#include "sanity_run.h"

#include <chrono>

#include "error.h"
#include "noise.h"
#include "resample.h"

namespace iscam {

int random_other_class(uint64_t seed, int cls, size_t classes) {
    if (classes < 2) throw InputError("the random-logit test needs a model with 2 or more classes");
    const int r = int(splitmix64(seed) % uint64_t(classes - 1));
    return r + (r >= cls ? 1 : 0);
}

std::vector<float> upsampled_map(const CamResult& r, int H, int W) {
    std::vector<float> out(size_t(H) * W);
    BilinearResizer(r.height, r.width, H, W)(r.map.data(), out.data());
    return out;
}

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
        for (Method m : out.methods) maps.push_back(upsampled_map(run.explainer->result(m), H, W));
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

    const ModelChoices choices{model.plan().score.output, model.plan().input.layout, model.layer_choices()};
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

}  // namespace iscam
