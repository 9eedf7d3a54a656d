#include "road.h"

#include <Eigen/SparseCore>
#include <Eigen/SparseLU>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

#include "error.h"
#include "noise.h"
#include "resample.h"

namespace iscam {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Neighbour {
    int dr, dc;
    double weight;
};
constexpr Neighbour kNeighbours[] = {{1, 1, 1.0 / 12}, {0, 1, 1.0 / 6}, {-1, 1, 1.0 / 12}, {1, -1, 1.0 / 12},
                                     {0, -1, 1.0 / 6}, {-1, -1, 1.0 / 12}, {1, 0, 1.0 / 6}, {-1, 0, 1.0 / 6}};
}  // namespace

void validate(const RoadOptions& o) {
    if (o.percentages.empty()) throw InputError("ROAD needs at least one percentage");
    for (size_t i = 0; i < o.percentages.size(); ++i) {
        const double p = o.percentages[i];
        char text[32];
        std::snprintf(text, sizeof text, "%g", p);
        if (!(p > 0 && p < 100)) throw InputError(std::string("ROAD percentages must lie in (0, 100), got ") + text);
        if (i > 0 && !(p > o.percentages[i - 1]))
            throw InputError(std::string("ROAD percentages must increase, got ") + text + " after a larger or equal one");
    }
    if (!(o.noise >= 0) || !std::isfinite(o.noise)) throw InputError("the ROAD noise must be a finite number >= 0");
}

