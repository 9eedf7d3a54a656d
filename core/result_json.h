#pragma once
// The result document shared by the CLI's --json and the page's download.
#include <nlohmann/json.hpp>
#include <string>

#include "explainer.h"

namespace iscam {

struct ResultContext {
    std::string model, layer, class_label;
    int class_index = 0;
    size_t total_forward_passes = 0;  // every pass of the run, the baseline included
    int contrast_class = -1;          // B of a contrastive map (docs/math.md); -1: none
    std::string contrast_label;
};

// {method, layer, class, class_label, [contrast_class, contrast_label,] map (h rows of w),
//  weights (K, null = skipped), scores, forward_passes, options, timings_ms {inference, other, total}}
nlohmann::json result_json(const CamResult& r, const Explainer& ex, const ResultContext& ctx);

// Sets timings_ms {inference, other, total} at the top and in every result.
void set_timings(nlohmann::json& j, double inference_ms, double other_ms);

// A method's own options ({samples, sigma, seed} as its table entry takes them); null for none.
nlohmann::json method_options_json(Method m, const ExplainOptions& o);

// One object for one method; {"results": [...], ...} for several.
nlohmann::json run_json(const Explainer& ex, const ResultContext& ctx);

}  // namespace iscam
