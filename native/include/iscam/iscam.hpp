// iscam.hpp: a thin header-only C++ wrapper over the C API (iscam.h): RAII objects, std types,
// exceptions (iscam::Error). C++11 or later.
//
//     #include <iscam/iscam.hpp>
//
//     iscam::Context model("model.onnx");
//     iscam::ExplainParams params = iscam::default_explain_params();
//     params.methods = ISCAM_METHOD_ISCAM;
//     iscam::Result r = model.explain_file("cat.png", params);
//     std::vector<float> map = r.map(ISCAM_METHOD_ISCAM);     // r.map_height() × r.map_width()
//     std::vector<uint8_t> rgb = r.overlay(ISCAM_METHOD_ISCAM, 224, 224);
//     iscam::write_png("overlay.png", rgb, 224, 224);
//
// The parameter structs are the C API's (iscam_context_params, iscam_explain_params,
// iscam_overlay_params): their string fields must outlive the call they are given to. The
// thread-safety rules are the C API's: one Context per thread (or a lock); Results are read-only.
#ifndef ISCAM_ISCAM_HPP
#define ISCAM_ISCAM_HPP

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "iscam.h"

namespace iscam {

// A failed call: status() is the C API's status, what() its message.
class Error : public std::runtime_error {
public:
    Error(iscam_status status, const std::string& message) : std::runtime_error(message), status_(status) {}
    iscam_status status() const { return status_; }

private:
    iscam_status status_;
};

namespace detail {
inline void check(iscam_status status) {
    if (status != ISCAM_OK) throw Error(status, iscam_last_error());
}
template <class T>
T checked(T value, bool ok) {
    if (!ok) throw Error(ISCAM_ERROR_ARGUMENT, iscam_last_error());
    return value;
}
}  // namespace detail

typedef iscam_context_params ContextParams;
typedef iscam_explain_params ExplainParams;
typedef iscam_overlay_params OverlayParams;
typedef iscam_timings Timings;

inline ContextParams default_context_params() { return iscam_default_context_params(); }
inline ExplainParams default_explain_params() { return iscam_default_explain_params(); }
inline OverlayParams default_overlay_params() { return iscam_default_overlay_params(); }
inline std::string version() { return iscam_version(); }
// "scorecam", "sscam" or "iscam" for one ISCAM_METHOD_* bit.
inline std::string method_name(unsigned method) {
    const char* name = iscam_method_name(method);
    return detail::checked(std::string(name ? name : ""), name != nullptr);
}

struct Layer {
    std::string name, op_type;
    int64_t channels, height, width;  // as read; 0 when not read
    std::string reading, problem;     // how it is read ("" when not), why not ("" when it is)
};

struct Prediction {
    int class_index;
    float logit, probability;
    std::string label;
};

// Called after each batch: (passes done, passes in all, seconds elapsed); return false to cancel
// (the call then throws Error with status ISCAM_ERROR_CANCELLED). An exception thrown by the
// callback cancels the run and is rethrown by the call.
typedef std::function<bool(size_t done, size_t total, double elapsed_s)> Progress;

class Result {
public:
    explicit Result(iscam_result* r) : r_(r, iscam_result_free) {}

    std::vector<unsigned> methods() const {
        std::vector<unsigned> m(iscam_result_n_methods(get()));
        for (size_t i = 0; i < m.size(); ++i) m[i] = iscam_result_method_at(get(), i);
        return m;
    }
    int class_index() const { return iscam_result_class(get()); }
    std::string class_label() const { return iscam_result_class_label(get()); }
    std::string layer() const { return iscam_result_layer(get()); }
    float class_score() const { return iscam_result_class_score(get()); }
    int contrast_class() const { return iscam_result_contrast_class(get()); }  // -1: none

