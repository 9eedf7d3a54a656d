// iscam._iscam, the compiled part of the Python package iscam (python/iscam/), pybind11 over the
// C++ API (iscam/iscam.hpp). Images reach it as a path, the bytes of an image file, an H×W×3 uint8
// RGB array or a float32 array already preprocessed to the model's input shape.
#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <iscam/iscam.hpp>
#include <map>
#include <optional>

namespace py = pybind11;

namespace {

// A bad argument value: iscam.ArgumentError (a ValueError).
struct ArgumentError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

// v cast to T, or a TypeError that names the argument and what it takes (not pybind's "Unable to
// cast Python instance to C++ type").
[[noreturn]] void wrong_type(py::handle v, const std::string& name, const char* takes) {
    throw py::type_error(name + " must be " + takes + ", not " + std::string(py::str(py::type::of(v).attr("__name__"))));
}

template <class T>
T arg(py::handle v, const std::string& name, const char* takes) {
    try {
        return v.cast<T>();
    } catch (const py::cast_error&) {
        wrong_type(v, name, takes);
    }
}

std::optional<int> size_arg(const py::object& v, const char* name) {
    if (v.is_none()) return std::nullopt;
    if (py::isinstance<py::bool_>(v) || !py::isinstance<py::int_>(v)) wrong_type(v, name, "a positive int or None");
    const int n = arg<int>(v, name, "a positive int or None");
    if (n <= 0) throw ArgumentError(std::string(name) + " must be positive, not " + std::to_string(n));
    return n;
}

// The methods by name, as the C API names its ISCAM_METHOD_* bits (the core's method table).
const std::vector<std::pair<std::string, unsigned>>& methods() {
    static const auto table = [] {
        std::vector<std::pair<std::string, unsigned>> out;
        for (unsigned bit = 1; bit & ISCAM_METHOD_ALL; bit <<= 1) out.emplace_back(iscam::method_name(bit), bit);
        return out;
    }();
    return table;
}

std::string method_list() {
    std::string out;
    for (const auto& [name, bit] : methods()) out += (out.empty() ? "" : ", ") + name;
    return out;
}
const std::map<std::string, iscam_colormap> kColormaps = {{"jet", ISCAM_COLORMAP_JET},
                                                          {"turbo", ISCAM_COLORMAP_TURBO},
                                                          {"viridis", ISCAM_COLORMAP_VIRIDIS},
                                                          {"inferno", ISCAM_COLORMAP_INFERNO},
                                                          {"gray", ISCAM_COLORMAP_GRAY}};

// "iscam", "all", "scorecam,iscam" or a list of names → method bits, and whether one was asked.
unsigned method_bits(const py::object& method, bool* single) {
    const char* takes = "a method name ('scorecam', 'sscam', 'iscam', 'all', 'scorecam,iscam') or a list of names";
    std::vector<std::string> names;
    if (py::isinstance<py::str>(method)) {
        const std::string s = method.cast<std::string>();
        if (s == "all") {
            for (const auto& [name, bit] : methods()) names.push_back(name);
        } else {
            size_t start = 0;
            for (size_t comma; (comma = s.find(',', start)) != std::string::npos; start = comma + 1)
                names.push_back(s.substr(start, comma - start));
            names.push_back(s.substr(start));
        }
    } else {
        names = arg<std::vector<std::string>>(method, "method", takes);
    }
    unsigned bits = 0;
    for (const auto& n : names) {
        const auto it = std::find_if(methods().begin(), methods().end(), [&](const auto& m) { return m.first == n; });
        if (it == methods().end()) throw ArgumentError("unknown method '" + n + "' (" + method_list() + " or all)");
        bits |= it->second;
    }
    if (bits == 0) throw ArgumentError("no method given");
    *single = names.size() == 1;
    return bits;
}

iscam::OverlayParams overlay_params(const py::object& colormap_arg, const py::object& alpha_arg) {
    const auto colormap = arg<std::string>(colormap_arg, "colormap", "a colormap name");
    if (py::isinstance<py::bool_>(alpha_arg)) wrong_type(alpha_arg, "alpha", "a number in [0, 1]");
    const float alpha = arg<float>(alpha_arg, "alpha", "a number in [0, 1]");
    if (!(alpha >= 0 && alpha <= 1)) throw ArgumentError("alpha must be in [0, 1], not " + std::to_string(alpha));
    const auto it = kColormaps.find(colormap);
    if (it == kColormaps.end())
        throw ArgumentError("unknown colormap '" + colormap + "' (jet, turbo, viridis, inferno or gray)");
    iscam::OverlayParams p = iscam::default_overlay_params();
    p.colormap = it->second;
    p.alpha = alpha;
    return p;
}

py::array_t<float> float_array(std::vector<float> v, std::vector<py::ssize_t> shape) {
    py::array_t<float> a(shape);
    std::copy(v.begin(), v.end(), a.mutable_data());
    return a;
}

py::array_t<uint8_t> rgb_array(const std::vector<uint8_t>& v, int width, int height) {
    py::array_t<uint8_t> a({py::ssize_t(height), py::ssize_t(width), py::ssize_t(3)});
    std::copy(v.begin(), v.end(), a.mutable_data());
    return a;
}

// One method's part of a run.
struct MethodResult {
    iscam::Result result;
    unsigned method;

