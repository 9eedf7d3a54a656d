// The teaching views' data (core/teaching.h) against the Explainer it is read from, on a small
// analytic classifier f(X) = Σ_p g_p·tanh(X_p): IS-CAM's path and SS-CAM's samples add up to the
// engine's s_k exactly, the build-up with every channel is the final map, the probe repeats the
// run's passes.
#include <catch2/catch.hpp>
#include <cmath>

#include "cam_math.h"
#include "error.h"
#include "noise.h"
#include "teaching.h"
#include "analytic_problem.h"
#include "test_support.h"

using namespace iscam;

namespace {

struct Problem : AnalyticProblem {
    Problem() : AnalyticProblem({6, 3, 4, 3, 9, 10}) {}
    std::unique_ptr<Explainer> make(std::vector<Method> methods, ExplainOptions o = {}) const {
        return std::make_unique<Explainer>(std::move(methods), o, shapes, activations.data(), input.data(), baseline());
    }
    // U_k computed here from SPEC steps 1–2.
    std::vector<float> u(int k) const {
        const size_t hw = shapes.map_size();
        std::vector<float> a(&activations[k * hw], &activations[(k + 1) * hw]), out(size_t(shapes.H) * shapes.W);
        minmax_normalise(a.data(), hw);
        BilinearResizer(shapes.h, shapes.w, shapes.H, shapes.W)(a.data(), out.data());
        return out;
    }
    // mask ⊙ X, the mask broadcast over the input channels.
    std::vector<float> masked(const std::vector<float>& mask) const {
        const size_t HW = mask.size();
        std::vector<float> x(input.size());
        for (size_t i = 0; i < x.size(); ++i) x[i] = mask[i % HW] * input[i];
        return x;
    }
};

const std::vector<int> kScored = {0, 2, 3, 4, 5};  // channel 1 is all zero

}  // namespace

TEST_CASE("IS-CAM's path: the scaled inputs, their scores and the mean that is s_k") {
    const Problem pb;
    ExplainOptions o;
    o.iscam_samples = 6;
    auto ex = pb.make({Method::ISCAM}, o);
    pb.drive(*ex);
    const CamResult r = ex->result(Method::ISCAM);
    const std::vector<float> gamma = iscam_coefficients(6);
    for (int k : kScored) {
        const ChannelPasses path = channel_passes(*ex, Method::ISCAM, k);
        CHECK(path.mean == r.scores[k]);  // exactly: the engine's own sum, term by term
        if (k == 4) {  // constant: U_4 ≡ 0, one shared pass 0 ⊙ X
            REQUIRE(path.shared_zero_pass);
            REQUIRE(path.steps.size() == 1);
            CHECK(path.steps[0].score == Approx(pb.f(std::vector<float>(pb.input.size(), 0.0f).data()) - pb.baseline()));
            continue;
        }
        REQUIRE(path.steps.size() == 6);
        double mean = 0;
        for (size_t i = 0; i < 6; ++i) {
            const ChannelStep& step = path.steps[i];
            CHECK(step.pass.gamma == gamma[i]);
            std::vector<float> scaled_mask = pb.u(k);
            for (float& v : scaled_mask) v *= gamma[i];
            const std::vector<float> expected = pb.masked(scaled_mask);
            CHECK(max_abs_diff(pass_input(*ex, step.pass), expected) == 0.0);
            CHECK(step.score == Approx(pb.f(expected.data()) - pb.baseline()).margin(1e-6));
            mean += step.score / 6.0;
        }
        CHECK(path.mean == Approx(mean).epsilon(1e-6));
    }
}

TEST_CASE("SS-CAM's samples: the noisy inputs (U_k + δ_kj) ⊙ X and the mean that is s_k") {
    const Problem pb;
    ExplainOptions o;
    o.sscam_samples = 5;
    o.sscam_sigma = 0.7f;
    o.seed = 42;
    auto ex = pb.make({Method::SSCAM, Method::ScoreCAM}, o);
    pb.drive(*ex, 3);
    const CamResult r = ex->result(Method::SSCAM);
    const size_t HW = size_t(pb.shapes.H) * pb.shapes.W;
    for (int k : kScored) {
        const ChannelPasses samples = channel_passes(*ex, Method::SSCAM, k);
        CHECK(samples.mean == r.scores[k]);
        CHECK_FALSE(samples.shared_zero_pass);  // noise makes even a constant channel's masks differ
        REQUIRE(samples.steps.size() == 5);
        for (int j = 0; j < 5; ++j) {
            std::vector<float> mask(HW);
            noise_field(42, uint32_t(k), uint32_t(j), 0.7f, mask.data(), HW);
            const std::vector<float> u = pb.u(k);
            for (size_t q = 0; q < HW; ++q) mask[q] += u[q];
            CHECK(samples.steps[size_t(j)].pass.index == j);
            CHECK(max_abs_diff(pass_input(*ex, samples.steps[size_t(j)].pass), pb.masked(mask)) == 0.0);
        }
    }
    // Score-CAM's one pass per channel, next to it.
    const CamResult sc = ex->result(Method::ScoreCAM);
    for (int k : {0, 2, 3, 5}) {
        const ChannelPasses one = channel_passes(*ex, Method::ScoreCAM, k);
        REQUIRE(one.steps.size() == 1);
        CHECK(one.mean == sc.scores[k]);
        CHECK(max_abs_diff(pass_input(*ex, one.steps[0].pass), masked_input(*ex, k)) == 0.0);
    }
}

