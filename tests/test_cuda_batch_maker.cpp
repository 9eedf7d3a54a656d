// The CUDA path against the CPU reference: the batch kernel against Explainer::write_inputs, the
// map kernel against cam_math, and whole explanations on a model (ISCAM_TEST_MODEL, default the
// bundled Fashion-MNIST CNN). Without a CUDA device: "SKIPPED: no CUDA device", exit code 77.
#define CATCH_CONFIG_EXTERNAL_INTERFACES
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "cam_math.h"
#include "classifier.h"
#include "cuda/batch_kernels.h"
#include "cuda/device.h"
#include "cuda/map_kernels.h"
#include "explain_run.h"
#include "noise.h"
#include "test_support.h"

using namespace iscam;

namespace {

struct RequireCudaDevice : Catch::TestEventListenerBase {
    using TestEventListenerBase::TestEventListenerBase;
    void testRunStarting(const Catch::TestRunInfo&) override {
        // GPU and CPU agree to 1e-4 only with TF32 off (docs/design.md, "The GPU path"); the CUDA libraries read this once.
        setenv("NVIDIA_TF32_OVERRIDE", "0", 0);
        if (gpu::device_available()) return;
        std::printf("SKIPPED: no CUDA device\n");
        std::fflush(stdout);
        std::exit(77);
    }
};

std::vector<float> field(uint32_t channel, size_t n, float sigma = 1.0f) {
    std::vector<float> v(n);
    noise_field(99, channel, 0, sigma, v.data(), n);
    return v;
}

template <typename T>
std::vector<T> download(const T* device, size_t n) {
    std::vector<T> v(n);
    gpu::check(cudaMemcpy(v.data(), device, n * sizeof(T), cudaMemcpyDeviceToHost), "cudaMemcpy");
    return v;
}

}  // namespace

CATCH_REGISTER_LISTENER(RequireCudaDevice)

TEST_CASE("the batch kernel writes what Explainer::write_inputs writes, for every pass kind") {
    // Odd H·W (one pixel pair cut short) and even H·W (float2 path); upsampling both ways.
    for (const auto& dims : {std::vector<int>{3, 33, 41}, std::vector<int>{2, 32, 40}}) {
        const Shapes s{6, 5, 7, dims[0], dims[1], dims[2]};
        INFO("input " << s.C << "x" << s.H << "x" << s.W);
        const size_t hw = s.map_size(), CHW = s.input_size();
        std::vector<float> a = field(0, size_t(s.K) * hw);
        std::fill_n(a.begin(), hw, 0.0f);         // channel 0: all zero, skipped
        std::fill_n(a.begin() + hw, hw, 0.75f);  // channel 1: constant, the shared Zero pass
        const std::vector<float> x = field(1, CHW);
        ExplainOptions o;
        o.sscam_samples = 3;
        o.iscam_samples = 3;
        o.seed = 7;
        Explainer ex({Method::ScoreCAM, Method::SSCAM, Method::ISCAM}, o, s, a.data(), x.data(), 1.0f);

        gpu::Stream stream;
        gpu::BatchMaker maker(s, o, a.data(), x.data(), ex.total_passes(), stream.get());
        stream.synchronize();
        CHECK(max_abs_diff(download(maker.normalised(), a.size()), ex.normalised_activations()) <= 1e-6);

        size_t n = 0;
        const Pass* passes = ex.take_passes(ex.total_passes(), &n);
        std::vector<float> cpu(n * CHW);
        ex.write_inputs(passes, n, cpu.data());
        gpu::DeviceBuffer<float> batch(n * CHW);
        maker.write(passes, n, batch.get());
        stream.synchronize();
        const std::vector<float> dev = download(batch.get(), batch.size());

        double worst[3] = {-1, -1, -1};  // per PassKind; -1: kind absent
        for (size_t i = 0; i < n; ++i) {
            double& w = worst[int(passes[i].kind)];
            const auto item = [&](const std::vector<float>& v) {
                return std::vector<float>(v.begin() + i * CHW, v.begin() + (i + 1) * CHW);
            };
            w = std::max(w, max_abs_diff(item(cpu), item(dev)));
        }
        const char* names[] = {"scaled", "noised", "zero"};
        for (int k = 0; k < 3; ++k) {
            INFO(names[k] << " passes: max |GPU - CPU| " << worst[k]);
            CHECK(worst[k] >= 0);
            CHECK(worst[k] <= 1e-5);
        }
    }
}

