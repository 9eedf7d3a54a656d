#pragma once
// A small analytic classifier f(X) = Σ_p g_p·tanh(X_p) over fixed activations and input, so the
// engine's every number can be computed from docs/math.md in a test. Channel 1 is all zero, channel 4
// constant.
#include <algorithm>
#include <cmath>
#include <vector>

#include "explainer.h"

struct AnalyticProblem {
    iscam::Shapes shapes;
    std::vector<float> activations, input, g;
    explicit AnalyticProblem(iscam::Shapes s) : shapes(s) {
        const size_t hw = shapes.map_size(), n = shapes.input_size();
        for (size_t i = 0; i < shapes.K * hw; ++i) activations.push_back(std::sin(0.7f * float(i)) * float(i % 5));
        std::fill_n(&activations[1 * hw], hw, 0.0f);
        std::fill_n(&activations[4 * hw], hw, 2.5f);
        for (size_t i = 0; i < n; ++i) input.push_back(std::cos(0.3f * float(i)));
        for (size_t i = 0; i < n; ++i) g.push_back(std::sin(1.3f * float(i)) + 0.2f);
    }
    float f(const float* x) const {
        double s = 0;
        for (size_t i = 0; i < input.size(); ++i) s += g[i] * std::tanh(x[i]);
        return float(s);
    }
    float baseline() const { return f(input.data()); }
    // Runs an ask/tell engine (an Explainer, or a teaching probe) to the end with f as the model.
    template <class Engine>
    void drive(Engine& ex, size_t batch = 7) const {
        std::vector<float> buf(batch * shapes.input_size()), scores(batch);
        while (!ex.done()) {
            const size_t n = ex.next_batch(buf.data(), batch);
            for (size_t i = 0; i < n; ++i) scores[i] = f(&buf[i * shapes.input_size()]);
            ex.tell(scores.data(), n);
        }
    }
};
