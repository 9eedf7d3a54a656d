#include <catch2/catch.hpp>
#include <cstring>

#include "error.h"
#include "npy.h"
#include "test_support.h"

using namespace iscam;

namespace {

std::string npy(const std::string& header, const std::string& data = "", int version = 1) {
    std::string out = std::string("\x93NUMPY", 6) + char(version) + '\0';
    const size_t n = header.size();
    if (version == 1) {
        out += char(n & 0xff);
        out += char(n >> 8);
    } else {
        for (int i = 0; i < 4; ++i) out += char((n >> (8 * i)) & 0xff);
    }
    return out + header + data;
}

std::string floats(std::initializer_list<float> v) {
    std::string out(v.size() * 4, '\0');
    std::memcpy(out.data(), v.begin(), out.size());
    return out;
}

std::string dict(const std::string& shape) { return "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }\n"; }

}  // namespace

TEST_CASE("float32 C-order arrays are read, in every format version") {
    for (int version : {1, 2, 3}) {
        const Tensor t = parse_npy(npy(dict("(1, 2)"), floats({1.5f, -2}), version));
        CHECK(t.shape == std::vector<int64_t>{1, 2});
        CHECK(t.data == std::vector<float>{1.5f, -2});
    }
    // Python 2's long dimensions and double quotes.
    CHECK(parse_npy(npy("{\"descr\": \"<f4\", \"shape\": (2L,), \"fortran_order\": False}", floats({1, 2}))).data.size() == 2);
    CHECK(parse_npy(npy(dict("(1, 3, 4, 4)"), std::string(48 * 4, '\0'))).shape == std::vector<int64_t>{1, 3, 4, 4});
}

TEST_CASE("the fixture written by NumPy reads") {
    const Tensor t = read_npy(source_path("tests/fixtures/fashion-input.npy"));
    CHECK(t.shape == std::vector<int64_t>{1, 1, 28, 28});
}

TEST_CASE("bad .npy files are refused with a reason") {
    CHECK_THROWS_WITH(parse_npy("hello"), "not a .npy file");
    CHECK_THROWS_WITH(parse_npy(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", std::string(8, '\0'))),
                      Catch::Contains("must be float32"));
    CHECK_THROWS_WITH(parse_npy(npy("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", floats({1}))),
                      Catch::Contains("C order"));
    CHECK_THROWS_WITH(parse_npy(npy(dict("(1, 2)"), floats({1}))), Catch::Contains("needs 8 bytes of data, the file has 4"));
    CHECK_THROWS_WITH(parse_npy(npy("{'descr': '<f4', 'shape': (1,", floats({1}))), Catch::Contains("bad .npy header"));
    CHECK_THROWS_WITH(parse_npy(npy("{'descr': '<f4', 'fortran_order': False}", floats({1}))), Catch::Contains("lacks"));
    CHECK_THROWS_WITH(parse_npy(npy(dict("(1, -2)"))), Catch::Contains("expected a dimension"));
}

TEST_CASE("hostile .npy headers are refused without a crash or an allocation") {
    // A 100 KB string in the header (std::regex overflowed the stack).
    const std::string long_header = "{'descr': '<f4', 'x': '" + std::string(100'000, 'a') + "'}";
    CHECK_THROWS_WITH(parse_npy(npy(long_header, "", 2)), Catch::Contains("over the limit of 65536"));
    // A 0 dimension (memcpy to NULL).
    CHECK_THROWS_WITH(parse_npy(npy(dict("(1, 0, 28, 28)"))), ".npy shape (1, 0, 28, 28) holds no values");
    // An element count past 2^64 (it wrapped to 784 values).
    CHECK_THROWS_WITH(parse_npy(npy(dict("(4294967296, 4294967296, 784)"), std::string(784 * 4, '\0'))),
                      Catch::Contains("holds over 2^32 values"));
    // 30 digits (std::stoll threw out_of_range: "internal error").
    CHECK_THROWS_WITH(parse_npy(npy(dict("(1, 123456789012345678901234567890, 28)"))),
                      Catch::Contains("a dimension over 4294967296"));
    // 3e9 values claimed by a 128-byte file: refused before allocating 11 GB.
    CHECK_THROWS_WITH(parse_npy(npy(dict("(3000000000,)"), std::string(40, '\0'))),
                      Catch::Contains("needs 12000000000 bytes of data, the file has 40"));
    CHECK_THROWS_WITH(parse_npy(npy(dict("(" + std::string(40, '1') + ",)"))), Catch::Contains("a dimension over"));
    std::string many = "(";
    for (int i = 0; i < 40; ++i) many += "1, ";
    CHECK_THROWS_WITH(parse_npy(npy(dict(many + ")"))), Catch::Contains("more than 32 dimensions"));
    CHECK_THROWS_AS(read_npy("/dev/zero"), InputError);
}
