#pragma once
// Helpers shared by the tests of the public API (iscam.h, iscam.hpp): they use nothing of iscam
// but the public headers, as a program built against the installed package would.
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "test_support.h"

inline std::string bundled_model() { return source_path("web/models/fashion-cnn.onnx"); }
inline std::string ankle_boot() { return source_path("web/samples/fashion-0-ankle-boot.png"); }
inline std::string sneaker() { return source_path("web/samples/fashion-9-sneaker.png"); }

inline std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A little-endian float32 .npy of format 1.0 (what numpy.save writes): its values.
inline std::vector<float> npy_values(const std::string& path) {
    const std::string bytes = file_bytes(path);
    if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0 || bytes[6] != 1)
        throw std::runtime_error(path + ": not a .npy of format 1.0");
    const size_t header = 10 + size_t(uint8_t(bytes[8])) + 256 * size_t(uint8_t(bytes[9]));
    if (bytes.find("'<f4'") > header) throw std::runtime_error(path + ": not float32");
    std::vector<float> v((bytes.size() - header) / sizeof(float));
    std::memcpy(v.data(), bytes.data() + header, v.size() * sizeof(float));
    return v;
}
