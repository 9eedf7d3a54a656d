// The .npy header is one Python dict literal; no Debian C++ package reads it, so it is parsed here.
#include "npy.h"

#include <cstring>
#include <fstream>
#include <iterator>
#include <regex>

#include "error.h"

namespace iscam {

Tensor parse_npy(const std::string& bytes) {
    if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0) throw InputError("not a .npy file");
    const int major = uint8_t(bytes[6]);
    size_t header_len, offset;
    if (major == 1) {
        header_len = uint8_t(bytes[8]) | (size_t(uint8_t(bytes[9])) << 8);
        offset = 10;
    } else if (major == 2 || major == 3) {
        if (bytes.size() < 12) throw InputError("truncated .npy header");
        header_len = 0;
        for (int i = 0; i < 4; ++i) header_len |= size_t(uint8_t(bytes[8 + i])) << (8 * i);
        offset = 12;
    } else {
        throw InputError("unsupported .npy version " + std::to_string(major));
    }
    if (bytes.size() < offset + header_len) throw InputError("truncated .npy header");
    const std::string header = bytes.substr(offset, header_len);
    std::smatch m;
    if (!std::regex_search(header, m, std::regex("'descr'\\s*:\\s*'([^']*)'")) || (m[1] != "<f4" && m[1] != "=f4"))
        throw InputError(".npy data must be float32 ('<f4'), got " + std::string(m.empty() ? "?" : m[1].str()));
    if (std::regex_search(header, m, std::regex("'fortran_order'\\s*:\\s*True")))
        throw InputError(".npy data must be in C order");
    if (!std::regex_search(header, m, std::regex("'shape'\\s*:\\s*\\(([^)]*)\\)"))) throw InputError(".npy header has no shape");
    std::vector<int64_t> shape;
    const std::string dims = m[1];
    const std::regex number("\\d+");
    for (std::sregex_iterator it(dims.begin(), dims.end(), number), end; it != end; ++it)
        shape.push_back(std::stoll(it->str()));
    Tensor t(shape);
    const size_t data_offset = offset + header_len;
    if (bytes.size() - data_offset != t.data.size() * sizeof(float))
        throw InputError(".npy data size does not match its shape (truncated file?)");
    std::memcpy(t.data.data(), bytes.data() + data_offset, t.data.size() * sizeof(float));
    return t;
}

Tensor read_npy(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError("cannot open '" + path + "'");
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    try {
        return parse_npy(bytes);
    } catch (const InputError& e) {
        throw InputError("'" + path + "': " + e.what());
    }
}

}  // namespace iscam
