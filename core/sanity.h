#pragma once
// What every front end of the sanity checks shares (docs/math.md, "Sanity checks"): the class of
// the random-logit test, and the maps compared at the input's size.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace iscam {

// The class of the random-logit test: r = splitmix64(seed) mod (classes − 1), then r + (r ≥ cls).
// Throws InputError for a model with one class, or a class out of range.
int random_other_class(uint64_t seed, int cls, size_t classes);

// An h×w map upsampled to the input's H×W as in docs/math.md step 2, for core/similarity.h.
std::vector<float> map_at_input(const float* map, int h, int w, int H, int W);

}  // namespace iscam
