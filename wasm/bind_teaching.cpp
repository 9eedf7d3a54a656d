// The teaching views' data (core/teaching.h) from a run of a JS Explainer: the channels ranked by
// weight, the map built up channel by channel, each channel's U_k and U_k ⊙ X, IS-CAM's path,
// SS-CAM's samples, and the probe that rescores one channel with another σ or N.
// Images come as {width, height, rgb} like decodeImage's; `preprocess` is the object inputTensor
// takes ({mean, std}, optionally bgr), used to show preprocessed inputs in colour.
#include "explainer_handle.h"
#include "js_interop.h"
#include "teaching.h"

using emscripten::val;
using namespace iscam::js;

namespace iscam {
namespace {

Preprocess display_preprocess(const val& p) {
    Preprocess out;
    const std::vector<float> mean = to_vector<float>(p["mean"]), std = to_vector<float>(p["std"]);
    if (mean.size() != 3 || std.size() != 3) throw InputError("mean and std need three values each");
    std::copy(mean.begin(), mean.end(), out.mean.begin());
    std::copy(std.begin(), std.end(), out.std.begin());
    out.bgr = !p["bgr"].isUndefined() && p["bgr"].as<bool>();
    return out;
}

val input_image(const Explainer& ex, const std::vector<float>& x, const val& preprocess) {
    return to_js(display_image(x.data(), ex.shapes(), display_preprocess(preprocess)));
}

val floats(const std::vector<float>& v) { return to_typed_array("Float32Array", v.data(), v.size()); }

// {method, channel, mean, sharedZeroPass, steps: [{gamma, index, score}]}; score = f(·)_c − b.
val passes_to_js(const ChannelPasses& p) {
    val out = val::object();
    out.set("method", std::string(method_name(p.method)));
    out.set("channel", p.channel);
    out.set("mean", p.mean);
    out.set("sharedZeroPass", p.shared_zero_pass);
    val steps = val::array();
    for (const ChannelStep& s : p.steps) {
        val step = val::object();
        step.set("gamma", s.pass.kind == PassKind::Scaled ? s.pass.gamma : s.pass.kind == PassKind::Zero ? 0.0f : 1.0f);
        step.set("index", s.pass.index);
        step.set("score", s.score);
        steps.call<void>("push", step);
    }
    out.set("steps", steps);
    return out;
}

// {method, baseline, height, width, inputHeight, inputWidth, channelCount, skipped, leftOut,
//  predicted, channels: [{channel, score, weight, predicted}] highest weight first}; predicted:
//  the score is predicted from the channel's screening pass (fast mode, screening)
val teaching_channels(const val& explainer, const std::string& method) {
    return guarded([&] {
        const Explainer& ex = engine_of(explainer);
        const CamResult r = ex.partial(method_from(method));
        val out = val::object();
        out.set("method", method);
        out.set("baseline", ex.baseline());
        out.set("height", ex.shapes().h);
        out.set("width", ex.shapes().w);
        out.set("inputHeight", ex.shapes().H);
        out.set("inputWidth", ex.shapes().W);
        out.set("channelCount", ex.shapes().K);
        out.set("skipped", double(ex.channels_skipped()));
        out.set("leftOut", double(ex.channels_left_out()));
        val channels = val::array();
        size_t predicted = 0;
        for (const RankedChannel& c : rank_channels(r)) {
            val ch = val::object();
            ch.set("channel", c.channel);
            ch.set("score", c.score);
            ch.set("weight", c.weight);
            ch.set("predicted", ex.channel_predicted(c.channel));
            predicted += ex.channel_predicted(c.channel);
            channels.call<void>("push", ch);
        }
        out.set("predicted", double(predicted));
        out.set("channels", channels);
        return out;
    });
}

// The map (h·w, in [0, 1]) of the n highest-weighted channels only; every channel: the result.
val teaching_build_up(const val& explainer, const std::string& method, int n) {
    return guarded([&] {
        if (n < 0) throw InputError("the number of channels cannot be negative");
        const Explainer& ex = engine_of(explainer);
        return floats(build_up_map(ex, ex.partial(method_from(method)), size_t(n)));
    });
}

// {channel, activation: Ā_k (h·w), mask: U_k (H·W), masked: U_k ⊙ X as an image}
val teaching_channel(const val& explainer, int channel, const val& preprocess) {
    return guarded([&] {
        Explainer& ex = engine_of(explainer);
        const std::vector<float> mask = upsampled_mask(ex, channel);  // checks the channel
        const size_t hw = ex.shapes().map_size();
        const float* a = &ex.normalised_activations()[size_t(channel) * hw];
        val out = val::object();
        out.set("channel", channel);
        out.set("activation", to_typed_array("Float32Array", a, hw));
        out.set("mask", floats(mask));
        out.set("masked", input_image(ex, masked_input(ex, channel), preprocess));
        return out;
    });
}

// IS-CAM's path (method "iscam"), SS-CAM's samples ("sscam") or Score-CAM's pass ("scorecam") of
// one channel, with the scores the run was told, and the inputs of the first `max_images` steps.
val teaching_passes(const val& explainer, const std::string& method, int channel, const val& preprocess, int max_images) {
    return guarded([&] {
        Explainer& ex = engine_of(explainer);
        const ChannelPasses p = channel_passes(ex, method_from(method), channel);
        val out = passes_to_js(p);
        val images = val::array();
        for (size_t i = 0; i < p.steps.size() && int(i) < max_images; ++i)
            images.call<void>("push", input_image(ex, pass_input(ex, p.steps[i].pass), preprocess));
        out.set("images", images);
        return out;
    });
}

// The input X as the model sees it (after resizing), shown in colour.
val teaching_input(const val& explainer, const val& preprocess) {
    return guarded([&] {
        const Explainer& ex = engine_of(explainer);
        return input_image(ex, ex.input(), preprocess);
    });
}

// ChannelProbe with its batch buffer in the WASM heap, driven like the Explainer. `options` may
// give sscamSamples, sscamSigma, seed, iscamSamples; what it leaves out is the run's.
class JsChannelProbe {
public:
    JsChannelProbe(const val& explainer, const std::string& method, int channel, const val& options, int capacity) {
        guarded([&] {
            const Explainer& ex = engine_of(explainer);
            ExplainOptions o = ex.options();
            if (!options["sscamSamples"].isUndefined()) o.sscam_samples = options["sscamSamples"].as<int>();
            if (!options["sscamSigma"].isUndefined()) o.sscam_sigma = options["sscamSigma"].as<float>();
            if (!options["seed"].isUndefined()) o.seed = uint64_t(options["seed"].as<double>());
            if (!options["iscamSamples"].isUndefined()) o.iscam_samples = options["iscamSamples"].as<int>();
            if (capacity < 1) throw InputError("the batch size must be at least 1");
            probe_ = std::make_unique<ChannelProbe>(ex, method_from(method), channel, o);
            shapes_ = ex.shapes();
            batch_.resize(size_t(capacity) * shapes_.input_size());
            capacity_ = size_t(capacity);
            return 0;
        });
    }

