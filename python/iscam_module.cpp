// The Python module `iscam` (pybind11) over the C++ API (iscam/iscam.hpp):
//
//     import iscam
//     r = iscam.explain("model.onnx", "cat.png", method="iscam")
//     r.map, r.weights      # numpy arrays
//
// Images are a path, an H×W×3 uint8 RGB array, or a float32 array already preprocessed to the
// model's input shape.
#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <iscam/iscam.hpp>
#include <map>
#include <optional>

namespace py = pybind11;

namespace {

const std::map<std::string, unsigned> kMethods = {
    {"scorecam", ISCAM_METHOD_SCORECAM}, {"sscam", ISCAM_METHOD_SSCAM}, {"iscam", ISCAM_METHOD_ISCAM}};
const std::map<std::string, iscam_colormap> kColormaps = {{"jet", ISCAM_COLORMAP_JET},
                                                          {"turbo", ISCAM_COLORMAP_TURBO},
                                                          {"viridis", ISCAM_COLORMAP_VIRIDIS},
                                                          {"inferno", ISCAM_COLORMAP_INFERNO},
                                                          {"gray", ISCAM_COLORMAP_GRAY}};

// "iscam", "all", "scorecam,iscam" or a list of names → method bits, and whether one was asked.
unsigned method_bits(const py::object& method, bool* single) {
    std::vector<std::string> names;
    if (py::isinstance<py::str>(method)) {
        const std::string s = method.cast<std::string>();
        if (s == "all") {
            names = {"scorecam", "sscam", "iscam"};
        } else {
            size_t start = 0;
            for (size_t comma; (comma = s.find(',', start)) != std::string::npos; start = comma + 1)
                names.push_back(s.substr(start, comma - start));
            names.push_back(s.substr(start));
        }
    } else {
        names = method.cast<std::vector<std::string>>();
    }
    unsigned bits = 0;
    for (const auto& n : names) {
        const auto it = kMethods.find(n);
        if (it == kMethods.end()) throw py::value_error("unknown method '" + n + "' (scorecam, sscam, iscam or all)");
        bits |= it->second;
    }
    if (bits == 0) throw py::value_error("no method given");
    *single = names.size() == 1;
    return bits;
}

iscam::OverlayParams overlay_params(const std::string& colormap, float alpha) {
    const auto it = kColormaps.find(colormap);
    if (it == kColormaps.end())
        throw py::value_error("unknown colormap '" + colormap + "' (jet, turbo, viridis, inferno or gray)");
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
    std::pair<int, int> size_or_image(std::optional<int> width, std::optional<int> height) const {
        return {width.value_or(result.image_width()), height.value_or(result.image_height())};
    }
};

// An image argument, held in the form the C++ API takes.
struct ImageArg {
    std::string path;
    std::vector<uint8_t> rgb;
    int width = 0, height = 0;
    std::vector<float> tensor;
    enum { Path, Rgb, Tensor } kind = Path;
};

ImageArg image_arg(const py::object& image) {
    ImageArg a;
    if (py::isinstance<py::str>(image) || py::hasattr(image, "__fspath__")) {
        a.path = py::module_::import("os").attr("fspath")(image).cast<std::string>();
        return a;
    }
    const char* kinds = "image must be a path, an H×W×3 uint8 RGB array or a float input tensor";
    if (!py::isinstance<py::array>(image)) throw py::type_error(kinds);
    const py::array arr = image.cast<py::array>();
    if (arr.dtype().is(py::dtype::of<uint8_t>())) {
        if (arr.ndim() != 3 || arr.shape(2) != 3)
            throw py::value_error("a uint8 image must be an H×W×3 RGB array");
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
            if (key == "threads") params.threads = v.cast<int>();
            else if (key == "device") params.device = choice<iscam_device>(v, key, {{"cpu", ISCAM_DEVICE_CPU}, {"cuda", ISCAM_DEVICE_CUDA}});
            else if (key == "sidecar") params.sidecar_path = text(v, sidecar);
            else if (key == "labels") params.labels_path = text(v, labels);
            else if (key == "preset") params.preset = text(v, preset);
            else if (key == "mean") params.set_mean = triple(v, params.mean, key);
            else if (key == "std") params.set_std = triple(v, params.std, key);
            else if (key == "size") std::tie(params.height, params.width) = v.cast<std::pair<int, int>>();
            else if (key == "resize") params.resize = text(py::str(v), resize);
            else if (key == "crop") params.crop = text(v, crop);
            else if (key == "bgr") params.bgr = v.cast<bool>();
            else if (key == "output") params.score_output = text(v, output);
            else if (key == "layout") params.layout = choice<iscam_layout>(v, key, {{"nchw", ISCAM_LAYOUT_NCHW}, {"nhwc", ISCAM_LAYOUT_NHWC}});
            else if (key == "max_image_pixels") params.max_image_pixels = v.cast<uint64_t>();
            else throw py::type_error("Model() got an unexpected keyword argument '" + key + "'");
        }
    }

private:
    static const char* text(py::handle v, std::string& keep) {
        keep = v.cast<std::string>();
        return keep.c_str();
    }
    static bool triple(py::handle v, float out[3], const std::string& key) {
        const auto values = v.cast<std::vector<float>>();
        if (values.size() != 3) throw py::value_error(key + " takes 3 values");
        std::copy(values.begin(), values.end(), out);
        return true;
    }
    template <class E>
    static E choice(py::handle v, const std::string& key, const std::map<std::string, E>& names) {
        const auto it = names.find(v.cast<std::string>());
        if (it == names.end()) throw py::value_error("unknown " + key + " '" + v.cast<std::string>() + "'");
        return it->second;
    }
};

