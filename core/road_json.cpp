#include "road_json.h"

namespace iscam {

nlohmann::json road_json(const RoadResult& r, const RoadOptions& o) {
    return {{"percentages", r.percentages},
            {"morf_curve", r.morf},
            {"lerf_curve", r.lerf},
            {"morf_auc", r.morf_auc},
            {"lerf_auc", r.lerf_auc},
            {"morf_mean", r.morf_mean},
            {"lerf_mean", r.lerf_mean},
            {"score_input", r.score},
            {"score", score_name(o.score)},
            {"noise", o.noise},
            {"seed", o.seed},
            {"imputation", "noisy_linear"},
            {"forward_passes", r.forward_passes}};
}

}  // namespace iscam