TEST_CASE("Score-CAM's pass is IS-CAM's step with γ = 1 when both run") {
    const Problem pb;
    auto ex = pb.make({Method::ScoreCAM, Method::ISCAM});  // N = 10: γ_4 = 1
    pb.drive(*ex);
    const ChannelPasses sc = channel_passes(*ex, Method::ScoreCAM, 3);
    REQUIRE(sc.steps.size() == 1);
    CHECK(sc.steps[0].pass.gamma == 1.0f);
    CHECK(sc.steps[0].pass.index == 3);
    CHECK(sc.mean == ex->result(Method::ScoreCAM).scores[3]);
    CHECK(sc.steps[0].score == channel_passes(*ex, Method::ISCAM, 3).steps[3].score);
}

TEST_CASE("channels ranked by weight, and the map built up from the first n of them") {
    const Problem pb;
    auto ex = pb.make({Method::ISCAM});
    pb.drive(*ex);
    const CamResult r = ex->result(Method::ISCAM);
    const std::vector<RankedChannel> ranked = rank_channels(r);
    REQUIRE(ranked.size() == kScored.size());
    for (size_t i = 1; i < ranked.size(); ++i) CHECK(ranked[i - 1].weight >= ranked[i].weight);
    for (const RankedChannel& c : ranked) {
        CHECK(c.channel != 1);
        CHECK(c.weight == r.weights[c.channel]);
        CHECK(c.score == r.scores[c.channel]);
    }
    const std::vector<float> all = build_up_map(*ex, r, ranked.size());
    CHECK(all == r.map);  // bit for bit
    CHECK(build_up_map(*ex, r, 1000) == r.map);
    CHECK(build_up_map(*ex, r, 0) == std::vector<float>(pb.shapes.map_size(), 0.0f));
    // One channel: its own activations, ReLU'd and min-max normalised (its weight is positive).
    const size_t hw = pb.shapes.map_size();
    const int top = ranked[0].channel;
    std::vector<float> own(&pb.activations[top * hw], &pb.activations[(top + 1) * hw]);
    for (float& v : own) v = std::max(v * ranked[0].weight, 0.0f);
    minmax_normalise(own.data(), hw);
    CHECK(max_abs_diff(build_up_map(*ex, r, 1), own) < 1e-6);
    // Two channels: their weighted sum only.
    const std::vector<float> two = build_up_map(*ex, r, 2);
    const std::vector<int> pair = {std::min(top, ranked[1].channel), std::max(top, ranked[1].channel)};
    CHECK(two == weighted_map(pb.activations.data(), hw, pair, {r.weights[pair[0]], r.weights[pair[1]]}));
}

TEST_CASE("U_k and the masked input U_k ⊙ X, and how they are shown") {
    const Problem pb;
    auto ex = pb.make({Method::ScoreCAM});
    for (int k : {0, 3}) {
        CHECK(upsampled_mask(*ex, k) == pb.u(k));
        CHECK(max_abs_diff(masked_input(*ex, k), pb.masked(pb.u(k))) == 0.0);
    }
    CHECK_THROWS_AS(upsampled_mask(*ex, 6), InputError);
    CHECK_THROWS_AS(masked_input(*ex, -1), InputError);

    // An image through the preprocessing and back: the same bytes.
    Image img;
    img.width = 10;
    img.height = 9;
    for (int i = 0; i < 90 * 3; ++i) img.rgb.push_back(uint8_t((i * 37) % 256));
    Preprocess p;
    p.height = 9;
    p.width = 10;
    const Tensor x = to_input_tensor(img, p);
    const Image back = display_image(x.data.data(), pb.shapes, p);
    CHECK(back.width == 10);
    CHECK(back.height == 9);
    CHECK(back.rgb == img.rgb);
    // Where the mask is 0 the masked input is the mean colour.
    const std::vector<float> zero(pb.shapes.input_size(), 0.0f);
    const Image mean = display_image(zero.data(), pb.shapes, p);
    CHECK(int(mean.rgb[0]) == int(std::lround(0.485 * 255)));
    CHECK(int(mean.rgb[1]) == int(std::lround(0.456 * 255)));
    CHECK(int(mean.rgb[2]) == int(std::lround(0.406 * 255)));
    // BGR models: the first input channel is blue.
    p.bgr = true;
    const Image bgr = display_image(to_input_tensor(img, p).data.data(), pb.shapes, p);
    CHECK(bgr.rgb == img.rgb);
    // One input channel is shown grey.
    const Shapes gray{6, 3, 4, 1, 9, 10};
    std::vector<float> plane(90, 0.0f);
    const Image g = display_image(plane.data(), gray, p);
    CHECK(g.rgb[0] == g.rgb[1]);
    CHECK(g.rgb[1] == g.rgb[2]);
}

