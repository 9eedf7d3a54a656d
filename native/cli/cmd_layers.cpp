#include <cstdio>

#include "commands.h"
#include "common.h"

namespace iscam::cli {

std::function<int()> add_layers_command(CLI::App& app) {
    auto* cmd = app.add_subcommand("layers", "list the candidate target layers (4-D outputs with spatial size > 1)");
    auto args = std::make_shared<ModelArgs>();
    add_model_options(cmd, *args);
    return [args] {
        LoadedModel m = load_model(*args);
        const InputInfo& in = m.classifier.input();
        const ModelPlan& plan = m.classifier.plan();
        const auto shape = m.input_shape();
        std::printf("input %s: %lldx%lldx%lldx%lld as fed (N×C×H×W float32); the model takes %s %s\n", in.name.c_str(),
                    (long long)shape[0], (long long)shape[1], (long long)shape[2], (long long)shape[3],
                    onnx_type_name(in.elem_type).c_str(), in.layout == Layout::NHWC ? "N×H×W×C" : "N×C×H×W");
        std::printf("scores: output %s%s%s\n", plan.score.output.c_str(),
                    plan.score.tensor == plan.score.output ? "" : ", read before its softmax at ",
                    plan.score.tensor == plan.score.output ? "" : plan.score.tensor.c_str());
        print_model_notes(m);
        const auto layers = m.classifier.layers(shape);
        if (layers.empty()) {
            std::fprintf(stderr, "iscam: error: the model has no 4-D layer with spatial size > 1 to explain\n");
            return 2;
        }
        for (size_t i = 0; i < layers.size(); ++i) {
            const auto& l = layers[i];
            const bool quantized = l.elem_type != onnx_type::float32;
            std::printf("%s %-20s %-48s %lldx%lldx%lld%s%s\n", i + 1 == layers.size() ? "*" : " ", l.op_type.c_str(),
                        l.name.c_str(), (long long)l.shape[1], (long long)l.shape[2], (long long)l.shape[3],
                        quantized ? "  " : "", quantized ? (onnx_type_name(l.elem_type) + ", read dequantized").c_str() : "");
        }
        std::printf("(* = default target layer, the last one, as torch-cam picks it)\n");
        return 0;
    };
}

}  // namespace iscam::cli
