// Contrastive maps (docs/math.md, "Contrastive maps") on the bundled Fashion-MNIST CNN: for all
// three methods the map equals the one recomputed from the definition, with the channel scores
// of two ordinary runs (class A alone, class B alone) on the same inputs; bad contrasts are refused.
#include <catch2/catch.hpp>

#include <cmath>

#include "classifier.h"
#include "error.h"
#include "explain_run.h"
#include "fashion_sample.h"

using namespace iscam;

namespace {

constexpr int kAnkleBoot = 9, kSneaker = 7, kSandal = 5;

struct Setup : FashionSample {
    Setup() { model.select_layer(model.layers(shape).back().name, shape); }
    ExplainRun run(int cls, int contrast) {
        ExplainRequest r;
        r.methods = {Method::ScoreCAM, Method::SSCAM, Method::ISCAM};
        r.options.sscam_samples = 6;
        r.options.shortcuts = false;  // every channel scored, in every run
        r.class_index = cls;
        r.contrast_class = contrast;
        return run_explanation(model, x, r);
    }
};

// Steps 4 and 5 of docs/math.md, written out in double: softmax of the scores, ReLU of the
// weighted activations, min-max normalisation.
std::vector<float> map_from_scores(const std::vector<double>& s, const Tensor& a) {
    const size_t K = size_t(a.shape[1]), hw = size_t(a.shape[2] * a.shape[3]);
    double top = s[0];
    for (double v : s) top = std::max(top, v);
    std::vector<double> w(K);
    double sum = 0;
    for (size_t k = 0; k < K; ++k) sum += w[k] = std::exp(s[k] - top);
    std::vector<double> l(hw, 0.0);
    for (size_t k = 0; k < K; ++k)
        for (size_t p = 0; p < hw; ++p) l[p] += w[k] / sum * a.data[k * hw + p];
    for (double& v : l) v = std::max(v, 0.0);
    double lo = l[0], hi = l[0];
    for (double v : l) lo = std::min(lo, v), hi = std::max(hi, v);
    std::vector<float> out(hw);
    for (size_t p = 0; p < hw; ++p) out[p] = float((l[p] - lo) / (hi - lo + 1e-8));
    return out;
}

}  // namespace

TEST_CASE("a contrastive map is the map of the scores f(·)_A − f(·)_B, for all three methods") {
    Setup s;
    const ExplainRun ab = s.run(kAnkleBoot, kSneaker), a = s.run(kAnkleBoot, -1), b = s.run(kSneaker, -1);
    const Tensor activations = s.model.forward_with_layer(s.x).activations;
    CHECK(ab.contrast_class == kSneaker);
    CHECK(ab.baseline == Approx(ab.logits[kAnkleBoot] - ab.logits[kSneaker]).margin(1e-5));
    CHECK(ab.forward_passes == a.forward_passes);
    for (Method m : {Method::ScoreCAM, Method::SSCAM, Method::ISCAM}) {
        INFO(method_title(m));
        const CamResult rab = ab.explainer->result(m), ra = a.explainer->result(m), rb = b.explainer->result(m);
        std::vector<double> expected(ra.scores.size());
        double worst = 0;
        for (size_t k = 0; k < expected.size(); ++k) {
            expected[k] = double(ra.scores[k]) - double(rb.scores[k]);
            worst = std::max(worst, std::fabs(rab.scores[k] - expected[k]) / std::max(1.0, std::fabs(expected[k])));
        }
        CHECK(worst < 1e-4);
        const std::vector<float> recomputed = map_from_scores(expected, activations);
        CHECK(max_abs_diff(rab.map, recomputed) < 1e-4);
        // Not the map of A, nor the difference of the two maps: the test can tell them apart.
        CHECK(max_abs_diff(rab.map, ra.map) > 0.05);
    }
}

TEST_CASE("bad contrast classes are refused with a reason") {
    Setup s;
    CHECK_THROWS_WITH(s.run(kAnkleBoot, kAnkleBoot), Catch::Contains("must differ from the class explained"));
    CHECK_THROWS_WITH(s.run(-1, kAnkleBoot), Catch::Contains("must differ"));  // the top-1 is the ankle boot
    CHECK_THROWS_WITH(s.run(kAnkleBoot, 10), Catch::Contains("contrast class 10 is out of range"));
    CHECK_THROWS_WITH(s.run(kAnkleBoot, -2), Catch::Contains("contrast class -2 is out of range"));
    CHECK_NOTHROW(s.run(kSandal, kSneaker));
}
