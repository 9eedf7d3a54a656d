#include "jsonl_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>

#include "results_row.h"

namespace iscam::cli {

namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path) {
    throw InputError("cannot " + what + " '" + path + "': " + std::strerror(errno));
}

// Where the bytes after the last newline start (the file's size when it ends with one).
off_t tail_start(int fd, off_t size, const std::string& path) {
    char block[4096];
    for (off_t end = size; end > 0;) {
        const off_t begin = end > off_t(sizeof block) ? end - off_t(sizeof block) : 0;
        if (pread(fd, block, size_t(end - begin), begin) != end - begin) fail("read", path);
        for (off_t i = end - begin; i > 0; --i)
            if (block[i - 1] == '\n') return begin + i;
        end = begin;
    }
    return 0;
}

std::string read_tail(int fd, off_t from, off_t size, const std::string& path, size_t at_most) {
    std::string tail(size_t(std::min<off_t>(size - from, off_t(at_most))), '\0');
    if (pread(fd, tail.data(), tail.size(), from) != ssize_t(tail.size())) fail("read", path);
    return tail;
}

}  // namespace

ResultsFileKind results_file_kind(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return ResultsFileKind::Empty;
    std::string first(kRowMark.size(), '\0');
    in.read(first.data(), std::streamsize(first.size()));
    first.resize(size_t(in.gcount()));
    if (first.empty()) return ResultsFileKind::Empty;
    if (first[0] != '{') return ResultsFileKind::Foreign;  // without reading on (a huge file may have no newline)
    in.clear();
    in.seekg(0);
    std::getline(in, first);
    const bool whole = !in.eof();
    if (is_row_start(first)) {
        if (!whole) return ResultsFileKind::Ours;  // one torn row: a power loss during the first write
        if (!parse_row(nlohmann::json::parse(first, nullptr, false))) return ResultsFileKind::Foreign;
        const std::unique_ptr<FILE, decltype(&std::fclose)> file(std::fopen(path.c_str(), "rbe"), std::fclose);
        if (!file) fail("open", path);
        const int fd = fileno(file.get());
        struct stat st{};
        if (fstat(fd, &st) != 0) fail("read", path);
        const std::string tail = read_tail(fd, tail_start(fd, st.st_size, path), st.st_size, path, kRowMark.size());
        return is_row_start(tail) ? ResultsFileKind::Ours : ResultsFileKind::Foreign;
    }
    if (whole && parse_row(nlohmann::json::parse(first, nullptr, false))) return ResultsFileKind::Older;
    return ResultsFileKind::Foreign;
}

JsonlAppender::JsonlAppender(const std::string& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ < 0) fail("open", path);
    struct stat st{};
    if (fstat(fd_, &st) != 0) fail("read", path);
    int rfd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (rfd < 0) fail("open", path);
    const off_t from = tail_start(rfd, st.st_size, path);
    if (from != st.st_size) {
        if (!is_row_start(read_tail(rfd, from, st.st_size, path, kRowMark.size()))) {
            ::close(rfd);
            throw InputError("'" + path + "' ends in a line that is not a results row: left as it is");
        }
        if (ftruncate(rfd, from) != 0) fail("repair", path);
    }
    ::close(rfd);
}

JsonlAppender::~JsonlAppender() {
    if (fd_ >= 0) ::close(fd_);
}

void JsonlAppender::append(const nlohmann::json& row) {
    const std::string text = row_text(row);
    struct stat st{};
    const auto fatal = [&](int error) {
        errno = error;
        throw WriteError("cannot write '" + path_ + "': " + std::strerror(errno));
    };
    if (fstat(fd_, &st) != 0) fatal(errno);
    const ssize_t written = ::write(fd_, text.data(), text.size());
    if (written == ssize_t(text.size())) return;
    const int error = written < 0 ? errno : ENOSPC;
    if (written > 0 && ftruncate(fd_, st.st_size) != 0) fatal(errno);
    fatal(error);
}

size_t read_jsonl(std::istream& in, const std::function<void(const nlohmann::json&, uint64_t)>& row) {
    size_t bad = 0;
    std::string text;
    uint64_t offset = 0;
    while (std::getline(in, text)) {
        if (in.eof()) break;  // no newline: a torn last line
        const uint64_t at = offset;
        offset += text.size() + 1;
        if (text.empty()) continue;
        const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
        if (j.is_object())
            row(j, at);
        else
            ++bad;
    }
    return bad;
}

size_t read_jsonl(const std::string& path, const std::function<void(const nlohmann::json&, uint64_t)>& row) {
    std::ifstream in(path, std::ios::binary);
    return in ? read_jsonl(in, row) : 0;
}

nlohmann::json read_jsonl_line(const std::string& path, uint64_t offset) {
    std::ifstream in(path, std::ios::binary);
    std::string text;
    if (!in.seekg(std::streamoff(offset)) || !std::getline(in, text)) return nullptr;
    return nlohmann::json::parse(text, nullptr, false);
}

}  // namespace iscam::cli
