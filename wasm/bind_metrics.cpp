// The faithfulness metrics engine (core/metrics.h) for the worker: ask/tell like the Explainer,
// told every logit of each pass so that the core computes the softmax.
#include <cmath>
#include <memory>

#include "js_interop.h"
#include "metrics.h"
#include "metrics_json.h"

using emscripten::val;
using namespace iscam::js;

namespace iscam {
namespace {

val numbers_to_js(const std::vector<double>& v) {
    val out = val::array();
    for (double x : v) out.call<void>("push", x);
    return out;
}

// options: {steps, baseline: "zeros" | "blur" | a number as text, score: "softmax" | "logit"};
// shape: {C, H, W}; input: C·H·W floats; map: h·w floats (SPEC step 5); logits: f(X).
class JsFaithfulness {
public:
    JsFaithfulness(const val& options, const val& shape, const val& input, const val& map, const val& mapShape,
                   const val& logits, int classIndex, int capacity) {
        guarded([&] {
            MetricsOptions o;
            o.steps = options["steps"].as<int>();
            const std::string baseline = options["baseline"].as<std::string>();
            if (!parse_baseline(baseline, o)) throw InputError("the baseline must be zeros, blur or a number, not '" + baseline + "'");
            const std::string score = options["score"].as<std::string>();
            const auto kind = parse_score(score);
            if (!kind) throw InputError("the score must be softmax or logit, not '" + score + "'");
            o.score = *kind;
            const int C = shape["C"].as<int>(), H = shape["H"].as<int>(), W = shape["W"].as<int>();
            const int h = mapShape["h"].as<int>(), w = mapShape["w"].as<int>();
            const std::vector<float> x = to_vector<float>(input), m = to_vector<float>(map), l = to_vector<float>(logits);
            if (C < 1 || H < 1 || W < 1 || x.size() != size_t(C) * H * W) throw InputError("the input does not have C·H·W values");
            if (h < 1 || w < 1 || m.size() != size_t(h) * w) throw InputError("the map does not have h·w values");
            if (capacity < 1) throw InputError("the batch size must be at least 1");
            ev_ = std::make_unique<FaithfulnessEvaluator>(o, C, H, W, x.data(), m.data(), h, w, l.data(), l.size(), classIndex);
            per_input_ = x.size();
            classes_ = l.size();
            batch_.resize(size_t(capacity) * per_input_);
            capacity_ = size_t(capacity);
            return 0;
        });
    }

    // The next perturbed inputs, n·C·H·W floats (n = 0 once all are issued); the view is valid
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

    // {score, maskedScore, averageDrop, increase, fractions, deletion, insertion, deletionAuc,
    //  insertionAuc, forwardPasses}; NaN where not known yet.
    val result() const {
        return guarded([&] {
            const FaithfulnessResult r = ev_->result();
            val out = val::object();
            out.set("score", r.score);
            out.set("maskedScore", r.masked_score);
            out.set("averageDrop", r.average_drop);
            out.set("increase", std::isnan(r.masked_score) ? val::null() : val(r.increase));
            out.set("fractions", numbers_to_js(r.fractions));
            out.set("deletion", numbers_to_js(r.deletion));
            out.set("insertion", numbers_to_js(r.insertion));
            out.set("deletionAuc", r.deletion_auc);
            out.set("insertionAuc", r.insertion_auc);
            out.set("forwardPasses", double(r.forward_passes));
            return out;
        });
    }

    // The `metrics` object of the CLI's --json (core metrics_json), as text.
    std::string resultJson() const {
        return guarded([&] { return metrics_json(ev_->result(), ev_->options()).dump(); });
    }

private:
    std::unique_ptr<FaithfulnessEvaluator> ev_;
    std::vector<float> batch_;
    size_t capacity_ = 0, per_input_ = 0, classes_ = 0;
};

}  // namespace
}  // namespace iscam

EMSCRIPTEN_BINDINGS(iscam_metrics) {
    using namespace emscripten;
    using namespace iscam;
    class_<JsFaithfulness>("Faithfulness")
        .constructor<const val&, const val&, const val&, const val&, const val&, const val&, int, int>()
        .function("nextBatch", &JsFaithfulness::nextBatch)
        .function("tell", &JsFaithfulness::tell)
        .function("done", &JsFaithfulness::done)
        .function("progress", &JsFaithfulness::progress)
        .function("totalPasses", &JsFaithfulness::totalPasses)
        .function("passesDone", &JsFaithfulness::passesDone)
        .function("result", &JsFaithfulness::result)
        .function("resultJson", &JsFaithfulness::resultJson);
}
