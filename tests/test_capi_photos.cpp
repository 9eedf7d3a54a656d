// The bundled ImageNet network through the C API, as a program linked to libiscam sees it: the
// sidecar beside the model gives its labels and preprocessing; each bundled photo's top-1 is the
// class tests/fixtures/photo-boxes.json expects, and the peak of each method's map lies in the
// box drawn by hand on the object (the same check as tests/photo_peaks.py for the CLI).
#include <catch2/catch.hpp>
#include <iscam/iscam.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#include <stb/stb_image.h>

#include "capi_test_support.h"

TEST_CASE("C API: the bundled ImageNet network names each photo and its maps peak on the object") {
    const auto fixture = nlohmann::json::parse(file_bytes(source_path("tests/fixtures/photo-boxes.json")));
    iscam_context* ctx = nullptr;
    REQUIRE(iscam_init_from_file(source_path("web/models/mobilenetv2-12-int8.onnx").c_str(),
                                 iscam_default_context_params(), &ctx) == ISCAM_OK);
    int64_t shape[4];
    REQUIRE(iscam_input_shape(ctx, shape) == ISCAM_OK);
    CHECK(shape[2] == 224);
    for (const auto& photo : fixture["photos"]) {
        const std::string path = source_path("web/samples/" + photo["file"].get<std::string>());
        INFO(path);
        int width = 0, height = 0, channels = 0;
        REQUIRE(stbi_info(path.c_str(), &width, &height, &channels));
        iscam_explain_params p = iscam_default_explain_params();
        p.methods = ISCAM_METHOD_ALL;
        p.channels = fixture["channels"].get<int>();
        iscam_result* r = nullptr;
        REQUIRE(iscam_explain_file(ctx, path.c_str(), p, &r) == ISCAM_OK);
        CHECK(iscam_result_class(r) == photo["top1"].get<int>());
        CHECK(iscam_result_class_label(r) == photo["label"].get<std::string>());
        // The region the model saw: the centred square of the resize-256, crop-224 preprocessing.
        const int rw = iscam_result_image_width(r), rh = iscam_result_image_height(r);
        CHECK(rw == rh);
        CHECK(std::abs(rw - std::min(width, height) * 224 / 256) <= 1);
        const std::vector<double> box = photo["box"].get<std::vector<double>>();
        std::vector<float> up(size_t(rw) * rh);
        for (unsigned m : {ISCAM_METHOD_SCORECAM, ISCAM_METHOD_SSCAM, ISCAM_METHOD_ISCAM}) {
            REQUIRE(iscam_result_upsampled_map(r, m, rw, rh, up.data(), up.size()) == ISCAM_OK);
            const size_t at = size_t(std::max_element(up.begin(), up.end()) - up.begin());
            const double x = (width - rw) / 2.0 + double(at % rw) + 0.5, y = (height - rh) / 2.0 + double(at / rw) + 0.5;
            INFO(iscam_method_name(m) << " peaks at (" << x << ", " << y << ")");
            CHECK((x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3]));
        }
        iscam_result_free(r);
    }
    iscam_free(ctx);
}
