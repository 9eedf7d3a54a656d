#pragma once
// The `metrics` object of a result (CLI --json and eval lines, the page's download).
#include <nlohmann/json.hpp>

#include "metrics.h"
#include "metrics_localisation.h"

namespace iscam {

// {score, baseline, steps, score_input, score_masked, average_drop, increase_in_confidence (1/0),
//  deletion_auc, insertion_auc, fractions, deletion_curve, insertion_curve, forward_passes,
//  and with a ground truth pointing_game (1/0) and energy_pointing_game (null where S ≡ 0)}.
// Values not known yet are null.
nlohmann::json metrics_json(const FaithfulnessResult& r, const MetricsOptions& o, const Localisation* localisation = nullptr);

}  // namespace iscam