    py::array_t<float> map() const {
        return float_array(result.map(method), {result.map_height(), result.map_width()});
    }
    py::array_t<float> weights() const {
        return float_array(result.weights(method), {py::ssize_t(result.n_channels())});
    }
    py::array_t<float> scores() const {
        return float_array(result.scores(method), {py::ssize_t(result.n_channels())});
    }
    py::dict timings() const {
        const iscam::Timings t = result.timings();
        py::dict d;
        d["inference_ms"] = t.inference_ms;
        d["other_ms"] = t.other_ms;
        d["total_ms"] = t.total_ms;
        return d;
    }
    std::pair<int, int> size_or_image(const py::object& width, const py::object& height) const {
        const auto w = size_arg(width, "width"), h = size_arg(height, "height");
        if ((!w || !h) && result.image_width() == 0)
            throw ArgumentError("width and height are needed for a result explained from a tensor");
        return {w.value_or(result.image_width()), h.value_or(result.image_height())};
    }
};

// An image argument, held in the form the C++ API takes. iscam/__init__.py has turned PIL images,
// torch tensors and C×H×W arrays into these and checked a tensor's shape.
struct ImageArg {
    std::string path;
    std::string encoded;
    std::vector<uint8_t> rgb;
    int width = 0, height = 0;
    std::vector<float> tensor;
    enum { Path, Encoded, Rgb, Tensor } kind = Path;
};

ImageArg image_arg(const py::object& image) {
    ImageArg a;
    if (py::isinstance<py::bytes>(image)) {
        a.kind = ImageArg::Encoded;
        a.encoded = image.cast<std::string>();
        return a;
    }
    if (py::isinstance<py::str>(image) || py::hasattr(image, "__fspath__")) {
        a.path = py::module_::import("os").attr("fspath")(image).cast<std::string>();
        return a;
    }
    const char* kinds = "image must be a path, the bytes of an image file, an H×W×3 uint8 RGB array or a float input tensor";
    if (!py::isinstance<py::array>(image)) throw py::type_error(kinds);
    const py::array arr = image.cast<py::array>();
    if (arr.dtype().is(py::dtype::of<uint8_t>())) {
        if (arr.ndim() != 3 || arr.shape(2) != 3)
            throw ArgumentError("a uint8 image must be an H×W×3 RGB array");
        const auto rgb = py::array_t<uint8_t, py::array::c_style | py::array::forcecast>::ensure(arr);
        a.kind = ImageArg::Rgb;
        a.height = int(arr.shape(0));
        a.width = int(arr.shape(1));
        a.rgb.assign(rgb.data(), rgb.data() + rgb.size());
        return a;
    }
    if (arr.dtype().kind() != 'f') throw py::type_error(kinds);
    const auto t = py::array_t<float, py::array::c_style | py::array::forcecast>::ensure(arr);
    a.kind = ImageArg::Tensor;
    a.tensor.assign(t.data(), t.data() + t.size());
    return a;
}

// Model(path, **options): the context parameters by name, as Python values. The strings are held
// here while the context is made.
struct ModelOptions {
    iscam::ContextParams params = iscam::default_context_params();
    std::string sidecar, labels, preset, resize, crop, output;

