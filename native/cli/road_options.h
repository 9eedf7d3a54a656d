#pragma once
// ROAD on the command line: `iscam explain --road [--road-percentages 10,20,…]` adds a `road`
// object (MoRF / LeRF curves and AUCs, docs/math.md "ROAD") to each result of explain's JSON.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "explain_run.h"

namespace iscam::cli {

struct RoadArgs {
    bool enabled = false;
    std::string percentages = "10,20,30,40,50,60,70,80,90";
    std::string score = "softmax";
};

void add_road_options(CLI::App* cmd, RoadArgs& a);

// Adds `road` to each result of explain's document and prints one line for each; the noise is
// seeded by `seed`. Returns false when Ctrl-C stopped it.
bool add_explain_road(nlohmann::json& doc, const RoadArgs& a, Classifier& model, const Tensor& x, const ExplainRun& run,
                      const ExplainRequest& explain, uint64_t seed);

}  // namespace iscam::cli
