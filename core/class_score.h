#pragma once
// The score a forward pass is told (docs/math.md, "Contrastive maps"): the logit of the class
// explained, f(·)_A, or with a contrast class B, f(·)_A − f(·)_B. The CPU and CUDA paths pick
// their scores out of the logits through this one definition, and so can the page's worker.
#include <cstddef>

namespace iscam {

struct ClassScore {
    int cls = 0;        // A
    int contrast = -1;  // B; -1: none

    bool contrastive() const { return contrast >= 0; }
    // From f(·)_A and f(·)_B (the latter unread without a contrast).
    float from(float logit_a, float logit_b) const { return contrastive() ? logit_a - logit_b : logit_a; }
    float of(const float* logits) const { return from(logits[cls], contrastive() ? logits[contrast] : 0.0f); }
};

// Throws InputError unless A (and B, if any) are classes of a model with `classes` classes and
// B differs from A.
void check_class_score(const ClassScore& s, size_t classes);

// scores[i] = s.of(logits + i·stride) for i < n.
void class_scores(const float* logits, size_t n, size_t stride, const ClassScore& s, float* scores);

}  // namespace iscam
