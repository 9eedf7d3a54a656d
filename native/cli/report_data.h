#pragma once
// What `iscam report` computes from `iscam eval` results: the merged rows (a duplicate row is
// counted once), the mean and 95 % confidence interval of each metric per method, paired win
// rates, the mean deletion and insertion curves, and the best and worst images.
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace iscam::cli {

struct Interval {
    size_t n = 0;
    double mean = 0, low = 0, high = 0;  // low/high: mean ∓ t(0.975, n−1)·s/√n; NaN for n < 2
};
// Student's t interval of the mean.
Interval mean_ci95(const std::vector<double>& values);

struct MetricSpec {
    const char* key;    // column name in the CSV summary
    const char* title;  // for people
    bool higher_is_better;
    bool faithfulness;  // compared in the paired win rates
    int digits;         // decimals shown
    std::function<std::optional<double>(const nlohmann::json& row)> value;
};
const std::vector<MetricSpec>& report_metrics();

struct ResultsData {
    std::vector<std::string> files;
    std::vector<std::string> methods;                         // scorecam, sscam, iscam order
    // An item is an image, with " (class N)" when the list asked for a class: a row is an item and
    // a method, counted once however often it appears.
    std::map<std::string, std::vector<nlohmann::json>> rows;  // per method, sorted by item
    std::map<std::string, std::string> errors;                // item → message, items without any row
    size_t lines = 0, duplicates = 0, unreadable = 0;
};
// Throws InputError when a file cannot be read or holds no result.
ResultsData read_results(const std::vector<std::string>& files);

struct MethodSummary {
    std::string method;
    size_t images = 0;
    std::vector<std::pair<const MetricSpec*, Interval>> metrics;  // those with values
    std::vector<double> fractions, deletion, insertion;           // mean curves
    size_t curve_rows = 0;                                        // rows sharing the first row's fractions
};
std::vector<MethodSummary> summarise(const ResultsData& data);

struct WinRate {
    std::string a, b;
    const MetricSpec* metric;
    size_t n = 0;     // items with both
    double rate = 0;  // share of them where a beats b, ties counted half
};
std::vector<WinRate> win_rates(const ResultsData& data);

// insertion AUC − deletion AUC: the images a method explains best and worst (ties by image name).
std::vector<const nlohmann::json*> ranked_rows(const ResultsData& data, const std::string& method);
double combined_score(const nlohmann::json& row);

}  // namespace iscam::cli
