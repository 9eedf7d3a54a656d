// embind bindings of the core for the page: the worker reads and patches models, preprocesses
// images and drives the Explainer; the main thread colours maps and blends overlays.
// Every entry point turns a C++ exception into a JS Error carrying its message (name
// "InputError" for the user's bad input), so the page can show it and carry on.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <memory>
#include <string>
#include <vector>

#include "colormap.h"
#include "error.h"
#include "explainer.h"
#include "image.h"
#include "onnx_graph.h"
#include "result_json.h"

using emscripten::val;

namespace iscam {
namespace {

[[noreturn]] void throw_js_error(const char* name, const std::string& message) {
    val error = val::global("Error").new_(message);
    error.set("name", std::string(name));
    error.throw_();
}

// Runs f; a C++ exception becomes a JS Error thrown once the C++ catch has ended (so the
// exception object is freed). The JS throw unwinds the wasm frames without their epilogues,
// which costs 16 bytes of the 5 MiB stack per error: harmless at the rate people err.
template <class F>
auto guarded(F&& f) -> decltype(f()) {
    const char* name = "Error";
    std::string message;
    try {
        return f();
    } catch (const InputError& e) {
        name = "InputError";
        message = e.what();
    } catch (const std::exception& e) {
        message = e.what();
    }
    throw_js_error(name, message);
}

// Copies a JS typed array (or array of numbers) into C++ memory with one TypedArray.set.
template <class T>
std::vector<T> to_vector(const val& array) {
    std::vector<T> out(array["length"].as<size_t>());
    val(emscripten::typed_memory_view(out.size(), out.data())).call<void>("set", array);
    return out;
}

std::string to_bytes(const val& array) {
    std::string out(array["length"].as<size_t>(), '\0');
    val(emscripten::typed_memory_view(out.size(), reinterpret_cast<uint8_t*>(out.data()))).call<void>("set", array);
    return out;
}

// A JS-owned copy of C++ memory (`kind` is the typed array constructor's name).
template <class T>
val to_typed_array(const char* kind, const T* data, size_t n) {
    return val::global(kind).new_(emscripten::typed_memory_view(n, data));
}

val to_js(const Image& image) {
    val out = val::object();
    out.set("width", image.width);
    out.set("height", image.height);
    out.set("rgb", to_typed_array("Uint8Array", image.rgb.data(), image.rgb.size()));
    return out;
}

Image image_from_js(const val& image) {
    Image out;
    out.width = image["width"].as<int>();
    out.height = image["height"].as<int>();
    out.rgb = to_vector<uint8_t>(image["rgb"]);
    if (out.width < 1 || out.height < 1 || out.rgb.size() != size_t(out.width) * out.height * 3)
        throw InputError("the image's size does not match its pixels");
    return out;
}

val strings_to_js(const std::vector<std::string>& v) {
    val out = val::array();
    for (const auto& s : v) out.call<void>("push", s);
    return out;
}

std::vector<std::string> strings_from_js(const val& array) {
    std::vector<std::string> out;
    const size_t n = array["length"].as<size_t>();
    for (size_t i = 0; i < n; ++i) out.push_back(array[i].as<std::string>());
    return out;
}

Colormap colormap_from(const std::string& name) {
    auto c = parse_colormap(name);
    if (!c) throw InputError("unknown colour map '" + name + "'");
    return *c;
}

Method method_from(const std::string& name) {
    auto m = parse_method(name);
    if (!m) throw InputError("unknown method '" + name + "' (known: scorecam, sscam, iscam)");
    return *m;
}

// The model bytes and their graph, read once; patched copies are made from them.
class OnnxModel {
public:
    explicit OnnxModel(const val& bytes)
        : bytes_(to_bytes(bytes)), graph_(guarded([&] { return read_onnx(bytes_); })) {}

    // {name, batch, channels, height, width}; -1 for a symbolic dimension.
    val imageInput() const {
        return guarded([&] {
            const InputInfo in = image_input(graph_);
            val out = val::object();
            out.set("name", in.name);
            out.set("batch", double(in.batch));
            out.set("channels", double(in.channels));
            out.set("height", double(in.height));
            out.set("width", double(in.width));
            return out;
        });
    }

    val outputNames() const {
        std::vector<std::string> names;
        for (const auto& o : graph_.outputs) names.push_back(o.name);
        return strings_to_js(names);
    }

    // [{name, op}] in graph order: the tensors worth probing as target layers.
    val probeLayers() const {
        val out = val::array();
        const std::vector<std::string> names = layer_probe_names(graph_);
        for (const auto& name : names) {
            val layer = val::object();
            layer.set("name", name);
            for (const auto& node : graph_.nodes)
                if (!node.outputs.empty() && node.outputs[0] == name) layer.set("op", node.op_type);
            out.call<void>("push", layer);
        }
        return out;
    }

