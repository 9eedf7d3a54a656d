#pragma once
#include <string>

#include "tensor.h"

namespace iscam {

// A little-endian float32 C-order .npy file (NumPy format 1.0–3.0). Throws InputError otherwise.
Tensor read_npy(const std::string& path);
Tensor parse_npy(const std::string& bytes);

}  // namespace iscam
