#include "methods.h"

#include <cmath>

#include "error.h"
#include "run_limits.h"

namespace iscam {

const char* method_name(Method m) {
    switch (m) {
        case Method::ScoreCAM: return "scorecam";
        case Method::SSCAM: return "sscam";
        case Method::ISCAM: return "iscam";
    }
    return "?";
}

const char* method_title(Method m) {
    switch (m) {
        case Method::ScoreCAM: return "Score-CAM";
        case Method::SSCAM: return "SS-CAM";
        case Method::ISCAM: return "IS-CAM";
    }
    return "?";
}

std::optional<Method> parse_method(const std::string& s) {
    for (Method m : {Method::ScoreCAM, Method::SSCAM, Method::ISCAM})
        if (s == method_name(m)) return m;
    return std::nullopt;
}

std::vector<float> iscam_coefficients(int n) {
    std::vector<float> g(n);
    for (int i = 1; i <= n; ++i) g[i - 1] = static_cast<float>(double(i) * (i + 1) / (2.0 * n));
    return g;
}

void validate(const ExplainOptions& o) {
    const std::string most = std::to_string(kMaxSamples);
    if (o.sscam_samples < 1 || o.sscam_samples > kMaxSamples)
        throw InputError("SS-CAM samples must be between 1 and " + most + ", got " + std::to_string(o.sscam_samples));
    if (o.iscam_samples < 1 || o.iscam_samples > kMaxSamples)
        throw InputError("IS-CAM samples must be between 1 and " + most + ", got " + std::to_string(o.iscam_samples));
    if (!std::isfinite(o.sscam_sigma) || o.sscam_sigma < 0.0f || o.sscam_sigma > 100.0f)
        throw InputError("sigma must be between 0 and 100");
    if (o.channels < 0 || o.channels > (1 << 20))
        throw InputError("the fast mode's channel count must be between 1 and 1048576 (0: every channel)");
}

}  // namespace iscam
