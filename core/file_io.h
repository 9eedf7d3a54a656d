#pragma once
// Reading a file the user named, whole, refusing what is not one: a folder, a device or pipe
// (/dev/zero would be read forever) and anything over a size limit, each with a one-line reason.
#include <cstdint>
#include <string>

namespace iscam {

// Size limits of the files iscam reads.
constexpr uint64_t kMiB = uint64_t(1) << 20;
constexpr uint64_t kMaxModelBytes = uint64_t(2) << 30;  // protobuf's own limit for one message
constexpr uint64_t kMaxImageBytes = 512 * kMiB;         // a 64-megapixel uncompressed RGBA BMP is 256 MiB
constexpr uint64_t kMaxNpyBytes = 1024 * kMiB;          // 3×8192×8192 float32 (the largest input) is 768 MiB
constexpr uint64_t kMaxTextBytes = 64 * kMiB;           // labels, sidecars

// The bytes of `path`; `what` names it in errors ("model", "image", ...). Throws InputError.
std::string read_file(const std::string& path, const std::string& what, uint64_t max_bytes = kMaxTextBytes);

// "1.5 GiB", "12.0 MiB", "300 bytes": sizes in messages.
std::string byte_size_text(uint64_t bytes);

}  // namespace iscam
