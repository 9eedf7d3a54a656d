// The faithfulness and localisation metrics (core/metrics*.h) on inputs small enough to work out
// by hand: counts, ranks and ties, the trapezoid rule, p, the ask/tell plan of deletion and
// insertion, the baselines, and the ground truth carried from image pixels to the input grid.
#include <catch2/catch.hpp>
#include <cmath>
#include <numeric>

#include "error.h"
#include "metrics.h"
#include "metrics_baseline.h"
#include "metrics_json.h"
#include "metrics_localisation.h"
#include "preprocess.h"

using namespace iscam;

namespace {

// A linear two-class "model": logits (Σ X, −Σ X) of each C·H·W input.
void linear_logits(const float* batch, size_t n, size_t per_input, std::vector<float>& out) {
    out.assign(2 * n, 0.0f);
    for (size_t i = 0; i < n; ++i) {
        const float s = std::accumulate(batch + i * per_input, batch + (i + 1) * per_input, 0.0f);
        out[2 * i] = s;
        out[2 * i + 1] = -s;
    }
}

FaithfulnessResult drive(FaithfulnessEvaluator& ev, size_t per_input, size_t capacity) {
    std::vector<float> batch(capacity * per_input), logits;
    while (!ev.done()) {
        const size_t n = ev.next_batch(batch.data(), capacity);
        linear_logits(batch.data(), n, per_input, logits);
        ev.tell(logits.data(), n, 2);
    }
    return ev.result();
}

}  // namespace

TEST_CASE("counts follow RISE: 0, step, 2·step, … (< P), P with step = ceil(P / T)") {
    const std::vector<int> fashion = perturbation_counts(784, 20);
    REQUIRE(fashion.size() == 21);
    CHECK(fashion[1] == 40);
    CHECK(fashion[19] == 760);
    CHECK(fashion.back() == 784);
    CHECK(perturbation_counts(10, 3) == std::vector<int>{0, 4, 8, 10});
    CHECK(perturbation_counts(4, 4) == std::vector<int>{0, 1, 2, 3, 4});
    CHECK(perturbation_counts(5, 10) == std::vector<int>{0, 1, 2, 3, 4, 5});
    CHECK(perturbation_counts(7, 1) == std::vector<int>{0, 7});
}

TEST_CASE("ranks: highest first, ties by position ascending") {
    const float s[] = {0.5f, 0.9f, 0.5f, 0.1f, 0.9f};
    CHECK(saliency_ranks(s, 5) == std::vector<int32_t>{2, 0, 3, 4, 1});
}

TEST_CASE("trapezoid rule and the score p") {
    CHECK(trapezoid({1, 3, 2}, {0, 0.5, 1}) == Approx(0.5 * 2 + 0.5 * 2.5));
    const float logits[] = {0.0f, float(std::log(3.0))};
    CHECK(class_score(logits, 2, 1, ScoreKind::Softmax) == Approx(0.75).epsilon(1e-7));
    CHECK(class_score(logits, 2, 0, ScoreKind::Softmax) == Approx(0.25).epsilon(1e-7));
    CHECK(class_score(logits, 2, 1, ScoreKind::Logit) == Approx(std::log(3.0)).epsilon(1e-7));
    const float large[] = {1000.0f, 1000.0f};  // max-subtracted: no overflow
    CHECK(class_score(large, 2, 0, ScoreKind::Softmax) == Approx(0.5));
}

TEST_CASE("deletion, insertion, Average Drop and Increase on a linear model, worked out by hand") {
    // X = [1, 2, 3, 4] (1×2×2), S = [0.25, 1, 0, 0.5] (2×2, so no resampling): the order of the
    // positions is 1, 3, 0, 2. Score = the logit Σ X; T = 4 gives counts 0, 1, 2, 3, 4.
    const float x[] = {1, 2, 3, 4}, map[] = {0.25f, 1, 0, 0.5f}, logits[] = {10, -10};
    MetricsOptions o;
    o.steps = 4;
    o.score = ScoreKind::Logit;
    FaithfulnessEvaluator ev(o, 1, 2, 2, x, map, 2, 2, logits, 2, 0);
    CHECK(ev.total_passes() == 2 * 5 - 2);  // S ⊙ X, then 2·(points) − 3 for the curves
    const FaithfulnessResult r = drive(ev, 4, 3);
    CHECK(r.counts == std::vector<int>{0, 1, 2, 3, 4});
    CHECK(r.fractions == std::vector<double>{0, 0.25, 0.5, 0.75, 1});
    CHECK(r.score == 10);
    CHECK(r.masked_score == Approx(0.25 + 2 + 0 + 2));
    CHECK(r.average_drop == Approx((10 - 4.25) / (10 + 1e-7)));
    CHECK_FALSE(r.increase);
    CHECK(r.deletion == std::vector<double>{10, 8, 4, 3, 0});
    CHECK(r.insertion == std::vector<double>{0, 2, 6, 7, 10});
    CHECK(r.deletion_auc == Approx(0.25 * (9 + 6 + 3.5 + 1.5)));
    CHECK(r.insertion_auc == Approx(0.25 * (1 + 4 + 6.5 + 8.5)));
    CHECK(r.forward_passes == 8);
}

