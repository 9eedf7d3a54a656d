#pragma once
// Every file a run writes, written together at its end: each to a temporary file in its own
// folder, then all renamed into place once every one was written. A run that fails or is
// cancelled leaves the files that were there untouched; the folders are checked up front.
#include <string>
#include <vector>

namespace iscam {

class OutputFiles {
public:
    OutputFiles() = default;
    OutputFiles(const OutputFiles&) = delete;
    OutputFiles& operator=(const OutputFiles&) = delete;
    ~OutputFiles();  // removes temporary files left by an exception

    // Before the work: checks that `path` can be written (its folder exists and takes a new file,
    // it is not a folder, no other output has it). `what` names it in errors ("--json").
    // Does nothing for an empty path. A device or pipe (/dev/stdout) is written in place, after
    // the files. Throws InputError.
    void plan(const std::string& path, const std::string& what);
    // The contents of a planned path.
    void set(const std::string& path, std::string bytes);
    // Writes every file set to a temporary file next to it, then renames each into place.
    // Throws InputError (and removes the temporary files) when any cannot be written.
    void commit();

private:
    void write_and_rename();
    void remove_temporaries();

    struct File {
        std::string path, target, what, bytes, temporary;  // target: path with its links followed
        bool set = false;
        bool stream = false;  // a device or pipe, written in place last
    };
    std::vector<File> files_;
};

}  // namespace iscam
