// ROAD (core/road.h) for the worker: ask/tell like the faithfulness metrics (bind_metrics.cpp),
// told every logit of each imputed input.
#include <memory>

#include "js_interop.h"
#include "road.h"
#include "road_json.h"

using emscripten::val;
using namespace iscam::js;

namespace iscam {
namespace {

val numbers_to_js(const std::vector<double>& v) {
    val out = val::array();
    for (double x : v) out.call<void>("push", x);
    return out;
}

// options: {percentages: "10,20,30" (the CLI's --road-percentages), noise, seed,
// score: "softmax" | "logit"}, each optional (core/road.h's defaults); shape: {C, H, W};
// input: C·H·W floats; map: h·w floats; logits: f(X).
RoadOptions road_options(const val& options) {
    RoadOptions o;
    if (!options["percentages"].isUndefined()) o.percentages = parse_percentages(options["percentages"].as<std::string>());
    if (!options["noise"].isUndefined()) o.noise = options["noise"].as<float>();
    if (!options["seed"].isUndefined()) o.seed = seed_from(options["seed"].as<double>());
    if (!options["score"].isUndefined()) {
        const std::string score = options["score"].as<std::string>();
        const auto kind = parse_score(score);
        if (!kind) throw InputError("the score must be softmax or logit, not '" + score + "'");
        o.score = *kind;
    }
    validate(o);
    return o;
}

class JsRoad {
public:
    JsRoad(const val& options, const val& shape, const val& input, const val& map, const val& mapShape,
           const val& logits, int classIndex, int capacity) {
        guarded([&] {
            options_ = road_options(options);
            const int C = shape["C"].as<int>(), H = shape["H"].as<int>(), W = shape["W"].as<int>();
            const int h = mapShape["h"].as<int>(), w = mapShape["w"].as<int>();
            const std::vector<float> x = to_vector<float>(input), m = to_vector<float>(map), l = to_vector<float>(logits);
            if (C < 1 || H < 1 || W < 1 || x.size() != size_t(C) * H * W) throw InputError("the input does not have C·H·W values");
            if (h < 1 || w < 1 || m.size() != size_t(h) * w) throw InputError("the map does not have h·w values");
            if (capacity < 1) throw InputError("the batch size must be at least 1");
            ev_ = std::make_unique<RoadEvaluator>(options_, C, H, W, x.data(), m.data(), h, w, l.data(), l.size(), classIndex);
            per_input_ = x.size();
            classes_ = l.size();
            batch_.resize(size_t(capacity) * per_input_);
            capacity_ = size_t(capacity);
            return 0;
        });
    }

    // The next imputed inputs, n·C·H·W floats (n = 0 once all are issued); the view is valid
    // until the next call into this module.
    val nextBatch() {
        return guarded([&] {
            const size_t n = ev_->next_batch(batch_.data(), capacity_);
            return val(emscripten::typed_memory_view(n * per_input_, batch_.data()));
        });
    }

    // The logits of the last batch: n rows of the model's class count, back to back.
    void tell(const val& logits) {
        guarded([&] {
            const std::vector<float> l = to_vector<float>(logits);
            if (l.size() % classes_ != 0) throw InputError("the logits are not whole rows of the class count");
            ev_->tell(l.data(), l.size() / classes_, classes_);
            return 0;
        });
    }

    bool done() const { return ev_->done(); }
    double progress() const { return ev_->progress(); }
    double totalPasses() const { return double(ev_->total_passes()); }
    double passesDone() const { return double(ev_->passes_done()); }

    // {score, percentages, morf, lerf, morfAuc, lerfAuc, morfMean, lerfMean, forwardPasses};
    // NaN where not known yet.
    val result() const {
        return guarded([&] {
            const RoadResult r = ev_->result();
            val out = val::object();
            out.set("score", r.score);
            out.set("percentages", numbers_to_js(r.percentages));
            out.set("morf", numbers_to_js(r.morf));
            out.set("lerf", numbers_to_js(r.lerf));
            out.set("morfAuc", r.morf_auc);
            out.set("lerfAuc", r.lerf_auc);
            out.set("morfMean", r.morf_mean);
            out.set("lerfMean", r.lerf_mean);
            out.set("forwardPasses", double(r.forward_passes));
            return out;
        });
    }

    // The `road` object of the CLI's `explain --road --json` (core road_json) without its timings, as text.
    std::string resultJson() const {
        return guarded([&] { return road_json(ev_->result(), options_).dump(); });
    }

private:
    RoadOptions options_;
    std::unique_ptr<RoadEvaluator> ev_;
    std::vector<float> batch_;
    size_t capacity_ = 0, per_input_ = 0, classes_ = 0;
};

}  // namespace
}  // namespace iscam

EMSCRIPTEN_BINDINGS(iscam_road) {
    using namespace emscripten;
    using namespace iscam;
    class_<JsRoad>("Road")
        .constructor<const val&, const val&, const val&, const val&, const val&, const val&, int, int>()
        .function("nextBatch", &JsRoad::nextBatch)
        .function("tell", &JsRoad::tell)
        .function("done", &JsRoad::done)
        .function("progress", &JsRoad::progress)
        .function("totalPasses", &JsRoad::totalPasses)
        .function("passesDone", &JsRoad::passesDone)
        .function("result", &JsRoad::result)
        .function("resultJson", &JsRoad::resultJson);
}