    // The next inputs, n·C·H·W floats (n = 0 once all are issued); valid until the next call.
    val nextBatch() {
        return guarded([&] {
            const size_t n = probe_->next_batch(batch_.data(), capacity_);
            return val(emscripten::typed_memory_view(n * shapes_.input_size(), batch_.data()));
        });
    }

    void tell(const val& scores) {
        guarded([&] {
            const std::vector<float> s = to_vector<float>(scores);
            probe_->tell(s.data(), s.size());
            return 0;
        });
    }

    bool done() const { return probe_->done(); }
    double totalPasses() const { return double(probe_->total_passes()); }
    val result() const {
        return guarded([&] { return passes_to_js(probe_->result()); });
    }
    // Step i's input as an image (available before it is scored).
    val image(int step, const val& preprocess) {
        return guarded([&] {
            if (step < 0 || size_t(step) >= probe_->total_passes()) throw InputError("no such step");
            const std::vector<float> x = probe_->input(size_t(step));
            return to_js(display_image(x.data(), shapes_, display_preprocess(preprocess)));
        });
    }

private:
    std::unique_ptr<ChannelProbe> probe_;
    Shapes shapes_{};
    std::vector<float> batch_;
    size_t capacity_ = 0;
};

}  // namespace
}  // namespace iscam

EMSCRIPTEN_BINDINGS(iscam_teaching) {
    using namespace emscripten;
    using namespace iscam;
    function("teachingChannels", &teaching_channels);
    function("teachingBuildUp", &teaching_build_up);
    function("teachingChannel", &teaching_channel);
    function("teachingPasses", &teaching_passes);
    function("teachingInput", &teaching_input);
    class_<JsChannelProbe>("ChannelProbe")
        .constructor<const val&, const std::string&, int, const val&, int>()
        .function("nextBatch", &JsChannelProbe::nextBatch)
        .function("tell", &JsChannelProbe::tell)
        .function("done", &JsChannelProbe::done)
        .function("totalPasses", &JsChannelProbe::totalPasses)
        .function("result", &JsChannelProbe::result)
        .function("image", &JsChannelProbe::image);
}
