// The faithfulness and localisation metrics end to end (core evaluator driven by ONNX Runtime)
// against the independent PyTorch reference (scripts/reference_metrics.py, written from docs/math.md),
// on the bundled model and torchvision's squeezenet1_1: every value within 1e-5.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "classifier.h"
#include "image.h"
#include "metrics.h"
#include "metrics_localisation.h"
#include "metrics_run.h"
#include "npy.h"
#include "preprocess.h"
#include "test_support.h"

using namespace iscam;

namespace {

constexpr double kTolerance = 1e-5;

struct Worst {
    double diff = 0;
    std::string what;
    void check(double actual, double expected, const std::string& name) {
        const double d = std::fabs(actual - expected);
        if (!(d <= diff)) {
            diff = d;
            what = name;
        }
    }
};

// The evaluator for case c, driven to the end by ONNX Runtime.
std::unique_ptr<FaithfulnessEvaluator> evaluate(Classifier& model, const Tensor& x, const nlohmann::json& c) {
    MetricsOptions o;
    o.steps = c["options"]["steps"];
    REQUIRE(parse_baseline(c["options"]["baseline"].get<std::string>(), o));
    o.score = *parse_score(c["options"]["score"].get<std::string>());
    std::vector<float> map;
    for (const auto& row : c["map"])
        for (float v : row) map.push_back(v);
    const int h = int(c["map"].size()), w = int(c["map"][0].size());
    const std::vector<float> logits = model.forward_with_layer(x).logits;
    auto ev = std::make_unique<FaithfulnessEvaluator>(o, int(x.shape[1]), int(x.shape[2]), int(x.shape[3]), x.data.data(),
                                                 map.data(), h, w, logits.data(), logits.size(), c["class"].get<int>());
    const size_t capacity = std::min<size_t>(16, model.max_batch());
    std::vector<float> batch(capacity * x.data.size());
    while (!ev->done()) {
        const size_t n = ev->next_batch(batch.data(), capacity);
        size_t stride = 0;
        const float* out = model.batch_logits(batch.data(), n, &stride);
        ev->tell(out, n, stride);
    }
    return ev;
}

void check_case(const nlohmann::json& c, size_t index) {
    const std::string onnx = source_path(c["onnx"].get<std::string>());
    if (!std::filesystem::exists(onnx)) FAIL("missing " << onnx << ": run scripts/export-test-models.sh (scripts/test.sh does)");
    const Tensor x = read_npy(source_path(c["input_npy"].get<std::string>()));
    Classifier model = Classifier::from_file(onnx, RuntimeOptions{2});
    model.select_layer(model.layers(x.shape).back().name, x.shape);
    const auto ev = evaluate(model, x, c);
    const FaithfulnessResult r = ev->result();

    Worst worst;
    worst.check(r.score, c["score_input"], "score_input");
    worst.check(r.masked_score, c["score_masked"], "score_masked");
    worst.check(r.average_drop, c["average_drop"], "average_drop");
    worst.check(r.deletion_auc, c["deletion_auc"], "deletion_auc");
    worst.check(r.insertion_auc, c["insertion_auc"], "insertion_auc");
    CHECK(int(r.increase) == c["increase_in_confidence"].get<int>());
    CHECK(r.counts == c["counts"].get<std::vector<int>>());
    REQUIRE(r.deletion.size() == c["deletion_curve"].size());
    REQUIRE(r.insertion.size() == c["insertion_curve"].size());
    for (size_t i = 0; i < r.deletion.size(); ++i) {
        worst.check(r.fractions[i], c["fractions"][i], "fractions[" + std::to_string(i) + "]");
        worst.check(r.deletion[i], c["deletion_curve"][i], "deletion_curve[" + std::to_string(i) + "]");
        worst.check(r.insertion[i], c["insertion_curve"][i], "insertion_curve[" + std::to_string(i) + "]");
    }
    if (c.contains("pointing_game")) {
        const auto size = c["image_size"].get<std::vector<int>>();
        const int H = int(x.shape[2]), W = int(x.shape[3]);
        Preprocess stretch;
        stretch.height = H;
        stretch.width = W;
        const InputWindow window = input_window(size[0], size[1], stretch);
        GroundTruth g;
        if (!c["box"].is_null()) {
            const auto b = c["box"].get<std::vector<double>>();
            g = box_ground_truth(b[0], b[1], b[2], b[3], size[0], size[1], H, W, window);
        } else {
            g = mask_ground_truth(load_image(source_path(c["mask"].get<std::string>())), size[0], size[1], H, W, window);
        }
        const Localisation l = localise(ev->saliency(), g);
        REQUIRE(l.defined);
        CHECK(int(l.hit) == c["pointing_game"].get<int>());
        worst.check(l.energy, c["energy_pointing_game"], "energy_pointing_game");
    }
    INFO("case " << index << " (" << c["onnx"] << ", " << c["options"] << "): worst " << worst.what << " off by " << worst.diff);
    CHECK(worst.diff <= kTolerance);
    std::printf("metrics case %zu %s %s: max abs difference to the PyTorch reference %.3g (%s), %zu passes\n", index,
                c["onnx"].get<std::string>().c_str(), c["options"].dump().c_str(), worst.diff, worst.what.c_str(),
                r.forward_passes);
}

nlohmann::json load_cases() {
    std::ifstream in(source_path("tests/fixtures/metrics-reference.json"));
    REQUIRE(in);
    return nlohmann::json::parse(in)["cases"];
}

// Checks every reference case of the model `onnx`; returns how many there were.
size_t check_cases_of(const std::string& onnx) {
    const auto cases = load_cases();
    size_t seen = 0;
    for (size_t i = 0; i < cases.size(); ++i)
        if (cases[i]["onnx"] == onnx) {
            check_case(cases[i], i);
            ++seen;
        }
    return seen;
}

}  // namespace

