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

std::vector<double> curve(const nlohmann::json& row, const char* key) {
    std::vector<double> v;
    const auto& m = row["metrics"];
    if (!m.contains(key) || !m[key].is_array()) return v;
    for (const auto& x : m[key]) v.push_back(x.is_number() ? x.get<double>() : kNaN);
    return v;
}

// An eval item: its image, and the class it asked for when the list named one.
std::string item_of(const nlohmann::json& row) {
    const std::string image = row.value("image", "");
    const auto requested = row.value("requested_class", nlohmann::json());
    return requested.is_number_integer() ? image + " (class " + std::to_string(requested.get<int>()) + ")" : image;
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
    static const std::vector<MetricSpec> specs = {
        {"average_drop_pct", "Average Drop (%)", false, true, 2, field("metrics", "average_drop", 100)},
        {"increase_in_confidence_pct", "Increase in Confidence (%)", true, true, 2,
         field("metrics", "increase_in_confidence", 100)},
        {"deletion_auc", "Deletion AUC", false, true, 4, field("metrics", "deletion_auc")},
        {"insertion_auc", "Insertion AUC", true, true, 4, field("metrics", "insertion_auc")},
        {"pointing_game_pct", "Pointing game (%)", true, true, 2, field("metrics", "pointing_game", 100)},
        {"energy_pointing_game", "Energy-based pointing game", true, true, 4, field("metrics", "energy_pointing_game")},
        {"ms_per_image", "Time per image (ms)", false, false, 1, field("timings_ms", "total")},
        {"forward_passes", "Forward passes per image", false, false, 0, field("forward_passes", "total")},
    };
    return specs;
}

ResultsData read_results(const std::vector<std::string>& files) {
    ResultsData d;
    d.files = files;
    std::set<std::pair<std::string, std::string>> seen;
    std::map<std::string, std::string> errors;
    for (const std::string& f : files) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(f, ec)) throw InputError("cannot read results file '" + f + "'");
        d.unreadable += read_jsonl(f, [&](const nlohmann::json& j) {
            ++d.lines;
            const std::string item = item_of(j);
            if (j.contains("error")) {
                errors.emplace(item, j["error"].is_string() ? j["error"].get<std::string>() : j["error"].dump());
                return;
            }
            const std::string method = j.value("method", "");
            if (method.empty() || !j.contains("metrics") || !j["metrics"].is_object()) {
                ++d.unreadable;
                return;
            }
            if (!seen.insert({item, method}).second) {
                ++d.duplicates;
                return;
            }
            d.rows[method].push_back(j);
        });
    }
    if (d.rows.empty() && errors.empty()) throw InputError("no results in " + std::to_string(files.size()) + " file(s)");
    for (auto& [method, rows] : d.rows) {
        d.methods.push_back(method);
        std::stable_sort(rows.begin(), rows.end(),
                         [](const nlohmann::json& a, const nlohmann::json& b) { return item_of(a) < item_of(b); });
    }
    std::stable_sort(d.methods.begin(), d.methods.end(),
                     [](const std::string& a, const std::string& b) { return method_order(a) < method_order(b); });
    std::set<std::string> with_rows;
    for (const auto& [method, rows] : d.rows)
        for (const auto& r : rows) with_rows.insert(item_of(r));
    for (const auto& [item, message] : errors)
        if (!with_rows.count(item)) d.errors.emplace(item, message);
    return d;
}

std::vector<MethodSummary> summarise(const ResultsData& data) {
    std::vector<MethodSummary> out;
    for (const std::string& method : data.methods) {
        const auto& rows = data.rows.at(method);
        MethodSummary s;
        s.method = method;
        s.images = rows.size();
        for (const MetricSpec& spec : report_metrics()) {
            std::vector<double> values;
            for (const auto& r : rows)
                if (const auto v = spec.value(r)) values.push_back(*v);
            if (!values.empty()) s.metrics.push_back({&spec, mean_ci95(values)});
        }
        s.fractions = curve(rows.front(), "fractions");
        s.deletion.assign(s.fractions.size(), 0.0);
        s.insertion.assign(s.fractions.size(), 0.0);
        for (const auto& r : rows) {
            if (curve(r, "fractions") != s.fractions) continue;
            const std::vector<double> del = curve(r, "deletion_curve"), ins = curve(r, "insertion_curve");
            if (del.size() != s.fractions.size() || ins.size() != s.fractions.size()) continue;
            for (size_t i = 0; i < del.size(); ++i) {
                s.deletion[i] += del[i];
                s.insertion[i] += ins[i];
            }
            ++s.curve_rows;
        }
        for (size_t i = 0; i < s.fractions.size(); ++i) {
            s.deletion[i] /= double(std::max<size_t>(1, s.curve_rows));
            s.insertion[i] /= double(std::max<size_t>(1, s.curve_rows));
        }
        out.push_back(std::move(s));
    }
    return out;
}

std::vector<WinRate> win_rates(const ResultsData& data) {
    std::vector<WinRate> out;
    for (const MetricSpec& spec : report_metrics()) {
        if (!spec.faithfulness) continue;
        for (const std::string& a : data.methods)
            for (const std::string& b : data.methods) {
                if (a == b) continue;
                std::map<std::string, double> of_b;
                for (const auto& r : data.rows.at(b))
                    if (const auto v = spec.value(r)) of_b[item_of(r)] = *v;
                WinRate w{a, b, &spec, 0, 0};
                double wins = 0;
                for (const auto& r : data.rows.at(a)) {
                    const auto va = spec.value(r);
                    const auto it = of_b.find(item_of(r));
                    if (!va || it == of_b.end()) continue;
                    ++w.n;
                    if (*va == it->second)
                        wins += 0.5;
                    else if ((*va > it->second) == spec.higher_is_better)
                        wins += 1;
                }
                if (w.n == 0) continue;
                w.rate = wins / double(w.n);
                out.push_back(w);
            }
    }
    return out;
}

double combined_score(const nlohmann::json& row) {
    const auto ins = number_at(row, "metrics", "insertion_auc"), del = number_at(row, "metrics", "deletion_auc");
    return ins && del ? *ins - *del : kNaN;
}

std::vector<const nlohmann::json*> ranked_rows(const ResultsData& data, const std::string& method) {
    std::vector<const nlohmann::json*> rows;
    for (const auto& r : data.rows.at(method))
        if (std::isfinite(combined_score(r))) rows.push_back(&r);
    std::stable_sort(rows.begin(), rows.end(),
                     [](const nlohmann::json* a, const nlohmann::json* b) { return combined_score(*a) > combined_score(*b); });
    return rows;
}

}  // namespace iscam::cli
