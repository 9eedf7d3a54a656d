#pragma once
// A file's SHA-256 (OpenSSL), by which `iscam eval --resume` knows the model its rows were made with.
#include <string>

namespace iscam::cli {

// Lower-case hex; throws InputError when the file cannot be read.
std::string file_sha256(const std::string& path);

}  // namespace iscam::cli
