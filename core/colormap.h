#pragma once
// Colouring a map in [0, 1] and blending it over the image.
#include <optional>
#include <string>
#include <vector>

#include "image.h"

namespace iscam {

enum class Colormap { Jet, Turbo, Viridis, Inferno, Gray };
std::optional<Colormap> parse_colormap(const std::string& name);
const char* colormap_name(Colormap c);

// RGB of value v ∈ [0, 1] (clamped).
void colormap_rgb(Colormap c, float v, uint8_t rgb[3]);

// The h×w map upsampled (SPEC step 2's bilinear) to width×height and coloured.
Image colorize(const std::vector<float>& map, int h, int w, int width, int height, Colormap c);

// out = (1 − alpha) · image + alpha · heat, both of the same size.
Image blend(const Image& image, const Image& heat, float alpha);

// Images laid left to right on a white background, with a gap between them.
Image side_by_side(const std::vector<Image>& images, int gap = 8);

// PNG bytes of an image (stb_image_write); write_png throws InputError when the file can't be written.
std::vector<uint8_t> encode_png(const Image& image);
void write_png(const std::string& path, const Image& image);

}  // namespace iscam
