#pragma once
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

namespace iscam {

// A dense float tensor in row-major order (NCHW for images and activations).
struct Tensor {
    std::vector<int64_t> shape;
    std::vector<float> data;

    Tensor() = default;
    explicit Tensor(std::vector<int64_t> s) : shape(std::move(s)), data(element_count(shape)) {}
    Tensor(std::vector<int64_t> s, std::vector<float> d) : shape(std::move(s)), data(std::move(d)) {}

    static size_t element_count(const std::vector<int64_t>& s) {
        return std::accumulate(s.begin(), s.end(), size_t{1},
                               [](size_t a, int64_t b) { return a * static_cast<size_t>(b); });
    }
    int64_t dim(size_t i) const { return shape.at(i); }
};

// A shape as the messages write it: "1×17×32".
inline std::string dims_text(const std::vector<int64_t>& shape) {
    std::string s;
    for (auto d : shape) s += (s.empty() ? "" : "×") + std::to_string(d);
    return s;
}

}  // namespace iscam