std::vector<double> parse_percentages(const std::string& s) {
    std::vector<double> out;
    std::stringstream in(s);
    for (std::string item; std::getline(in, item, ',');) {
        size_t used = 0;
        double v = 0;
        try {
            v = std::stod(item, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used == 0 || used != item.size()) throw InputError("percentages take numbers like 10,20,30, got '" + s + "'");
        out.push_back(v);
    }
    RoadOptions o;
    o.percentages = out;
    validate(o);
    return out;
}

int road_count(double p, int positions) {
    return std::clamp(int(std::lround(p * positions / 100.0)), 1, positions - 1);
}

std::vector<float> noisy_linear_imputation(const float* x, int C, int H, int W, const std::vector<uint8_t>& removed,
                                           float sigma, uint64_t seed, uint32_t stream) {
    const int P = H * W;
    std::vector<int> unknown(P, -1);
    int n = 0;
    for (int q = 0; q < P; ++q)
        if (removed[q]) unknown[q] = n++;
    std::vector<float> out(x, x + size_t(C) * P);
    if (n == 0) return out;
    if (n == P) throw InputError("ROAD cannot impute an input with every position removed");
    std::vector<Eigen::Triplet<double>> entries;
    Eigen::MatrixXd b = Eigen::MatrixXd::Zero(n, C);
    for (int q = 0; q < P; ++q) {
        const int i = unknown[q];
        if (i < 0) continue;
        const int r = q / W, c = q % W;
        double diagonal = 0;
        for (const Neighbour& nb : kNeighbours) {
            const int rr = r + nb.dr, cc = c + nb.dc;
            if (rr < 0 || rr >= H || cc < 0 || cc >= W) continue;
            diagonal += nb.weight;
            const int j = rr * W + cc;
            if (unknown[j] >= 0) entries.emplace_back(i, unknown[j], nb.weight);
            else for (int ch = 0; ch < C; ++ch) b(i, ch) -= nb.weight * double(x[size_t(ch) * P + j]);
        }
        entries.emplace_back(i, i, -diagonal);
    }
    Eigen::SparseMatrix<double> A(n, n);
    A.setFromTriplets(entries.begin(), entries.end());
    Eigen::SparseLU<Eigen::SparseMatrix<double>> solver;
    solver.compute(A);
    if (solver.info() != Eigen::Success) throw InputError("ROAD's imputation system is singular");
    const Eigen::MatrixXd v = solver.solve(b);
    std::vector<float> z(P);
    for (int ch = 0; ch < C; ++ch) {
        noise_field(seed, stream, uint32_t(ch), sigma, z.data(), size_t(P));
        for (int q = 0; q < P; ++q)
            if (unknown[q] >= 0) out[size_t(ch) * P + q] = float(v(unknown[q], ch) + double(z[q]));
    }
    return out;
}

RoadEvaluator::RoadEvaluator(const RoadOptions& options, int C, int H, int W, const float* input, const float* map,
                             int h, int w, const float* logits, size_t classes, int cls)
    : options_(options), C_(C), H_(H), W_(W), classes_(classes), cls_(cls) {
    validate(options_);
    if (C < 1 || H < 1 || W < 1 || h < 1 || w < 1 || size_t(H) * W < 2) throw InputError("ROAD needs an input of 2 or more positions");
    if (classes < 1 || cls < 0 || size_t(cls) >= classes)
        throw InputError("class " + std::to_string(cls) + " is out of range: the model has " + std::to_string(classes) +
                         " classes");
    const size_t HW = size_t(H) * W;
    if (!std::all_of(map, map + size_t(h) * w, [](float v) { return std::isfinite(v); }))
        throw InputError("the map holds values that are not finite");
    input_.assign(input, input + size_t(C) * HW);
    std::vector<float> saliency(HW);
    BilinearResizer(h, w, H, W)(map, saliency.data());
    ranks_ = saliency_ranks(saliency.data(), HW);
    r_.score = class_score(logits, classes, cls, options_.score);
    r_.percentages = options_.percentages;
    r_.morf.assign(r_.percentages.size(), kNaN);
    r_.lerf.assign(r_.percentages.size(), kNaN);
    total_ = 2 * r_.percentages.size();
    r_.forward_passes = total_;
}

std::vector<uint8_t> RoadEvaluator::removed(size_t pass) const {
    const int P = H_ * W_;
    const int n = road_count(options_.percentages[pass / 2], P);
    const bool morf = pass % 2 == 0;
    std::vector<uint8_t> mask(P);
    for (int q = 0; q < P; ++q) mask[q] = morf ? ranks_[q] < n : ranks_[q] >= P - n;
    return mask;
}

size_t RoadEvaluator::next_batch(float* batch, size_t capacity) {
    const size_t count = std::min(capacity, total_ - next_);
    const size_t values = size_t(C_) * H_ * W_;
    for (size_t i = 0; i < count; ++i, ++next_) {
        const std::vector<float> x = noisy_linear_imputation(input_.data(), C_, H_, W_, removed(next_), options_.noise,
                                                             options_.seed, uint32_t(next_));
        std::copy(x.begin(), x.end(), batch + i * values);
    }
    return count;
}

void RoadEvaluator::tell(const float* logits, size_t n, size_t classes) {
    if (classes != classes_ || told_ + n > next_) throw std::logic_error("RoadEvaluator::tell: more scores than inputs");
    for (size_t i = 0; i < n; ++i, ++told_) {
        const double s = class_score(logits + i * classes, classes, cls_, options_.score);
        (told_ % 2 == 0 ? r_.morf : r_.lerf)[told_ / 2] = s;
    }
}

RoadResult RoadEvaluator::result() const {
    RoadResult r = r_;
    if (!done()) {
        r.morf_auc = r.lerf_auc = r.morf_mean = r.lerf_mean = kNaN;
        return r;
    }
    std::vector<double> x{0}, morf{r.score}, lerf{r.score};
    double morf_sum = 0, lerf_sum = 0;
    for (size_t i = 0; i < r.percentages.size(); ++i) {
        x.push_back(r.percentages[i] / 100);
        morf.push_back(r.morf[i]);
        lerf.push_back(r.lerf[i]);
        morf_sum += r.morf[i];
        lerf_sum += r.lerf[i];
    }
    r.morf_auc = trapezoid(morf, x);
    r.lerf_auc = trapezoid(lerf, x);
    r.morf_mean = morf_sum / double(r.percentages.size());
    r.lerf_mean = lerf_sum / double(r.percentages.size());
    return r;
}

}  // namespace iscam