    int map_height() const { return iscam_result_map_height(get()); }
    int map_width() const { return iscam_result_map_width(get()); }
    // map_height × map_width values in [0, 1], row after row.
    std::vector<float> map(unsigned method) const {
        return values(iscam_result_map(get(), method), size_t(map_height()) * size_t(map_width()));
    }
    size_t n_channels() const { return iscam_result_n_channels(get()); }
    std::vector<float> weights(unsigned method) const { return values(iscam_result_weights(get(), method), n_channels()); }
    std::vector<float> scores(unsigned method) const { return values(iscam_result_scores(get(), method), n_channels()); }
    size_t forward_passes(unsigned method) const {
        const size_t n = iscam_result_forward_passes(get(), method);
        return detail::checked(n, n > 0 || has(method));
    }
    size_t total_forward_passes() const { return iscam_result_total_forward_passes(get()); }
    Timings timings() const { return iscam_result_timings(get()); }
    std::string json() const { return iscam_result_json(r_.get()); }

    int image_width() const { return iscam_result_image_width(get()); }
    int image_height() const { return iscam_result_image_height(get()); }

    std::vector<float> upsampled_map(unsigned method, int width, int height) const {
        std::vector<float> out(area(width, height));
        detail::check(iscam_result_upsampled_map(get(), method, width, height, out.data(), out.size()));
        return out;
    }
    // width × height RGB pixels.
    std::vector<uint8_t> heatmap(unsigned method, int width, int height,
                                 const OverlayParams& params = default_overlay_params()) const {
        std::vector<uint8_t> out(3 * area(width, height));
        detail::check(iscam_result_heatmap(get(), method, params, width, height, out.data(), out.size()));
        return out;
    }
    std::vector<uint8_t> overlay(unsigned method, int width, int height,
                                 const OverlayParams& params = default_overlay_params()) const {
        std::vector<uint8_t> out(3 * area(width, height));
        detail::check(iscam_result_overlay(get(), method, params, width, height, out.data(), out.size()));
        return out;
    }

    const iscam_result* get() const { return r_.get(); }

private:
    bool has(unsigned method) const {
        for (unsigned m : methods())
            if (m == method) return true;
        return false;
    }
    static std::vector<float> values(const float* p, size_t n) {
        if (!p) throw Error(ISCAM_ERROR_ARGUMENT, iscam_last_error());
        return std::vector<float>(p, p + n);
    }
    static size_t area(int width, int height) {
        return width > 0 && height > 0 ? size_t(width) * size_t(height) : 0;
    }

    std::shared_ptr<iscam_result> r_;
};

class Context {
public:
    explicit Context(const std::string& model_path, const ContextParams& params = default_context_params()) {
        iscam_context* c = nullptr;
        detail::check(iscam_init_from_file(model_path.c_str(), params, &c));
        c_.reset(c);
    }
    static Context from_buffer(const void* data, size_t size, const ContextParams& params = default_context_params()) {
        iscam_context* c = nullptr;
        detail::check(iscam_init_from_buffer(data, size, params, &c));
        return Context(c);
    }

    // {1, C, H, W}
    std::vector<int64_t> input_shape() const {
        std::vector<int64_t> s(4);
        detail::check(iscam_input_shape(c_.get(), s.data()));
        return s;
    }
    size_t class_count() {
        size_t n = 0;
        detail::check(iscam_class_count(get(), &n));
        return n;
    }
    std::string class_label(int index) {
        const char* label = iscam_class_label(get(), index);
        return detail::checked(std::string(label ? label : ""), label != nullptr);
    }

    std::vector<Layer> layers() {
        size_t n = 0;
        detail::check(iscam_layer_count(get(), &n));
        std::vector<Layer> out;
        for (size_t i = 0; i < n; ++i) {
            iscam_layer l;
            detail::check(iscam_layer_at(get(), i, &l));
            out.push_back({l.name, l.op_type, l.channels, l.height, l.width, l.reading, l.problem});
        }
        return out;
    }
    std::string default_layer() {
        const char* name = nullptr;
        detail::check(iscam_default_layer(get(), &name));
        return name;
    }

