#include "jsonl_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "error.h"

namespace iscam::cli {

namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path) {
    throw InputError("cannot " + what + " '" + path + "': " + std::strerror(errno));
}

// Cuts whatever follows the last newline (a line torn by a power loss mid-write).
void cut_torn_tail(int fd, const std::string& path) {
    struct stat st{};
    if (fstat(fd, &st) != 0) fail("read", path);
    off_t end = st.st_size;
    char c = '\n';
    while (end > 0) {
        if (pread(fd, &c, 1, end - 1) != 1) fail("read", path);
        if (c == '\n') break;
        --end;
    }
    if (end != st.st_size && ftruncate(fd, end) != 0) fail("repair", path);
}

}  // namespace

JsonlAppender::JsonlAppender(const std::string& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ < 0) fail("open", path);
    int rfd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (rfd < 0) fail("open", path);
    cut_torn_tail(rfd, path);
    ::close(rfd);
}

JsonlAppender::~JsonlAppender() {
    if (fd_ >= 0) ::close(fd_);
}

void JsonlAppender::append(const nlohmann::json& line) {
    const std::string text = line.dump() + "\n";
    struct stat st{};
    if (fstat(fd_, &st) != 0) fail("write", path_);
    const ssize_t written = ::write(fd_, text.data(), text.size());
    if (written == ssize_t(text.size())) return;
    const int error = written < 0 ? errno : ENOSPC;
    if (written > 0 && ftruncate(fd_, st.st_size) != 0) fail("repair", path_);
    errno = error;
    fail("write", path_);
}

size_t read_jsonl(const std::string& path, const std::function<void(const nlohmann::json&)>& row) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return 0;
    size_t bad = 0;
    std::string text;
    while (std::getline(in, text)) {
        if (in.eof()) break;  // no newline: a torn last line
        if (text.empty()) continue;
        const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
        if (j.is_object())
            row(j);
        else
            ++bad;
    }
    return bad;
}

}  // namespace iscam::cli
