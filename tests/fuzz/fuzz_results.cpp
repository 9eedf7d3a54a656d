// libFuzzer: the results reader of `iscam eval --resume` and `iscam report` on arbitrary bytes as
// a results file: the check of what kind of file it is, and the report's whole reading (rows of
// any shape, any values) up to its page. Anything but an InputError is a fault, and so is a mean,
// an interval end or a curve point that is not finite, or "nan" in a plot.
#include <sys/mman.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "error.h"
#include "jsonl_file.h"
#include "report_data.h"
#include "report_html.h"

using namespace iscam;
using namespace iscam::cli;

namespace {

void check_finite(double v, bool nan_allowed) {
    if (!std::isfinite(v) && !(nan_allowed && std::isnan(v))) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const int fd = memfd_create("results.jsonl", 0);
    if (fd < 0 || ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != ssize_t(size)) std::abort();
    const std::string path = "/proc/self/fd/" + std::to_string(fd);
    (void)results_file_kind(path);
    try {
        const ResultsData d = read_results({path});
        const auto summaries = summarise(d);
        for (const auto& s : summaries) {
            for (const auto& [spec, v] : s.metrics) {
                check_finite(v.mean, false);
                check_finite(v.low, v.n < 2);
                check_finite(v.high, v.n < 2);
            }
            for (size_t i = 0; i < s.fractions.size(); ++i) {
                check_finite(s.deletion[i], false);
                check_finite(s.insertion[i], false);
            }
        }
        const auto wins = win_rates(d);
        const std::string html = report_html({d, summaries, wins, 0});
        for (const char* bad : {"=\"nan", "=\"-nan", "=\"inf", "=\"-inf"})
            if (html.find(bad) != std::string::npos) std::abort();
    } catch (const InputError&) {
    }
    return 0;
}