    explicit ModelOptions(const py::kwargs& kw) {
        for (const auto& item : kw) {
            const std::string key = item.first.cast<std::string>();
            const py::handle v = item.second;
            if (v.is_none()) continue;
            if (key == "threads") params.threads = arg<int>(v, key, "an int");
            else if (key == "device") params.device = choice<iscam_device>(v, key, {{"cpu", ISCAM_DEVICE_CPU}, {"cuda", ISCAM_DEVICE_CUDA}});
            else if (key == "sidecar") params.sidecar_path = text(v, key, sidecar);
            else if (key == "labels") params.labels_path = text(v, key, labels);
            else if (key == "preset") params.preset = text(v, key, preset);
            else if (key == "mean") params.set_mean = triple(v, params.mean, key);
            else if (key == "std") params.set_std = triple(v, params.std, key);
            else if (key == "size") std::tie(params.height, params.width) = arg<std::pair<int, int>>(v, key, "(height, width)");
            else if (key == "resize") params.resize = text(py::str(v), key, resize);
            else if (key == "crop") params.crop = text(v, key, crop);
            else if (key == "bgr") params.bgr = arg<bool>(v, key, "a bool");
            else if (key == "output") params.score_output = text(v, key, output);
            else if (key == "layout") params.layout = choice<iscam_layout>(v, key, {{"nchw", ISCAM_LAYOUT_NCHW}, {"nhwc", ISCAM_LAYOUT_NHWC}});
            else if (key == "tokens") params.extra_tokens = arg<int>(v, key, "an int");
            else if (key == "grid") std::tie(params.grid_height, params.grid_width) = arg<std::pair<int, int>>(v, key, "(height, width)");
            else if (key == "layer_layout") params.layer_layout = choice<iscam_layout>(v, key, {{"nchw", ISCAM_LAYOUT_NCHW}, {"nhwc", ISCAM_LAYOUT_NHWC}});
            else if (key == "max_image_pixels") params.max_image_pixels = arg<uint64_t>(v, key, "a positive int");
            else throw py::type_error("Model() got an unexpected keyword argument '" + key + "'");
        }
    }

private:
    static const char* text(py::handle v, const std::string& key, std::string& keep) {
        keep = arg<std::string>(v, key, "a str");
        return keep.c_str();
    }
    static bool triple(py::handle v, float out[3], const std::string& key) {
        const auto values = arg<std::vector<float>>(v, key, "3 numbers");
        if (values.size() != 3) throw ArgumentError(key + " takes 3 values");
        std::copy(values.begin(), values.end(), out);
        return true;
    }
    template <class E>
    static E choice(py::handle v, const std::string& key, const std::map<std::string, E>& names) {
        const auto name = arg<std::string>(v, key, "a str");
        const auto it = names.find(name);
        if (it == names.end()) throw ArgumentError("unknown " + key + " '" + name + "'");
        return it->second;
    }
};

// The status of a failed call as the exception class of iscam/_errors.py that says what was wrong.
[[noreturn]] void raise(const iscam::Error& e, const char* input_class) {
    if (e.status() == ISCAM_ERROR_MEMORY) {
        PyErr_SetString(PyExc_MemoryError, e.what());
    } else {
        const char* name = e.status() == ISCAM_ERROR_ARGUMENT    ? "ArgumentError"
                           : e.status() == ISCAM_ERROR_INPUT     ? input_class
                           : e.status() == ISCAM_ERROR_CANCELLED ? "Cancelled"
                                                                 : "Error";
        PyErr_SetString(py::module_::import("iscam._errors").attr(name).ptr(), e.what());
    }
    throw py::error_already_set();
}

// f(), its iscam::Error raised as iscam's exception; input_class: what ISCAM_ERROR_INPUT means here.
template <class F>
auto guarded(F&& f, const char* input_class = "InputError") {
    try {
        return f();
    } catch (const iscam::Error& e) {
        raise(e, input_class);
    }
}

class Model {
public:
    Model(const py::object& source, const py::kwargs& options) : context_(load(source, ModelOptions(options))) {}

