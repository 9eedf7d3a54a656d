#include "metrics_json.h"

#include <cmath>

namespace iscam {

namespace {

nlohmann::json number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

nlohmann::json numbers(const std::vector<double>& v) {
    nlohmann::json a = nlohmann::json::array();
    for (double x : v) a.push_back(number(x));
    return a;
}

}  // namespace

nlohmann::json metrics_json(const FaithfulnessResult& r, const MetricsOptions& o, const Localisation* localisation) {
    nlohmann::json j = {{"score", score_name(o.score)},
                        {"baseline", baseline_name(o)},
                        {"steps", o.steps},
                        {"score_input", number(r.score)},
                        {"score_masked", number(r.masked_score)},
                        {"average_drop", number(r.average_drop)},
                        {"increase_in_confidence", std::isnan(r.masked_score) ? nlohmann::json(nullptr) : nlohmann::json(int(r.increase))},
                        {"deletion_auc", number(r.deletion_auc)},
                        {"insertion_auc", number(r.insertion_auc)},
                        {"fractions", numbers(r.fractions)},
                        {"deletion_curve", numbers(r.deletion)},
                        {"insertion_curve", numbers(r.insertion)},
                        {"forward_passes", r.forward_passes}};
    if (localisation) {
        j["pointing_game"] = localisation->defined ? nlohmann::json(int(localisation->hit)) : nlohmann::json(nullptr);
        j["energy_pointing_game"] = localisation->defined ? nlohmann::json(localisation->energy) : nlohmann::json(nullptr);
    }
    return j;
}

}  // namespace iscam
