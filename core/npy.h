#pragma once
#include <string>

#include "tensor.h"

namespace iscam {

// A little-endian float32 C-order .npy file (NumPy format 1.0–3.0). Throws InputError otherwise:
// a header over 64 KiB, a shape with a 0 or an element count past 2³², data of another size.
Tensor read_npy(const std::string& path);
Tensor parse_npy(const std::string& bytes);

}  // namespace iscam
