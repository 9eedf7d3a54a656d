#pragma once
// The rows of an `iscam eval` results file as `eval --resume` and `iscam report` read them back:
// the mark that opens every row (so that a file's first line and its torn tail tell whether the
// file is ours before anything in it is cut), how an image path is written (losslessly, even when
// it is not UTF-8), and the checks that a row read from disk has the shape the readers rely on.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace iscam::cli {

// The first bytes of every row eval writes.
inline constexpr std::string_view kRowMark = R"({"format":"iscam-eval-1",)";

// `row` as one line of text: the mark, the row's fields, a newline. Text that is not UTF-8 (in an
// error message) is written with U+FFFD in its place.
std::string row_text(const nlohmann::json& row);

// Whether `text` (a first line, or a torn last line) can be the start of one of our rows.
bool is_row_start(std::string_view text);

// Sets row["image"] to `path`; when the path is not UTF-8 (a Linux name may be any bytes), "image"
// has U+FFFD for each bad byte and "image_hex" holds every byte of the path in hex, so that the
// path reads back exactly.
void put_image_path(nlohmann::json& row, const std::string& path);

// One eval item: a list row or an image of a folder. `repeat` tells apart list rows that ask for
// the same image and class (0 for the first, 1 for the next, …).
struct RowItem {
    std::string image;  // the path's bytes
    int requested_class = -1;  // -1: the top-1
    int repeat = 0;
    bool operator<(const RowItem& o) const {
        return std::tie(image, requested_class, repeat) < std::tie(o.image, o.requested_class, o.repeat);
    }
    bool operator==(const RowItem& o) const { return !(*this < o) && !(o < *this); }
};
// "path", "path (class 3)", "path (class 3, repeat 1)" (the path's bad bytes as U+FFFD).
std::string item_name(const RowItem& item);

struct ResultsRow {
    RowItem item;
    std::string method;  // empty for an error row
    std::string error;   // error rows: the message
    bool input_fault = false;  // error rows: the input image's (or list row's) fault, so done for good
};

// The row's item and method, when `j` has the shape of a results row: "image" a string (or
// "image_hex" valid hex), "requested_class" none or an index, "repeat" none or a count, and
// either "error" or a "method" string with a "metrics" object. None otherwise.
std::optional<ResultsRow> parse_row(const nlohmann::json& j);

// j[key] when it is a string, else `fallback`.
std::string text_at(const nlohmann::json& j, const char* key, const std::string& fallback = "");

}  // namespace iscam::cli