TEST_CASE("the map kernel computes cam_math's weighted map") {
    const int K = 40;
    const size_t hw = 9 * 11;
    const std::vector<float> a = field(2, K * hw, 2.0f);
    std::vector<int> channels;
    std::vector<double> scores;
    for (int k = 0; k < K; ++k)
        if (k % 7 != 3) {
            channels.push_back(k);
            scores.push_back(std::sin(0.37 * k));
        }
    const std::vector<float> weights = softmax(scores);
    gpu::DeviceBuffer<float> dev(a.size());
    gpu::check(cudaMemcpy(dev.get(), a.data(), a.size() * sizeof(float), cudaMemcpyHostToDevice), "cudaMemcpy");
    gpu::Stream stream;
    const std::vector<float> map = gpu::weighted_map(dev.get(), hw, channels, weights, stream.get());
    CHECK(max_abs_diff(map, weighted_map(a.data(), hw, channels, weights)) <= 1e-6);
}

TEST_CASE("explanations on the GPU path agree with the CPU path") {
    const char* env = std::getenv("ISCAM_TEST_MODEL");
    const std::string path = env ? env : source_path("web/models/fashion-cnn.onnx");
    INFO("model " << path);
    REQUIRE(std::ifstream(path).good());
    RuntimeOptions on_cpu, on_gpu;
    on_gpu.device = Device::Cuda;
    Classifier cpu = Classifier::from_file(path, on_cpu), gpu = Classifier::from_file(path, on_gpu);
    const InputInfo& in = cpu.input();
    const std::vector<int64_t> shape{1, in.channels, in.height > 0 ? in.height : 224, in.width > 0 ? in.width : 224};
    Tensor x(shape);
    x.data = field(3, x.data.size(), 0.5f);
    const std::string layer = cpu.layers(shape).back().name;
    cpu.select_layer(layer, shape);
    gpu.select_layer(layer, shape);

    ExplainRequest req;
    req.methods = {Method::ScoreCAM, Method::SSCAM, Method::ISCAM};
    req.options.sscam_samples = 4;
    req.batch = 16;
    const ExplainRun c = run_explanation(cpu, x, req), g = run_explanation(gpu, x, req), again = run_explanation(gpu, x, req);
    REQUIRE(g.class_index == c.class_index);
    CHECK(g.forward_passes == c.forward_passes);
    // SS-CAM draws the same noise stream on both.
    for (Method m : {Method::ScoreCAM, Method::SSCAM, Method::ISCAM}) {
        const double d = max_abs_diff(g.explainer->result(m).map, c.explainer->result(m).map);
        INFO(method_title(m) << " on " << path << ": max |GPU - CPU| " << d);
        CHECK(d <= 1e-4);
    }
    CHECK(g.explainer->result(Method::SSCAM).map == again.explainer->result(Method::SSCAM).map);
}

TEST_CASE("contrastive maps on the GPU path agree with the CPU path") {
    const std::string path = source_path("web/models/fashion-cnn.onnx");
    RuntimeOptions on_cpu, on_gpu;
    on_gpu.device = Device::Cuda;
    Classifier cpu = Classifier::from_file(path, on_cpu), gpu = Classifier::from_file(path, on_gpu);
    const std::vector<int64_t> shape{1, 1, 28, 28};
    Tensor x(shape);
    x.data = field(5, x.data.size(), 0.5f);
    const std::string layer = cpu.layers(shape).back().name;
    cpu.select_layer(layer, shape);
    gpu.select_layer(layer, shape);
    ExplainRequest req;
    req.methods = {Method::ScoreCAM, Method::ISCAM};
    req.class_index = 9;
    req.contrast_class = 7;
    req.batch = 16;
    const ExplainRun c = run_explanation(cpu, x, req), g = run_explanation(gpu, x, req);
    CHECK(g.baseline == Approx(c.baseline).margin(1e-4));
    for (Method m : req.methods) {
        const double d = max_abs_diff(g.explainer->result(m).map, c.explainer->result(m).map);
        INFO(method_title(m) << ": max |GPU - CPU| " << d);
        CHECK(d <= 1e-4);
    }
}
