#pragma once
#include <string>

namespace iscam {

// Where the bundled data (the ImageNet class names) lives: $ISCAM_DATA_DIR if set, else the
// installed copy next to the program or library holding this code (PREFIX/share/iscam), else
// the source tree's web/models (a build tree).
std::string bundled_data_dir();

}  // namespace iscam