class Model {
public:
    Model(const std::string& path, const py::kwargs& options) : context_(load(path, ModelOptions(options))) {}

    std::vector<int64_t> input_shape() const { return context_.input_shape(); }
    size_t class_count() { return context_.class_count(); }
    std::string label(int index) { return context_.class_label(index); }
    std::vector<iscam::Layer> layers() { return context_.layers(); }
    std::string default_layer() { return context_.default_layer(); }

    std::vector<iscam::Prediction> predict(const py::object& image, size_t k) {
        const ImageArg a = image_arg(image);
        py::gil_scoped_release unlocked;
        switch (a.kind) {
            case ImageArg::Rgb: return context_.predict_rgb(a.rgb, a.width, a.height, k);
            case ImageArg::Tensor: return context_.predict_tensor(a.tensor, k);
            default: return context_.predict_file(a.path, k);
        }
    }

    py::object explain(const py::object& image, const py::object& method, std::optional<std::string> layer,
                       std::optional<int> class_index, std::optional<int> samples, int sscam_samples,
                       float sscam_sigma, uint64_t seed, int iscam_samples, bool shortcuts,
                       std::optional<int> channels, int batch, uint64_t memory_budget,
                       const std::optional<py::function>& progress, std::optional<int> contrast) {
        bool single = true;
        iscam::ExplainParams p = iscam::default_explain_params();
        p.methods = method_bits(method, &single);
        p.layer = layer ? layer->c_str() : nullptr;
        p.class_index = class_index.value_or(-1);
        p.contrast_class = contrast.value_or(-1);
        p.sscam_samples = samples.value_or(sscam_samples);
        p.iscam_samples = samples.value_or(iscam_samples);
        p.sscam_sigma = sscam_sigma;
        p.seed = seed;
        p.shortcuts = shortcuts;
        p.channels = channels.value_or(0);
        p.batch = batch;
        p.memory_budget = memory_budget;
        iscam::Progress on_progress;
        if (progress)
            on_progress = [&progress](size_t done, size_t total, double elapsed_s) {
                py::gil_scoped_acquire locked;
                const py::object keep_going = (*progress)(done, total, elapsed_s);
                return keep_going.is_none() || keep_going.cast<bool>();
            };
        const ImageArg a = image_arg(image);
        std::optional<iscam::Result> r;
        {
            py::gil_scoped_release unlocked;
            switch (a.kind) {
                case ImageArg::Rgb: r = context_.explain_rgb(a.rgb, a.width, a.height, p, on_progress); break;
                case ImageArg::Tensor: r = context_.explain_tensor(a.tensor, p, on_progress); break;
                default: r = context_.explain_file(a.path, p, on_progress);
            }
        }
        if (single) return py::cast(MethodResult{*r, p.methods});
        py::dict by_name;
        for (unsigned m : r->methods()) by_name[py::str(iscam::method_name(m))] = MethodResult{*r, m};
        return std::move(by_name);
    }

private:
    static iscam::Context load(const std::string& path, const ModelOptions& options) {
        py::gil_scoped_release unlocked;
        return iscam::Context(path, options.params);
    }

