#include "common.h"

#include <unistd.h>

#include <cstdio>
#include <sstream>

#include "error.h"
#include "npy.h"

namespace iscam::cli {

std::atomic<bool> g_cancel{false};

void add_model_options(CLI::App* app, ModelArgs& a, bool with_preprocess) {
    app->add_option("-m,--model", a.model, "ONNX classifier (a sidecar M.json next to M.onnx gives labels and preprocessing)")
        ->required();
    app->add_option("--labels", a.labels, "class names: a JSON array or one name a line");
    app->add_option("--threads", a.threads, "ONNX Runtime intra-op threads (0 = one per core)")->check(CLI::Range(0, 256));
    app->add_option("--device", a.device, "cpu or cuda")->check(CLI::IsMember({"cpu", "cuda"}));
    if (!with_preprocess) return;
    app->add_option("--size", a.size, "input size HxW when the model does not fix it (default 224x224)");
    app->add_option("--preset", a.preset, "preprocessing preset: imagenet, unit ([0,1]) or symmetric ([-1,1])");
    app->add_option("--mean", a.mean, "per-channel mean a,b,c (after /255)");
    app->add_option("--std", a.std_, "per-channel std a,b,c");
    app->add_flag("--gray", a.gray, "feed the luminance (one channel)");
}

namespace {

std::array<float, 3> parse_triple(const std::string& s, const char* what) {
    std::array<float, 3> v{};
    std::vector<float> parts;
    std::stringstream in(s);
    for (std::string item; std::getline(in, item, ',');) {
        try {
            size_t used = 0;
            parts.push_back(std::stof(item, &used));
            if (used != item.size()) throw std::invalid_argument(item);
        } catch (const std::exception&) {
            throw InputError(std::string("--") + what + " takes numbers like 0.5,0.5,0.5, got '" + s + "'");
        }
    }
    if (parts.size() == 1) parts = {parts[0], parts[0], parts[0]};
    if (parts.size() != 3) throw InputError(std::string("--") + what + " takes 1 or 3 numbers, got '" + s + "'");
    std::copy(parts.begin(), parts.end(), v.begin());
    return v;
}

}  // namespace

LoadedModel load_model(const ModelArgs& a) {
    RuntimeOptions rt;
    rt.threads = a.threads;
    rt.device = a.device == "cuda" ? Device::Cuda : Device::Cpu;
    Classifier c = Classifier::from_file(a.model, rt);
    ModelConfig config = load_model_config(a.model, c.input(), a.labels);
    Preprocess& p = config.preprocess;
    if (!a.preset.empty()) p = preprocess_preset(a.preset, p);
    if (!a.mean.empty()) p.mean = parse_triple(a.mean, "mean");
    if (!a.std_.empty()) p.std = parse_triple(a.std_, "std");
    if (a.gray && c.input().channels != 1)
        throw InputError("--gray asks for one channel but the model takes " + std::to_string(c.input().channels));
    if (!a.size.empty()) {
        int h = 0, w = 0;
        char x = 0, extra = 0;
        if (std::sscanf(a.size.c_str(), "%d%c%d%c", &h, &x, &w, &extra) != 3 || (x != 'x' && x != 'X'))
            throw InputError("--size takes HxW, like 224x224, got '" + a.size + "'");
        if ((c.input().height > 0 && h != c.input().height) || (c.input().width > 0 && w != c.input().width))
            throw InputError("--size " + a.size + " does not match the model's fixed input " +
                             std::to_string(c.input().height) + "x" + std::to_string(c.input().width));
        p.height = h;
        p.width = w;
    }
    validate(p);
    return {std::move(c), std::move(config)};
}

std::vector<int64_t> input_shape(const LoadedModel& m) {
    return {1, m.classifier.input().channels, m.config.preprocess.height, m.config.preprocess.width};
}

Tensor load_input(const LoadedModel& m, const std::string& image_path, const std::string& npy_path) {
    if (!npy_path.empty()) {
        Tensor t = read_npy(npy_path);
        if (t.shape != input_shape(m)) {
            std::string want, got;
            for (auto d : input_shape(m)) want += (want.empty() ? "" : "x") + std::to_string(d);
            for (auto d : t.shape) got += (got.empty() ? "" : "x") + std::to_string(d);
            throw InputError("'" + npy_path + "' has shape " + got + " but the model takes " + want);
        }
        return t;
    }
    if (image_path.empty()) throw InputError("give an --image or an --input-npy");
    return to_input_tensor(load_image(image_path), m.config.preprocess);
}

std::vector<Method> parse_methods(const std::string& s) {
    if (s == "all") return {Method::ScoreCAM, Method::SSCAM, Method::ISCAM};
    std::vector<Method> methods;
    std::stringstream in(s);
    for (std::string item; std::getline(in, item, ',');) {
        auto m = parse_method(item);
        if (!m) throw InputError("unknown method '" + item + "' (scorecam, sscam, iscam or all)");
        if (std::find(methods.begin(), methods.end(), *m) == methods.end()) methods.push_back(*m);
    }
    if (methods.empty()) throw InputError("no method given");
    return methods;
}

std::string default_layer(LoadedModel& m) {
    const auto layers = m.classifier.layers(input_shape(m));
    if (layers.empty()) throw InputError("the model has no 4-D layer with spatial size > 1 to explain");
    return layers.back().name;
}

std::string data_dir() {
    if (const char* d = std::getenv("ISCAM_DATA_DIR")) return d;
    return ISCAM_DEFAULT_DATA_DIR;
}

namespace {
bool g_bar_shown = false;
}

void progress_bar(const Explainer& ex, double elapsed_s, bool force) {
    static double last = -1;
    if (!force && (!isatty(STDERR_FILENO) || elapsed_s < 0.5)) return;
    if (!ex.done() && elapsed_s - last < 0.1) return;
    last = elapsed_s;
    g_bar_shown = true;
    const double p = ex.progress();
    const int width = 30, filled = int(p * width);
    const double eta = p > 0 ? elapsed_s * (1 - p) / p : 0;
    std::fprintf(stderr, "\r[%.*s%*s] %3d%%  %zu/%zu passes  %.1fs elapsed  ETA %.1fs ", filled,
                 "##############################", width - filled, "", int(p * 100), ex.passes_done(), ex.total_passes(),
                 elapsed_s, eta);
    std::fflush(stderr);
}

void progress_done() {
    if (g_bar_shown) std::fprintf(stderr, "\n");
    g_bar_shown = false;
}

}  // namespace iscam::cli
