#pragma once
// The bounds every front end enforces (CLI, C API, Python, the page through the WASM bindings),
// named once. Beyond them a request is refused with the parameter's name, not clamped.
namespace iscam {

constexpr int kMaxBatch = 4096;          // masked inputs per inference run
constexpr int kMaxSamples = 10000;       // SS-CAM's and IS-CAM's N
constexpr int kMaxMetricSteps = 100000;  // deletion / insertion steps T
constexpr int kMaxExtraTokens = 1024;    // a token layer's leading tokens left out of the map (--tokens)
constexpr int kMaxGridSide = 8192;       // a token layer's patch grid, each side (--grid)

}  // namespace iscam
