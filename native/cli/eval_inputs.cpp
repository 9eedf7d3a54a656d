#include "eval_inputs.h"

#include <limits>         // csv.h uses std::numeric_limits without including it
#define CSV_IO_NO_THREAD  // one reader, no read-ahead thread
#include <libfccp/csv.h>  // Debian's fast-cpp-csv-parser: quoted fields, named columns

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "error.h"

namespace fs = std::filesystem;

namespace iscam::cli {

namespace {

bool is_image_file(const fs::path& p) {
    // The formats core/image.h decodes; others would only become error lines.
    static const std::set<std::string> extensions = {".png", ".jpg", ".jpeg", ".bmp", ".gif"};
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return extensions.count(ext) > 0;
}

std::optional<int> parse_class(const std::string& s, const std::string& where) {
    if (s.empty()) return std::nullopt;
    int value = 0;
    char extra = 0;
    if (std::sscanf(s.c_str(), "%d%c", &value, &extra) != 1 || value < 0)
        throw InputError(where + ": class must be a class index (0, 1, …), got '" + s + "'");
    return value;
}

}  // namespace

std::vector<EvalItem> items_from_dir(const std::string& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw InputError("'" + dir + "' is not a folder");
    std::vector<EvalItem> items;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        if (entry.is_regular_file() && is_image_file(entry.path())) items.push_back({entry.path().string(), {}, {}, {}, 0});
    if (ec) throw InputError("cannot list '" + dir + "': " + ec.message());
    std::sort(items.begin(), items.end(), [](const EvalItem& a, const EvalItem& b) { return a.image < b.image; });
    if (items.empty()) throw InputError("'" + dir + "' holds no image files");
    return items;
}

std::vector<EvalItem> items_from_csv(const std::string& path) {
    std::vector<EvalItem> items;
    const fs::path folder = fs::path(path).parent_path();
    const auto resolve = [&](const std::string& p) { return p.empty() || fs::path(p).is_absolute() ? p : (folder / p).string(); };
    try {
        io::CSVReader<4, io::trim_chars<' ', '\t'>, io::double_quote_escape<',', '"'>> in(path);
        in.read_header(io::ignore_missing_column | io::ignore_extra_column, "image", "class", "box", "mask");
        if (!in.has_column("image")) throw InputError("'" + path + "' has no column named image in its header");
        for (;;) {
            std::string image, cls, box, mask;
            if (!in.read_row(image, cls, box, mask)) break;
            const std::string where = path + " line " + std::to_string(in.get_file_line());
            if (image.empty()) throw InputError(where + ": no image");
            items.push_back({resolve(image), parse_class(cls, where), box, resolve(mask), 0});
        }
    } catch (const io::error::base& e) {
        throw InputError(std::string("cannot read the list: ") + e.what());
    }
    if (items.empty()) throw InputError("'" + path + "' lists no image");
    std::map<std::pair<std::string, int>, int> seen;
    for (EvalItem& item : items) item.repeat = seen[{item.image, item.class_index.value_or(-1)}]++;
    return items;
}

std::pair<int, int> parse_shard(const std::string& s) {
    std::smatch m;
    const auto fail = [&] { return InputError("--shard takes i/n with 0 <= i < n, like 0/4, got '" + s + "'"); };
    if (!std::regex_match(s, m, std::regex("([0-9]{1,9})/([0-9]{1,9})"))) throw fail();
    const int i = std::stoi(m[1]), n = std::stoi(m[2]);
    if (n < 1 || i >= n) throw fail();
    return {i, n};
}

std::vector<EvalItem> shard_of(const std::vector<EvalItem>& items, int index, int count) {
    std::vector<EvalItem> mine;
    for (size_t i = size_t(index); i < items.size(); i += size_t(count)) mine.push_back(items[i]);
    return mine;
}

}  // namespace iscam::cli
