#include "model_config.h"

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "error.h"
#include "file_io.h"
#include "run_limits.h"

namespace iscam {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Reads one sidecar field, or throws an InputError naming the field and what it must be.
class Fields {
public:
    explicit Fields(std::string source) : source_(std::move(source)) {}

    [[noreturn]] void fail(const std::string& field, const std::string& must) const {
        throw InputError(source_ + ": '" + field + "' must be " + must);
    }
    std::string text(const json& v, const std::string& field) const {
        if (!v.is_string()) fail(field, "a string");
        return v.get<std::string>();
    }
    bool flag(const json& v, const std::string& field) const {
        if (!v.is_boolean()) fail(field, "true or false");
        return v.get<bool>();
    }
    // One number for all three channels, or three.
    std::array<float, 3> triple(const json& v, const std::string& field) const {
        const char* must = "one or three finite numbers, like [0.485, 0.456, 0.406]";
        if (!v.is_array() || (v.size() != 1 && v.size() != 3)) fail(field, must);
        std::array<float, 3> out{};
        for (size_t i = 0; i < 3; ++i) {
            const json& x = v[v.size() == 1 ? 0 : i];
            if (!x.is_number() || !std::isfinite(x.get<double>()) || std::fabs(x.get<double>()) > 1e6) fail(field, must);
            out[i] = x.get<float>();
        }
        return out;
    }
    int whole(const json& v, const std::string& field, int lo, int hi) const {
        if (!v.is_number_integer() || v.get<int64_t>() < lo || v.get<int64_t>() > hi)
            fail(field, "a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
        return int(v.get<int64_t>());
    }

private:
    std::string source_;
};

void read_preprocess(const json& p, const Fields& f, ModelConfig& c) {
    if (!p.is_object()) f.fail("preprocess", "an object");
    Preprocess& out = c.preprocess;
    if (p.contains("size")) {
        const json& size = p["size"];
        if (!size.is_array() || size.size() != 2) f.fail("preprocess.size", "[height, width]");
        out.height = f.whole(size[0], "preprocess.size", 1, 8192);
        out.width = f.whole(size[1], "preprocess.size", 1, 8192);
    }
    if (p.contains("gray")) out.gray = f.flag(p["gray"], "preprocess.gray");
    if (p.contains("preset")) {
        out = preprocess_preset(f.text(p["preset"], "preprocess.preset"), out);
        c.normalisation_given = true;
    }
    if (p.contains("mean")) {
        out.mean = f.triple(p["mean"], "preprocess.mean");
        c.normalisation_given = true;
    }
    if (p.contains("std")) {
        out.std = f.triple(p["std"], "preprocess.std");
        for (float s : out.std)
            if (!(s > 0)) f.fail("preprocess.std", "positive");
        c.normalisation_given = true;
    }
    std::string resize, crop;
    if (p.contains("resize"))
        resize = p["resize"].is_number() ? std::to_string(f.whole(p["resize"], "preprocess.resize", 1, 16384))
                                         : f.text(p["resize"], "preprocess.resize");
    if (p.contains("crop")) crop = f.text(p["crop"], "preprocess.crop");
    set_resize(out, resize, crop, "'preprocess.resize'");
    if (p.contains("channel_order")) {
        const std::string order = f.text(p["channel_order"], "preprocess.channel_order");
        if (order != "rgb" && order != "bgr") f.fail("preprocess.channel_order", "\"rgb\" or \"bgr\"");
        out.bgr = order == "bgr";
    }
}

ModelConfig read_sidecar(const json& j, const Fields& f) {
    if (!j.is_object()) f.fail("(the document)", "a JSON object");
    ModelConfig c;
    if (j.contains("labels")) {
        const json& labels = j["labels"];
        if (!labels.is_array()) f.fail("labels", "an array of strings");
        for (const json& l : labels) c.labels.push_back(f.text(l, "labels[]"));
    }
    if (j.contains("preprocess")) read_preprocess(j["preprocess"], f, c);
    if (j.contains("output")) c.choices.output = f.text(j["output"], "output");
    if (j.contains("layout")) {
        c.choices.layout = parse_layout(f.text(j["layout"], "layout"));
        if (!c.choices.layout) f.fail("layout", "\"nchw\" or \"nhwc\"");
    }
    if (j.contains("tokens")) c.choices.layer.extra_tokens = f.whole(j["tokens"], "tokens", 0, kMaxExtraTokens);
    if (j.contains("grid")) {
        const json& grid = j["grid"];
        if (!grid.is_array() || grid.size() != 2) f.fail("grid", "[height, width]");
        c.choices.layer.grid = std::pair<int64_t, int64_t>{f.whole(grid[0], "grid", 1, kMaxGridSide),
                                                           f.whole(grid[1], "grid", 1, kMaxGridSide)};
    }
    if (j.contains("layer_layout")) {
        c.choices.layer.layout = parse_layout(f.text(j["layer_layout"], "layer_layout"));
        if (!c.choices.layer.layout) f.fail("layer_layout", "\"nchw\" or \"nhwc\"");
    }
    validate(c.preprocess);
    return c;
}

}  // namespace

void set_resize(Preprocess& p, const std::string& resize, const std::string& crop, const std::string& what) {
    if (resize == "stretch") {
        p.center_crop = false;
        p.shorter_side = 0;
    } else if (resize == "shorter") {
        p.center_crop = true;
        p.shorter_side = 0;
    } else if (!resize.empty()) {
        size_t used = 0;
        int side = 0;
        try {
            side = std::stoi(resize, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != resize.size() || side < 1 || side > 16384)
            throw InputError(what + " takes stretch, shorter or the shorter side in pixels (1..16384), got '" + resize + "'");
        p.center_crop = true;
        p.shorter_side = side;
    }
    if (crop == "center") p.center_crop = true;
    else if (crop == "none" && p.center_crop)
        throw InputError(what + ": resizing the shorter side keeps the aspect ratio, so the input needs the centre crop");
    else if (!crop.empty() && crop != "none") throw InputError(what + " takes the crop center or none, got '" + crop + "'");
}

ModelConfig parse_sidecar(const std::string& json_text, const std::string& source) {
    json j;
    try {
        j = json::parse(json_text);
    } catch (const json::parse_error& e) {
        throw InputError(source + " is not valid JSON (at byte " + std::to_string(e.byte) + ")");
    } catch (const json::exception&) {  // out_of_range: a number past double's range (1e400)
        throw InputError(source + " is not valid JSON (a number out of range)");
    }
    try {
        return read_sidecar(j, Fields(source));
    } catch (const InputError& e) {
        const std::string what = e.what();
        if (what.rfind(source, 0) == 0) throw;
        throw InputError(source + ": " + what);
    }
}

std::vector<std::string> parse_labels(const std::string& text, const std::string& source) {
    std::vector<std::string> labels;
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && (text[first] == '[' || text[first] == '{')) {
        json j;
        try {
            j = json::parse(text);
        } catch (const json::exception&) {
            throw InputError(source + " is not a JSON array of strings");
        }
        if (!j.is_array()) throw InputError(source + " is not a JSON array of strings");
        for (const json& l : j) {
            if (!l.is_string()) throw InputError(source + " is not a JSON array of strings");
            labels.push_back(l.get<std::string>());
        }
        return labels;
    }
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        if (!line.empty()) labels.push_back(line);
    }
    return labels;
}