TEST_CASE("default model: the metrics agree with the PyTorch reference") {
    CHECK(check_cases_of("web/models/fashion-cnn.onnx") >= 3);
}

TEST_CASE("torchvision squeezenet1_1 at 224: the metrics agree with the PyTorch reference") {
    CHECK(check_cases_of("build/models/squeezenet1_1.onnx") >= 2);
}

TEST_CASE("the native driver (run_metrics) gives the reference numbers with any batch size") {
    const auto c = load_cases()[0];
    const Tensor x = read_npy(source_path(c["input_npy"].get<std::string>()));
    Classifier model = Classifier::from_file(source_path(c["onnx"].get<std::string>()), RuntimeOptions{2});
    model.select_layer(model.layers(x.shape).back().name, x.shape);
    CamResult cam;
    cam.height = int(c["map"].size());
    cam.width = int(c["map"][0].size());
    for (const auto& row : c["map"])
        for (float v : row) cam.map.push_back(v);
    const std::vector<float> logits = model.forward_with_layer(x).logits;
    for (size_t batch : {1, 7, 64}) {
        MetricsRequest request;
        REQUIRE(parse_baseline(c["options"]["baseline"].get<std::string>(), request.options));
        request.batch = batch;
        const MetricsRun run = run_metrics(model, x, logits, c["class"].get<int>(), cam, request);
        INFO("batch " << batch);
        CHECK_FALSE(run.cancelled);
        CHECK(std::fabs(run.result.deletion_auc - c["deletion_auc"].get<double>()) <= kTolerance);
        CHECK(std::fabs(run.result.insertion_auc - c["insertion_auc"].get<double>()) <= kTolerance);
        CHECK(std::fabs(run.result.average_drop - c["average_drop"].get<double>()) <= kTolerance);
        CHECK(run.inference_ms > 0);
        CHECK(run.total_ms >= run.inference_ms);
    }
    std::atomic<bool> cancel{true};
    CHECK(run_metrics(model, x, logits, 0, cam, MetricsRequest{}, &cancel).cancelled);
}

