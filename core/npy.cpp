// The .npy header is one Python dict literal; no Debian C++ package reads it, so it is parsed
// here, by hand: a regex recursed once per character (a 100 KB header overflowed the stack).
#include "npy.h"

#include <cctype>
#include <cstring>

#include "error.h"
#include "file_io.h"

namespace iscam {

namespace {

constexpr size_t kMaxHeaderBytes = 64 * 1024;  // NumPy writes ~120 bytes and reads at most 10000
constexpr size_t kMaxDims = 32;                // NumPy's own limit
constexpr uint64_t kMaxValues = uint64_t(1) << 32;

struct NpyHeader {
    std::string descr;
    bool fortran_order = false, has_descr = false, has_shape = false;
    std::vector<int64_t> shape;
};

// The dict {'descr': '<f4', 'fortran_order': False, 'shape': (1, 3, 224, 224), }.
class HeaderParser {
public:
    explicit HeaderParser(const std::string& text) : s_(text) {}

    NpyHeader parse() {
        NpyHeader h;
        expect('{');
        while (!peek('}')) {
            const std::string key = string();
            expect(':');
            if (key == "descr") {
                h.descr = string();
                h.has_descr = true;
            } else if (key == "fortran_order") {
                h.fortran_order = boolean();
            } else if (key == "shape") {
                h.shape = tuple();
                h.has_shape = true;
            } else {
                fail("unknown key '" + key + "'");
            }
            if (!peek('}')) expect(',');
        }
        expect('}');
        return h;
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw InputError("bad .npy header: " + what + " (at byte " + std::to_string(i_) + ")");
    }
    void skip_space() {
        while (i_ < s_.size() && std::isspace(uint8_t(s_[i_]))) ++i_;
    }
    bool peek(char c) {
        skip_space();
        return i_ < s_.size() && s_[i_] == c;
    }
    void expect(char c) {
        if (!peek(c)) fail(std::string("expected '") + c + "'");
        ++i_;
    }
    std::string string() {
        skip_space();
        if (i_ >= s_.size() || (s_[i_] != '\'' && s_[i_] != '"')) fail("expected a quoted string");
        const char quote = s_[i_++];
        std::string out;
        while (i_ < s_.size() && s_[i_] != quote) {
            if (s_[i_] == '\\' && i_ + 1 < s_.size()) ++i_;
            out += s_[i_++];
        }
        if (i_ >= s_.size()) fail("unterminated string");
        ++i_;
        return out;
    }
    bool boolean() {
        skip_space();
        for (const char* word : {"True", "False"}) {
            const size_t n = std::strlen(word);
            if (s_.compare(i_, n, word) == 0) {
                i_ += n;
                return word[0] == 'T';
            }
        }
        fail("expected True or False");
    }
    int64_t dimension() {
        skip_space();
        const size_t start = i_;
        uint64_t v = 0;
        while (i_ < s_.size() && std::isdigit(uint8_t(s_[i_]))) {
            v = v * 10 + uint64_t(s_[i_++] - '0');
            if (v > kMaxValues) fail("a dimension over " + std::to_string(kMaxValues));
        }
        if (i_ == start) fail("expected a dimension");
        if (i_ < s_.size() && s_[i_] == 'L') ++i_;  // Python 2's long
        return int64_t(v);
    }
    std::vector<int64_t> tuple() {
        expect('(');
        std::vector<int64_t> dims;
        while (!peek(')')) {
            if (dims.size() == kMaxDims) fail("more than " + std::to_string(kMaxDims) + " dimensions");
            dims.push_back(dimension());
            if (!peek(')')) expect(',');
        }
        expect(')');
        return dims;
    }

    const std::string& s_;
    size_t i_ = 0;
};

std::string shape_text(const std::vector<int64_t>& shape) {
    std::string s = "(";
    for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + (shape.size() == 1 ? ",)" : ")");
}

}  // namespace

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
    if (header_len > kMaxHeaderBytes)
        throw InputError(".npy header of " + std::to_string(header_len) + " bytes, over the limit of " +
                         std::to_string(kMaxHeaderBytes));
    if (bytes.size() - offset < header_len) throw InputError("truncated .npy header");
    const NpyHeader h = HeaderParser(bytes.substr(offset, header_len)).parse();
    if (!h.has_descr || !h.has_shape) throw InputError(".npy header lacks its 'descr' or 'shape'");
    if (h.descr != "<f4" && h.descr != "=f4") throw InputError(".npy data must be float32 ('<f4'), got '" + h.descr + "'");
    if (h.fortran_order) throw InputError(".npy data must be in C order");
    uint64_t count = 1;
    for (int64_t d : h.shape) {
        if (d == 0) throw InputError(".npy shape " + shape_text(h.shape) + " holds no values");
        if (uint64_t(d) > kMaxValues / count)
            throw InputError(".npy shape " + shape_text(h.shape) + " holds over 2^32 values");
        count *= uint64_t(d);
    }
    const size_t data_offset = offset + header_len;
    if (uint64_t(bytes.size() - data_offset) != count * sizeof(float))
        throw InputError(".npy shape " + shape_text(h.shape) + " needs " + std::to_string(count * sizeof(float)) +
                         " bytes of data, the file has " + std::to_string(bytes.size() - data_offset) +
                         " (truncated file?)");
    Tensor t(h.shape);
    std::memcpy(t.data.data(), bytes.data() + data_offset, t.data.size() * sizeof(float));
    return t;
}

Tensor read_npy(const std::string& path) {
    const std::string bytes = read_file(path, ".npy file", kMaxNpyBytes);
    try {
        return parse_npy(bytes);
    } catch (const InputError& e) {
        throw InputError("'" + path + "': " + e.what());
    }
}

}  // namespace iscam
