#include "report_data.h"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <filesystem>
#include <limits>
#include <set>

#include "error.h"
#include "jsonl_file.h"
#include "methods.h"

namespace iscam::cli {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::optional<double> number_at(const nlohmann::json& row, const char* object, const char* key, double scale = 1) {
    if (!row.contains(object)) return std::nullopt;
    const auto& o = row[object];
    if (!o.is_object() || !o.contains(key) || !o[key].is_number()) return std::nullopt;
    return o[key].get<double>() * scale;
}

// The row's curve `key`: its numbers, or none when it has no such array.
std::optional<std::vector<double>> curve(const nlohmann::json& metrics, const char* key) {
    const auto it = metrics.find(key);
    if (it == metrics.end() || !it->is_array()) return std::nullopt;
    std::vector<double> v;
    for (const auto& x : *it) v.push_back(x.is_number() ? x.get<double>() : kNaN);
    return v;
}

// The sanity checks' similarity of the row's method at row.sanity.steps[step] (-1: the last step) or,
// with step = none, of the random-logit test.
std::optional<double> sanity_value(const nlohmann::json& row, std::optional<int> step, const char* key) {
    const auto sanity = row.find("sanity");
    if (sanity == row.end() || !sanity->is_object() || !row["method"].is_string()) return std::nullopt;
    const nlohmann::json* at = nullptr;
    if (!step) {
        if (sanity->contains("random_logit")) at = &(*sanity)["random_logit"];
    } else if (sanity->contains("steps") && (*sanity)["steps"].is_array() && !(*sanity)["steps"].empty()) {
        const auto& steps = (*sanity)["steps"];
        at = &steps[*step < 0 ? steps.size() - 1 : size_t(*step)];
    }
    if (!at || !at->is_object() || !at->contains("similarity")) return std::nullopt;
    return number_at((*at)["similarity"], row["method"].get<std::string>().c_str(), key);
}

bool within(double v, double low, double high) { return std::isfinite(v) && v >= low && v <= high; }

// The row's sanity curve of `key` (row.sanity.steps[i].similarity[method][key]); false when a value
// is missing or outside [-1, 1] (a NaN Spearman, a constant map, is written as null).
bool sanity_curve(const nlohmann::json& row, const char* key, std::vector<double>& out) {
    const auto sanity = row.find("sanity");
    if (sanity == row.end() || !sanity->is_object() || !sanity->contains("steps") || !(*sanity)["steps"].is_array()) return false;
    const std::string method = text_at(row, "method");
    for (const auto& step : (*sanity)["steps"]) {
        const auto v = step.is_object() && step.contains("similarity") ? number_at(step["similarity"], method.c_str(), key)
                                                                         : std::nullopt;
        if (!v || !within(*v, -1, 1)) return false;
        out.push_back(*v);
    }
    return !out.empty();
}

// Huge logits are as wrong as a probability of 2: the bound keeps sums of many rows finite.
constexpr double kLogitBound = 1e15;

// The row as the report keeps it; counts the values it leaves out in `left_out`.
ReportRow report_row(const nlohmann::json& j, const RowItem& item, size_t& left_out) {
    ReportRow r;
    r.item = item;
    r.name = item_name(item);
    const nlohmann::json& metrics = j["metrics"];
    const bool softmax = text_at(metrics, "score", "softmax") == "softmax";
    for (const MetricSpec& spec : report_metrics()) {
        const auto v = spec.value(j);
        const bool free = spec.score_scale && !softmax;
        const bool ok = v && within(*v, free ? -kLogitBound : spec.low, free ? kLogitBound : spec.high);
        if (v && !ok) ++left_out;
        r.values.push_back(ok ? *v : kNaN);
    }
    if (j.contains("sanity") &&
        !(sanity_curve(j, "spearman", r.sanity_spearman) && sanity_curve(j, "ssim", r.sanity_ssim))) {
        r.sanity_spearman.clear();
        r.sanity_ssim.clear();
        ++left_out;
    }
    auto fractions = curve(metrics, "fractions"), deletion = curve(metrics, "deletion_curve"),
         insertion = curve(metrics, "insertion_curve");
    if (!fractions) return r;
    const double bound = softmax ? 1 : kLogitBound;
    const auto all_within = [](const std::optional<std::vector<double>>& c, size_t n, double low, double high) {
        return c && c->size() == n && std::all_of(c->begin(), c->end(), [&](double v) { return within(v, low, high); });
    };
    const size_t n = fractions->size();
    if (n == 0 || !all_within(fractions, n, 0, 1) || !all_within(deletion, n, softmax ? 0 : -bound, bound) ||
        !all_within(insertion, n, softmax ? 0 : -bound, bound)) {
        ++left_out;
        return r;
    }
    r.fractions = std::move(*fractions);
    r.deletion = std::move(*deletion);
    r.insertion = std::move(*insertion);
    return r;
}

int method_order(const std::string& name) {
    const auto m = parse_method(name);
    return m ? int(*m) : kMethodCount;
}

}  // namespace

