#pragma once
#include <vector>

namespace iscam {

// Bilinear resampling with half-pixel centres and clamped edges: PyTorch's
// F.interpolate(mode="bilinear", align_corners=False) and ONNX Resize linear/half_pixel.
// The tables are computed once per size pair; applying them is two passes of 2 taps.
class BilinearResizer {
public:
    BilinearResizer(int src_h, int src_w, int dst_h, int dst_w);
    void operator()(const float* src, float* dst) const;  // one plane, src_h×src_w → dst_h×dst_w

    int src_h() const { return src_h_; }
    int src_w() const { return src_w_; }
    int dst_h() const { return dst_h_; }
    int dst_w() const { return dst_w_; }

    struct Tap { int i0, i1; float t; };  // value = (1-t)·v[i0] + t·v[i1]
    const std::vector<Tap>& rows() const { return rows_; }
    const std::vector<Tap>& cols() const { return cols_; }

private:
    int src_h_, src_w_, dst_h_, dst_w_;
    std::vector<Tap> rows_, cols_;
};

std::vector<BilinearResizer::Tap> half_pixel_taps(int src, int dst);

}  // namespace iscam
