// iscam report: merges `iscam eval` results (shards, reruns) into one HTML page, a CSV summary and
// a table on stdout.
#include <cmath>
#include <cstdio>

#include "commands.h"
#include "error.h"
#include "methods.h"
#include "output_files.h"
#include "report_data.h"
#include "report_html.h"

namespace iscam::cli {

namespace {

std::string csv_summary(const std::vector<MethodSummary>& summaries) {
    std::string csv = "method,metric,n,mean,ci95_low,ci95_high\n";
    char line[256];
    for (const auto& s : summaries)
        for (const auto& [spec, v] : s.metrics) {
            std::snprintf(line, sizeof line, "%s,%s,%zu,%.9g,%.9g,%.9g\n", s.method.c_str(), spec->key, v.n, v.mean,
                          v.low, v.high);
            csv += line;
        }
    return csv;
}

// A Markdown table: rows are metrics, columns methods, "mean ± half-width".
void print_table(const std::vector<MethodSummary>& summaries) {
    std::printf("| metric |");
    for (const auto& s : summaries) {
        const auto m = parse_method(s.method);
        std::printf(" %s (n = %zu) |", m ? method_title(*m) : s.method.c_str(), s.images);
    }
    std::printf("\n|---|");
    for (size_t i = 0; i < summaries.size(); ++i) std::printf("---|");
    std::printf("\n");
    for (const MetricSpec& spec : report_metrics()) {
        std::string row = std::string("| ") + spec.title + (spec.higher_is_better ? " ↑" : " ↓") + " |";
        bool any = false;
        for (const auto& s : summaries) {
            const auto it = std::find_if(s.metrics.begin(), s.metrics.end(), [&](const auto& m) { return m.first == &spec; });
            if (it == s.metrics.end()) {
                row += " – |";
                continue;
            }
            any = true;
            const Interval& v = it->second;
            row += " " + format_number(v.mean, spec.digits);
            if (!std::isnan(v.low)) row += " ± " + format_number((v.high - v.low) / 2, spec.digits);
            row += " |";
        }
        if (any) std::printf("%s\n", row.c_str());
    }
}

}  // namespace

std::function<int()> add_report_command(CLI::App& app) {
    auto* cmd = app.add_subcommand("report", "merge `iscam eval` results into an HTML report (tables, curves, images)");
    auto files = std::make_shared<std::vector<std::string>>();
    auto html = std::make_shared<std::string>();
    auto csv = std::make_shared<std::string>();
    auto thumbnails = std::make_shared<int>(4);
    cmd->add_option("results", *files, "results files of `iscam eval` (JSON lines), e.g. shards")->required();
    cmd->add_option("--html", *html, "the report page (one self-contained HTML file)");
    cmd->add_option("--csv", *csv, "summary table: method, metric, n, mean, ci95_low, ci95_high");
    cmd->add_option("--thumbnails", *thumbnails, "best and worst images shown per method")->capture_default_str()->check(CLI::Range(0, 100));
    return [=] {
        OutputFiles outputs;  // both written at the end, each whole or not at all
        outputs.plan(*html, "--html");
        outputs.plan(*csv, "--csv");
        const ResultsData data = read_results(*files);
        const std::vector<MethodSummary> summaries = summarise(data);
        const std::vector<WinRate> wins = win_rates(data);
        size_t images = 0;
        for (const auto& s : summaries) images = std::max(images, s.images);
        std::printf("%zu lines from %zu files: %zu images, %zu errors, %zu duplicate rows counted once%s\n", data.lines,
                    files->size(), images, data.errors.size(), data.duplicates,
                    data.unreadable ? (", " + std::to_string(data.unreadable) + " unreadable lines skipped").c_str() : "");
        if (data.wrong_shape) std::printf("%zu rows of the wrong shape skipped\n", data.wrong_shape);
        if (data.left_out)
            std::printf("%zu values not finite or out of range left out of means and curves\n", data.left_out);
        if (!summaries.empty()) print_table(summaries);
        if (!html->empty()) outputs.set(*html, report_html({data, summaries, wins, *thumbnails}));
        if (!csv->empty()) outputs.set(*csv, csv_summary(summaries));
        outputs.commit();
        if (!html->empty()) std::printf("html: %s\n", html->c_str());
        if (!csv->empty()) std::printf("csv:  %s\n", csv->c_str());
        return 0;
    };
}

}  // namespace iscam::cli