Interval mean_ci95(const std::vector<double>& values) {
    Interval r;
    r.n = values.size();
    if (r.n == 0) return {0, kNaN, kNaN, kNaN};
    double sum = 0;
    for (double v : values) sum += v;
    r.mean = sum / double(r.n);
    if (r.n < 2) {
        r.low = r.high = kNaN;
        return r;
    }
    double ss = 0;
    for (double v : values) ss += (v - r.mean) * (v - r.mean);
    const double se = std::sqrt(ss / double(r.n - 1)) / std::sqrt(double(r.n));
    const double t = boost::math::quantile(boost::math::students_t(double(r.n - 1)), 0.975);
    r.low = r.mean - t * se;
    r.high = r.mean + t * se;
    return r;
}

const std::vector<MetricSpec>& report_metrics() {
    // A row's value of row[object][key], times scale.
    const auto field = [](const char* object, const char* key, double scale = 1) {
        return [=](const nlohmann::json& r) { return number_at(r, object, key, scale); };
    };
    const auto sanity = [](std::optional<int> step, const char* key) {
        return [=](const nlohmann::json& r) { return sanity_value(r, step, key); };
    };
    constexpr double kMaxMs = 1e9, kMaxPasses = 1e12;  // 11 days; more passes than any run makes
    static const std::vector<MetricSpec> specs = {
        {"average_drop_pct", "Average Drop (%)", false, true, 2, field("metrics", "average_drop", 100), 0, 100, true},
        {"increase_in_confidence_pct", "Increase in Confidence (%)", true, true, 2,
         field("metrics", "increase_in_confidence", 100), 0, 100, false},
        {"deletion_auc", "Deletion AUC", false, true, 4, field("metrics", "deletion_auc"), 0, 1, true},
        {"insertion_auc", "Insertion AUC", true, true, 4, field("metrics", "insertion_auc"), 0, 1, true},
        {"pointing_game_pct", "Pointing game (%)", true, true, 2, field("metrics", "pointing_game", 100), 0, 100, false},
        {"energy_pointing_game", "Energy-based pointing game", true, true, 4, field("metrics", "energy_pointing_game"), 0, 1,
         false},
        {"road_morf_auc", "ROAD MoRF AUC", false, true, 4, field("road", "morf_auc"), 0, 1, true},
        {"road_lerf_auc", "ROAD LeRF AUC", true, true, 4, field("road", "lerf_auc"), 0, 1, true},
        {"sanity_top_spearman", "Sanity: Spearman, top layer re-drawn", false, false, 3, sanity(0, "spearman"), -1, 1, false},
        {"sanity_last_spearman", "Sanity: Spearman, every layer re-drawn", false, false, 3, sanity(-1, "spearman"), -1, 1, false},
        {"sanity_top_ssim", "Sanity: SSIM, top layer re-drawn", false, false, 3, sanity(0, "ssim"), -1, 1, false},
        {"sanity_last_ssim", "Sanity: SSIM, every layer re-drawn", false, false, 3, sanity(-1, "ssim"), -1, 1, false},
        {"random_logit_spearman", "Random logit: Spearman", false, false, 3, sanity(std::nullopt, "spearman"), -1, 1, false},
        {"random_logit_ssim", "Random logit: SSIM", false, false, 3, sanity(std::nullopt, "ssim"), -1, 1, false},
        {"ms_per_image", "Time per image (ms)", false, false, 1, field("timings_ms", "total"), 0, kMaxMs, false},
        {"forward_passes", "Forward passes per image", false, false, 0, field("forward_passes", "total"), 0, kMaxPasses,
         false},
    };
    return specs;
}

ResultsData read_results(const std::vector<std::string>& files) {
    ResultsData d;
    d.files = files;
    std::set<std::pair<RowItem, std::string>> seen;
    std::map<RowItem, std::string> errors;
    for (size_t f = 0; f < files.size(); ++f) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(files[f], ec)) throw InputError("cannot read results file '" + files[f] + "'");
        d.unreadable += read_jsonl(files[f], [&](const nlohmann::json& j, uint64_t offset) {
            ++d.lines;
            const auto row = parse_row(j);
            if (!row) {
                ++d.wrong_shape;
                return;
            }
            if (row->method.empty()) {
                errors.emplace(row->item, row->error);
                return;
            }
            if (!seen.insert({row->item, row->method}).second) {
                ++d.duplicates;
                return;
            }
            if (d.first_row.is_null()) {
                d.first_row = j;
                d.first_row.erase("map");
            }
            ReportRow r = report_row(j, row->item, d.left_out);
            r.file = f;
            r.offset = offset;
            d.rows[row->method].push_back(std::move(r));
        });
    }
    if (d.rows.empty() && errors.empty()) throw InputError("no results in " + std::to_string(files.size()) + " file(s)");
    for (auto& [method, rows] : d.rows) {
        d.methods.push_back(method);
        std::stable_sort(rows.begin(), rows.end(), [](const ReportRow& a, const ReportRow& b) { return a.name < b.name; });
    }
    std::stable_sort(d.methods.begin(), d.methods.end(),
                     [](const std::string& a, const std::string& b) { return method_order(a) < method_order(b); });
    std::set<RowItem> with_rows;
    for (const auto& [method, rows] : d.rows)
        for (const auto& r : rows) with_rows.insert(r.item);
    for (const auto& [item, message] : errors)
        if (!with_rows.count(item)) d.errors.emplace(item_name(item), message);
    return d;
}

