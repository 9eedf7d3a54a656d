// Fast mode (Faster Score-CAM): only the K channels of highest activation variance are scored;
// the map is SPEC step 5 over those channels, the others weighing 0.
#include <catch2/catch.hpp>
#include <cmath>
#include <memory>

#include "cam_math.h"
#include "explainer.h"
#include "test_support.h"

using namespace iscam;

namespace {

// K = 6 channels of 3×4 whose variances rank 4 > 2 > 0 > 5 > 3; channel 1 is all zero.
struct Problem {
    Shapes shapes{6, 3, 4, 1, 6, 8};
    std::vector<float> activations, input;
    Problem() {
        const size_t hw = shapes.map_size();
        const float spread[6] = {1.0f, 0.0f, 2.0f, 0.1f, 3.0f, 0.5f};
        for (int k = 0; k < shapes.K; ++k)
            for (size_t i = 0; i < hw; ++i) activations.push_back(spread[k] * std::sin(0.9f * float(i + k)) + spread[k]);
        for (size_t i = 0; i < shapes.input_size(); ++i) input.push_back(std::cos(0.2f * float(i)));
    }
    // A score that depends on the masked input.
    static float f(const float* x, size_t n) {
        double s = 0;
        for (size_t i = 0; i < n; ++i) s += std::tanh(x[i]) * (1.0 + 0.1 * double(i % 7));
        return float(s);
    }
    std::unique_ptr<Explainer> run(ExplainOptions o, std::vector<Method> methods = {Method::ScoreCAM}) const {
        const float b = f(input.data(), input.size());
        auto owned = std::make_unique<Explainer>(methods, o, shapes, activations.data(), input.data(), b);
        Explainer& ex = *owned;
        std::vector<float> buf(4 * shapes.input_size()), scores(4);
        while (!ex.done()) {
            const size_t n = ex.next_batch(buf.data(), 4);
            for (size_t i = 0; i < n; ++i) scores[i] = f(&buf[i * shapes.input_size()], shapes.input_size());
            ex.tell(scores.data(), n);
        }
        return owned;
    }
};

}  // namespace

TEST_CASE("fast mode scores the K channels of highest variance and weighs the others 0") {
    const Problem pb;
    ExplainOptions exact, fast;
    fast.channels = 2;
    const auto all = pb.run(exact), some = pb.run(fast);
    CHECK(some->total_passes() == 2);
    CHECK(some->channels_left_out() == 3);  // 6 channels, 1 all zero, 2 scored
    CHECK(all->channels_left_out() == 0);
    const CamResult r = some->result(Method::ScoreCAM), full = all->result(Method::ScoreCAM);
    CHECK(r.channels_scored == 2);
    CHECK(std::isnan(r.weights[1]));  // all zero: skipped as in exact mode
    for (int k : {0, 3, 5}) CHECK(r.weights[size_t(k)] == 0.0f);
    // The two scored channels have the exact run's scores; the map is step 5 over them alone.
    CHECK(r.scores[4] == Approx(full.scores[4]));
    CHECK(r.scores[2] == Approx(full.scores[2]));
    const std::vector<float> w = softmax({double(full.scores[4]), double(full.scores[2])});
    CHECK(max_abs_diff(r.map, weighted_map(pb.activations.data(), pb.shapes.map_size(), {4, 2}, w)) < 1e-6);
}

TEST_CASE("fast mode with K at least the channel count is exact mode") {
    const Problem pb;
    ExplainOptions exact, fast;
    fast.channels = 64;
    for (Method m : {Method::ScoreCAM, Method::ISCAM}) {
        const auto a = pb.run(exact, {m}), b = pb.run(fast, {m});
        CHECK(a->total_passes() == b->total_passes());
        CHECK(a->result(m).map == b->result(m).map);
    }
}

TEST_CASE("fast mode cuts IS-CAM's plan to K·N + 1 passes") {
    const Problem pb;
    ExplainOptions o;
    o.channels = 3;
    CHECK(pb.run(o, {Method::ISCAM})->total_passes() == 3 * 10);
    o.channels = -1;
    CHECK_THROWS(validate(o));
}
