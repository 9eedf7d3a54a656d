#pragma once
// A results file of one JSON document a line (JSONL) that is only ever appended to whole lines:
// each line goes out in one write(2) on an O_APPEND descriptor, so a crash, a kill or Ctrl-C
// never leaves half a line; a short write (disk full) is cut back before the error is reported,
// and a torn tail left by a power loss is cut when the file is opened again.
#include <nlohmann/json.hpp>
#include <functional>
#include <string>

namespace iscam::cli {

class JsonlAppender {
public:
    // Opens (creating) `path` for appending. Throws InputError when it cannot.
    explicit JsonlAppender(const std::string& path);
    ~JsonlAppender();
    JsonlAppender(const JsonlAppender&) = delete;
    JsonlAppender& operator=(const JsonlAppender&) = delete;

    void append(const nlohmann::json& line);

private:
    std::string path_;
    int fd_ = -1;
};

// Calls `row` with every complete line of a JSONL file that parses as a JSON object, in order;
// returns how many complete lines did not. A missing file has no lines.
size_t read_jsonl(const std::string& path, const std::function<void(const nlohmann::json&)>& row);

}  // namespace iscam::cli