TEST_CASE("the perturbed inputs are written as asked, in plan order, for every channel") {
    // C = 2: the mask is shared by the channels. Constant baseline 7.
    const float x[] = {1, 2, 3, 4, 10, 20, 30, 40}, map[] = {0.25f, 1, 0, 0.5f}, logits[] = {100, -100};
    MetricsOptions o;
    o.steps = 2;  // counts 0, 2, 4
    o.baseline = BaselineKind::Constant;
    o.constant = 7;
    FaithfulnessEvaluator ev(o, 2, 2, 2, x, map, 2, 2, logits, 2, 0);
    std::vector<float> batch(8 * 4);
    REQUIRE(ev.next_batch(batch.data(), 4) == 4);
    const std::vector<float> masked(batch.begin(), batch.begin() + 8), all_baseline(batch.begin() + 8, batch.begin() + 16),
        deletion(batch.begin() + 16, batch.begin() + 24), insertion(batch.begin() + 24, batch.end());
    CHECK(masked == std::vector<float>{0.25f, 2, 0, 2, 2.5f, 20, 0, 20});
    CHECK(all_baseline == std::vector<float>(8, 7.0f));
    CHECK(deletion == std::vector<float>{1, 7, 3, 7, 10, 7, 30, 7});  // positions 1 and 3 deleted
    CHECK(insertion == std::vector<float>{7, 2, 7, 4, 7, 20, 7, 40});
    CHECK(ev.next_batch(batch.data(), 4) == 0);
    CHECK_FALSE(ev.done());
    const FaithfulnessResult partial = ev.result();
    CHECK(std::isnan(partial.deletion_auc));
    CHECK(std::isnan(partial.deletion[1]));
    CHECK(partial.deletion[0] == Approx(1.0));  // p(X) = softmax(100, −100)_0
}

TEST_CASE("softmax scores: Increase in Confidence when the masked input is more confident") {
    // Logits (Σ X, −Σ X): a larger Σ is more confident for class 0. S ⊙ X with S = 1 everywhere
    // but a negative input value zeroed raises Σ X.
    const float x[] = {1, -2, 3, 4}, map[] = {1, 0, 1, 1};
    const float logits[] = {6, -6};
    FaithfulnessEvaluator ev(MetricsOptions{}, 1, 2, 2, x, map, 2, 2, logits, 2, 0);
    const FaithfulnessResult r = drive(ev, 4, 64);
    CHECK(r.masked_score == Approx(1 / (1 + std::exp(-16.0))));
    CHECK(r.increase);
    CHECK(r.average_drop == 0);
    CHECK(r.score == Approx(1 / (1 + std::exp(-12.0))));
    const nlohmann::json j = metrics_json(r, MetricsOptions{});
    CHECK(j["increase_in_confidence"] == 1);
    CHECK(j["score"] == "softmax");
    CHECK(j["baseline"] == "zeros");
    CHECK(j["deletion_curve"].size() == 5);
    CHECK_FALSE(j.contains("pointing_game"));
}

TEST_CASE("the map is upsampled to the input like SPEC step 2 before ranking") {
    const float x[16] = {}, map[] = {0, 1, 0, 0}, logits[] = {0, 0};
    FaithfulnessEvaluator ev(MetricsOptions{}, 1, 4, 4, x, map, 2, 2, logits, 2, 0);
    const std::vector<float>& s = ev.saliency();
    REQUIRE(s.size() == 16);
    // Half-pixel centres, clamped edges: output row 0 is source row 0 resampled, [0, 0.25, 0.75, 1].
    CHECK(s[3] == Approx(1));
    CHECK(s[0] == Approx(0));
    CHECK(s[1] == Approx(0.25));
    CHECK(s[2] == Approx(0.75));
}

