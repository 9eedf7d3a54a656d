#include "sanity.h"

#include <string>

#include "error.h"
#include "noise.h"
#include "resample.h"

namespace iscam {

int random_other_class(uint64_t seed, int cls, size_t classes) {
    if (classes < 2) throw InputError("the random-logit test needs a model with 2 or more classes");
    if (cls < 0 || size_t(cls) >= classes)
        throw InputError("class " + std::to_string(cls) + " is out of range: the model has " + std::to_string(classes) +
                         " classes");
    const int r = int(splitmix64(seed) % uint64_t(classes - 1));
    return r + (r >= cls ? 1 : 0);
}

std::vector<float> map_at_input(const float* map, int h, int w, int H, int W) {
    if (h < 1 || w < 1 || H < 1 || W < 1) throw InputError("a map and the input need one position or more each");
    std::vector<float> out(size_t(H) * W);
    BilinearResizer(h, w, H, W)(map, out.data());
    return out;
}

}  // namespace iscam
