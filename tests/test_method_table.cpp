// Adding a method: this test is compiled with ISCAM_TEST_METHOD, which adds the made-up
// Linear-CAM (γ_i = i/N) to the table in core/methods.h and nothing else. The plan, the sharing,
// the accumulation and the map must follow from its entry alone.
#include <catch2/catch.hpp>

#include "analytic_problem.h"
#include "cam_math.h"
#include "explainer.h"
#include "test_support.h"

using namespace iscam;

namespace {

const Shapes kShapes{6, 3, 4, 3, 9, 8};

// s_k = (1/N) Σ_{i=1..N} (f((i/N) · U_k ⊙ X) − b), straight from the entry's comment.
double linear_cam_score(const AnalyticProblem& p, const Explainer& ex, int k, int n) {
    const size_t HW = size_t(kShapes.H) * kShapes.W;
    std::vector<float> u(HW), x(kShapes.input_size());
    ex.upsampled_mask(k, u.data());
    double sum = 0;
    for (int i = 1; i <= n; ++i) {
        const float gamma = float(double(i) / n);
        for (int c = 0; c < kShapes.C; ++c)
            for (size_t q = 0; q < HW; ++q) x[c * HW + q] = gamma * u[q] * p.input[c * HW + q];
        sum += double(p.f(x.data())) - p.baseline();
    }
    return sum / n;
}

}  // namespace

TEST_CASE("the made-up method is known by its entry's name and bit") {
    REQUIRE(kMethodCount == 4);
    CHECK(parse_method("linearcam") == Method::LinearCAM);
    CHECK(std::string(method_title(Method::LinearCAM)) == "Linear-CAM");
    CHECK(all_methods_mask() == 15);
    CHECK(method_names() == "scorecam, sscam, iscam, linearcam");
}

TEST_CASE("its passes are shared where IS-CAM's or Score-CAM's γ is the same") {
    ExplainOptions o;  // N = 10: IS-CAM's γ 0.1, 0.3, 0.6, 1 are Linear-CAM's i = 1, 3, 6, 10
    const auto plan = channel_plan({Method::ISCAM, Method::ScoreCAM, Method::LinearCAM}, o);
    REQUIRE(plan.size() == 10 + 6);
    int shared_with_iscam = 0;
    for (const ChannelPass& p : plan)
        if (p.feeds == (mask_of(Method::ISCAM) | mask_of(Method::LinearCAM)) ||
            p.feeds == (mask_of(Method::ISCAM) | mask_of(Method::LinearCAM) | mask_of(Method::ScoreCAM)))
            ++shared_with_iscam;
    CHECK(shared_with_iscam == 4);
    CHECK(plan_passes({Method::ISCAM, Method::ScoreCAM, Method::LinearCAM}, o, 64) == 64 * 16 + 1);
    CHECK(plan_passes({Method::LinearCAM}, o, 64) == 64 * 10 + 1);
    o.shortcuts = false;  // nothing shared: 10 + 1 + 10
    CHECK(plan_passes({Method::ISCAM, Method::ScoreCAM, Method::LinearCAM}, o, 64) == 64 * 21 + 1);
}

TEST_CASE("its scores and map are the formula's, alone and sharing passes") {
    const AnalyticProblem p(kShapes);
    const ExplainOptions o;
    Explainer alone({Method::LinearCAM}, o, kShapes, p.activations.data(), p.input.data(), p.baseline());
    Explainer shared({Method::ScoreCAM, Method::ISCAM, Method::LinearCAM}, o, kShapes, p.activations.data(),
                     p.input.data(), p.baseline());
    p.drive(alone);
    p.drive(shared);
    // Channel 1 is all zero (skipped), channel 4 constant (the Zero pass): 4 channels of 16 passes.
    CHECK(shared.total_passes() == 1 + 4 * 16);
    CHECK(alone.result(Method::LinearCAM).forward_passes == 1 + 4 * 10);
    const CamResult r = alone.result(Method::LinearCAM);
    const std::vector<float> zero(kShapes.input_size(), 0.0f);
    CHECK(std::isnan(r.scores[1]));
    std::vector<int> scored;
    std::vector<double> s;
    for (int k : {0, 2, 3, 4, 5}) {
        const double expected = k == 4 ? p.f(zero.data()) - p.baseline() : linear_cam_score(p, alone, k, o.iscam_samples);
        CHECK(r.scores[k] == Approx(expected).epsilon(1e-5));
        CHECK(shared.result(Method::LinearCAM).scores[k] == r.scores[k]);
        scored.push_back(k);
        s.push_back(expected);
    }
    CHECK(max_abs_diff(r.map, weighted_map(p.activations.data(), kShapes.map_size(), scored, softmax(s))) < 1e-5);
    CHECK(shared.result(Method::LinearCAM).map == r.map);
}