TEST_CASE("the probe repeats the run's passes with the run's options, and rescores with others") {
    const Problem pb;
    ExplainOptions o;
    o.sscam_samples = 4;
    o.sscam_sigma = 0.5f;
    o.seed = 3;
    auto ex = pb.make({Method::SSCAM}, o);
    pb.drive(*ex);
    const ChannelPasses run = channel_passes(*ex, Method::SSCAM, 2);

    ChannelProbe same(*ex, Method::SSCAM, 2, o);
    REQUIRE(same.total_passes() == 4);
    for (size_t j = 0; j < 4; ++j) CHECK(same.input(j) == pass_input(*ex, run.steps[j].pass));
    CHECK_THROWS_AS(same.result(), std::logic_error);
    pb.drive(same, 3);
    CHECK(same.result().mean == run.mean);
    CHECK(same.result().mean == ex->result(Method::SSCAM).scores[2]);

    // σ doubled: the same draws, twice as far from U_k ⊙ X.
    ExplainOptions wide = o;
    wide.sscam_sigma = 1.0f;
    wide.sscam_samples = 6;
    ChannelProbe probe(*ex, Method::SSCAM, 2, wide);
    REQUIRE(probe.total_passes() == 6);
    const std::vector<float> ux = masked_input(*ex, 2);
    const std::vector<float> narrow = same.input(1), broad = probe.input(1);
    for (size_t i = 0; i < ux.size(); ++i) CHECK(broad[i] - ux[i] == Approx(2 * (narrow[i] - ux[i])).margin(1e-5));
    pb.drive(probe, 4);
    double mean = 0;
    for (const ChannelStep& s : probe.result().steps) mean += s.score / 6.0;
    CHECK(probe.result().mean == Approx(mean).margin(1e-6));

    // IS-CAM with another N.
    ExplainOptions n3 = o;
    n3.iscam_samples = 3;
    ChannelProbe path(*ex, Method::ISCAM, 0, n3);
    REQUIRE(path.total_passes() == 3);
    pb.drive(path);
    CHECK(path.result().steps[2].pass.gamma == 2.0f);

    CHECK_THROWS_AS(ChannelProbe(*ex, Method::SSCAM, 1, o), InputError);  // all zero: never scored
    CHECK_THROWS_AS(ChannelProbe(*ex, Method::SSCAM, 9, o), InputError);
}

TEST_CASE("channels that were not scored, and runs not finished, are refused") {
    const Problem pb;
    ExplainOptions fast;
    fast.channels = 2;  // fast mode: only the two channels of highest variance
    auto ex = pb.make({Method::ISCAM}, fast);
    pb.drive(*ex);
    const CamResult r = ex->result(Method::ISCAM);
    REQUIRE(rank_channels(r).size() == 2);
    CHECK(build_up_map(*ex, r, 2) == r.map);
    for (int k = 0; k < pb.shapes.K; ++k)
        if (std::isnan(r.scores[k])) CHECK_THROWS_AS(channel_passes(*ex, Method::ISCAM, k), InputError);
    CHECK_THROWS_AS(channel_passes(*ex, Method::SSCAM, 0), InputError);  // not run

    auto unfinished = pb.make({Method::ISCAM});
    CHECK_THROWS_AS(channel_passes(*unfinished, Method::ISCAM, 0), std::logic_error);
}

TEST_CASE("a run in fast mode with screening is probed as exact mode would score its channel") {
    const Problem pb;
    ExplainOptions screen;
    screen.channels = 1;
    screen.select = ChannelSelect::Screen;
    screen.screen_channels = 3;
    screen.iscam_samples = 3;
    auto ex = pb.make({Method::ISCAM}, screen);
    pb.drive(*ex);
    const CamResult r = ex->result(Method::ISCAM);
    const RankedChannel top = rank_channels(r).front();
    ChannelProbe probe(*ex, Method::ISCAM, top.channel, screen);
    REQUIRE(probe.total_passes() == 3);
    pb.drive(probe);
    ExplainOptions n3;
    n3.iscam_samples = 3;
    auto exact = pb.make({Method::ISCAM}, n3);
    pb.drive(*exact);
    CHECK(probe.result().mean == Approx(exact->result(Method::ISCAM).scores[size_t(top.channel)]).margin(1e-6));
}
