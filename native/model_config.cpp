#include "model_config.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "classifier.h"
#include "error.h"

namespace iscam {

namespace fs = std::filesystem;

std::vector<std::string> read_labels(const std::string& path) {
    const std::string text = read_file(path, "labels file");
    std::vector<std::string> labels;
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && text[first] == '[') {
        try {
            labels = nlohmann::json::parse(text).get<std::vector<std::string>>();
        } catch (const nlohmann::json::exception& e) {
            throw InputError("labels file '" + path + "' is not a JSON array of strings");
        }
    } else {
        std::istringstream in(text);
        for (std::string line; std::getline(in, line);) {
            while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
            if (!line.empty()) labels.push_back(line);
        }
    }
    return labels;
}

ModelConfig load_model_config(const std::string& model_path, const InputInfo& input, const std::string& labels_path) {
    ModelConfig c;
    const fs::path sidecar = fs::path(model_path).replace_extension(".json");
    if (fs::exists(sidecar)) {
        c.sidecar = sidecar.string();
        try {
            const auto j = nlohmann::json::parse(read_file(c.sidecar, "model sidecar"));
            if (j.contains("labels")) c.labels = j["labels"].get<std::vector<std::string>>();
            if (j.contains("preprocess")) {
                const auto& p = j["preprocess"];
                if (p.contains("size")) {
                    c.preprocess.height = p["size"][0].get<int>();
                    c.preprocess.width = p["size"][1].get<int>();
                }
                if (p.contains("gray")) c.preprocess.gray = p["gray"].get<bool>();
                if (p.contains("mean")) c.preprocess.mean = p["mean"].get<std::array<float, 3>>();
                if (p.contains("std")) c.preprocess.std = p["std"].get<std::array<float, 3>>();
            }
        } catch (const nlohmann::json::exception& e) {
            throw InputError("model sidecar '" + c.sidecar + "' is not valid: " + e.what());
        }
    }
    if (input.height > 0) c.preprocess.height = int(input.height);
    if (input.width > 0) c.preprocess.width = int(input.width);
    c.preprocess.gray = input.channels == 1;
    if (!labels_path.empty()) c.labels = read_labels(labels_path);
    return c;
}

void default_labels(ModelConfig& c, size_t class_count, const std::string& data_dir) {
    const fs::path imagenet = fs::path(data_dir) / "imagenet-labels.json";
    if (c.labels.empty() && class_count == 1000 && fs::exists(imagenet)) c.labels = read_labels(imagenet.string());
}

std::string label_of(const ModelConfig& c, int index) {
    return index >= 0 && size_t(index) < c.labels.size() ? c.labels[size_t(index)] : std::string();
}

}  // namespace iscam
