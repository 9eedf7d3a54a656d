#pragma once
#include <optional>
#include <string>
#include <vector>

namespace iscam {

enum class Method { ScoreCAM = 0, SSCAM = 1, ISCAM = 2 };
constexpr int kMethodCount = 3;

const char* method_name(Method m);          // "scorecam", "sscam", "iscam"
const char* method_title(Method m);         // "Score-CAM", "SS-CAM", "IS-CAM"
std::optional<Method> parse_method(const std::string& s);

// IS-CAM's cumulative coefficients γ_i = Σ_{j≤i} j/N = i(i+1)/(2N), i = 1..N (SPEC step 3).
std::vector<float> iscam_coefficients(int n);

struct ExplainOptions {
    int sscam_samples = 35;
    float sscam_sigma = 2.0f;
    uint64_t seed = 0;
    int iscam_samples = 10;
    bool shortcuts = true;   // skip all-zero channels, share the constant-channel pass, Score-CAM from IS-CAM
    // Fast mode (Faster Score-CAM): score only the `channels` channels whose activations A_k have
    // the highest variance; the others get weight 0 in SPEC step 5. 0: every channel (exact).
    int channels = 0;
};

// Throws InputError naming the parameter when one is out of bounds.
void validate(const ExplainOptions& o);

}  // namespace iscam