std::vector<MethodSummary> summarise(const ResultsData& data) {
    std::vector<MethodSummary> out;
    const auto& specs = report_metrics();
    for (const std::string& method : data.methods) {
        const auto& rows = data.rows.at(method);
        MethodSummary s;
        s.method = method;
        s.images = rows.size();
        for (size_t m = 0; m < specs.size(); ++m) {
            std::vector<double> values;
            for (const auto& r : rows)
                if (!std::isnan(r.values[m])) values.push_back(r.values[m]);
            if (!values.empty()) s.metrics.push_back({&specs[m], mean_ci95(values)});
        }
        const auto with_curves = std::find_if(rows.begin(), rows.end(), [](const ReportRow& r) { return !r.fractions.empty(); });
        if (with_curves != rows.end()) s.fractions = with_curves->fractions;
        s.deletion.assign(s.fractions.size(), 0.0);
        s.insertion.assign(s.fractions.size(), 0.0);
        for (const auto& r : rows) {
            if (r.fractions.empty() || r.fractions != s.fractions) continue;
            for (size_t i = 0; i < r.fractions.size(); ++i) {
                s.deletion[i] += r.deletion[i];
                s.insertion[i] += r.insertion[i];
            }
            ++s.curve_rows;
        }
        for (size_t i = 0; i < s.fractions.size(); ++i) {
            s.deletion[i] /= double(std::max<size_t>(1, s.curve_rows));
            s.insertion[i] /= double(std::max<size_t>(1, s.curve_rows));
        }
        const auto with_sanity = std::find_if(rows.begin(), rows.end(), [](const ReportRow& r) { return !r.sanity_spearman.empty(); });
        const size_t steps = with_sanity == rows.end() ? 0 : with_sanity->sanity_spearman.size();
        s.sanity_spearman.assign(steps, 0.0);
        s.sanity_ssim.assign(steps, 0.0);
        for (const auto& r : rows) {
            if (steps == 0 || r.sanity_spearman.size() != steps) continue;
            for (size_t i = 0; i < steps; ++i) {
                s.sanity_spearman[i] += r.sanity_spearman[i];
                s.sanity_ssim[i] += r.sanity_ssim[i];
            }
            ++s.sanity_rows;
        }
        for (size_t i = 0; i < steps; ++i) {
            s.sanity_spearman[i] /= double(s.sanity_rows);
            s.sanity_ssim[i] /= double(s.sanity_rows);
        }
        out.push_back(std::move(s));
    }
    return out;
}

std::vector<WinRate> win_rates(const ResultsData& data) {
    std::vector<WinRate> out;
    const auto& specs = report_metrics();
    for (size_t m = 0; m < specs.size(); ++m) {
        const MetricSpec& spec = specs[m];
        if (!spec.faithfulness) continue;
        for (const std::string& a : data.methods)
            for (const std::string& b : data.methods) {
                if (a == b) continue;
                std::map<RowItem, double> of_b;
                for (const auto& r : data.rows.at(b))
                    if (!std::isnan(r.values[m])) of_b[r.item] = r.values[m];
                WinRate w{a, b, &spec, 0, 0};
                double wins = 0;
                for (const auto& r : data.rows.at(a)) {
                    const double va = r.values[m];
                    const auto it = of_b.find(r.item);
                    if (std::isnan(va) || it == of_b.end()) continue;
                    ++w.n;
                    if (va == it->second)
                        wins += 0.5;
                    else if ((va > it->second) == spec.higher_is_better)
                        wins += 1;
                }
                if (w.n == 0) continue;
                w.rate = wins / double(w.n);
                out.push_back(w);
            }
    }
    return out;
}

double combined_score(const ReportRow& row) {
    const auto index = [](const char* key) {
        const auto& specs = report_metrics();
        return size_t(std::find_if(specs.begin(), specs.end(), [&](const MetricSpec& s) { return std::string(s.key) == key; }) -
                      specs.begin());
    };
    static const size_t insertion = index("insertion_auc"), deletion = index("deletion_auc");
    return row.values[insertion] - row.values[deletion];
}

std::vector<const ReportRow*> ranked_rows(const ResultsData& data, const std::string& method) {
    std::vector<const ReportRow*> rows;
    for (const auto& r : data.rows.at(method))
        if (std::isfinite(combined_score(r))) rows.push_back(&r);
    std::stable_sort(rows.begin(), rows.end(),
                     [](const ReportRow* a, const ReportRow* b) { return combined_score(*a) > combined_score(*b); });
    return rows;
}

}  // namespace iscam::cli
