#pragma once
// The C API's result: one run of the engine, owning everything its getters hand out, so that it
// outlives the context that made it.
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "explain_run.h"
#include "image.h"
#include "iscam/iscam.h"

struct iscam_result {
    iscam::ExplainRun run;                   // the explainer (activations, input), logits, timings
    std::vector<unsigned> methods;           // ISCAM_METHOD_* bits, in the explainer's order
    std::vector<iscam::CamResult> maps;      // one per method
    std::string model, layer, class_label;
    std::string contrast_label;              // "" when not contrastive or unlabelled
    std::optional<iscam::Image> image;       // none when explained from a tensor
    std::string json;                        // made on the first iscam_result_json
    std::once_flag json_made;                // results may be read by several threads at once
};
