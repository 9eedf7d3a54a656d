#pragma once
// The `road` object of a result (the CLI's `explain --road --json`, the page's worker).
#include <nlohmann/json.hpp>

#include "road.h"

namespace iscam {

// {percentages, morf_curve, lerf_curve, morf_auc, lerf_auc, morf_mean, lerf_mean, score_input,
//  score, noise, seed, imputation, forward_passes}; values not known yet are null.
nlohmann::json road_json(const RoadResult& r, const RoadOptions& o);

}  // namespace iscam
