#pragma once
// The bundled Fashion-MNIST CNN and its ankle-boot sample, preprocessed as its sidecar says:
// the native tests' common starting point.
#include "classifier.h"
#include "preprocess.h"
#include "test_support.h"

struct FashionSample {
    iscam::Classifier model =
        iscam::Classifier::from_file(source_path("web/models/fashion-cnn.onnx"), iscam::RuntimeOptions{2});
    std::vector<int64_t> shape{1, 1, 28, 28};
    iscam::Tensor x;
    FashionSample() {
        iscam::Preprocess p;
        p.height = p.width = 28;
        p.gray = true;
        p.mean = {0.286f, 0.286f, 0.286f};
        p.std = {0.353f, 0.353f, 0.353f};
        x = iscam::to_input_tensor(iscam::load_image(source_path("web/samples/fashion-0-ankle-boot.png")), p);
    }
};
