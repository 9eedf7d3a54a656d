// The score each pass is told, picked out of its logits by the core (class_score.h), so that the
// worker's batches score the class, or the class against a contrast class, as the native paths do.
#include "class_score.h"
#include "js_interop.h"

using emscripten::val;
using namespace iscam::js;

namespace iscam {
namespace {

// n rows of logits back to back → n scores (Float32Array); contrast -1: none. InputError for a
// class or contrast out of range, or a contrast equal to the class.
val class_scores_js(const val& logits, int n, int cls, int contrast) {
    return guarded([&] {
        const std::vector<float> l = to_vector<float>(logits);
        if (n < 1 || l.empty() || l.size() % size_t(n) != 0)
            throw InputError("the logits are not " + std::to_string(n) + " rows of the same length");
        const size_t stride = l.size() / size_t(n);
        const ClassScore s{cls, contrast};
        check_class_score(s, stride);
        std::vector<float> scores(static_cast<size_t>(n));
        class_scores(l.data(), size_t(n), stride, s, scores.data());
        return to_typed_array("Float32Array", scores.data(), scores.size());
    });
}

}  // namespace
}  // namespace iscam

EMSCRIPTEN_BINDINGS(iscam_class_score) { emscripten::function("classScores", &iscam::class_scores_js); }
