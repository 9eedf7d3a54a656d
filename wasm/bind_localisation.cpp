// The pointing game and its energy variant (core/metrics_localisation.h) of one map against a
// ground truth on the model input's grid, for lesson mode: does the map point at the shape, or at
// the marker's corner? The map is upsampled to the grid as the faithfulness metrics do it.
#include "js_interop.h"
#include "metrics_localisation.h"
#include "resample.h"

using emscripten::val;
using namespace iscam::js;

namespace iscam {
namespace {

val localisation_to_js(const std::vector<float>& map, int h, int w, const GroundTruth& g) {
    if (h < 1 || w < 1 || map.size() != size_t(h) * w) throw InputError("the map's size does not match h×w");
    std::vector<float> saliency(size_t(g.height) * g.width);
    BilinearResizer(h, w, g.height, g.width)(map.data(), saliency.data());
    const Localisation l = localise(saliency, g);
    val out = val::object();
    out.set("defined", l.defined);
    out.set("hit", l.hit);
    out.set("energy", l.energy);
    return out;
}

// {defined, hit, energy} of the h×w map against a mask image of the model input's size (the
// object where a channel is at least 128).
val localise_mask(const val& map, int h, int w, const val& mask) {
    return guarded([&] {
        const Image m = image_from_js(mask);
        return localisation_to_js(to_vector<float>(map), h, w, mask_ground_truth(m, m.width, m.height, m.height, m.width, InputWindow{}));
    });
}

// The same against a box [x0, y0, x1, y1] in the pixels of a height×width model input.
val localise_box(const val& map, int h, int w, const val& box, int height, int width) {
    return guarded([&] {
        const std::vector<double> b = to_vector<double>(box);
        if (b.size() != 4) throw InputError("a box is four numbers: x0, y0, x1, y1");
        return localisation_to_js(to_vector<float>(map), h, w,
                                  box_ground_truth(b[0], b[1], b[2], b[3], width, height, height, width, InputWindow{}));
    });
}

}  // namespace
}  // namespace iscam

EMSCRIPTEN_BINDINGS(iscam_localisation) {
    using namespace emscripten;
    using namespace iscam;
    function("localiseMask", &localise_mask);
    function("localiseBox", &localise_box);
}
