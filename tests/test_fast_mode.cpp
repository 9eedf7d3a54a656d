// Fast mode (Faster Score-CAM): only the K channels of highest activation variance are scored;
// the map is SPEC step 5 over those channels, the others weighing 0.
#include <catch2/catch.hpp>
#include <algorithm>
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

namespace {

double spread(const std::vector<float>& a, size_t hw, int k) {
    double sum = 0, sq = 0;
    for (size_t i = 0; i < hw; ++i) {
        sum += a[k * hw + i];
        sq += double(a[k * hw + i]) * a[k * hw + i];
    }
    return std::sqrt(sq / double(hw) - (sum / double(hw)) * (sum / double(hw)));
}

}  // namespace

TEST_CASE("screening: M channels screened once, the K of highest expected share scored in full, the rest predicted") {
    const Problem pb;
    ExplainOptions exact, o;
    o.channels = 2;
    o.select = ChannelSelect::Screen;
    o.screen_channels = 4;  // channels 4, 2, 0, 5 by variance; 3 is left out, 1 is all zero
    const std::vector<int> screened = {4, 2, 0, 5};
    const auto sc = pb.run(exact, {Method::ScoreCAM, Method::ISCAM});
    const CamResult score_cam = sc->result(Method::ScoreCAM), is_cam = sc->result(Method::ISCAM);
    // Share of the map: exp(s_k)·σ(A_k), s_k the screening (Score-CAM) score.
    std::vector<int> chosen = screened;
    auto share = [&](int k) { return double(score_cam.scores[size_t(k)]) + std::log(spread(pb.activations, pb.shapes.map_size(), k)); };
    std::stable_sort(chosen.begin(), chosen.end(), [&](int a, int b) { return share(a) > share(b); });
    chosen.resize(2);
    REQUIRE(chosen != std::vector<int>({4, 2}));  // not the variance choice: the test tells them apart

    const auto s = pb.run(o, {Method::ScoreCAM});  // its score is the screening score: all 4 are exact
    CHECK(s->total_passes() == 4);
    CHECK(s->total_passes() == plan_passes({Method::ScoreCAM}, o, 5) - 1);
    const CamResult rs = s->result(Method::ScoreCAM);
    CHECK(rs.channels_scored + rs.channels_predicted == 4);
    std::vector<double> ss;
    for (int k : screened) ss.push_back(score_cam.scores[size_t(k)]);
    CHECK(max_abs_diff(rs.map, weighted_map(pb.activations.data(), pb.shapes.map_size(), screened, softmax(ss))) < 1e-6);

    const auto i = pb.run(o, {Method::ISCAM});  // IS-CAM's γ_4 = 1 pass reuses the screening pass
    CHECK(i->total_passes() == 4 + 2 * 9);
    CHECK(i->total_passes() == plan_passes({Method::ISCAM}, o, 5) - 1);
    CHECK(i->channels_left_out() == 1);
    const CamResult ri = i->result(Method::ISCAM);
    CHECK(ri.channels_scored == 2);
    CHECK(ri.channels_predicted == 2);
    CHECK(ri.weights[3] == 0.0f);
    // The two scored in full have the exact scores; the line through them predicts the others,
    // none above the highest of the two.
    const double x0 = score_cam.scores[size_t(chosen[0])], x1 = score_cam.scores[size_t(chosen[1])];
    const double y0 = is_cam.scores[size_t(chosen[0])], y1 = is_cam.scores[size_t(chosen[1])];
    std::vector<double> si;
    for (int k : screened) {
        const bool full = k == chosen[0] || k == chosen[1];
        const double x = score_cam.scores[size_t(k)];
        si.push_back(full ? double(is_cam.scores[size_t(k)]) : std::min(y0 + (y1 - y0) * (x - x0) / (x1 - x0), std::max(y0, y1)));
        CHECK(ri.scores[size_t(k)] == Approx(si.back()).epsilon(1e-5));
    }
    CHECK(max_abs_diff(ri.map, weighted_map(pb.activations.data(), pb.shapes.map_size(), screened, softmax(si))) < 1e-5);
}

TEST_CASE("screening: IS-CAM without a γ = 1 step, no shortcuts, and both methods at once") {
    const Problem pb;
    ExplainOptions o;
    o.channels = 2;
    o.select = ChannelSelect::Screen;
    o.screen_channels = 4;
    o.iscam_samples = 4;  // γ = 0.2, 0.6, 1.2, 2: nothing to reuse
    CHECK(pb.run(o, {Method::ISCAM})->total_passes() == 4 + 2 * 4);
    o.iscam_samples = 10;
    const auto both = pb.run(o, {Method::ScoreCAM, Method::ISCAM});
    CHECK(both->total_passes() == 4 + 2 * 9);
    CHECK(both->result(Method::ScoreCAM).channels_scored + both->result(Method::ScoreCAM).channels_predicted == 4);
    CHECK(both->result(Method::ISCAM).forward_passes == 4 + 2 * 9);
    o.shortcuts = false;
    CHECK(pb.run(o, {Method::ISCAM})->total_passes() == 4 + 2 * 10);  // γ = 1 is planned again
}

TEST_CASE("screening asks for nothing until its screening passes are told") {
    const Problem pb;
    ExplainOptions o;
    o.channels = 2;
    o.select = ChannelSelect::Screen;  // M = 8·K = 16: all 5 non-zero channels
    const float b = Problem::f(pb.input.data(), pb.input.size());
    Explainer ex({Method::ISCAM}, o, pb.shapes, pb.activations.data(), pb.input.data(), b);
    CHECK(ex.total_passes() == 5 + 2 * 9);
    std::vector<float> buf(8 * pb.shapes.input_size());
    CHECK(ex.next_batch(buf.data(), 8) == 5);
    CHECK(ex.next_batch(buf.data(), 8) == 0);
    CHECK(ex.partial(Method::ISCAM).map.empty());
    std::vector<float> scores(5, b);
    ex.tell(scores.data(), 5);
    CHECK(ex.next_batch(buf.data(), 8) == 8);
    CHECK(!ex.done());
}

TEST_CASE("screening's bounds") {
    ExplainOptions o;
    o.select = ChannelSelect::Screen;
    CHECK_THROWS_WITH(validate(o), Catch::Contains("give the channel count K"));
    o.channels = 8;
    o.screen_channels = 8;
    CHECK_THROWS_WITH(validate(o), Catch::Contains("must be larger than the channels scored"));
    o.screen_channels = 9;
    CHECK_NOTHROW(validate(o));
    CHECK(screened_channels(o, 1280) == 9);
    CHECK(screened_channels(o, 6) == 6);  // at most the layer's channels
    o.screen_channels = 0;
    CHECK(screened_channels(o, 512) == kScreenFactor * 8);
    CHECK(screened_channels(o, 1280) == 128);  // a tenth of a wide layer, more than 8 · K
    CHECK(screened_channels(o, 1285) == 129);
    o.channels = 16;
    CHECK(screened_channels(o, 1280) == 128);
    o.channels = 32;
    CHECK(screened_channels(o, 1280) == 256);
    CHECK(plan_passes({Method::ISCAM}, o, 1280) == 256 + 32 * 9 + 1);
    CHECK(parse_select("screen") == ChannelSelect::Screen);
    CHECK(!parse_select("energy"));
}
