// The sanity checks' parts against the independent reference (scripts/reference_sanity.py, written
// from docs/math.md): similarity measures against scipy.stats.spearmanr and skimage's SSIM,
// noisy linear imputation against scipy's spsolve, and the re-drawn weights of the bundled and
// quantized models tensor by tensor (the reference reads the randomised model with python3-onnx).
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "file_io.h"
#include "onnx_graph.h"
#include "road.h"
#include "similarity.h"
#include "test_support.h"
#include "weight_randomisation.h"

using namespace iscam;

namespace {

nlohmann::json fixture() {
    std::ifstream in(source_path("tests/fixtures/sanity-reference.json"));
    REQUIRE(in);
    return nlohmann::json::parse(in);
}

std::vector<float> flat(const nlohmann::json& rows) {
    std::vector<float> out;
    for (const auto& row : rows) {
        if (row.is_array()) {
            const auto inner = flat(row);
            out.insert(out.end(), inner.begin(), inner.end());
        } else {
            out.push_back(row.get<float>());
        }
    }
    return out;
}

}  // namespace

TEST_CASE("Spearman, SSIM and top-k agree with scipy and skimage") {
    const auto cases = fixture();  // a range-for over a member of a temporary would dangle
    for (const auto& c : cases["similarity"]) {
        INFO(c["name"].get<std::string>());
        const std::vector<float> a = flat(c["a"]), b = flat(c["b"]);
        const int h = int(c["a"].size()), w = int(c["a"][0].size());
        const MapSimilarity s = compare_maps(a.data(), b.data(), h, w);
        const auto& e = c["expected"];
        CHECK(s.spearman == Approx(e["spearman"].get<double>()).margin(1e-12));
        CHECK(s.spearman_abs == Approx(e["spearman_abs"].get<double>()).margin(1e-12));
        CHECK(s.ssim == Approx(e["ssim"].get<double>()).margin(1e-9));
        CHECK(s.topk == Approx(e["topk"].get<double>()).margin(1e-12));
    }
}

TEST_CASE("similarity refuses maps too small for SSIM and gives NaN for a constant map") {
    std::vector<float> a(36, 0.5f), b(36);
    for (size_t i = 0; i < b.size(); ++i) b[i] = float(i);
    CHECK_THROWS_WITH(ssim(a.data(), b.data(), 6, 6), Catch::Contains("at least 7x7"));
    CHECK(std::isnan(spearman(a.data(), b.data(), a.size(), false)));
    CHECK(spearman(b.data(), b.data(), b.size(), false) == Approx(1.0));
}

TEST_CASE("noisy linear imputation agrees with the sparse system solved by scipy") {
    const auto cases = fixture();
    for (const auto& c : cases["imputation"]) {
        INFO(c["name"].get<std::string>());
        const std::vector<float> x = flat(c["x"]), expected = flat(c["expected"]);
        const int C = int(c["x"].size()), H = int(c["x"][0].size()), W = int(c["x"][0][0].size());
        std::vector<uint8_t> removed;
        for (float v : flat(c["removed"])) removed.push_back(v != 0);
        const std::vector<float> got = noisy_linear_imputation(x.data(), C, H, W, removed, c["sigma"].get<float>(),
                                                               c["seed"].get<uint64_t>(), c["stream"].get<uint32_t>());
        CHECK(max_abs_diff(got, expected) < 1e-5);
    }
    const std::vector<float> x(12, 1.0f);
    CHECK_THROWS_WITH(noisy_linear_imputation(x.data(), 1, 3, 4, std::vector<uint8_t>(12, 1), 0.01f, 0, 0),
                      Catch::Contains("every position removed"));
}

TEST_CASE("ROAD's options are checked") {
    CHECK(parse_percentages("10,50,90") == std::vector<double>{10, 50, 90});
    CHECK_THROWS_WITH(parse_percentages("0,50"), Catch::Contains("(0, 100)"));
    CHECK_THROWS_WITH(parse_percentages("50,100"), Catch::Contains("(0, 100)"));
    CHECK_THROWS_WITH(parse_percentages("50,20"), Catch::Contains("increase"));
    CHECK_THROWS_WITH(parse_percentages("ten"), Catch::Contains("numbers"));
    CHECK(road_count(10, 784) == 78);
    CHECK(road_count(0.01, 784) == 1);
    CHECK(road_count(99.99, 784) == 783);
}

TEST_CASE("re-drawn weights equal the reference's, tensor by tensor") {
    const std::vector<std::string> models = {source_path("web/models/fashion-cnn.onnx"), source_path("web/models/shapes-cnn.onnx"),
                                             build_path("test-models/fashion-cnn-int8-qdq.onnx"),
                                             build_path("test-models/fashion-cnn-int8-qoperator.onnx")};
    const std::string dir = build_path("test-sanity");
    std::filesystem::create_directories(dir);
    for (const std::string& path : models) {
        INFO(path);
        const std::string bytes = read_file(path, "the model", kMaxModelBytes);
        const auto layers = randomisable_layers(read_onnx(bytes));
        REQUIRE(layers.size() >= 2);
        for (const auto& [which, seed] : {std::pair{cascade_layers(layers.size()), uint64_t(3)},
                                          std::pair{std::vector<size_t>{1}, uint64_t(0)},
                                          std::pair{std::vector<size_t>{layers.size()}, uint64_t(11)}}) {
            std::string list;
            for (size_t l : which) list += (list.empty() ? "" : ",") + std::to_string(l);
            const std::string out = dir + "/" + std::filesystem::path(path).stem().string() + "-" + list + ".onnx";
            std::ofstream(out, std::ios::binary) << randomise_layers(bytes, layers, which, seed);
            const std::string cmd = "/usr/bin/python3 " + source_path("scripts/reference_sanity.py") + " weights '" + path +
                                    "' '" + out + "' --seed " + std::to_string(seed) + " --layers " + list;
            INFO(cmd);
            CHECK(std::system(cmd.c_str()) == 0);
        }
    }
    CHECK_THROWS_WITH(randomise_layers(read_file(models[0], "the model", kMaxModelBytes),
                                       randomisable_layers(read_onnx(read_file(models[0], "the model", kMaxModelBytes))),
                                       {99}, 0),
                      Catch::Contains("out of range"));
}
