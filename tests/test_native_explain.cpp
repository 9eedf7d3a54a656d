// The native ONNX Runtime backend on the bundled default model, end to end.
#include <catch2/catch.hpp>

#include "classifier.h"
#include "error.h"
#include "explain_run.h"
#include "fashion_sample.h"

using namespace iscam;

using Setup = FashionSample;

TEST_CASE("layers are found by running the model; the default is the last 7×7 map") {
    Setup s;
    const auto layers = s.model.layers(s.shape);
    REQUIRE(layers.size() >= 4);
    CHECK(layers.back().op_type == "MaxPool");
    CHECK(layers.back().shape == std::vector<int64_t>{1, 64, 7, 7});
}

TEST_CASE("the explain session batches masked inputs and returns the same logits") {
    Setup s;
    const auto plain = s.model.logits(s.x);
    s.model.select_layer(s.model.layers(s.shape).back().name, s.shape);
    CHECK(s.model.max_batch() > 1);
    const auto fwd = s.model.forward_with_layer(s.x);
    CHECK(max_abs_diff(plain, fwd.logits) < 1e-5);
    CHECK(fwd.activations.shape == std::vector<int64_t>{1, 64, 7, 7});
    std::vector<float> batch(s.x.data);
    batch.insert(batch.end(), s.x.data.begin(), s.x.data.end());
    float scores[2];
    s.model.class_scores(batch.data(), 2, 9, scores);
    CHECK(scores[0] == Approx(plain[9]).margin(1e-4));
    CHECK(scores[1] == Approx(plain[9]).margin(1e-4));
}

TEST_CASE("on the real model the shortcuts change no map by more than 1e-6") {
    Setup s;
    s.model.select_layer(s.model.layers(s.shape).back().name, s.shape);
    ExplainRequest fast, full;
    fast.methods = full.methods = {Method::ScoreCAM, Method::SSCAM, Method::ISCAM};
    fast.options.sscam_samples = full.options.sscam_samples = 6;
    full.options.shortcuts = false;
    const ExplainRun a = run_explanation(s.model, s.x, fast);
    const ExplainRun b = run_explanation(s.model, s.x, full);
    CHECK(a.forward_passes < b.forward_passes);
    for (Method m : fast.methods) {
        INFO(method_name(m));
        CHECK(max_abs_diff(a.explainer->result(m).map, b.explainer->result(m).map) <= 1e-6);
    }
}

TEST_CASE("bad requests are refused with a reason") {
    Setup s;
    CHECK_THROWS_WITH(s.model.select_layer("no_such_layer", s.shape), Catch::Contains("no_such_layer"));
    s.model.select_layer(s.model.layers(s.shape).back().name, s.shape);
    ExplainRequest r;
    r.class_index = 10;
    CHECK_THROWS_WITH(run_explanation(s.model, s.x, r), Catch::Contains("out of range"));
    r.class_index = -1;
    r.batch = 0;
    CHECK_THROWS_AS(run_explanation(s.model, s.x, r), InputError);
}

TEST_CASE("a cancelled run stops early") {
    Setup s;
    s.model.select_layer(s.model.layers(s.shape).back().name, s.shape);
    std::atomic<bool> cancel{false};
    ExplainRequest r;
    r.methods = {Method::SSCAM};
    r.batch = 8;
    size_t calls = 0;
    const ExplainRun run = run_explanation(
        s.model, s.x, r, [&](const Explainer&, double) { cancel = ++calls == 3; }, &cancel);
    CHECK(run.cancelled);
    CHECK(run.explainer->passes_done() == 24);
    CHECK_FALSE(run.explainer->done());
}

TEST_CASE("a graph that fixes the batch to 1 falls back to one input a run, with a note") {
    // tests/fixtures/fixed-batch-cnn.onnx is written by scripts/make_test_models.py.
    Classifier model = Classifier::from_file(source_path("tests/fixtures/fixed-batch-cnn.onnx"), RuntimeOptions{1});
    const std::vector<int64_t> shape{1, 3, 8, 8};
    model.select_layer(model.layers(shape).back().name, shape);
    CHECK(model.max_batch() == 1);
    CHECK_THAT(model.batch_note(), Catch::Contains("batch size to 1"));
    Tensor x(shape);
    for (size_t i = 0; i < x.data.size(); ++i) x.data[i] = std::sin(0.1f * float(i));
    ExplainRequest r;
    r.batch = 16;
    const ExplainRun run = run_explanation(model, x, r);
    CHECK(run.explainer->done());
    CHECK(run.explainer->result(Method::ISCAM).map.size() == 64);
}

TEST_CASE("probing layers passes over tensors that are not float") {
    // tests/fixtures/int-tensor-cnn.onnx (scripts/make_test_models.py) has an int64 Add among its nodes.
    Classifier model = Classifier::from_file(source_path("tests/fixtures/int-tensor-cnn.onnx"), RuntimeOptions{1});
    const auto layers = model.layers({1, 3, 8, 8});
    REQUIRE(layers.size() == 2);
    CHECK(layers.back().name == "relu");
    model.select_layer("shape_twice", {1, 3, 8, 8});
    CHECK_THROWS_WITH(model.forward_with_layer(Tensor({1, 3, 8, 8})), Catch::Contains("not a float32 tensor"));
}