TEST_CASE("baselines: zeros, a constant, and torchvision's Gaussian blur (11 taps, σ = 5, reflect)") {
    std::vector<float> flat(2 * 6 * 7, 3.0f);
    MetricsOptions o;
    o.baseline = BaselineKind::Blur;
    for (float v : metrics_baseline(o, flat.data(), 2, 6, 7)) CHECK(v == Approx(3.0f));
    // An impulse in the middle of a large plane gives the kernel itself, separable.
    std::vector<float> impulse(21 * 21, 0.0f);
    impulse[10 * 21 + 10] = 1;
    const std::vector<float> k = gaussian_blur(impulse.data(), 1, 21, 21, 11, 5.0f);
    double sum = 0;
    for (int i = -5; i <= 5; ++i) sum += std::exp(-0.5 * (i / 5.0) * (i / 5.0));
    const auto tap = [&](int i) { return std::exp(-0.5 * (i / 5.0) * (i / 5.0)) / sum; };
    CHECK(k[10 * 21 + 10] == Approx(tap(0) * tap(0)).epsilon(1e-6));
    CHECK(k[7 * 21 + 14] == Approx(tap(3) * tap(4)).epsilon(1e-6));
    CHECK(k[4 * 21 + 10] == 0);
    // Reflect padding mirrors without repeating the edge: an impulse next to the edge (x = 1) is
    // seen twice from x = 0 (at offsets ±1).
    std::vector<float> edge(6 * 6, 0.0f);
    edge[1] = 1;
    const std::vector<float> e = gaussian_blur(edge.data(), 1, 6, 6, 11, 5.0f);
    CHECK(e[0] == Approx(2 * tap(1) * tap(0)).epsilon(1e-6));
    CHECK(e[1] == Approx((tap(0) + tap(2)) * tap(0)).epsilon(1e-6));  // itself, and its mirror at −1 seen from 1
    o.baseline = BaselineKind::Zeros;
    CHECK(metrics_baseline(o, flat.data(), 2, 6, 7) == std::vector<float>(2 * 6 * 7, 0.0f));
    o.baseline = BaselineKind::Constant;
    o.constant = -1.5f;
    CHECK(metrics_baseline(o, flat.data(), 2, 6, 7) == std::vector<float>(2 * 6 * 7, -1.5f));
    CHECK_THROWS_AS(gaussian_blur(flat.data(), 1, 5, 5, 11, 5.0f), InputError);
}

TEST_CASE("options: parsing and bounds") {
    MetricsOptions o;
    CHECK(parse_baseline("blur", o));
    CHECK(o.baseline == BaselineKind::Blur);
    CHECK(parse_baseline("-0.5", o));
    CHECK(o.baseline == BaselineKind::Constant);
    CHECK(o.constant == -0.5f);
    CHECK(baseline_name(o) == "-0.5");
    CHECK_FALSE(parse_baseline("grey", o));
    CHECK_FALSE(parse_baseline("", o));
    CHECK_FALSE(parse_baseline("nan", o));
    CHECK(parse_score("logit") == ScoreKind::Logit);
    CHECK_FALSE(parse_score("probability"));
    o.steps = 0;
    CHECK_THROWS_AS(validate(o), InputError);
}

TEST_CASE("bad inputs are InputErrors, not wrong numbers") {
    const float x[] = {1, 2, 3, 4}, map[] = {0, 1, 0, 0}, logits[] = {1, 2};
    const float nan_map[] = {0, NAN, 0, 0}, inf_logits[] = {INFINITY, 0};
    MetricsOptions o;
    CHECK_THROWS_AS(FaithfulnessEvaluator(o, 1, 2, 2, x, map, 2, 2, logits, 2, 2), InputError);
    CHECK_THROWS_AS(FaithfulnessEvaluator(o, 1, 2, 2, x, nan_map, 2, 2, logits, 2, 0), InputError);
    CHECK_THROWS_AS(FaithfulnessEvaluator(o, 1, 2, 2, x, map, 2, 2, inf_logits, 2, 0), InputError);
    FaithfulnessEvaluator ev(o, 1, 2, 2, x, map, 2, 2, logits, 2, 0);
    std::vector<float> batch(4 * 4);
    const size_t n = ev.next_batch(batch.data(), 4);
    std::vector<float> three(3 * n, 0.0f);
    CHECK_THROWS_AS(ev.tell(three.data(), n, 3), InputError);
    CHECK_THROWS_AS(ev.tell(three.data(), n + 1, 2), std::logic_error);
}