    std::vector<Prediction> predict_file(const std::string& image_path, size_t k = 5) {
        return predictions(k, [&](iscam_prediction* out, size_t* n) {
            return iscam_predict_file(get(), image_path.c_str(), k, out, n);
        });
    }
    // The bytes of an image file (PNG, JPEG, BMP, GIF) in memory.
    std::vector<Prediction> predict_encoded(const void* data, size_t size, size_t k = 5) {
        return predictions(k, [&](iscam_prediction* out, size_t* n) {
            return iscam_predict_encoded(get(), data, size, k, out, n);
        });
    }
    // width × height × 3 bytes of RGB, row after row.
    std::vector<Prediction> predict_rgb(const std::vector<uint8_t>& rgb, int width, int height, size_t k = 5) {
        return predictions(k, [&](iscam_prediction* out, size_t* n) {
            return iscam_predict_rgb(get(), rgb.data(), rgb.size(), width, height, k, out, n);
        });
    }
    // A tensor preprocessed to input_shape().
    std::vector<Prediction> predict_tensor(const std::vector<float>& tensor, size_t k = 5) {
        return predictions(k, [&](iscam_prediction* out, size_t* n) {
            return iscam_predict_tensor(get(), tensor.data(), tensor.size(), k, out, n);
        });
    }

    Result explain_file(const std::string& image_path, const ExplainParams& params = default_explain_params(),
                        const Progress& progress = Progress()) {
        return explain(params, progress, [&](const ExplainParams& p, iscam_result** r) {
            return iscam_explain_file(get(), image_path.c_str(), p, r);
        });
    }
    Result explain_encoded(const void* data, size_t size, const ExplainParams& params = default_explain_params(),
                           const Progress& progress = Progress()) {
        return explain(params, progress, [&](const ExplainParams& p, iscam_result** r) {
            return iscam_explain_encoded(get(), data, size, p, r);
        });
    }
    Result explain_rgb(const std::vector<uint8_t>& rgb, int width, int height,
                       const ExplainParams& params = default_explain_params(), const Progress& progress = Progress()) {
        return explain(params, progress, [&](const ExplainParams& p, iscam_result** r) {
            return iscam_explain_rgb(get(), rgb.data(), rgb.size(), width, height, p, r);
        });
    }
    Result explain_tensor(const std::vector<float>& tensor, const ExplainParams& params = default_explain_params(),
                          const Progress& progress = Progress()) {
        return explain(params, progress, [&](const ExplainParams& p, iscam_result** r) {
            return iscam_explain_tensor(get(), tensor.data(), tensor.size(), p, r);
        });
    }

    iscam_context* get() const { return c_.get(); }

private:
    explicit Context(iscam_context* c) { c_.reset(c); }

    struct Free {
        void operator()(iscam_context* c) const { iscam_free(c); }
    };

    template <class Call>
    std::vector<Prediction> predictions(size_t k, Call call) {
        std::vector<iscam_prediction> raw(k);
        size_t n = 0;
        detail::check(call(raw.data(), &n));
        std::vector<Prediction> out;
        for (size_t i = 0; i < n; ++i) out.push_back({raw[i].class_index, raw[i].logit, raw[i].probability, raw[i].label});
        return out;
    }

    // The std::function behind the C callback; an exception from it stops the run and is kept.
    struct ProgressBridge {
        const Progress* progress;
        std::exception_ptr error;
        static bool call(size_t done, size_t total, double elapsed_s, void* self) {
            ProgressBridge& b = *static_cast<ProgressBridge*>(self);
            try {
                return (*b.progress)(done, total, elapsed_s);
            } catch (...) {
                b.error = std::current_exception();
                return false;
            }
        }
    };

    template <class Call>
    Result explain(ExplainParams params, const Progress& progress, Call call) {
        ProgressBridge bridge = {&progress, nullptr};
        if (progress) {
            params.progress = &ProgressBridge::call;
            params.progress_user_data = &bridge;
        }
        iscam_result* r = nullptr;
        const iscam_status status = call(params, &r);
        if (bridge.error) std::rethrow_exception(bridge.error);
        detail::check(status);
        return Result(r);
    }

    std::unique_ptr<iscam_context, Free> c_;
};

// Writes width × height RGB pixels as a PNG file.
inline void write_png(const std::string& path, const std::vector<uint8_t>& rgb, int width, int height) {
    detail::check(iscam_write_png(path.c_str(), rgb.data(), rgb.size(), width, height));
}

}  // namespace iscam

#endif  // ISCAM_ISCAM_HPP
