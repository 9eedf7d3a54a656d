#pragma once
#include <string>

// Folders of the source tree and of the build, set by tests/CMakeLists.txt.
inline std::string source_path(const std::string& rel) { return std::string(ISCAM_SOURCE_DIR) + "/" + rel; }
inline std::string build_path(const std::string& rel) { return std::string(ISCAM_BUILD_DIR) + "/" + rel; }