TEST_CASE("ground truth: a box in image pixels on the input grid, the pointing games") {
    // A 56×56 image fed at 28×28: position x has its centre at image pixel 2x + 1.
    const GroundTruth g = box_ground_truth(0, 0, 2, 4, 56, 56, 28, 28, {0, 0, 2, 2});
    CHECK(g.inside[0] == 1);      // (0, 0): centre (1, 1)
    CHECK(g.inside[1] == 0);      // (0, 1): centre (3, 1), outside x < 2
    CHECK(g.inside[28] == 1);     // (1, 0): centre (1, 3)
    CHECK(g.inside[56] == 0);     // (2, 0): centre (1, 5)
    CHECK(std::accumulate(g.inside.begin(), g.inside.end(), 0) == 2);
    CHECK_THROWS_AS(box_ground_truth(3, 0, 2, 4, 56, 56, 28, 28, {0, 0, 2, 2}), InputError);   // x1 < x0
    CHECK_THROWS_AS(box_ground_truth(0, 0, 57, 4, 56, 56, 28, 28, {0, 0, 2, 2}), InputError);  // leaves the image
    CHECK_THROWS_AS(box_ground_truth(0, 0, 0.5, 0.5, 56, 56, 28, 28, {0, 0, 2, 2}), InputError);  // covers no centre

    std::vector<float> s(28 * 28, 0.0f);
    s[0] = 1;
    s[1] = 0.5f;
    s[100] = 0.5f;
    Localisation l = localise(s, g);
    CHECK(l.defined);
    CHECK(l.hit);
    CHECK(l.energy == Approx(1 / 2.0));
    s[5] = 1;  // a tie: the first maximum (row-major) points
    CHECK(localise(s, g).hit);
    s[0] = 0.9f;
    CHECK_FALSE(localise(s, g).hit);
    CHECK_FALSE(localise(std::vector<float>(28 * 28, 0.0f), g).defined);

    const nlohmann::json j = metrics_json(FaithfulnessResult{}, MetricsOptions{}, &l);
    CHECK(j["pointing_game"] == 1);
    CHECK(j["energy_pointing_game"] == Approx(0.5));
}

TEST_CASE("the input window: where the input's pixels sit in the image") {
    Preprocess p;
    p.height = p.width = 224;
    const InputWindow stretched = input_window(448, 112, p);
    CHECK(stretched.left == 0);
    CHECK(stretched.step_x == 2);
    CHECK(stretched.step_y == 0.5);
    // torchvision Resize(256) + CenterCrop(224) of a 512×256 image: 512×256 stays, the crop starts at (144, 16).
    p.center_crop = true;
    p.shorter_side = 256;
    const InputWindow cropped = input_window(512, 256, p);
    CHECK(cropped.left == 144);
    CHECK(cropped.top == 16);
    CHECK(cropped.step_x == 1);
    CHECK(cropped.step_y == 1);
    // The same image at twice the size: every step doubles.
    const InputWindow twice = input_window(1024, 512, p);
    CHECK(twice.left == 288);
    CHECK(twice.step_x == 2);
    const GroundTruth g = box_ground_truth(144, 16, 145, 17, 512, 256, 224, 224, cropped);
    CHECK(g.inside[0] == 1);  // input (0, 0) is image pixel (144, 16)
    CHECK(std::accumulate(g.inside.begin(), g.inside.end(), 0) == 1);
}

TEST_CASE("ground truth from a mask image of the image's size") {
    Image mask;
    mask.width = 4;
    mask.height = 2;
    mask.rgb.assign(4 * 2 * 3, 0);
    mask.rgb[(1 * 4 + 3) * 3 + 1] = 200;  // pixel (x 3, y 1), green channel
    const GroundTruth g = mask_ground_truth(mask, 4, 2, 2, 2, {0, 0, 2, 1});  // position (1, 1) has centre (3, 1.5)
    CHECK(g.inside == std::vector<uint8_t>{0, 0, 0, 1});
    Image other = mask;
    other.width = 2;
    CHECK_THROWS_AS(mask_ground_truth(other, 4, 2, 2, 2, {0, 0, 2, 1}), InputError);
    mask.rgb[(1 * 4 + 3) * 3 + 1] = 127;  // below half: outside, so G is empty
    CHECK_THROWS_AS(mask_ground_truth(mask, 4, 2, 2, 2, {0, 0, 2, 1}), InputError);
}
