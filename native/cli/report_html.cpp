#include "report_html.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "colormap.h"
#include "error.h"
#include "image.h"
#include "jsonl_file.h"
#include "methods.h"

namespace iscam::cli {

namespace {

const char* const kColours[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"};
constexpr int kThumb = 112;

const char* kStyle = R"(
body{font:14px/1.45 "DejaVu Sans",system-ui,sans-serif;margin:24px auto;max-width:1120px;padding:0 16px;color:#222}
h1{font-size:22px;margin-bottom:4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ccc}h3{font-size:15px;margin:12px 0 4px}
table{border-collapse:collapse;margin:6px 0 12px}th,td{padding:3px 10px;text-align:right;border-bottom:1px solid #e4e4e4;white-space:nowrap}
th:first-child,td:first-child{text-align:left}thead th{border-bottom:1.5px solid #888}.best{font-weight:700}
.muted{color:#666}.grid{display:flex;flex-wrap:wrap;gap:8px 32px}.thumbs{display:flex;flex-wrap:wrap;gap:8px}
figure{margin:0}.thumb figcaption{font-size:11px;width:112px;overflow-wrap:anywhere}.thumb img{width:112px;image-rendering:auto}
svg text{font:11px "DejaVu Sans",sans-serif}
@media print{body{margin:0;max-width:none;font-size:11px}section{break-inside:avoid}h2{break-after:avoid}}
)";

std::string escape(const std::string& s) {
    std::string out;
    for (char c : s) switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    return out;
}

// RFC 4648 Base64 for the data URLs: none of the libraries in use offers an encoder.
std::string base64(const std::vector<uint8_t>& bytes) {
    static const char* abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (size_t i = 0; i < bytes.size(); i += 3) {
        const uint32_t n = uint32_t(bytes[i]) << 16 | (i + 1 < bytes.size() ? uint32_t(bytes[i + 1]) << 8 : 0) |
                           (i + 2 < bytes.size() ? uint32_t(bytes[i + 2]) : 0);
        out += abc[n >> 18 & 63];
        out += abc[n >> 12 & 63];
        out += i + 1 < bytes.size() ? abc[n >> 6 & 63] : '=';
        out += i + 2 < bytes.size() ? abc[n & 63] : '=';
    }
    return out;
}

std::string title_of(const std::string& method) {
    const auto m = parse_method(method);
    return m ? method_title(*m) : method;
}

std::string interval_text(const Interval& v, int digits) {
    if (std::isnan(v.low)) return format_number(v.mean, digits);
    return format_number(v.mean, digits) + " <span class=\"muted\">[" + format_number(v.low, digits) + ", " +
           format_number(v.high, digits) + "]</span>";
}

std::string settings_text(const ResultsData& d) {
    const auto& first = d.first_row;
    const auto& m = first["metrics"];
    const auto steps = m.find("steps");
    std::ostringstream s;
    s << "model <code>" << escape(text_at(first, "model")) << "</code>, layer <code>" << escape(text_at(first, "layer"))
      << "</code>; score " << escape(text_at(m, "score")) << ", baseline " << escape(text_at(m, "baseline")) << ", "
      << (steps != m.end() && steps->is_number() ? steps->dump() : "?") << " steps";
    return s.str();
}

void overview(std::ostringstream& h, const ReportPage& p) {
    h << "<section><h2>Methods side by side</h2><p class=\"muted\">Mean and 95 % confidence interval (Student's t) over "
         "the images; ↓ lower is better, ↑ higher is better; the best mean of each row is in bold.</p><table><thead><tr><th>metric</th>";
    for (const auto& s : p.summaries) h << "<th>" << escape(title_of(s.method)) << "</th>";
    h << "</tr></thead><tbody>";
    for (const MetricSpec& spec : report_metrics()) {
        std::vector<const Interval*> cells;
        for (const auto& s : p.summaries) {
            const auto it = std::find_if(s.metrics.begin(), s.metrics.end(), [&](const auto& m) { return m.first == &spec; });
            cells.push_back(it == s.metrics.end() ? nullptr : &it->second);
        }
        if (std::all_of(cells.begin(), cells.end(), [](const Interval* c) { return !c; })) continue;
        double best = spec.higher_is_better ? -INFINITY : INFINITY;
        for (const Interval* c : cells)
            if (c) best = spec.higher_is_better ? std::max(best, c->mean) : std::min(best, c->mean);
        h << "<tr><td>" << spec.title << (spec.higher_is_better ? " ↑" : " ↓") << "</td>";
        for (const Interval* c : cells) {
            if (!c) {
                h << "<td>–</td>";
                continue;
            }
            const bool top = spec.faithfulness && p.summaries.size() > 1 && c->mean == best;
            h << "<td" << (top ? " class=\"best\"" : "") << ">" << interval_text(*c, spec.digits) << "</td>";
        }
        h << "</tr>";
    }
    h << "</tbody></table></section>";
}

void method_tables(std::ostringstream& h, const ReportPage& p) {
    h << "<section><h2>Per method</h2><div class=\"grid\">";
    for (const auto& s : p.summaries) {
        h << "<div><h3>" << escape(title_of(s.method)) << "</h3><p class=\"muted\">" << s.images << " images</p>"
          << "<table><thead><tr><th>metric</th><th>n</th><th>mean</th><th>95 % CI</th></tr></thead><tbody>";
        for (const auto& [spec, v] : s.metrics)
            h << "<tr><td>" << spec->title << "</td><td>" << v.n << "</td><td>" << format_number(v.mean, spec->digits)
              << "</td><td>" << (std::isnan(v.low) ? "–" : format_number(v.low, spec->digits) + " – " + format_number(v.high, spec->digits))
              << "</td></tr>";
        h << "</tbody></table></div>";
    }
    h << "</div></section>";
}

void win_tables(std::ostringstream& h, const ReportPage& p) {
    if (p.summaries.size() < 2) return;
    h << "<section><h2>Paired win rates</h2><p class=\"muted\">Share of the images explained by both methods on which the "
         "row's method beats the column's (ties count half).</p><div class=\"grid\">";
    for (const MetricSpec& spec : report_metrics()) {
        if (!spec.faithfulness) continue;
        if (std::none_of(p.wins.begin(), p.wins.end(), [&](const WinRate& w) { return w.metric == &spec; })) continue;
        h << "<div><h3>" << spec.title << (spec.higher_is_better ? " ↑" : " ↓") << "</h3><table><thead><tr><th>beats →</th>";
        for (const auto& s : p.summaries) h << "<th>" << escape(title_of(s.method)) << "</th>";
        h << "</tr></thead><tbody>";
        for (const auto& a : p.summaries) {
            h << "<tr><td>" << escape(title_of(a.method)) << "</td>";
            for (const auto& b : p.summaries) {
                const auto it = std::find_if(p.wins.begin(), p.wins.end(), [&](const WinRate& w) {
                    return w.metric == &spec && w.a == a.method && w.b == b.method;
                });
                h << "<td>" << (it == p.wins.end() ? "–" : format_number(100 * it->rate, 1) + " %") << "</td>";
            }
            h << "</tr>";
        }
        h << "</tbody></table></div>";
    }
    h << "</div></section>";
}

void plot(std::ostringstream& h, const ReportPage& p, const char* title, bool deletion) {
    const double W = 420, H = 260, left = 48, right = 12, top = 24, bottom = 40;
    double lo = 0, hi = 1;
    for (const auto& s : p.summaries)
        for (double v : deletion ? s.deletion : s.insertion) {
            lo = std::min(lo, std::floor(v));
            hi = std::max(hi, std::ceil(v));
        }
    const auto X = [&](double f) { return left + f * (W - left - right); };
    const auto Y = [&](double v) { return top + (hi - v) / (hi - lo) * (H - top - bottom); };
    h << "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << W << "\" height=\"" << H << "\" viewBox=\"0 0 "
      << W << " " << H << "\" role=\"img\" aria-label=\"" << title << "\">";
    h << "<text x=\"" << left << "\" y=\"14\" font-weight=\"bold\">" << title << "</text>";
    for (int i = 0; i <= 4; ++i) {
        const double f = i / 4.0, v = lo + (hi - lo) * i / 4.0;
        h << "<line x1=\"" << X(f) << "\" y1=\"" << Y(lo) << "\" x2=\"" << X(f) << "\" y2=\"" << Y(hi) << "\" stroke=\"#eee\"/>"
          << "<line x1=\"" << X(0) << "\" y1=\"" << Y(v) << "\" x2=\"" << X(1) << "\" y2=\"" << Y(v) << "\" stroke=\"#eee\"/>"
          << "<text x=\"" << X(f) << "\" y=\"" << Y(lo) + 14 << "\" text-anchor=\"middle\">" << format_number(f, 2) << "</text>"
          << "<text x=\"" << left - 6 << "\" y=\"" << Y(v) + 4 << "\" text-anchor=\"end\">" << format_number(v, 2) << "</text>";
    }
    h << "<rect x=\"" << X(0) << "\" y=\"" << Y(hi) << "\" width=\"" << X(1) - X(0) << "\" height=\"" << Y(lo) - Y(hi)
      << "\" fill=\"none\" stroke=\"#888\"/>";
    h << "<text x=\"" << (X(0) + X(1)) / 2 << "\" y=\"" << H - 6 << "\" text-anchor=\"middle\">fraction of positions "
      << (deletion ? "deleted" : "inserted") << " (highest-ranked first)</text>";
    for (size_t i = 0; i < p.summaries.size(); ++i) {
        const auto& s = p.summaries[i];
        const auto& v = deletion ? s.deletion : s.insertion;
        const char* colour = kColours[i % std::size(kColours)];
        h << "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"" << colour << "\" points=\"";
        for (size_t k = 0; k < v.size(); ++k) h << X(s.fractions[k]) << "," << Y(v[k]) << " ";
        h << "\"/>";
    }
    h << "</svg></figure>";
}

void curves(std::ostringstream& h, const ReportPage& p) {
    h << "<section><h2>Mean deletion and insertion curves</h2><p class=\"muted\">The class score as the highest-ranked "
         "positions of the map are deleted (replaced by the baseline; a faithful map drops fast) or inserted into the "
         "baseline (a faithful map rises fast).";
    for (const auto& s : p.summaries)
        if (s.curve_rows != s.images)
            h << " " << escape(title_of(s.method)) << ": " << s.images - s.curve_rows
              << " rows with other fractions left out of the curve.";
    h << "</p><div class=\"grid\">";
    plot(h, p, "Deletion (lower is better)", true);
    plot(h, p, "Insertion (higher is better)", false);
    h << "</div><p>";
    for (size_t i = 0; i < p.summaries.size(); ++i)
        h << "<span style=\"color:" << kColours[i % std::size(kColours)] << "\">━━</span> "
          << escape(title_of(p.summaries[i].method)) << " &nbsp; ";
    h << "</p></section>";
}

// The mean similarity to the original map as layers are re-drawn (1 at step 0), one line per method.
void sanity_plot(std::ostringstream& h, const ReportPage& p, const char* title, bool ssim) {
    const double W = 420, H = 260, left = 48, right = 12, top = 24, bottom = 40;
    size_t steps = 0;
    double lo = 0;
    for (const auto& s : p.summaries) {
        steps = std::max(steps, s.sanity_spearman.size());
        for (double v : ssim ? s.sanity_ssim : s.sanity_spearman) lo = std::min(lo, std::floor(v * 2) / 2);
    }
    const double hi = 1;
    const auto X = [&](double k) { return left + k / double(steps) * (W - left - right); };
    const auto Y = [&](double v) { return top + (hi - v) / (hi - lo) * (H - top - bottom); };
    h << "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << W << "\" height=\"" << H << "\" viewBox=\"0 0 "
      << W << " " << H << "\" role=\"img\" aria-label=\"" << title << "\">";
    h << "<text x=\"" << left << "\" y=\"14\" font-weight=\"bold\">" << title << "</text>";
    for (size_t k = 0; k <= steps; ++k)
        h << "<line x1=\"" << X(double(k)) << "\" y1=\"" << Y(lo) << "\" x2=\"" << X(double(k)) << "\" y2=\"" << Y(hi)
          << "\" stroke=\"#eee\"/><text x=\"" << X(double(k)) << "\" y=\"" << Y(lo) + 14 << "\" text-anchor=\"middle\">" << k
          << "</text>";
    for (double v = lo; v <= hi + 1e-9; v += 0.5)
        h << "<line x1=\"" << X(0) << "\" y1=\"" << Y(v) << "\" x2=\"" << X(double(steps)) << "\" y2=\"" << Y(v)
          << "\" stroke=\"#eee\"/><text x=\"" << left - 6 << "\" y=\"" << Y(v) + 4 << "\" text-anchor=\"end\">" << format_number(v, 1)
          << "</text>";
    h << "<rect x=\"" << X(0) << "\" y=\"" << Y(hi) << "\" width=\"" << X(double(steps)) - X(0) << "\" height=\"" << Y(lo) - Y(hi)
      << "\" fill=\"none\" stroke=\"#888\"/>";
    h << "<text x=\"" << (X(0) + X(double(steps))) / 2 << "\" y=\"" << H - 6
      << "\" text-anchor=\"middle\">layers re-drawn, from the output</text>";
    for (size_t i = 0; i < p.summaries.size(); ++i) {
        const auto& v = ssim ? p.summaries[i].sanity_ssim : p.summaries[i].sanity_spearman;
        if (v.empty()) continue;
        h << "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"" << kColours[i % std::size(kColours)] << "\" points=\""
          << X(0) << "," << Y(1) << " ";
        for (size_t k = 0; k < v.size(); ++k) h << X(double(k + 1)) << "," << Y(v[k]) << " ";
        h << "\"/>";
    }
    h << "</svg></figure>";
}

void sanity_curves(std::ostringstream& h, const ReportPage& p) {
    if (std::none_of(p.summaries.begin(), p.summaries.end(), [](const MethodSummary& s) { return s.sanity_rows > 0; })) return;
    h << "<section><h2>Sanity checks: the map as the model's layers are re-drawn</h2><p class=\"muted\">The mean "
         "similarity of the map on the randomised model to the original map (docs/math.md, \"Sanity checks\"): a map "
         "that is about the model falls towards 0.";
    for (const auto& s : p.summaries)
        if (s.sanity_rows != s.images)
            h << " " << escape(title_of(s.method)) << ": " << s.images - s.sanity_rows << " rows without the same steps left out.";
    h << "</p><div class=\"grid\">";
    sanity_plot(h, p, "Spearman rank correlation", false);
    sanity_plot(h, p, "SSIM", true);
    h << "</div><p>";
    for (size_t i = 0; i < p.summaries.size(); ++i)
        h << "<span style=\"color:" << kColours[i % std::size(kColours)] << "\">━━</span> "
          << escape(title_of(p.summaries[i].method)) << " &nbsp; ";
    h << "</p></section>";
}

// The part of the image the row's map covers (its input_region, x0, y0, x1, y1 in image pixels).
Image covered_part(const Image& image, const nlohmann::json& row) {
    if (!row.contains("input_region")) return image;
    const auto r = row["input_region"].get<std::vector<double>>();
    const int x0 = std::clamp(int(std::lround(r.at(0))), 0, image.width - 1);
    const int y0 = std::clamp(int(std::lround(r.at(1))), 0, image.height - 1);
    const int x1 = std::clamp(int(std::lround(r.at(2))), x0 + 1, image.width);
    const int y1 = std::clamp(int(std::lround(r.at(3))), y0 + 1, image.height);
    if (x0 == 0 && y0 == 0 && x1 == image.width && y1 == image.height) return image;
    Image out;
    out.width = x1 - x0;
    out.height = y1 - y0;
    for (int y = y0; y < y1; ++y)
        out.rgb.insert(out.rgb.end(), image.rgb.begin() + (size_t(y) * image.width + x0) * 3,
                       image.rgb.begin() + (size_t(y) * image.width + x1) * 3);
    return out;
}

std::string thumbnail(const ResultsData& d, const ReportRow& r) {
    const nlohmann::json row = read_jsonl_line(d.files[r.file], r.offset);
    const std::string path = r.item.image;
    const std::string name = std::filesystem::path(text_at(row, "image")).filename().string();
    std::ostringstream h;
    h << "<figure class=\"thumb\">";
    try {
        if (!row.is_object()) throw InputError("the row is no longer in " + d.files[r.file]);
        const Image image = covered_part(load_image(path), row);
        const double scale = double(kThumb) / std::max(image.width, image.height);
        const int w = std::max(1, int(image.width * scale + 0.5)), hgt = std::max(1, int(image.height * scale + 0.5));
        const Image base = resize_image(image, w, hgt);
        std::vector<float> map;
        for (const auto& line : row.at("map"))
            for (float v : line) map.push_back(v);
        const auto shape = row.at("map_shape").get<std::vector<int>>();
        if (shape.size() != 2 || shape[0] < 1 || shape[1] < 1 || map.size() != size_t(shape[0]) * size_t(shape[1]))
            throw InputError("its map does not match its map_shape");
        const Image heat = colorize(map, shape.at(0), shape.at(1), w, hgt, Colormap::Jet);
        h << "<img alt=\"" << escape(text_at(row, "method") + " map over " + name) << "\" src=\"data:image/png;base64,"
          << base64(encode_png(blend(base, heat, 0.5f))) << "\">";
    } catch (const std::exception& e) {
        h << "<div class=\"muted\">(image not readable: " << escape(e.what()) << ")</div>";
    }
    const auto cls = row.is_object() ? row.find("class") : row.end();
    const std::string class_text = cls != row.end() && cls->is_number_integer() ? "class " + cls->dump() : "";
    h << "<figcaption>" << escape(name) << "<br>" << escape(text_at(row, "class_label", class_text))
      << "<br>ins − del " << format_number(combined_score(r), 3) << "</figcaption></figure>";
    return h.str();
}

void best_and_worst(std::ostringstream& h, const ReportPage& p) {
    h << "<section><h2>Best and worst explained images</h2><p class=\"muted\">Ranked by insertion AUC − deletion AUC.</p>";
    for (const auto& s : p.summaries) {
        const auto rows = ranked_rows(p.data, s.method);
        const size_t n = std::min(size_t(p.thumbnails), rows.size() / 2 + rows.size() % 2);
        h << "<h3>" << escape(title_of(s.method)) << "</h3><div class=\"grid\"><div><p>Best</p><div class=\"thumbs\">";
        for (size_t i = 0; i < n; ++i) h << thumbnail(p.data, *rows[i]);
        h << "</div></div><div><p>Worst</p><div class=\"thumbs\">";
        for (size_t i = 0; i < n && rows.size() - 1 - i >= n; ++i) h << thumbnail(p.data, *rows[rows.size() - 1 - i]);
        h << "</div></div></div>";
    }
    h << "</section>";
}

void errors(std::ostringstream& h, const ReportPage& p) {
    if (p.data.errors.empty()) return;
    h << "<section><h2>Errors</h2><p>" << p.data.errors.size() << " images could not be evaluated.</p><table><tbody>";
    size_t shown = 0;
    for (const auto& [image, message] : p.data.errors) {
        if (++shown > 50) break;
        h << "<tr><td>" << escape(image) << "</td><td style=\"text-align:left\">" << escape(message) << "</td></tr>";
    }
    h << "</tbody></table>" << (p.data.errors.size() > 50 ? "<p>…</p>" : "") << "</section>";
}

}  // namespace

std::string format_number(double v, int digits) {
    if (!std::isfinite(v)) return "–";
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", digits, v);
    return text;
}

std::string report_html(const ReportPage& p) {
    const ResultsData& d = p.data;
    size_t images = 0;
    for (const auto& s : p.summaries) images = std::max(images, s.images);
    std::ostringstream h;
    h << "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>iscam evaluation report</title>"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><style>" << kStyle << "</style></head><body>";
    h << "<h1>iscam evaluation report</h1><p>";
    if (!d.rows.empty()) h << settings_text(d) << ".<br>";
    h << images << " images explained, " << d.errors.size() << " errors; " << d.lines << " lines from " << d.files.size()
      << " file" << (d.files.size() == 1 ? "" : "s") << " (" << d.duplicates << " duplicate rows counted once"
      << (d.unreadable ? ", " + std::to_string(d.unreadable) + " unreadable lines skipped" : "")
      << (d.wrong_shape ? ", " + std::to_string(d.wrong_shape) + " rows of the wrong shape skipped" : "")
      << (d.left_out ? ", " + std::to_string(d.left_out) + " values not finite or out of range left out of means and curves" : "")
      << ").</p>";
    if (!d.rows.empty()) {
        overview(h, p);
        method_tables(h, p);
        win_tables(h, p);
        curves(h, p);
        sanity_curves(h, p);
        best_and_worst(h, p);
    }
    errors(h, p);
    h << "<p class=\"muted\">Metrics as in torch-cam's torchcam.metrics (Average Drop and Increase in Confidence: "
         "Grad-CAM++; deletion and insertion: RISE); made by <code>iscam report</code>.</p></body></html>\n";
    return h.str();
}

}  // namespace iscam::cli