    val patch(const val& extra_outputs, bool symbolic_batch) const {
        return guarded([&] {
            const std::string patched = patch_onnx(bytes_, graph_, {strings_from_js(extra_outputs), symbolic_batch});
            return to_typed_array("Uint8Array", reinterpret_cast<const uint8_t*>(patched.data()), patched.size());
        });
    }

private:
    std::string bytes_;
    GraphInfo graph_;
};

val decode(const val& bytes) {
    return guarded([&] {
        const std::string b = to_bytes(bytes);
        return to_js(decode_image(reinterpret_cast<const uint8_t*>(b.data()), b.size()));
    });
}

Preprocess preprocess_from_js(const val& p) {
    Preprocess out;
    out.height = p["height"].as<int>();
    out.width = p["width"].as<int>();
    out.gray = p["gray"].as<bool>();
    const std::vector<float> mean = to_vector<float>(p["mean"]), std = to_vector<float>(p["std"]);
    if (mean.size() != 3 || std.size() != 3) throw InputError("mean and std need three values each");
    std::copy(mean.begin(), mean.end(), out.mean.begin());
    std::copy(std.begin(), std.end(), out.std.begin());
    return out;
}

// {shape: [1, C, H, W], data: Float32Array}: the CLI's preprocessing, byte for byte.
val input_tensor(const val& image, const val& preprocess) {
    return guarded([&] {
        const Tensor t = to_input_tensor(image_from_js(image), preprocess_from_js(preprocess));
        val out = val::object();
        val shape = val::array();
        for (int64_t d : t.shape) shape.call<void>("push", double(d));
        out.set("shape", shape);
        out.set("data", to_typed_array("Float32Array", t.data.data(), t.data.size()));
        return out;
    });
}

// {mean, std} of a named preset (imagenet, unit, symmetric).
val preset(const std::string& name) {
    return guarded([&] {
        const Preprocess p = preprocess_preset(name, Preprocess{});
        val out = val::object();
        out.set("mean", val::global("Array").call<val>("from", to_typed_array("Float32Array", p.mean.data(), 3)));
        out.set("std", val::global("Array").call<val>("from", to_typed_array("Float32Array", p.std.data(), 3)));
        return out;
    });
}

val resize(const val& image, int width, int height) {
    return guarded([&] {
        if (width < 1 || height < 1) throw InputError("cannot resize an image to no pixels");
        return to_js(resize_image(image_from_js(image), width, height));
    });
}

bool candidate_shape(const val& shape) {
    const std::vector<double> d = to_vector<double>(shape);
    return is_candidate_shape(std::vector<int64_t>(d.begin(), d.end()));
}

// The map upsampled to the image, coloured and blended with weight alpha: the CLI's overlay.
val overlay(const val& map, int h, int w, const val& image, const std::string& colormap, float alpha) {
    return guarded([&] {
        const std::vector<float> m = to_vector<float>(map);
        if (h < 1 || w < 1 || m.size() != size_t(h) * w) throw InputError("the map's size does not match h×w");
        const Image base = image_from_js(image);
        return to_js(blend(base, colorize(m, h, w, base.width, base.height, colormap_from(colormap)), alpha));
    });
}

// RGBA for ImageData.
val image_rgba(const val& image) {
    return guarded([&] {
        const Image im = image_from_js(image);
        std::vector<uint8_t> rgba(size_t(im.width) * im.height * 4, 255);
        for (size_t i = 0, n = size_t(im.width) * im.height; i < n; ++i)
            for (int c = 0; c < 3; ++c) rgba[4 * i + c] = im.rgb[3 * i + c];
        return to_typed_array("Uint8ClampedArray", rgba.data(), rgba.size());
    });
}

// n×1 RGBA samples of a colour map from 0 to 1, for a legend.
val colormap_strip(const std::string& colormap, int n) {
    return guarded([&] {
        const Colormap c = colormap_from(colormap);
        std::vector<uint8_t> rgba(size_t(n) * 4, 255);
        for (int i = 0; i < n; ++i) colormap_rgb(c, n > 1 ? float(i) / float(n - 1) : 0.0f, &rgba[4 * size_t(i)]);
        return to_typed_array("Uint8ClampedArray", rgba.data(), rgba.size());
    });
}

val colormap_names() {
    std::vector<std::string> names;
    for (Colormap c : {Colormap::Jet, Colormap::Turbo, Colormap::Viridis, Colormap::Inferno, Colormap::Gray})
        names.push_back(colormap_name(c));
    return strings_to_js(names);
}

// PNG bytes of images laid side by side (one image: just that image).
val png_side_by_side(const val& images) {
    return guarded([&] {
        std::vector<Image> list;
        const size_t n = images["length"].as<size_t>();
        for (size_t i = 0; i < n; ++i) list.push_back(image_from_js(images[i]));
        const std::vector<uint8_t> png = encode_png(list.size() == 1 ? list[0] : side_by_side(list));
        return to_typed_array("Uint8Array", png.data(), png.size());
    });
}

// The ask/tell engine with its batch buffer in the WASM heap: nextBatch() returns a Float32Array
// view of that buffer, which the worker hands to ONNX Runtime Web without a copy of its own.
class JsExplainer {
public:
    JsExplainer(const val& methods, const val& options, const val& shapes, const val& activations, const val& input,
                float baseline, int capacity) {
        guarded([&] {
            std::vector<Method> ms;
            for (const std::string& name : strings_from_js(methods)) ms.push_back(method_from(name));
            ExplainOptions o;
            o.sscam_samples = options["sscamSamples"].as<int>();
            o.sscam_sigma = options["sscamSigma"].as<float>();
            o.seed = uint64_t(options["seed"].as<double>());
            o.iscam_samples = options["iscamSamples"].as<int>();
            const Shapes s{shapes["K"].as<int>(), shapes["h"].as<int>(), shapes["w"].as<int>(),
                           shapes["C"].as<int>(), shapes["H"].as<int>(), shapes["W"].as<int>()};
            const std::vector<float> a = to_vector<float>(activations), x = to_vector<float>(input);
            if (a.size() != size_t(s.K) * s.map_size()) throw InputError("the activations do not have K·h·w values");
            if (x.size() != s.input_size()) throw InputError("the input does not have C·H·W values");
            if (capacity < 1) throw InputError("the batch size must be at least 1");
            ex_ = std::make_unique<Explainer>(std::move(ms), o, s, a.data(), x.data(), baseline);
            batch_.resize(size_t(capacity) * s.input_size());
            capacity_ = size_t(capacity);
            return 0;
        });
    }

