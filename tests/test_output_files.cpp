#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "error.h"
#include "output_files.h"

using namespace iscam;
namespace fs = std::filesystem;

namespace {

std::string contents(const fs::path& p) {
    std::ifstream in(p);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

struct Folder {
    fs::path path = fs::temp_directory_path() / ("iscam-output-files-" + std::to_string(::getpid()));
    Folder() { fs::create_directories(path); }
    ~Folder() { fs::remove_all(path); }
    size_t entries() const { return size_t(std::distance(fs::directory_iterator(path), fs::directory_iterator())); }
};

}  // namespace

TEST_CASE("every output is written at commit, none before") {
    Folder dir;
    write(dir.path / "a.json", "old");
    OutputFiles files;
    files.plan((dir.path / "a.json").string(), "--json");
    files.plan((dir.path / "b.png").string(), "--out");
    files.set((dir.path / "a.json").string(), "new");
    files.set((dir.path / "b.png").string(), "png");
    CHECK(contents(dir.path / "a.json") == "old");
    CHECK_FALSE(fs::exists(dir.path / "b.png"));
    files.commit();
    CHECK(contents(dir.path / "a.json") == "new");
    CHECK(contents(dir.path / "b.png") == "png");
    CHECK(dir.entries() == 2);  // no temporary file left
}

TEST_CASE("when one output cannot be written, the others keep their old contents") {
    Folder dir;
    fs::create_directories(dir.path / "sub");
    write(dir.path / "a.json", "old");
    OutputFiles files;
    files.plan((dir.path / "a.json").string(), "--json");
    files.plan((dir.path / "sub/b.png").string(), "--out");
    files.set((dir.path / "a.json").string(), "new");
    files.set((dir.path / "sub/b.png").string(), "png");
    fs::remove_all(dir.path / "sub");  // the folder goes away during the run
    CHECK_THROWS_WITH(files.commit(), Catch::StartsWith("cannot write --out"));
    CHECK(contents(dir.path / "a.json") == "old");
    CHECK(dir.entries() == 1);  // the temporary copy of a.json is removed
}

TEST_CASE("outputs are checked before the work") {
    Folder dir;
    OutputFiles files;
    CHECK_THROWS_WITH(files.plan("/no/such/folder/x.png", "--out"),
                      "cannot write --out '/no/such/folder/x.png': the folder '/no/such/folder' does not exist");
    CHECK_THROWS_WITH(files.plan(dir.path.string(), "--out"), Catch::EndsWith("it is a folder"));
    files.plan((dir.path / "x.json").string(), "--json");
    CHECK_THROWS_WITH(files.plan((dir.path / "./x.json").string(), "--compare"),
                      Catch::StartsWith("--json and --compare name the same file"));
    CHECK(dir.entries() == 0);  // the writability probe is removed
    files.plan("", "--overlay");  // not asked for: nothing to check
}

TEST_CASE("a file not set is left alone; an uncommitted run writes nothing") {
    Folder dir;
    write(dir.path / "keep.json", "old");
    {
        OutputFiles files;
        files.plan((dir.path / "keep.json").string(), "--json");
        files.plan((dir.path / "x.png").string(), "--out");
        files.set((dir.path / "x.png").string(), "png");
    }  // cancelled: no commit
    CHECK(contents(dir.path / "keep.json") == "old");
    CHECK(dir.entries() == 1);
}
