// run_explanation writes the next batch's masked inputs while ONNX Runtime scores the current one
// (native/explain_run.cpp). Its maps, weights and scores must be those of the plain ask/tell loop
// (Explainer::next_batch, then the scores) bit for bit, for batches that do and do not divide
// the plan, and a cancelled run must stop cleanly.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstring>

#include "explain_run.h"
#include "fashion_sample.h"

using namespace iscam;

namespace {

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

}  // namespace

TEST_CASE("written ahead, the maps are those of the plain ask/tell loop, bit for bit") {
    FashionSample s;
    s.model.select_layer(s.model.layers(s.shape).back().name, s.shape);
    const std::vector<Method> methods{Method::ScoreCAM, Method::SSCAM, Method::ISCAM};
    for (size_t batch : {size_t(1), size_t(7), size_t(32)}) {
        INFO("batch " << batch);
        ExplainRequest r;
        r.methods = methods;
        r.options.sscam_samples = 4;
        r.batch = batch;
        const ExplainRun run = run_explanation(s.model, s.x, r);

        const Classifier::Forward fwd = s.model.forward_with_layer(s.x);
        const auto& a = fwd.activations.shape;
        const Shapes shapes{int(a[1]), int(a[2]), int(a[3]), 1, 28, 28};
        Explainer plain(methods, r.options, shapes, fwd.activations.data.data(), s.x.data.data(), run.baseline);
        std::vector<float> inputs(batch * shapes.input_size()), scores(batch);
        while (!plain.done()) {
            const size_t n = plain.next_batch(inputs.data(), batch);
            s.model.class_scores(inputs.data(), n, run.class_index, scores.data());
            plain.tell(scores.data(), n);
        }
        CHECK(run.forward_passes == plain.total_passes() + 1);
        for (Method m : methods) {
            const CamResult x = run.explainer->result(m), y = plain.result(m);
            CHECK(same_bits(x.map, y.map));
            CHECK(same_bits(x.weights, y.weights));
            CHECK(same_bits(x.scores, y.scores));
        }
    }
}

TEST_CASE("written ahead, a cancelled run stops before its first batch is scored") {
    FashionSample s;
    s.model.select_layer(s.model.layers(s.shape).back().name, s.shape);
    ExplainRequest r;
    r.batch = 4;
    const std::atomic<bool> cancel{true};
    const ExplainRun run = run_explanation(s.model, s.x, r, {}, &cancel);
    CHECK(run.cancelled);
    CHECK(run.forward_passes == 1);
    CHECK(run.explainer->passes_done() == 0);
}
