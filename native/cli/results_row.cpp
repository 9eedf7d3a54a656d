#include "results_row.h"

#include <climits>

namespace iscam::cli {

namespace {

using json = nlohmann::json;

bool is_utf8(const std::string& s) {
    try {
        (void)json(s).dump();
        return true;
    } catch (const json::type_error&) {
        return false;
    }
}

// `s` with U+FFFD for each byte that is not part of UTF-8.
std::string readable(const std::string& s) {
    return json::parse(json(s).dump(-1, ' ', false, json::error_handler_t::replace)).get<std::string>();
}

std::optional<std::string> from_hex(const std::string& hex) {
    if (hex.size() % 2) return std::nullopt;
    const auto digit = [](char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; };
    std::string bytes;
    for (size_t i = 0; i < hex.size(); i += 2) {
        const int hi = digit(hex[i]), lo = digit(hex[i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        bytes += char(hi << 4 | lo);
    }
    return bytes;
}

// j[key] as a count 0..INT_MAX: `fallback` when absent or null, none when of another kind.
std::optional<int> count_at(const json& j, const char* key, int fallback) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) return fallback;
    if (it->is_number_unsigned()) {
        const auto v = it->get<uint64_t>();
        return v <= uint64_t(INT_MAX) ? std::optional<int>(int(v)) : std::nullopt;
    }
    if (it->is_number_integer()) {
        const auto v = it->get<int64_t>();
        return v >= 0 && v <= INT_MAX ? std::optional<int>(int(v)) : std::nullopt;
    }
    return std::nullopt;
}

}  // namespace

std::string row_text(const json& row) {
    const std::string body = row.dump(-1, ' ', false, json::error_handler_t::replace);
    return std::string(kRowMark) + body.substr(1) + "\n";
}

bool is_row_start(std::string_view text) {
    return text.size() <= kRowMark.size() ? kRowMark.substr(0, text.size()) == text
                                          : text.substr(0, kRowMark.size()) == kRowMark;
}

void put_image_path(json& row, const std::string& path) {
    if (is_utf8(path)) {
        row["image"] = path;
        return;
    }
    static const char* digits = "0123456789abcdef";
    std::string hex;
    for (unsigned char c : path) {
        hex += digits[c >> 4];
        hex += digits[c & 15];
    }
    row["image"] = readable(path);
    row["image_hex"] = hex;
}

std::string item_name(const RowItem& item) {
    std::string name = is_utf8(item.image) ? item.image : readable(item.image);
    if (item.requested_class >= 0 || item.repeat > 0) {
        name += " (";
        if (item.requested_class >= 0) name += "class " + std::to_string(item.requested_class);
        if (item.repeat > 0) name += std::string(item.requested_class >= 0 ? ", " : "") + "repeat " + std::to_string(item.repeat);
        name += ")";
    }
    return name;
}

std::optional<ResultsRow> parse_row(const json& j) {
    if (!j.is_object()) return std::nullopt;
    ResultsRow r;
    if (const auto hex = j.find("image_hex"); hex != j.end()) {
        const auto bytes = hex->is_string() ? from_hex(hex->get<std::string>()) : std::nullopt;
        if (!bytes) return std::nullopt;
        r.item.image = *bytes;
    } else if (const auto image = j.find("image"); image != j.end() && image->is_string()) {
        r.item.image = image->get<std::string>();
    } else {
        return std::nullopt;
    }
    const auto requested = count_at(j, "requested_class", -1), repeat = count_at(j, "repeat", 0);
    if (!requested || !repeat) return std::nullopt;
    r.item.requested_class = *requested;
    r.item.repeat = *repeat;
    if (const auto error = j.find("error"); error != j.end()) {
        r.error = error->is_string() ? error->get<std::string>() : error->dump();
        r.input_fault = text_at(j, "error_kind") == "input";
        return r;
    }
    r.method = text_at(j, "method");
    const auto metrics = j.find("metrics");
    if (r.method.empty() || metrics == j.end() || !metrics->is_object()) return std::nullopt;
    return r;
}

std::string text_at(const json& j, const char* key, const std::string& fallback) {
    if (!j.is_object()) return fallback;
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}

}  // namespace iscam::cli
