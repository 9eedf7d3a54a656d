#include "output_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "error.h"

namespace iscam {

namespace {

namespace fs = std::filesystem;

std::string folder_of(const std::string& path) {
    const fs::path parent = fs::path(path).parent_path();
    return parent.empty() ? "." : parent.string();
}

std::string named(const std::string& what, const std::string& path) { return what + " '" + path + "'"; }

// A new, empty, hidden file next to `path` (mkstemp): its name, or "" with errno set.
std::string make_temporary(const std::string& path, int* fd) {
    const fs::path p(path);
    std::string pattern = (fs::path(folder_of(path)) / ("." + p.filename().string() + ".iscam-XXXXXX")).string();
    *fd = ::mkstemp(pattern.data());
    return *fd < 0 ? std::string() : pattern;
}

mode_t default_file_mode() {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    return 0666 & ~mask;
}

bool write_all(int fd, const std::string& bytes) {
    for (size_t done = 0; done < bytes.size();) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += size_t(n);
    }
    return true;
}

}  // namespace

OutputFiles::~OutputFiles() { remove_temporaries(); }

void OutputFiles::remove_temporaries() {
    for (File& f : files_) {
        if (!f.temporary.empty()) ::unlink(f.temporary.c_str());
        f.temporary.clear();
    }
}

void OutputFiles::plan(const std::string& path, const std::string& what) {
    if (path.empty()) return;
    for (const File& f : files_)
        if (fs::path(f.path).lexically_normal() == fs::path(path).lexically_normal())
            throw InputError(f.what + " and " + what + " name the same file '" + path + "'");
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) {
        if (S_ISDIR(st.st_mode)) throw InputError("cannot write " + named(what, path) + ": it is a folder");
        // A device or pipe (/dev/stdout) is a stream, written in place; a link is followed to its file.
        if (!S_ISREG(st.st_mode)) {
            if (::access(path.c_str(), W_OK) != 0)
                throw InputError("cannot write " + named(what, path) + ": " + std::strerror(errno));
            files_.push_back({path, path, what, {}, {}, false, true});
            return;
        }
    }
    std::error_code ec;
    const fs::path resolved = fs::weakly_canonical(path, ec);
    const std::string target = ec ? path : resolved.string();
    const std::string folder = folder_of(target);
    if (::stat(folder.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        throw InputError("cannot write " + named(what, path) + ": the folder '" + folder_of(path) + "' does not exist");
    // The surest test that the folder takes a new file is making one.
    int fd = -1;
    const std::string probe = make_temporary(target, &fd);
    if (probe.empty()) throw InputError("cannot write " + named(what, path) + ": " + std::strerror(errno));
    ::close(fd);
    ::unlink(probe.c_str());
    files_.push_back({path, target, what, {}, {}, false, false});
}

void OutputFiles::set(const std::string& path, std::string bytes) {
    for (File& f : files_)
        if (f.path == path) {
            f.bytes = std::move(bytes);
            f.set = true;
            return;
        }
    throw std::logic_error("OutputFiles::set: '" + path + "' was not planned");
}

void OutputFiles::commit() {
    try {
        write_and_rename();
    } catch (...) {
        remove_temporaries();
        throw;
    }
}

void OutputFiles::write_and_rename() {
    const mode_t mode = default_file_mode();
    for (File& f : files_) {
        if (!f.set || f.stream) continue;
        int fd = -1;
        f.temporary = make_temporary(f.target, &fd);
        if (f.temporary.empty()) throw InputError("cannot write " + named(f.what, f.path) + ": " + std::strerror(errno));
        const bool written = write_all(fd, f.bytes) && ::fchmod(fd, mode) == 0;
        const int error = errno;
        if (::close(fd) != 0 || !written)
            throw InputError("cannot write " + named(f.what, f.path) + ": " + std::strerror(written ? errno : error));
    }
    for (File& f : files_) {
        if (!f.set || f.stream) continue;
        if (::rename(f.temporary.c_str(), f.target.c_str()) != 0)
            throw InputError("cannot write " + named(f.what, f.path) + ": " + std::strerror(errno));
        f.temporary.clear();
    }
    for (File& f : files_) {
        if (!f.set || !f.stream) continue;
        const int fd = ::open(f.path.c_str(), O_WRONLY | O_CLOEXEC);
        const bool written = fd >= 0 && write_all(fd, f.bytes);
        const int error = errno;
        if (fd >= 0) ::close(fd);
        if (!written) throw InputError("cannot write " + named(f.what, f.path) + ": " + std::strerror(error));
    }
}

}  // namespace iscam