    std::vector<int64_t> input_shape() const { return context_.input_shape(); }
    size_t class_count() { return guarded([&] { return context_.class_count(); }, "ModelError"); }
    std::string label(int index) { return guarded([&] { return context_.class_label(index); }); }
    std::vector<iscam::Layer> layers() { return guarded([&] { return context_.layers(); }, "ModelError"); }
    std::string default_layer() { return guarded([&] { return context_.default_layer(); }, "ModelError"); }

    std::vector<iscam::Prediction> predict(const py::object& image, size_t k) {
        const ImageArg a = image_arg(image);
        return guarded([&] {
            py::gil_scoped_release unlocked;
            switch (a.kind) {
                case ImageArg::Rgb: return context_.predict_rgb(a.rgb, a.width, a.height, k);
                case ImageArg::Tensor: return context_.predict_tensor(a.tensor, k);
                case ImageArg::Encoded: return context_.predict_encoded(a.encoded.data(), a.encoded.size(), k);
                default: return context_.predict_file(a.path, k);
            }
        });
    }

    py::object explain(const py::object& image, const py::object& method, std::optional<std::string> layer,
                       std::optional<int> class_index, int sscam_samples, float sscam_sigma, uint64_t seed,
                       int iscam_samples, bool shortcuts, int channels, const std::string& select,
                       int screen_channels, int batch, uint64_t memory_budget,
                       const std::optional<py::function>& progress, int contrast) {
        bool single = true;
        iscam::ExplainParams p = iscam::default_explain_params();
        p.methods = method_bits(method, &single);
        p.layer = layer ? layer->c_str() : nullptr;
        if (class_index && *class_index < 0)
            throw ArgumentError("class_index must be a class (0 or more), or None for the top-1, not " +
                                  std::to_string(*class_index));
        p.class_index = class_index.value_or(-1);
        p.contrast_class = contrast;
        p.sscam_samples = sscam_samples;
        p.iscam_samples = iscam_samples;
        p.sscam_sigma = sscam_sigma;
        p.seed = seed;
        p.shortcuts = shortcuts;
        p.channels = channels;
        if (select != "variance" && select != "screen")
            throw ArgumentError("select must be 'variance' or 'screen', not '" + select + "'");
        p.select = select == "screen" ? ISCAM_SELECT_SCREEN : ISCAM_SELECT_VARIANCE;
        p.screen_channels = screen_channels;
        p.batch = batch;
        p.memory_budget = memory_budget;
        iscam::Progress on_progress;
        if (progress)
            on_progress = [&progress](size_t done, size_t total, double elapsed_s) {
                py::gil_scoped_acquire locked;
                const py::object keep_going = (*progress)(done, total, elapsed_s);
                return keep_going.is_none() || arg<bool>(keep_going, "progress's answer", "True, False or None");
            };
        const ImageArg a = image_arg(image);
        std::optional<iscam::Result> r;
        guarded([&] {
            py::gil_scoped_release unlocked;
            switch (a.kind) {
                case ImageArg::Rgb: r = context_.explain_rgb(a.rgb, a.width, a.height, p, on_progress); break;
                case ImageArg::Tensor: r = context_.explain_tensor(a.tensor, p, on_progress); break;
                case ImageArg::Encoded: r = context_.explain_encoded(a.encoded.data(), a.encoded.size(), p, on_progress); break;
                default: r = context_.explain_file(a.path, p, on_progress);
            }
            return 0;
        });
        if (single) return py::cast(MethodResult{*r, p.methods});
        py::dict by_name;
        for (unsigned m : r->methods()) by_name[py::str(iscam::method_name(m))] = MethodResult{*r, m};
        return std::move(by_name);
    }

private:
    static iscam::Context load(const py::object& source, const ModelOptions& options) {
        if (py::isinstance<py::bytes>(source)) {
            const std::string bytes = source.cast<std::string>();
            return guarded([&] {
                py::gil_scoped_release unlocked;
                return iscam::Context::from_buffer(bytes.data(), bytes.size(), options.params);
            }, "ModelError");
        }
        if (!py::isinstance<py::str>(source) && !py::hasattr(source, "__fspath__"))
            throw py::type_error("model must be a path or the bytes of an ONNX model, not " +
                                 std::string(py::str(py::type::of(source).attr("__name__"))));
        const std::string path = py::module_::import("os").attr("fspath")(source).cast<std::string>();
        return guarded([&] {
            py::gil_scoped_release unlocked;
            return iscam::Context(path, options.params);
        }, "ModelError");
    }

