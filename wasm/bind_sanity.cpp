// The sanity checks' comparisons for the worker (core/similarity.h, core/sanity.h): how alike two
// maps are, the maps brought to the input's size first, and the class of the random-logit test.
// The randomised models themselves come from OnnxModel.randomised (bind_model.cpp).
#include "js_interop.h"
#include "sanity.h"
#include "similarity.h"

using emscripten::val;
using namespace iscam::js;

namespace iscam {
namespace {

std::vector<float> checked_map(const val& map, int h, int w, const char* which) {
    std::vector<float> m = to_vector<float>(map);
    if (h < 1 || w < 1 || m.size() != size_t(h) * w)
        throw InputError(std::string("map ") + which + " does not have h·w values");
    return m;
}

// An h×w map upsampled to H×W (Float32Array) as the sanity checks compare maps.
val map_at_input_js(const val& map, int h, int w, int H, int W) {
    return guarded([&] {
        const std::vector<float> m = checked_map(map, h, w, "");
        const std::vector<float> out = map_at_input(m.data(), h, w, H, W);
        return to_typed_array("Float32Array", out.data(), out.size());
    });
}

// Two h×w maps → {spearman, spearmanAbs, ssim, topk} (NaN where undefined: a constant map).
val compare_maps_js(const val& a, const val& b, int h, int w) {
    return guarded([&] {
        const std::vector<float> x = checked_map(a, h, w, "a"), y = checked_map(b, h, w, "b");
        const MapSimilarity s = compare_maps(x.data(), y.data(), h, w);
        val out = val::object();
        out.set("spearman", s.spearman);
        out.set("spearmanAbs", s.spearman_abs);
        out.set("ssim", s.ssim);
        out.set("topk", s.topk);
        return out;
    });
}

int random_other_class_js(double seed, int cls, int classes) {
    return guarded([&] {
        if (classes < 0) throw InputError("the class count cannot be negative");
        return random_other_class(seed_from(seed), cls, size_t(classes));
    });
}

}  // namespace
}  // namespace iscam

EMSCRIPTEN_BINDINGS(iscam_sanity) {
    using namespace emscripten;
    using namespace iscam;
    function("mapAtInput", &map_at_input_js);
    function("compareMaps", &compare_maps_js);
    function("randomOtherClass", &random_other_class_js);
    constant("topkFraction", kTopkFraction);
}
