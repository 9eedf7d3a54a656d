// Explains an image with the C++ API: prints the result as JSON and writes the map over the image.
//
//     explain_cpp MODEL.onnx IMAGE OVERLAY.png [scorecam|sscam|iscam]
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <iscam/iscam.hpp>
#include <string>

int main(int argc, char** argv) {
    if (argc < 4 || argc > 5) {
        std::cerr << "usage: " << argv[0] << " MODEL.onnx IMAGE OVERLAY.png [scorecam|sscam|iscam]\n";
        return 2;
    }
    const std::string method_name = argc == 5 ? argv[4] : "iscam";
    unsigned method = 0;
    for (unsigned bit : {ISCAM_METHOD_SCORECAM, ISCAM_METHOD_SSCAM, ISCAM_METHOD_ISCAM})
        if (iscam::method_name(bit) == method_name) method = bit;
    if (!method) {
        std::cerr << "unknown method '" << method_name << "'\n";
        return 2;
    }
    try {
        iscam::Context model(argv[1]);
        iscam::ExplainParams params = iscam::default_explain_params();
        params.methods = method;
        const iscam::Result result = model.explain_file(argv[2], params, [](size_t done, size_t total, double) {
            std::fprintf(stderr, "\r%zu/%zu forward passes", done, total);
            return true;
        });
        std::cerr << "\n";

        // The overlay at the image's size, scaled up so that small images (28×28) stay visible.
        const int shorter = std::min(result.image_width(), result.image_height());
        const int scale = shorter < 224 ? (224 + shorter - 1) / shorter : 1;
        const int width = result.image_width() * scale, height = result.image_height() * scale;
        iscam::write_png(argv[3], result.overlay(method, width, height), width, height);

        std::cout << result.json() << "\n";
        std::cerr << "class " << result.class_index() << " (" << result.class_label() << "), layer " << result.layer()
                  << ", " << result.total_forward_passes() << " forward passes; overlay: " << argv[3] << "\n";
        return 0;
    } catch (const iscam::Error& e) {
        std::cerr << "explain_cpp: " << e.what() << "\n";
        return e.status() == ISCAM_ERROR_INPUT || e.status() == ISCAM_ERROR_ARGUMENT ? 2 : 1;
    }
}