    // The next masked inputs, n·C·H·W floats (n = 0 once every pass is issued). The view is valid
    // until the next call into this module.
    val nextBatch() {
        return guarded([&] {
            const size_t n = ex_->next_batch(batch_.data(), capacity_);
            return val(emscripten::typed_memory_view(n * ex_->shapes().input_size(), batch_.data()));
        });
    }

    void tell(const val& scores) {
        guarded([&] {
            const std::vector<float> s = to_vector<float>(scores);
            ex_->tell(s.data(), s.size());
            return 0;
        });
    }

    bool done() const { return ex_->done(); }
    double progress() const { return ex_->progress(); }
    double totalPasses() const { return double(ex_->total_passes()); }
    double passesDone() const { return double(ex_->passes_done()); }
    double channelsSkipped() const { return double(ex_->channels_skipped()); }

    // {method, height, width, channelsScored, map: Float32Array (h·w) or null before any score}
    val partial(const std::string& method) const {
        return guarded([&] {
            const CamResult r = ex_->partial(method_from(method));
            val out = val::object();
            out.set("method", method);
            out.set("height", r.height);
            out.set("width", r.width);
            out.set("channelsScored", double(r.channels_scored));
            out.set("map", r.map.empty() ? val::null() : to_typed_array("Float32Array", r.map.data(), r.map.size()));
            return out;
        });
    }

    // The CLI's --json document (core run_json), as text.
    std::string resultJson(const val& context) const {
        return guarded([&] {
            ResultContext ctx;
            ctx.model = context["model"].as<std::string>();
            ctx.layer = context["layer"].as<std::string>();
            ctx.class_label = context["classLabel"].as<std::string>();
            ctx.class_index = context["classIndex"].as<int>();
            ctx.total_forward_passes = size_t(context["totalForwardPasses"].as<double>());
            nlohmann::json j = run_json(*ex_, ctx);
            set_timings(j, context["inferenceMs"].as<double>(), context["otherMs"].as<double>());
            return j.dump(2);
        });
    }

private:
    std::unique_ptr<Explainer> ex_;
    std::vector<float> batch_;
    size_t capacity_ = 0;
};

}  // namespace
}  // namespace iscam

EMSCRIPTEN_BINDINGS(iscam_core) {
    using namespace emscripten;
    using namespace iscam;
    class_<OnnxModel>("OnnxModel")
        .constructor<const val&>()
        .function("imageInput", &OnnxModel::imageInput)
        .function("outputNames", &OnnxModel::outputNames)
        .function("probeLayers", &OnnxModel::probeLayers)
        .function("patch", &OnnxModel::patch);
    class_<JsExplainer>("Explainer")
        .constructor<const val&, const val&, const val&, const val&, const val&, float, int>()
        .function("nextBatch", &JsExplainer::nextBatch)
        .function("tell", &JsExplainer::tell)
        .function("done", &JsExplainer::done)
        .function("progress", &JsExplainer::progress)
        .function("totalPasses", &JsExplainer::totalPasses)
        .function("passesDone", &JsExplainer::passesDone)
        .function("channelsSkipped", &JsExplainer::channelsSkipped)
        .function("partial", &JsExplainer::partial)
        .function("resultJson", &JsExplainer::resultJson);
    function("decodeImage", &decode);
    function("inputTensor", &input_tensor);
    function("preprocessPreset", &preset);
    function("resizeImage", &resize);
    function("isCandidateShape", &candidate_shape);
    function("overlayImage", &overlay);
    function("imageRgba", &image_rgba);
    function("colormapStrip", &colormap_strip);
    function("colormapNames", &colormap_names);
    function("pngSideBySide", &png_side_by_side);
}
