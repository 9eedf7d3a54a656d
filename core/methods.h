#pragma once
// The methods, one entry each in kMethods: what each pass of a channel feeds the model and how
// its score adds in. The plan and the accumulation (explainer.cpp), the teaching views, the
// result JSON, the C API's bits, the CLI's and Python's names and the page's pass estimate
// (through the WASM bindings) all read this table; adding a method adds an entry here.
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

namespace iscam {

// How fast mode picks the channels it scores (ExplainOptions::select).
enum class ChannelSelect : uint8_t {
    Variance,  // the K channels whose A_k have the highest variance (Faster Score-CAM)
    Screen,    // one γ = 1 pass for each of the M of highest variance, K of them scored in full
};

struct ExplainOptions {
    int sscam_samples = 35;
    float sscam_sigma = 2.0f;
    uint64_t seed = 0;
    int iscam_samples = 10;
    bool shortcuts = true;   // skip all-zero channels, share passes with equal inputs (see MethodSpec)
    // Fast mode (Faster Score-CAM): score only the `channels` channels whose activations A_k have
    // the highest variance; the others get weight 0 in step 5 of docs/math.md. 0: every channel (exact).
    int channels = 0;
    // Screen: a screening pass f(U_k ⊙ X)_c (Score-CAM's score) for each of the `screen_channels`
    // channels of highest variance; the `channels` of them of highest expected share of the map
    // are scored in full (a method's own γ = 1 pass reusing the screening score), the others'
    // scores are predicted from their screening scores (docs/math.md, "Fast mode").
    // 0: kScreenFactor · channels, and at least a tenth of the layer's channels.
    ChannelSelect select = ChannelSelect::Variance;
    int screen_channels = 0;
};
inline constexpr int kScreenFactor = 8;
// The channels fast mode screens on a layer of `layer_channels` (0 unless it screens), at most
// all of them.
int screened_channels(const ExplainOptions& o, size_t layer_channels);
const char* select_name(ChannelSelect s);
std::optional<ChannelSelect> parse_select(const std::string& s);

// The enum's order is the C API's: bit i (ISCAM_METHOD_*) is Method i.
enum class Method : uint8_t {
    ScoreCAM = 0,
    SSCAM = 1,
    ISCAM = 2,
#ifdef ISCAM_TEST_METHOD
    LinearCAM = 3,  // made up, for tests/test_method_table.cpp only
#endif
};

// What a pass feeds the model. U_k: channel k's upsampled normalised activations; X: the input.
enum class PassKind : uint8_t {
    Scaled,  // γ_i · U_k ⊙ X
    Noised,  // (U_k + δ_ki) ⊙ X, δ_ki ~ N(0, σ²) drawn from (seed, k, i)
    Zero,    // 0 ⊙ X: one pass shared by every constant channel (U_k ≡ 0)
};

// One method. A channel's score s_k is the mean over its passes of (f(pass)_c − b), b the
// baseline f(X)_c (docs/math.md, step 4); the map is the softmax-weighted sum of step 5.
// With options.shortcuts, a Scaled pass is shared by every method whose pass has the same
// channel and the same γ (the same input, so the same score), and a constant channel's passes,
// all 0 ⊙ X, by the one Zero pass. A channel's passes are planned in table order: a method
// shares the passes of the entries above it.
struct MethodSpec {
    Method method;
    const char* name;   // the CLI's, the C API's, Python's and the page's name
    const char* title;
    PassKind kind;      // Scaled or Noised
    // Passes per scored channel: the option that holds N, or 1 pass when null.
    int ExplainOptions::*samples;
    // γ_i of pass i (0-based) of n; 1 for Noised passes.
    float (*gamma)(int i, int n);
};

inline float unit_gamma(int, int) { return 1.0f; }
// IS-CAM's cumulative γ_i = Σ_{j≤i} j/N = i(i+1)/(2N), i = 1..N (here 0-based).
inline float iscam_gamma(int i, int n) { return static_cast<float>(double(i + 1) * (i + 2) / (2.0 * n)); }
#ifdef ISCAM_TEST_METHOD
inline float linear_gamma(int i, int n) { return static_cast<float>(double(i + 1) / n); }
#endif

inline constexpr MethodSpec kMethods[] = {
    // IS-CAM, Naidu et al. 2020, "IS-CAM: Integrated Score-CAM for axiomatic-based explanations",
    // arXiv:2010.03023: s_k = (1/N) Σ_{i=1..N} (f((Σ_{j≤i} j/N) · U_k ⊙ X) − b).
    {Method::ISCAM, "iscam", "IS-CAM", PassKind::Scaled, &ExplainOptions::iscam_samples, iscam_gamma},
    // Score-CAM, Wang et al. 2020, "Score-CAM: Score-Weighted Visual Explanations for
    // Convolutional Neural Networks", arXiv:1910.01279: s_k = f(U_k ⊙ X) − b.
    // With IS-CAM it shares IS-CAM's γ = 1 pass (N = 1, 3, 6, 10, …).
    {Method::ScoreCAM, "scorecam", "Score-CAM", PassKind::Scaled, nullptr, unit_gamma},
    // SS-CAM, Wang et al. 2020, "SS-CAM: Smoothed Score-CAM for Sharper Visual Feature
    // Localization", arXiv:2006.14255: s_k = (1/N) Σ_{j=1..N} (f((U_k + δ_j) ⊙ X) − b).
    {Method::SSCAM, "sscam", "SS-CAM", PassKind::Noised, &ExplainOptions::sscam_samples, unit_gamma},
#ifdef ISCAM_TEST_METHOD
    // Made up for the test of this table: s_k = (1/N) Σ_{i=1..N} (f((i/N) · U_k ⊙ X) − b). It
    // shares IS-CAM's passes where i is a triangular number (the same γ), and Score-CAM's γ = 1.
    {Method::LinearCAM, "linearcam", "Linear-CAM", PassKind::Scaled, &ExplainOptions::iscam_samples, linear_gamma},
#endif
};
constexpr int kMethodCount = int(std::size(kMethods));

const MethodSpec& method_spec(Method m);
const char* method_name(Method m);
const char* method_title(Method m);
std::optional<Method> parse_method(const std::string& s);
// Every method, in the enum's (the C API's) order.
std::vector<Method> all_methods();
// "scorecam, sscam, iscam" for messages.
std::string method_names();

// Which methods a pass's score feeds (bit i = Method i), the C API's ISCAM_METHOD_* bits.
using MethodMask = uint8_t;
constexpr MethodMask mask_of(Method m) { return MethodMask(1u << int(m)); }
MethodMask all_methods_mask();

// Passes per scored channel of method m (its N, or 1).
int passes_per_channel(Method m, const ExplainOptions& o);

// One pass of a channel's plan: its kind, the methods it feeds, the step or sample i (-1 for a
// method of one pass, whose i is not an option's), and γ_i.
struct ChannelPass {
    PassKind kind;
    MethodMask feeds;
    int32_t index;
    float gamma;
};
// The passes one non-constant channel takes for `methods`, sharing as MethodSpec says.
std::vector<ChannelPass> channel_plan(const std::vector<Method>& methods, const ExplainOptions& o);
// The passes of a channel's plan that reuse its screening score (a Scaled pass of γ = 1 when
// the shortcuts are on): 0 or 1.
size_t reuses_screening(const std::vector<ChannelPass>& plan, const ExplainOptions& o);
// Forward passes of a run on a layer of `channels` non-constant channels, fast mode (o.channels,
// o.select) applied, the baseline included: what the page estimates a run's time from.
size_t plan_passes(const std::vector<Method>& methods, const ExplainOptions& o, size_t channels);

// IS-CAM's γ_1..γ_N.
std::vector<float> iscam_coefficients(int n);

// Throws InputError naming the parameter when one is out of bounds.
void validate(const ExplainOptions& o);

}  // namespace iscam
