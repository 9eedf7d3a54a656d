// The method table (core/methods.h), the limits (core/run_limits.h) and the request defaults, for
// the page: it lists, bounds and estimates runs from these, never from copies of its own.
#include "js_interop.h"
#include "methods.h"
#include "run_limits.h"

using emscripten::val;
using namespace iscam::js;

namespace iscam {
namespace {

// [{name, title, bit, samples: the option holding N ('iscamSamples', 'sscamSamples') or null}]
val methods() {
    val out = val::array();
    for (Method m : all_methods()) {
        const MethodSpec& s = method_spec(m);
        val entry = val::object();
        entry.set("name", std::string(s.name));
        entry.set("title", std::string(s.title));
        entry.set("bit", unsigned(mask_of(m)));
        if (s.samples == &ExplainOptions::iscam_samples) entry.set("samples", std::string("iscamSamples"));
        else if (s.samples == &ExplainOptions::sscam_samples) entry.set("samples", std::string("sscamSamples"));
        else entry.set("samples", val::null());
        out.call<void>("push", entry);
    }
    return out;
}

// Forward passes of a run of `methods` that scores `channels` channels, the baseline included.
double planPasses(const val& methods, const val& options, double channels) {
    return guarded([&] {
        if (!(channels >= 0)) throw InputError("the channel count must be 0 or more");
        return double(plan_passes(methods_from(methods), options_from(options), size_t(channels)));
    });
}

val limits() {
    val out = val::object();
    out.set("maxBatch", kMaxBatch);
    out.set("maxSamples", kMaxSamples);
    out.set("maxMetricSteps", kMaxMetricSteps);
    return out;
}

// ExplainOptions' defaults, in the page's names.
val explainDefaults() {
    const ExplainOptions o;
    val out = val::object();
    out.set("iscamSamples", o.iscam_samples);
    out.set("sscamSamples", o.sscam_samples);
    out.set("sscamSigma", o.sscam_sigma);
    out.set("seed", double(o.seed));
    return out;
}

}  // namespace
}  // namespace iscam

EMSCRIPTEN_BINDINGS(iscam_methods) {
    using namespace emscripten;
    function("methods", &iscam::methods);
    function("planPasses", &iscam::planPasses);
    function("limits", &iscam::limits);
    function("explainDefaults", &iscam::explainDefaults);
}
