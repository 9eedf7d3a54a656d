#include "common.h"

#include <unistd.h>

#include <cstdio>
#include <sstream>

#include "data_dir.h"
#include "error.h"
#include "run_limits.h"

namespace iscam::cli {

std::atomic<bool> g_cancel{false};

void add_model_options(CLI::App* app, ModelArgs& a, bool with_preprocess) {
    app->add_option("-m,--model", a.model, "ONNX classifier (a sidecar M.json next to M.onnx gives labels and preprocessing)")
        ->required();
    app->add_option("--labels", a.labels, "class names: a JSON array or one name a line");
    app->add_option("--threads", a.threads, "ONNX Runtime intra-op threads (0 = one per core)")->check(CLI::Range(0, 256));
    app->add_option("--device", a.device, "cpu or cuda")->check(CLI::IsMember({"cpu", "cuda"}));
    app->add_option("--output", a.output, "the model output holding the class scores (default: by rule, see `iscam layers`)");
    app->add_option("--layout", a.layout, "the input's layout, nchw or nhwc (default: from its shape)")
        ->check(CLI::IsMember({"nchw", "nhwc"}));
    app->add_flag("--float-form", a.float_form,
                  "run an int8 model's quantized operators as float32 ones, its weights dequantized (as the page may)");
    if (!with_preprocess) return;
    app->add_option("--size", a.size, "input size HxW when the model does not fix it (default 224x224)");
    app->add_option("--preset", a.preset, "preprocessing preset: imagenet, unit ([0,1]), symmetric ([-1,1]) or pixels (0..255; the default for uint8 inputs)");
    app->add_option("--mean", a.mean, "per-channel mean a,b,c (after /255)");
    app->add_option("--std", a.std_, "per-channel std a,b,c");
    app->add_flag("--gray", a.gray, "feed the luminance (one channel)");
    app->add_option("--resize", a.resize,
                    "stretch (to HxW), shorter (keep the aspect ratio, shorter side to the input size) or the "
                    "shorter side in pixels, e.g. 256; the last two cut the centre HxW out (torchvision Resize + CenterCrop)");
    app->add_option("--crop", a.crop, "center: keep the aspect ratio and cut the centre out (as --resize shorter); none")
        ->check(CLI::IsMember({"center", "none"}));
    app->add_flag("--bgr", a.bgr, "feed the channels in B, G, R order (--mean and --std in that order too)");
    app->add_option("--max-megapixels", a.max_megapixels, "refuse larger images, before decoding them")
        ->capture_default_str()->check(CLI::Range(0.001, 1e6));
}

void add_layer_reading_options(CLI::App* app, ModelArgs& a) {
    app->add_option("--tokens", a.tokens, "token layers: the leading tokens left out of the map (CLS: 1, CLS + distillation: 2; default: by rule)")
        ->check(CLI::Range(0, kMaxExtraTokens));
    app->add_option("--grid", a.grid, "token layers: the patch grid HxW (default: the input's aspect ratio)");
    app->add_option("--layer-layout", a.layer_layout, "4-D layers: nchw or nhwc (default: from the graph, then the shape)")
        ->check(CLI::IsMember({"nchw", "nhwc"}));
}

namespace {

std::pair<int, int> parse_hxw(const std::string& s, const char* option, const char* example) {
    int h = 0, w = 0;
    char x = 0, extra = 0;
    if (std::sscanf(s.c_str(), "%d%c%d%c", &h, &x, &w, &extra) != 3 || (x != 'x' && x != 'X'))
        throw InputError(std::string(option) + " takes HxW, like " + example + ", got '" + s + "'");
    return {h, w};
}

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
    ModelOptions o;
    o.runtime.threads = a.threads;
    o.runtime.device = a.device == "cuda" ? Device::Cuda : Device::Cpu;
    o.labels_path = a.labels;
    o.preset = a.preset;
    if (!a.mean.empty()) o.mean = parse_triple(a.mean, "mean");
    if (!a.std_.empty()) o.std = parse_triple(a.std_, "std");
    o.gray = a.gray;
    o.resize = a.resize;
    o.crop = a.crop;
    o.bgr = a.bgr;
    o.float_form = a.float_form;
    o.choices.output = a.output;
    if (!a.layout.empty()) o.choices.layout = parse_layout(a.layout);
    if (!a.size.empty()) o.size = parse_hxw(a.size, "--size", "224x224");
    if (a.tokens >= 0) o.choices.layer.extra_tokens = a.tokens;
    if (!a.grid.empty()) {
        const auto [h, w] = parse_hxw(a.grid, "--grid", "14x14");
        if (h < 1 || w < 1 || h > kMaxGridSide || w > kMaxGridSide)
            throw InputError("--grid takes sides from 1 to " + std::to_string(kMaxGridSide) + ", got '" + a.grid + "'");
        o.choices.layer.grid = std::pair<int64_t, int64_t>{h, w};
    }
    if (!a.layer_layout.empty()) o.choices.layer.layout = parse_layout(a.layer_layout);
    return iscam::load_model(a.model, o);
}

ImageLimits image_limits(const ModelArgs& a) {
    ImageLimits limits;
    limits.max_pixels = uint64_t(a.max_megapixels * 1e6);
    return limits;
}

Tensor load_input(const LoadedModel& m, const std::string& image_path, const std::string& npy_path,
                  const ImageLimits& limits) {
    if (!npy_path.empty()) return m.input_from_npy(npy_path);
    if (image_path.empty()) throw InputError("give an --image or an --input-npy");
    return m.input_from_image(load_image(image_path, limits));
}

void print_model_notes(const LoadedModel& m) {
    for (const std::string* note : {&m.classifier.input().note, &m.classifier.plan().score.note})
        if (!note->empty()) std::fprintf(stderr, "iscam: note: %s\n", note->c_str());
}

std::vector<Method> parse_methods(const std::string& s) {
    if (s == "all") return all_methods();
    std::vector<Method> methods;
    std::stringstream in(s);
    for (std::string item; std::getline(in, item, ',');) {
        auto m = parse_method(item);
        if (!m) throw InputError("unknown method '" + item + "' (" + method_names() + " or all)");
        if (std::find(methods.begin(), methods.end(), *m) == methods.end()) methods.push_back(*m);
    }
    if (methods.empty()) throw InputError("no method given");
    return methods;
}

std::string data_dir() { return bundled_data_dir(); }

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
