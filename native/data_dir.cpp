#include "data_dir.h"

#include <dlfcn.h>
#include <link.h>

#include <cstdlib>
#include <filesystem>

namespace iscam {

namespace fs = std::filesystem;

namespace {

// The file this code was loaded from: the shared library, or the program (whose link map has
// no name).
fs::path this_module() {
    Dl_info info;
    link_map* map = nullptr;
    if (dladdr1(reinterpret_cast<void*>(&bundled_data_dir), &info, reinterpret_cast<void**>(&map), RTLD_DL_LINKMAP) &&
        map && map->l_name && *map->l_name)
        return map->l_name;
    return "/proc/self/exe";
}

}  // namespace

std::string bundled_data_dir() {
    if (const char* d = std::getenv("ISCAM_DATA_DIR"); d && *d) return d;
    std::error_code ec;
    const fs::path module = fs::canonical(this_module(), ec);
    if (!ec)
        for (const char* relative : {ISCAM_DATA_FROM_BINDIR, ISCAM_DATA_FROM_LIBDIR}) {
            const fs::path installed = module.parent_path() / relative;
            if (fs::exists(installed / "imagenet-labels.json", ec)) return installed.lexically_normal().string();
        }
    return ISCAM_SOURCE_DATA_DIR;
}

}  // namespace iscam
