#include <algorithm>
#include <cstdio>

#include "commands.h"
#include "common.h"

namespace iscam::cli {

std::function<int()> add_layers_command(CLI::App& app) {
    auto* cmd = app.add_subcommand("layers", "list the candidate target layers and how each is read (maps, channels-last maps, token grids)");
    auto args = std::make_shared<ModelArgs>();
    add_model_options(cmd, *args);
    add_layer_reading_options(cmd, *args);
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
            std::fprintf(stderr, "iscam: error: the model has no layer that reads as maps of the input to explain\n");
            return 2;
        }
        const bool any_read = std::any_of(layers.begin(), layers.end(), [](const LayerInfo& l) { return bool(l.reading); });
        const size_t chosen = any_read ? default_layer_index(layers, m.classifier.graph()) : layers.size();
        for (size_t i = 0; i < layers.size(); ++i) {
            const auto& l = layers[i];
            const bool quantized = l.elem_type != onnx_type::float32;
            const std::string extra = quantized ? ", " + onnx_type_name(l.elem_type) + " read dequantized" : "";
            if (l.reading) {
                const LayerReading& r = *l.reading;
                const std::string dims = std::to_string(r.channels) + "x" + std::to_string(r.height) + "x" +
                                         std::to_string(r.width);
                std::printf("%s %-20s %-48s %-12s %s%s\n", i == chosen ? "*" : " ", l.op_type.c_str(), l.name.c_str(),
                            dims.c_str(), r.description().c_str(), extra.c_str());
            } else {
                std::printf("! %-20s %-48s not read: %s\n", l.op_type.c_str(), l.name.c_str(), l.problem.c_str());
            }
        }
        std::printf("(KxHxW as read; * = default target layer: the last one, as torch-cam picks it, or for token layers "
                    "the last encoder block's output; ! = offered, but only an override reads it)\n");
        const auto unread = size_t(std::count_if(layers.begin(), layers.end(), [](const LayerInfo& l) { return !l.reading; }));
        if (!any_read) {
            std::fprintf(stderr, "iscam: error: no layer reads as maps of the input without an override (the ! lines say why)\n");
            return 2;
        }
        if (unread)
            std::fprintf(stderr, "iscam: warning: %zu layer%s not read without an override (the ! lines say why)\n", unread,
                         unread == 1 ? " is" : "s are");
        return 0;
    };
}

}  // namespace iscam::cli
