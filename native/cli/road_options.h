#pragma once
// ROAD on the command line: `iscam explain --road [--road-percentages 10,20,…]` adds a `road`
// object (MoRF / LeRF curves and AUCs, docs/math.md "ROAD") to each result of explain's JSON.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "explain_run.h"
#include "road.h"

namespace iscam::cli {

struct RoadArgs {
    bool enabled = false;
    std::string percentages = "10,20,30,40,50,60,70,80,90";
    std::string score = "softmax";
};

// --road and --road-percentages, and with `with_score` --road-score (eval scores ROAD as its metrics).
void add_road_options(CLI::App* cmd, RoadArgs& a, bool with_score = true);

// The options the flags give; the noise is seeded by `seed`.
RoadOptions road_options(const RoadArgs& a, uint64_t seed);

// Adds `road` to each result of explain's document and prints one line for each; the noise is
// seeded by `seed`. Returns false when Ctrl-C stopped it.
bool add_explain_road(nlohmann::json& doc, const RoadArgs& a, Classifier& model, const Tensor& x, const ExplainRun& run,
                      const ExplainRequest& explain, uint64_t seed);

}  // namespace iscam::cli
