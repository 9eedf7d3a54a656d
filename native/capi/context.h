#pragma once
// The C API's context: a loaded model with what it learns lazily (layers, class count) and the
// explain session of the last layer used.
#include <optional>
#include <string>
#include <vector>

#include "image.h"
#include "iscam/iscam.h"
#include "model_loader.h"

struct iscam_context {
    iscam::LoadedModel model;
    std::string name;  // the model's path, or "(buffer)": the JSON's "model"
    iscam::ImageLimits limits;
    std::optional<std::vector<iscam::LayerInfo>> layers;
    std::optional<size_t> class_count;
    std::string selected_layer;  // whose explain session the classifier holds; "" none
    std::vector<std::string> layer_readings;  // layers' reading descriptions, kept for iscam_layer
};

namespace iscam::capi {

// One input of predict/explain as the caller gave it: an image file, an encoded image in memory,
// RGB pixels or a tensor.
struct InputSource {
    enum Kind { ImageFile, RgbPixels, FloatTensor, EncodedImage } kind;
    const char* image_path = nullptr;
    const void* encoded = nullptr;
    size_t encoded_size = 0;
    const uint8_t* rgb = nullptr;
    size_t rgb_size = 0;
    int width = 0, height = 0;
    const float* tensor = nullptr;
    size_t tensor_count = 0;
};

// The decoded image (none for a tensor) and the model's input tensor, every size checked.
struct PreparedInput {
    std::optional<Image> image;
    Tensor tensor;
};
PreparedInput prepare_input(const iscam_context& ctx, const InputSource& source);

// Runs the model once on zeros the first time; fills in the ImageNet names of a 1000-class model.
size_t class_count(iscam_context& ctx);
const std::vector<LayerInfo>& layers(iscam_context& ctx);
// Builds the explain session for `layer` unless it is the one held already.
void select_layer(iscam_context& ctx, const std::string& layer);
const LayerInfo& default_layer(iscam_context& ctx);
// The labels once the class count is known (so ImageNet names are filled in).
void note_class_count(iscam_context& ctx, size_t count);

}  // namespace iscam::capi