    iscam::Context context_;
};

}  // namespace

PYBIND11_MODULE(iscam, m) {
    m.doc() = "Score-CAM, SS-CAM and IS-CAM class activation maps for ONNX image classifiers";
    m.attr("__version__") = iscam::version();

    static py::exception<iscam::Error> error(m, "Error", PyExc_RuntimeError);
    static py::exception<iscam::Error> cancelled(m, "Cancelled", error.ptr());
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const iscam::Error& e) {
            switch (e.status()) {
                case ISCAM_ERROR_ARGUMENT: PyErr_SetString(PyExc_ValueError, e.what()); return;
                case ISCAM_ERROR_MEMORY: PyErr_SetString(PyExc_MemoryError, e.what()); return;
                case ISCAM_ERROR_CANCELLED: PyErr_SetString(cancelled.ptr(), e.what()); return;
                default: PyErr_SetString(error.ptr(), e.what()); return;
            }
        }
    });

    py::class_<iscam::Layer>(m, "Layer", "a candidate target layer")
        .def_readonly("name", &iscam::Layer::name)
        .def_readonly("op_type", &iscam::Layer::op_type)
        .def_property_readonly("shape", [](const iscam::Layer& l) { return py::make_tuple(l.channels, l.height, l.width); },
                               "(channels, height, width)")
        .def("__repr__", [](const iscam::Layer& l) {
            return "Layer('" + l.name + "', " + l.op_type + ", " + std::to_string(l.channels) + "×" +
                   std::to_string(l.height) + "×" + std::to_string(l.width) + ")";
        });

    py::class_<iscam::Prediction>(m, "Prediction", "one class of a prediction")
        .def_readonly("class_index", &iscam::Prediction::class_index)
        .def_readonly("probability", &iscam::Prediction::probability)
        .def_readonly("logit", &iscam::Prediction::logit)
        .def_readonly("label", &iscam::Prediction::label)
        .def("__repr__", [](const iscam::Prediction& p) {
            return "Prediction(" + std::to_string(p.class_index) + ", " + std::to_string(p.probability) + ", '" +
                   p.label + "')";
        });

    py::class_<MethodResult>(m, "Result", "one method's explanation of one image")
        .def_property_readonly("method", [](const MethodResult& r) { return iscam::method_name(r.method); })
        .def_property_readonly("map", &MethodResult::map, "the map at the layer's resolution, values in [0, 1]")
        .def_property_readonly("weights", &MethodResult::weights, "w_k per channel (NaN: skipped as all-zero)")
        .def_property_readonly("scores", &MethodResult::scores, "s_k per channel")
        .def_property_readonly("class_index", [](const MethodResult& r) { return r.result.class_index(); })
        .def_property_readonly("label", [](const MethodResult& r) { return r.result.class_label(); })
        .def_property_readonly("layer", [](const MethodResult& r) { return r.result.layer(); })
        .def_property_readonly("class_score", [](const MethodResult& r) { return r.result.class_score(); })
        .def_property_readonly("contrast", [](const MethodResult& r) -> py::object {
                const int b = r.result.contrast_class();
                return b < 0 ? py::object(py::none()) : py::object(py::int_(b));
            }, "the contrast class B, or None")
        .def_property_readonly("forward_passes", [](const MethodResult& r) { return r.result.forward_passes(r.method); })
        .def_property_readonly("total_forward_passes", [](const MethodResult& r) { return r.result.total_forward_passes(); })
        .def_property_readonly("timings", &MethodResult::timings, "inference_ms, other_ms, total_ms")
        .def_property_readonly("json", [](const MethodResult& r) { return r.result.json(); },
                               "the run as the CLI's --json writes it")
        .def("upsampled", [](const MethodResult& r, std::optional<int> width, std::optional<int> height) {
                const auto [w, h] = r.size_or_image(width, height);
                return float_array(r.result.upsampled_map(r.method, w, h), {h, w});
            }, py::arg("width") = py::none(), py::arg("height") = py::none(),
            "the map upsampled (bilinear) to height×width; default: the image's size")
        .def("heatmap", [](const MethodResult& r, std::optional<int> width, std::optional<int> height,
                           const std::string& colormap) {
                const auto [w, h] = r.size_or_image(width, height);
                return rgb_array(r.result.heatmap(r.method, w, h, overlay_params(colormap, 0.5f)), w, h);
            }, py::arg("width") = py::none(), py::arg("height") = py::none(), py::arg("colormap") = "jet",
            "the coloured map, H×W×3 uint8")
        .def("overlay", [](const MethodResult& r, std::optional<int> width, std::optional<int> height,
                           const std::string& colormap, float alpha) {
                const auto [w, h] = r.size_or_image(width, height);
                return rgb_array(r.result.overlay(r.method, w, h, overlay_params(colormap, alpha)), w, h);
            }, py::arg("width") = py::none(), py::arg("height") = py::none(), py::arg("colormap") = "jet",
            py::arg("alpha") = 0.5f, "the coloured map over the image, H×W×3 uint8")
        .def("__repr__", [](const MethodResult& r) {
            return "Result(" + iscam::method_name(r.method) + ", class " + std::to_string(r.result.class_index()) + ", " +
                   std::to_string(r.result.map_height()) + "×" + std::to_string(r.result.map_width()) + ")";
        });

    py::class_<Model>(m, "Model", "an ONNX classifier ready to explain (its sidecar M.json applied)")
        .def(py::init<const std::string&, const py::kwargs&>(), py::arg("path"),
             "Model(path, *, threads=0, device='cpu', sidecar=None, labels=None, preset=None, mean=None, std=None,\n"
             "      size=None, resize=None, crop=None, bgr=False, output=None, layout=None, max_image_pixels=None)\n"
             "size=(H, W); resize='stretch'|'shorter'|N; crop='center'|'none'; layout='nchw'|'nhwc'; output: the\n"
             "score output's name. None: the sidecar's setting or the rule (see iscam.h).")
        .def_property_readonly("input_shape", [](const Model& md) { return py::tuple(py::cast(md.input_shape())); })
        .def_property_readonly("class_count", &Model::class_count)
        .def("label", &Model::label, py::arg("index"))
        .def("layers", &Model::layers, "the candidate target layers, in graph order")
        .def_property_readonly("default_layer", &Model::default_layer)
        .def("predict", &Model::predict, py::arg("image"), py::arg("k") = 5, "the top-k classes")
        .def("explain", &Model::explain, py::arg("image"), py::arg("method") = "iscam", py::kw_only(),
             py::arg("layer") = py::none(), py::arg("class_index") = py::none(), py::arg("samples") = py::none(),
             py::arg("sscam_samples") = 35, py::arg("sscam_sigma") = 2.0f, py::arg("seed") = 0,
             py::arg("iscam_samples") = 10, py::arg("shortcuts") = true, py::arg("channels") = py::none(),
             py::arg("batch") = 32, py::arg("memory_budget") = 0,
             py::arg("progress") = py::none(), py::arg("contrast") = py::none(),
             "a Result for one method; a dict of them by name for several ('all', a list, 'scorecam,iscam').\n"
             "channels=K: fast mode, only the K channels of highest activation variance are scored.\n"
             "contrast=B: a contrastive map, why class_index (default the top-1) and not class B: every score\n"
             "is logit A − logit B (docs/math.md).\n"
             "progress(done, total, elapsed_s) is called after each batch; returning False cancels "
             "(iscam.Cancelled).");

    m.def("explain", [](const py::object& model, const py::object& image, const py::object& method, py::kwargs kw) {
            py::object md = py::isinstance<Model>(model) ? model : py::module_::import("iscam").attr("Model")(model);
            return md.attr("explain")(image, method, **kw);
        }, py::arg("model"), py::arg("image"), py::arg("method") = "iscam",
        "explain(model, image, method='iscam', **options): model is a path or a Model; the options are "
        "Model.explain's");
}