    iscam::Context context_;
};

}  // namespace

// The compiled part of the package `iscam` (iscam/__init__.py): the public names, their checks
// and their documentation are there.
PYBIND11_MODULE(_iscam, m) {
    m.doc() = "the compiled part of iscam (use the package iscam)";
    m.attr("__version__") = iscam::version();
    py::tuple names(methods().size());
    for (size_t i = 0; i < methods().size(); ++i) names[i] = methods()[i].first;
    m.attr("METHODS") = names;
    const iscam::ExplainParams d = iscam::default_explain_params();
    py::dict defaults;  // Model.explain's defaults are the C API's (the core's ExplainRequest)
    defaults["sscam_samples"] = d.sscam_samples;
    defaults["sscam_sigma"] = d.sscam_sigma;
    defaults["seed"] = d.seed;
    defaults["iscam_samples"] = d.iscam_samples;
    defaults["shortcuts"] = d.shortcuts;
    defaults["batch"] = d.batch;
    defaults["memory_budget"] = d.memory_budget;
    m.attr("EXPLAIN_DEFAULTS") = defaults;
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const ArgumentError& e) {
            PyErr_SetString(py::module_::import("iscam._errors").attr("ArgumentError").ptr(), e.what());
        }
    });

    py::class_<iscam::Layer>(m, "Layer", "a candidate target layer: name, op_type, shape (channels, height, width)")
        .def_readonly("name", &iscam::Layer::name, "the tensor's name in the ONNX graph")
        .def_readonly("op_type", &iscam::Layer::op_type, "the ONNX operator that makes it (Conv, Relu, ...)")
        .def_property_readonly("shape", [](const iscam::Layer& l) { return py::make_tuple(l.channels, l.height, l.width); },
                               "(channels, height, width) as read; zeros when not read")
        .def_readonly("reading", &iscam::Layer::reading, "how it is read: 'channels-first', 'tokens: CLS + 4×4 grid', ...; '' when not")
        .def_readonly("problem", &iscam::Layer::problem, "why it is not read without an override; '' when it is")
        .def("__repr__", [](const iscam::Layer& l) {
            if (l.reading.empty()) return "Layer('" + l.name + "', " + l.op_type + ", not read: " + l.problem + ")";
            return "Layer('" + l.name + "', " + l.op_type + ", " + std::to_string(l.channels) + "×" +
                   std::to_string(l.height) + "×" + std::to_string(l.width) + ", " + l.reading + ")";
        });

    py::class_<iscam::Prediction>(m, "Prediction", "one class of a prediction: class_index, probability, logit, label")
        .def_readonly("class_index", &iscam::Prediction::class_index, "the class")
        .def_readonly("probability", &iscam::Prediction::probability, "softmax over the logits")
        .def_readonly("logit", &iscam::Prediction::logit, "the model's score")
        .def_readonly("label", &iscam::Prediction::label, "the class's name ('' when the model has none)")
        .def("__repr__", [](const iscam::Prediction& p) {
            return "Prediction(" + std::to_string(p.class_index) + ", " + std::to_string(p.probability) + ", '" +
                   p.label + "')";
        });

    py::class_<MethodResult>(m, "Result", "one method's explanation of one image")
        .def_property_readonly("method", [](const MethodResult& r) { return iscam::method_name(r.method); },
                               "'scorecam', 'sscam' or 'iscam'")
        .def_property_readonly("map", &MethodResult::map, "the map at the layer's resolution, float32 h×w, values in [0, 1]")
        .def_property_readonly("weights", &MethodResult::weights, "w_k per channel, float32 (NaN: skipped as all-zero)")
        .def_property_readonly("scores", &MethodResult::scores, "s_k per channel, float32")
        .def_property_readonly("class_index", [](const MethodResult& r) { return r.result.class_index(); }, "the class explained")
        .def_property_readonly("label", [](const MethodResult& r) { return r.result.class_label(); }, "its name ('' when unlabelled)")
        .def_property_readonly("layer", [](const MethodResult& r) { return r.result.layer(); }, "the target layer")
        .def_property_readonly("class_score", [](const MethodResult& r) { return r.result.class_score(); }, "f(X)_c, the logit")
        .def_property_readonly("contrast", [](const MethodResult& r) -> py::object {
                const int b = r.result.contrast_class();
                return b < 0 ? py::object(py::none()) : py::object(py::int_(b));
            }, "the contrast class B of a contrastive map, or None")
        .def_property_readonly("forward_passes", [](const MethodResult& r) { return r.result.forward_passes(r.method); },
                               "forward passes whose score fed this method")
        .def_property_readonly("total_forward_passes", [](const MethodResult& r) { return r.result.total_forward_passes(); },
                               "forward passes of the whole run, the baseline pass included")
        .def_property_readonly("timings", &MethodResult::timings, "{'inference_ms', 'other_ms', 'total_ms'}")
        .def_property_readonly("json", [](const MethodResult& r) { return r.result.json(); },
                               "the run as the CLI's --json writes it")
        .def("upsampled", [](const MethodResult& r, const py::object& width, const py::object& height) {
                const auto [w, h] = r.size_or_image(width, height);
                return guarded([&] { return float_array(r.result.upsampled_map(r.method, w, h), {h, w}); });
            }, py::arg("width") = py::none(), py::arg("height") = py::none(),
            "the map upsampled (bilinear) to height×width, float32; default: the image's size")
        .def("heatmap", [](const MethodResult& r, const py::object& width, const py::object& height,
                           const py::object& colormap) {
                const auto [w, h] = r.size_or_image(width, height);
                const auto params = overlay_params(colormap, py::float_(0.5));
                return guarded([&] { return rgb_array(r.result.heatmap(r.method, w, h, params), w, h); });
            }, py::arg("width") = py::none(), py::arg("height") = py::none(), py::arg("colormap") = "jet",
            "the coloured map, H×W×3 uint8; colormap: jet, turbo, viridis, inferno or gray")
        .def("overlay", [](const MethodResult& r, const py::object& width, const py::object& height,
                           const py::object& colormap, const py::object& alpha) {
                const auto [w, h] = r.size_or_image(width, height);
                const auto params = overlay_params(colormap, alpha);
                return guarded([&] { return rgb_array(r.result.overlay(r.method, w, h, params), w, h); });
            }, py::arg("width") = py::none(), py::arg("height") = py::none(), py::arg("colormap") = "jet",
            py::arg("alpha") = 0.5, "the coloured map over the image, H×W×3 uint8")
        .def("__repr__", [](const MethodResult& r) {
            return "Result(" + iscam::method_name(r.method) + ", class " + std::to_string(r.result.class_index()) + ", " +
                   std::to_string(r.result.map_height()) + "×" + std::to_string(r.result.map_width()) + ")";
        });

    py::class_<Model>(m, "Model", "an ONNX classifier ready to explain (iscam.Model checks the arguments)")
        .def(py::init<const py::object&, const py::kwargs&>(), py::arg("model"))
        .def_property_readonly("input_shape", [](const Model& md) { return py::tuple(py::cast(md.input_shape())); })
        .def_property_readonly("class_count", &Model::class_count)
        .def("label", &Model::label, py::arg("index"))
        .def("layers", &Model::layers)
        .def_property_readonly("default_layer", &Model::default_layer)
        .def("predict", &Model::predict, py::arg("image"), py::arg("k"))
        .def("explain", &Model::explain, py::arg("image"), py::arg("method"), py::arg("layer"), py::arg("class_index"),
             py::arg("sscam_samples"), py::arg("sscam_sigma"), py::arg("seed"), py::arg("iscam_samples"),
             py::arg("shortcuts"), py::arg("channels"), py::arg("select"), py::arg("screen_channels"), py::arg("batch"), py::arg("memory_budget"), py::arg("progress"), py::arg("contrast"));
}