std::vector<std::string> read_labels(const std::string& path) {
    return parse_labels(read_file(path, "labels file"), "labels file '" + path + "'");
}

ModelConfig load_sidecar(const std::string& model_path, const std::string& sidecar_path) {
    std::string path = sidecar_path;
    if (path.empty()) {
        const fs::path beside = fs::path(model_path).replace_extension(".json");
        std::error_code ec;
        if (!fs::is_regular_file(beside, ec)) return {};
        path = beside.string();
    }
    ModelConfig c = parse_sidecar(read_file(path, "model sidecar"), "model sidecar '" + path + "'");
    c.sidecar = path;
    return c;
}

void fit_to_input(ModelConfig& c, const InputInfo& input) {
    if (input.height > 0) c.preprocess.height = int(input.height);
    if (input.width > 0) c.preprocess.width = int(input.width);
    c.preprocess.gray = input.channels == 1;
    if (input.elem_type == onnx_type::uint8 && !c.normalisation_given) c.preprocess = preprocess_preset("pixels", c.preprocess);
}

void default_labels(ModelConfig& c, size_t class_count, const std::string& data_dir) {
    const fs::path imagenet = fs::path(data_dir) / "imagenet-labels.json";
    std::error_code ec;
    if (c.labels.empty() && class_count == 1000 && fs::is_regular_file(imagenet, ec)) c.labels = read_labels(imagenet.string());
}

std::string label_of(const ModelConfig& c, int index) {
    return index >= 0 && size_t(index) < c.labels.size() ? c.labels[size_t(index)] : std::string();
}

}  // namespace iscam
