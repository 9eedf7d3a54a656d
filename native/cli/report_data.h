#pragma once
// What `iscam report` computes from `iscam eval` results: the merged rows (a duplicate row is
// counted once), the mean and 95 % confidence interval of each metric per method, paired win
// rates, the mean deletion and insertion curves, the mean curves of the sanity checks, and the best
// and worst images. The files are
// streamed: a row is kept as its item, its values and curves, and where to read it again.
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "results_row.h"

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
    double low, high;   // the values that can be; others are left out (and counted)
    bool score_scale;   // on the score's scale: [low, high] for softmax, any finite value for logits
};
const std::vector<MetricSpec>& report_metrics();

// A row as the report keeps it.
struct ReportRow {
    RowItem item;
    std::string name;                              // item_name(item)
    std::vector<double> values;                    // one for each of report_metrics(); NaN: none
    std::vector<double> fractions, deletion, insertion;  // empty: none, or left out
    std::vector<double> sanity_spearman, sanity_ssim;    // per randomised step; empty: none, or left out
    size_t file = 0;                               // index into ResultsData::files
    uint64_t offset = 0;                           // where its line starts in that file
};

struct ResultsData {
    std::vector<std::string> files;
    std::vector<std::string> methods;                         // scorecam, sscam, iscam order
    // A row is an item and a method, counted once however often it appears.
    std::map<std::string, std::vector<ReportRow>> rows;       // per method, sorted by item
    std::map<std::string, std::string> errors;                // item → message, items without any row
    nlohmann::json first_row;                                 // the settings shown (its map left out)
    size_t lines = 0, duplicates = 0, unreadable = 0, wrong_shape = 0;
    size_t left_out = 0;  // values (a row's curves count as one) not finite or out of their range
};
// Throws InputError when a file cannot be read or holds no result.
ResultsData read_results(const std::vector<std::string>& files);

struct MethodSummary {
    std::string method;
    size_t images = 0;
    std::vector<std::pair<const MetricSpec*, Interval>> metrics;  // those with values
    std::vector<double> fractions, deletion, insertion;           // mean curves
    size_t curve_rows = 0;                                        // rows sharing the first row's fractions
    std::vector<double> sanity_spearman, sanity_ssim;             // mean sanity curves, step 1 first
    size_t sanity_rows = 0;                                       // rows with as many steps as the first
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
std::vector<const ReportRow*> ranked_rows(const ResultsData& data, const std::string& method);
double combined_score(const ReportRow& row);

}  // namespace iscam::cli
