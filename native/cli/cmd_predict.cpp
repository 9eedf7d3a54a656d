#include <algorithm>
#include <cstdio>

#include "cam_math.h"
#include "commands.h"
#include "common.h"

namespace iscam::cli {

std::function<int()> add_predict_command(CLI::App& app) {
    auto* cmd = app.add_subcommand("predict", "print the top-k classes of an image");
    auto args = std::make_shared<ModelArgs>();
    auto image = std::make_shared<std::string>();
    auto npy = std::make_shared<std::string>();
    auto top = std::make_shared<int>(5);
    add_model_options(cmd, *args);
    cmd->add_option("-i,--image", *image, "image file (PNG, JPEG, BMP, GIF, ...)");
    cmd->add_option("--input-npy", *npy, "preprocessed float32 .npy input instead of an image");
    cmd->add_option("-k,--top", *top, "how many classes")->check(CLI::Range(1, 100000));
    return [=] {
        LoadedModel m = load_model(*args);
        print_model_notes(m);
        const Tensor x = load_input(m, *image, *npy, image_limits(*args));
        const std::vector<float> logits = m.classifier.logits(x);
        default_labels(m.config, logits.size(), data_dir());
        const std::vector<float> probability = softmax(std::vector<double>(logits.begin(), logits.end()));
        const std::vector<int> order = descending_order(logits.data(), logits.size());
        const size_t k = std::min(size_t(*top), order.size());
        std::printf("rank  class  probability   logit  label\n");
        for (size_t r = 0; r < k; ++r) {
            const int c = order[r];
            std::printf("%4zu  %5d  %11.4f  %6.3f  %s\n", r + 1, c, probability[c], logits[c],
                        label_of(m.config, c).c_str());
        }
        return 0;
    };
}

}  // namespace iscam::cli
