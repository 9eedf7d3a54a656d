#pragma once
// The HTML page of `iscam report`: one self-contained file (inline CSS, SVG plots and PNG
// thumbnails as data URLs, no script, no network), readable in a browser and printable.
#include <string>
#include <vector>

#include "report_data.h"

namespace iscam::cli {

struct ReportPage {
    const ResultsData& data;
    const std::vector<MethodSummary>& summaries;
    const std::vector<WinRate>& wins;
    int thumbnails = 4;  // best and worst images shown per method
};

std::string report_html(const ReportPage& page);

// "12.35" with `digits` decimals; "–" for NaN.
std::string format_number(double v, int digits);

}  // namespace iscam::cli
