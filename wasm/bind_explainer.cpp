// The ask/tell engine for the worker, and its result JSON (the CLI's --json).
#include <memory>
#include <stdexcept>

#include "explainer.h"
#include "explainer_handle.h"
#include "js_interop.h"
#include "result_json.h"

using emscripten::val;
using namespace iscam::js;

namespace iscam {
namespace {

// The ask/tell engine with its batch buffer in the WASM heap: nextBatch() returns a Float32Array
// view of that buffer, which the worker hands to ONNX Runtime Web without a copy of its own.
class JsExplainer {
public:
    JsExplainer(const val& methods, const val& options, const val& shapes, const val& activations, const val& input,
                float baseline, int capacity) {
        guarded([&] {
            std::vector<Method> ms = methods_from(methods);
            const ExplainOptions o = options_from(options);
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
            if (capacity_ == 0) throw std::logic_error("the batch buffer was released");
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

    // Frees the batch buffer (capacity·C·H·W floats: megabytes at 224×224) of a finished run that
    // the teaching views keep alive: they read the run, they never ask it for inputs again.
    void releaseBatch() {
        std::vector<float>().swap(batch_);
        capacity_ = 0;
    }

    bool done() const { return ex_->done(); }
    Explainer& engine() const { return *ex_; }  // for js::engine_of
    double progress() const { return ex_->progress(); }
    double totalPasses() const { return double(ex_->total_passes()); }
    double passesDone() const { return double(ex_->passes_done()); }
    double channelsSkipped() const { return double(ex_->channels_skipped()); }

    // {method, height, width, channelsScored, channelsPredicted (screened, scores predicted),
    //  map: Float32Array (h·w) or null before any score}
    val partial(const std::string& method) const {
        return guarded([&] {
            const CamResult r = ex_->partial(method_from(method));
            val out = val::object();
            out.set("method", method);
            out.set("height", r.height);
            out.set("width", r.width);
            out.set("channelsScored", double(r.channels_scored));
            out.set("channelsPredicted", double(r.channels_predicted));
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
            if (context["contrastClass"].isNumber()) {  // a contrastive map (docs/math.md)
                ctx.contrast_class = context["contrastClass"].as<int>();
                ctx.contrast_label = context["contrastLabel"].isString() ? context["contrastLabel"].as<std::string>() : "";
            }
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

Explainer& js::engine_of(const val& explainer) {
    return explainer.as<JsExplainer*>(emscripten::allow_raw_pointers())->engine();
}

}  // namespace iscam

EMSCRIPTEN_BINDINGS(iscam_explainer) {
    using namespace emscripten;
    using namespace iscam;
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
        .function("resultJson", &JsExplainer::resultJson)
        .function("releaseBatch", &JsExplainer::releaseBatch);
}
