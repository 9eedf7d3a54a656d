// The ask/tell engine against a small analytic classifier f(X) = Σ_p g_p·tanh(X_p), so every
// expectation can be computed straight from docs/math.md in the test.
#include <catch2/catch.hpp>
#include <cmath>

#include "cam_math.h"
#include "explainer.h"
#include "noise.h"
#include "analytic_problem.h"
#include "test_support.h"

using namespace iscam;

namespace {

struct Problem : AnalyticProblem {
    explicit Problem(Shapes s = {6, 3, 4, 2, 9, 10}) : AnalyticProblem(s) {}

    Explainer make(std::vector<Method> methods, ExplainOptions o = {}) const {
        return Explainer(std::move(methods), o, shapes, activations.data(), input.data(), baseline());
    }
    // SPEC steps 1–5 written out for one method, no shortcut, no engine.
    std::vector<float> direct(Method m, const ExplainOptions& o) const {
        const size_t hw = shapes.map_size(), HW = size_t(shapes.H) * shapes.W;
        std::vector<float> u(HW), x(input.size()), noise(HW);
        BilinearResizer up(shapes.h, shapes.w, shapes.H, shapes.W);
        std::vector<double> s(shapes.K);
        std::vector<int> all;
        for (int k = 0; k < shapes.K; ++k) {
            all.push_back(k);
            std::vector<float> a(&activations[k * hw], &activations[(k + 1) * hw]);
            minmax_normalise(a.data(), hw);
            up(a.data(), u.data());
            auto score = [&](auto mask) {
                for (int c = 0; c < shapes.C; ++c)
                    for (size_t p = 0; p < HW; ++p) x[c * HW + p] = mask(p) * input[c * HW + p];
                return double(f(x.data())) - baseline();
            };
            if (m == Method::ScoreCAM) s[k] = score([&](size_t p) { return u[p]; });
            if (m == Method::ISCAM) {
                const auto gamma = iscam_coefficients(o.iscam_samples);
                for (float gi : gamma) s[k] += score([&](size_t p) { return gi * u[p]; }) / o.iscam_samples;
            }
            if (m == Method::SSCAM) {
                for (int j = 0; j < o.sscam_samples; ++j) {
                    noise_field(o.seed, k, j, o.sscam_sigma, noise.data(), HW);
                    s[k] += score([&](size_t p) { return u[p] + noise[p]; }) / o.sscam_samples;
                }
            }
        }
        return weighted_map(activations.data(), hw, all, softmax(s));
    }
};

}  // namespace

TEST_CASE("each method's map equals docs/math.md computed directly") {
    const Problem pb;
    ExplainOptions o;
    o.sscam_samples = 5;
    o.seed = 11;
    for (Method m : {Method::ScoreCAM, Method::SSCAM, Method::ISCAM}) {
        Explainer ex = pb.make({m}, o);
        pb.drive(ex, 7);
        INFO(method_name(m));
        CHECK(max_abs_diff(ex.result(m).map, pb.direct(m, o)) < 1e-5);
    }
}

TEST_CASE("the shortcuts change no map by more than 1e-6") {
    const Problem pb;
    ExplainOptions on, off;
    on.sscam_samples = off.sscam_samples = 4;
    off.shortcuts = false;
    Explainer fast = pb.make({Method::ScoreCAM, Method::SSCAM, Method::ISCAM}, on);
    Explainer full = pb.make({Method::ScoreCAM, Method::SSCAM, Method::ISCAM}, off);
    pb.drive(fast, 16);
    pb.drive(full, 16);
    CHECK(fast.total_passes() < full.total_passes());
    for (Method m : {Method::ScoreCAM, Method::SSCAM, Method::ISCAM}) {
        INFO(method_name(m));
        CHECK(max_abs_diff(fast.result(m).map, full.result(m).map) <= 1e-6);
    }
}

TEST_CASE("the plan counts every pass up front: zero channels skipped, constant channels share one") {
    const Problem pb;  // K = 6: one all-zero, one constant, four others
    ExplainOptions o;
    CHECK(pb.make({Method::ScoreCAM}, o).total_passes() == 4 + 1);
    CHECK(pb.make({Method::ISCAM}, o).total_passes() == 4 * 10 + 1);
    CHECK(pb.make({Method::SSCAM}, o).total_passes() == 5 * 35);
    // Score-CAM rides on IS-CAM's γ = 1 step: no extra pass.
    CHECK(pb.make({Method::ScoreCAM, Method::ISCAM}, o).total_passes() == 4 * 10 + 1);
    o.iscam_samples = 4;  // no γ_i equals 1: Score-CAM needs its own passes
    CHECK(pb.make({Method::ScoreCAM, Method::ISCAM}, o).total_passes() == 4 * 5 + 1);
    Explainer ex = pb.make({Method::ISCAM});
    CHECK(ex.channels_skipped() == 1);
    CHECK(ex.constant_channels() == 1);
}

