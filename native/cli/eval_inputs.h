#pragma once
// What `iscam eval` works through: the images of a folder or the rows of a CSV list, and the
// deterministic share of them that one shard takes.
#include <optional>
#include <string>
#include <vector>

namespace iscam::cli {

struct EvalItem {
    std::string image;               // path as opened (a CSV's relative paths resolved against its folder)
    std::optional<int> class_index;  // the class to explain; none: the top-1
    std::string box, mask;           // ground truth: "x0,y0,x1,y1" in image pixels, or a mask PNG path
    int repeat = 0;                  // earlier list rows with the same image and class: each row is its own item
};

// The image files of `dir` (by extension: png, jpg, jpeg, bmp, gif), sorted by name.
std::vector<EvalItem> items_from_dir(const std::string& dir);

// A CSV with a header naming the column `image` and optionally `class`, `box` (quoted, as
// "x0,y0,x1,y1") and `mask`; other columns are ignored. Throws InputError naming the line.
std::vector<EvalItem> items_from_csv(const std::string& path);

// "i/n" (digits only) with 0 <= i < n. Throws InputError otherwise.
std::pair<int, int> parse_shard(const std::string& s);

// Items i, i + n, i + 2n, …: every item in exactly one of the n shards, the same on every run.
std::vector<EvalItem> shard_of(const std::vector<EvalItem>& items, int index, int count);

}  // namespace iscam::cli
