#include "class_score.h"

#include <string>

#include "error.h"

namespace iscam {

namespace {
void check_class(int c, size_t classes, const char* what) {
    if (c < 0 || size_t(c) >= classes)
        throw InputError(std::string(what) + std::to_string(c) + " is out of range: the model has " +
                         std::to_string(classes) + " classes (0.." + std::to_string(classes - 1) + ")");
}
}  // namespace

void check_class_score(const ClassScore& s, size_t classes) {
    check_class(s.cls, classes, "class ");
    if (s.contrast == -1) return;
    check_class(s.contrast, classes, "contrast class ");
    if (s.contrast == s.cls)
        throw InputError("the contrast class must differ from the class explained (both are " + std::to_string(s.cls) +
                         "): f(·)_A − f(·)_A is 0 for every input");
}

void class_scores(const float* logits, size_t n, size_t stride, const ClassScore& s, float* scores) {
    for (size_t i = 0; i < n; ++i) scores[i] = s.of(logits + i * stride);
}

}  // namespace iscam
