#pragma once
// A results file of one JSON document a line (JSONL) that is only ever appended to whole lines:
// each line goes out in one write(2) on an O_APPEND descriptor, so a crash, a kill or Ctrl-C
// never leaves half a line; a short write (disk full) is cut back before the error is reported,
// and a torn tail left by a power loss is cut when the file is opened again, but only when it
// is the start of one of our rows (results_row.h): nothing else is ever cut.
#include <nlohmann/json.hpp>
#include <cstdint>
#include <functional>
#include <string>

#include "error.h"

namespace iscam::cli {

// The results file could not be written: fatal, never a row of the file.
class WriteError : public InputError {
public:
    using InputError::InputError;
};

enum class ResultsFileKind {
    Empty,    // missing or empty
    Ours,     // its first line and its torn tail (if any) are rows of ours
    Older,    // JSON rows of an iscam from before the format mark (no settings to match)
    Foreign,  // anything else
};
ResultsFileKind results_file_kind(const std::string& path);

class JsonlAppender {
public:
    // Opens (creating) `path` for appending, cutting a torn row at its end. Throws InputError when
    // it cannot, and when the tail is not the start of a row of ours.
    explicit JsonlAppender(const std::string& path);
    ~JsonlAppender();
    JsonlAppender(const JsonlAppender&) = delete;
    JsonlAppender& operator=(const JsonlAppender&) = delete;

    void append(const nlohmann::json& row);  // throws WriteError

private:
    std::string path_;
    int fd_ = -1;
};

// Calls `row` with every complete line of a JSONL file that parses as a JSON object, in order,
// with the byte offset where the line starts; returns how many complete lines did not. A
// missing file has no lines. One line is held in memory at a time.
size_t read_jsonl(const std::string& path, const std::function<void(const nlohmann::json&, uint64_t offset)>& row);
size_t read_jsonl(std::istream& in, const std::function<void(const nlohmann::json&, uint64_t offset)>& row);

// The line of `path` that starts at `offset` (as read_jsonl gave it), parsed; null if gone.
nlohmann::json read_jsonl_line(const std::string& path, uint64_t offset);

}  // namespace iscam::cli
