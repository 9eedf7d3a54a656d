#pragma once
// The faithfulness metrics on the command line: the options of `iscam explain --metrics` and
// `iscam eval` (--steps, --baseline, --score, --box, --mask), the ground truth they describe,
// and the `metrics` object they add to explain's result JSON.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "explain_run.h"
#include "metrics.h"
#include "metrics_localisation.h"
#include "preprocess.h"

namespace iscam::cli {

struct MetricsArgs {
    std::string kinds;  // explain's --metrics: "faithfulness", "road" or both, comma separated; empty when not asked
    bool faithfulness() const { return kinds.find("faithfulness") != std::string::npos; }
    bool road() const { return kinds.find("road") != std::string::npos; }
    int steps = 20;
    std::string baseline = "zeros", score = "softmax", box, mask;
};

// with_switch: explain's --metrics [faithfulness|road|faithfulness,road], which the other options need; with_truth: --box and
// --mask (eval takes them from its list instead).
void add_metrics_options(CLI::App* cmd, MetricsArgs& a, bool with_switch, bool with_truth);

MetricsOptions metrics_options(const MetricsArgs& a);  // throws InputError

// G for an image of image_width×image_height fed to the model at H×W through `window`, from a
// box "x0,y0,x1,y1" in image pixels or a mask PNG of the image's size; none when both are empty.
std::optional<GroundTruth> ground_truth(const std::string& box, const std::string& mask, int image_width,
                                        int image_height, int H, int W, const InputWindow& window);

// The image the box or mask refers to: its size and where the input sits in it. Without an image
// (an .npy input) the input itself, H×W.
struct TruthFrame {
    int width = 0, height = 0;
    InputWindow window;
};
TruthFrame truth_frame(const Image* image, const Preprocess& p, const Tensor& x);

// Adds `metrics` to each result of explain's document (one result, or {"results": [...]}) and
// prints one line for each. Returns false when Ctrl-C stopped it.
bool add_explain_metrics(nlohmann::json& doc, const MetricsArgs& a, Classifier& model, const Tensor& x,
                         const ExplainRun& run, const ExplainRequest& explain, const TruthFrame& frame);

}  // namespace iscam::cli
