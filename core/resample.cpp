#include "resample.h"

#include <algorithm>
#include <cmath>

namespace iscam {

std::vector<BilinearResizer::Tap> half_pixel_taps(int src, int dst) {
    std::vector<BilinearResizer::Tap> taps(dst);
    const float scale = float(src) / float(dst);
    for (int i = 0; i < dst; ++i) {
        float x = std::max((i + 0.5f) * scale - 0.5f, 0.0f);
        int i0 = std::min(int(x), src - 1);
        int i1 = std::min(i0 + 1, src - 1);
        taps[i] = {i0, i1, x - float(i0)};
    }
    return taps;
}

BilinearResizer::BilinearResizer(int src_h, int src_w, int dst_h, int dst_w)
    : src_h_(src_h), src_w_(src_w), dst_h_(dst_h), dst_w_(dst_w),
      rows_(half_pixel_taps(src_h, dst_h)), cols_(half_pixel_taps(src_w, dst_w)) {}

void BilinearResizer::operator()(const float* src, float* dst) const {
    // Every source row resampled horizontally once, then each output row blends two of them.
    std::vector<float> rows(size_t(src_h_) * dst_w_);
    for (int y = 0; y < src_h_; ++y) {
        const float* s = src + size_t(y) * src_w_;
        float* out = &rows[size_t(y) * dst_w_];
        for (int x = 0; x < dst_w_; ++x) {
            const Tap& c = cols_[x];
            out[x] = s[c.i0] + c.t * (s[c.i1] - s[c.i0]);
        }
    }
    for (int y = 0; y < dst_h_; ++y) {
        const Tap& r = rows_[y];
        const float* r0 = &rows[size_t(r.i0) * dst_w_];
        const float* r1 = &rows[size_t(r.i1) * dst_w_];
        float* d = dst + size_t(y) * dst_w_;
        for (int x = 0; x < dst_w_; ++x) d[x] = r0[x] + r.t * (r1[x] - r0[x]);
    }
}

}  // namespace iscam
