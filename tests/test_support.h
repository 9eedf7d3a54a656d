#pragma once
// Helpers shared by the C++ tests.
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

// Folders of the source tree and of the build, set by tests/CMakeLists.txt.
inline std::string source_path(const std::string& rel) { return std::string(ISCAM_SOURCE_DIR) + "/" + rel; }
inline std::string build_path(const std::string& rel) { return std::string(ISCAM_BUILD_DIR) + "/" + rel; }

inline double max_abs_diff(const std::vector<float>& a, const std::vector<float>& b) {
    if (a.size() != b.size()) throw std::invalid_argument("max_abs_diff: sizes differ");
    double d = 0;
    for (size_t i = 0; i < a.size(); ++i) d = std::max(d, double(std::fabs(a[i] - b[i])));
    return d;
}

inline double pearson(const std::vector<float>& a, const std::vector<float>& b) {
    if (a.size() != b.size()) throw std::invalid_argument("pearson: sizes differ");
    double ma = 0, mb = 0;
    for (size_t i = 0; i < a.size(); ++i) ma += a[i], mb += b[i];
    ma /= double(a.size());
    mb /= double(b.size());
    double ab = 0, aa = 0, bb = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        ab += (a[i] - ma) * (b[i] - mb);
        aa += (a[i] - ma) * (a[i] - ma);
        bb += (b[i] - mb) * (b[i] - mb);
    }
    return ab / std::sqrt(aa * bb);
}