TEST_CASE("Score-CAM taken from IS-CAM equals Score-CAM alone") {
    const Problem pb;
    Explainer both = pb.make({Method::ScoreCAM, Method::ISCAM});
    Explainer alone = pb.make({Method::ScoreCAM});
    pb.drive(both, 5);
    pb.drive(alone, 5);
    CHECK(both.result(Method::ScoreCAM).map == alone.result(Method::ScoreCAM).map);
    CHECK(both.result(Method::ScoreCAM).scores[3] == Approx(alone.result(Method::ScoreCAM).scores[3]));
}

TEST_CASE("the batch size does not change the result") {
    const Problem pb;
    Explainer a = pb.make({Method::SSCAM});
    Explainer b = pb.make({Method::SSCAM});
    pb.drive(a, 1);
    pb.drive(b, 23);
    CHECK(a.result(Method::SSCAM).map == b.result(Method::SSCAM).map);
}

TEST_CASE("channels run by decreasing activation energy and the partial map grows with them") {
    const Problem pb;
    Explainer ex = pb.make({Method::ISCAM});
    const auto& plan = ex.plan();
    const size_t hw = pb.shapes.map_size();
    auto energy = [&](int k) {
        double e = 0;
        for (size_t i = 0; i < hw; ++i) e += double(pb.activations[k * hw + i]) * pb.activations[k * hw + i];
        return e;
    };
    double last = 1e300;
    for (const Pass& p : plan)
        if (p.kind == PassKind::Scaled) {
            CHECK(energy(p.channel) <= last);
            last = energy(p.channel);
        }
    CHECK(ex.partial(Method::ISCAM).map.empty());
    std::vector<float> buf(10 * pb.shapes.input_size()), scores(10);
    const size_t n = ex.next_batch(buf.data(), 10);
    for (size_t i = 0; i < n; ++i) scores[i] = pb.f(&buf[i * pb.shapes.input_size()]);
    ex.tell(scores.data(), n);
    const CamResult partial = ex.partial(Method::ISCAM);
    CHECK(partial.channels_scored >= 1);
    CHECK(partial.channels_scored < 5);
    CHECK(partial.map.size() == hw);
    CHECK(ex.progress() == Approx(10.0 / 41.0));
    pb.drive(ex, 10);
    CHECK(ex.partial(Method::ISCAM).map == ex.result(Method::ISCAM).map);
    CHECK(ex.result(Method::ISCAM).channels_scored == 5);
}

TEST_CASE("batches may be asked for ahead of the scores (pipelining)") {
    const Problem pb;
    Explainer a = pb.make({Method::ScoreCAM});
    Explainer b = pb.make({Method::ScoreCAM});
    pb.drive(a, 2);
    const size_t N = pb.shapes.input_size();
    std::vector<float> buf1(2 * N), buf2(2 * N), s(2);
    while (!b.done()) {
        const size_t n1 = b.next_batch(buf1.data(), 2);
        const size_t n2 = b.next_batch(buf2.data(), 2);
        for (size_t i = 0; i < n1; ++i) s[i] = pb.f(&buf1[i * N]);
        b.tell(s.data(), n1);
        for (size_t i = 0; i < n2; ++i) s[i] = pb.f(&buf2[i * N]);
        b.tell(s.data(), n2);
    }
    CHECK(a.result(Method::ScoreCAM).map == b.result(Method::ScoreCAM).map);
    CHECK_THROWS(b.tell(s.data(), 1));
}

TEST_CASE("skipped channels have no weight; the weights of the others sum to one") {
    const Problem pb;
    Explainer ex = pb.make({Method::ScoreCAM});
    pb.drive(ex, 8);
    const CamResult r = ex.result(Method::ScoreCAM);
    CHECK(std::isnan(r.weights[1]));
    double sum = 0;
    for (float w : r.weights)
        if (!std::isnan(w)) sum += w;
    CHECK(sum == Approx(1.0));
}

TEST_CASE("several writer threads write the same batches as one") {
    const Problem pb({6, 3, 4, 3, 96, 96});  // batches large enough to be worth threads
    ExplainOptions o;
    o.sscam_samples = 3;
    Explainer one = pb.make({Method::ScoreCAM, Method::SSCAM, Method::ISCAM}, o);
    Explainer three = pb.make({Method::ScoreCAM, Method::SSCAM, Method::ISCAM}, o);
    three.set_write_threads(3);
    const size_t N = pb.shapes.input_size();
    std::vector<float> a(17 * N), b(17 * N), s(17);
    while (!one.done()) {
        const size_t n = one.next_batch(a.data(), 17);
        REQUIRE(three.next_batch(b.data(), 17) == n);
        CHECK(std::equal(a.begin(), a.begin() + n * N, b.begin()));
        for (size_t i = 0; i < n; ++i) s[i] = pb.f(&a[i * N]);
        one.tell(s.data(), n);
        three.tell(s.data(), n);
    }
    CHECK(one.result(Method::SSCAM).map == three.result(Method::SSCAM).map);
}
