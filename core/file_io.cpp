#include "file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "error.h"

namespace iscam {

namespace {

// Closes the descriptor on every path out.
struct Fd {
    int fd;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

}  // namespace

std::string byte_size_text(uint64_t bytes) {
    char text[32];
    if (bytes >= (uint64_t(1) << 30))
        std::snprintf(text, sizeof text, "%.1f GiB", double(bytes) / double(uint64_t(1) << 30));
    else if (bytes >= kMiB)
        std::snprintf(text, sizeof text, "%.1f MiB", double(bytes) / double(kMiB));
    else
        std::snprintf(text, sizeof text, "%llu bytes", (unsigned long long)bytes);
    return text;
}

std::string read_file(const std::string& path, const std::string& what, uint64_t max_bytes) {
    const std::string named = what + " '" + path + "'";
    // O_NONBLOCK: opening a FIFO without a writer must not hang before fstat can refuse it.
    Fd f{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)};
    if (f.fd < 0) throw InputError("cannot open " + named + ": " + std::strerror(errno));
    struct stat st {};
    if (::fstat(f.fd, &st) != 0) throw InputError("cannot read " + named + ": " + std::strerror(errno));
    if (S_ISDIR(st.st_mode)) throw InputError(named + " is a folder, not a file");
    if (!S_ISREG(st.st_mode)) throw InputError(named + " is not a regular file (a device, pipe or socket)");
    const uint64_t size = uint64_t(st.st_size);
    if (size > max_bytes)
        throw InputError(named + " is " + byte_size_text(size) + ", over the " + byte_size_text(max_bytes) +
                         " limit for a " + what);
    std::string bytes(size_t(size), '\0');
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::read(f.fd, &bytes[done], bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw InputError("cannot read " + named + ": " + std::strerror(errno));
        if (n == 0) break;  // shrank while being read
        done += size_t(n);
    }
    bytes.resize(done);
    return bytes;
}

}  // namespace iscam
