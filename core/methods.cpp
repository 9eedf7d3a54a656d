#include "methods.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "error.h"
#include "run_limits.h"

namespace iscam {

const MethodSpec& method_spec(Method m) {
    for (const MethodSpec& s : kMethods)
        if (s.method == m) return s;
    throw std::logic_error("a method without an entry in kMethods");
}

const char* method_name(Method m) { return method_spec(m).name; }
const char* method_title(Method m) { return method_spec(m).title; }

std::optional<Method> parse_method(const std::string& s) {
    for (const MethodSpec& spec : kMethods)
        if (s == spec.name) return spec.method;
    return std::nullopt;
}

std::vector<Method> all_methods() {
    std::vector<Method> out;
    for (int i = 0; i < kMethodCount; ++i) out.push_back(Method(i));
    return out;
}

std::string method_names() {
    std::string out;
    for (Method m : all_methods()) out += (out.empty() ? "" : ", ") + std::string(method_name(m));
    return out;
}

MethodMask all_methods_mask() { return MethodMask((1u << kMethodCount) - 1); }

int passes_per_channel(Method m, const ExplainOptions& o) {
    const MethodSpec& s = method_spec(m);
    return s.samples ? o.*s.samples : 1;
}

std::vector<ChannelPass> channel_plan(const std::vector<Method>& methods, const ExplainOptions& o) {
    std::vector<ChannelPass> plan;
    for (const MethodSpec& s : kMethods) {
        if (std::find(methods.begin(), methods.end(), s.method) == methods.end()) continue;
        const int n = passes_per_channel(s.method, o);
        for (int i = 0; i < n; ++i) {
            const float gamma = s.gamma(i, n);
            auto same_input = [&](const ChannelPass& p) {
                return p.kind == PassKind::Scaled && p.gamma == gamma && !(p.feeds & mask_of(s.method));
            };
            const auto shared = s.kind == PassKind::Scaled && o.shortcuts ? std::find_if(plan.begin(), plan.end(), same_input) : plan.end();
            if (shared != plan.end()) shared->feeds |= mask_of(s.method);
            else plan.push_back({s.kind, mask_of(s.method), s.samples ? i : -1, gamma});
        }
    }
    return plan;
}

int screened_channels(const ExplainOptions& o, size_t layer_channels) {
    if (o.channels <= 0 || o.select != ChannelSelect::Screen) return 0;
    // A wide layer spreads its map over many channels: fewer than a tenth screened missed too much
    // of it (MobileNet v2, 1280 channels: r against exact IS-CAM fell to 0.94 with 64 to 96).
    const size_t asked = o.screen_channels > 0 ? size_t(o.screen_channels)
                                               : std::max(size_t(kScreenFactor) * size_t(o.channels), (layer_channels + 9) / 10);
    return int(std::min(asked, layer_channels));
}

const char* select_name(ChannelSelect s) { return s == ChannelSelect::Screen ? "screen" : "variance"; }

std::optional<ChannelSelect> parse_select(const std::string& s) {
    if (s == "variance") return ChannelSelect::Variance;
    if (s == "screen") return ChannelSelect::Screen;
    return std::nullopt;
}

size_t reuses_screening(const std::vector<ChannelPass>& plan, const ExplainOptions& o) {
    if (!o.shortcuts) return 0;
    return size_t(std::count_if(plan.begin(), plan.end(), [](const ChannelPass& p) { return p.kind == PassKind::Scaled && p.gamma == 1.0f; }));
}

size_t plan_passes(const std::vector<Method>& methods, const ExplainOptions& o, size_t channels) {
    validate(o);
    if (methods.empty()) throw InputError("no method to run");
    const std::vector<ChannelPass> plan = channel_plan(methods, o);
    const size_t scored = o.channels > 0 ? std::min(size_t(o.channels), channels) : channels;
    const size_t screened = size_t(screened_channels(o, channels));
    if (screened <= scored) return scored * plan.size() + 1;  // nothing to choose from: every candidate is scored
    return screened + scored * (plan.size() - reuses_screening(plan, o)) + 1;
}

std::vector<float> iscam_coefficients(int n) {
    std::vector<float> g(n);
    for (int i = 0; i < n; ++i) g[i] = iscam_gamma(i, n);
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
    if (o.select == ChannelSelect::Screen && o.channels == 0)
        throw InputError("screening chooses fast mode's channels: give the channel count K too");
    if (o.screen_channels < 0 || o.screen_channels > (1 << 20))
        throw InputError("the screened channel count must be between 1 and 1048576 (0: " + std::to_string(kScreenFactor) + " times K, and at least a tenth of the layer)");
    if (o.screen_channels > 0 && o.screen_channels <= o.channels)
        throw InputError("the screened channel count (" + std::to_string(o.screen_channels) +
                         ") must be larger than the channels scored (" + std::to_string(o.channels) + ")");
}

}  // namespace iscam
