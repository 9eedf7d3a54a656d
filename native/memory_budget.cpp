#include "memory_budget.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

namespace iscam {

namespace {

uint64_t meminfo_available() {
    std::ifstream in("/proc/meminfo");
    for (std::string line; std::getline(in, line);) {
        std::istringstream fields(line);
        std::string key;
        uint64_t kib = 0;
        if (fields >> key >> kib && key == "MemAvailable:") return kib * 1024;
    }
    const long pages = sysconf(_SC_AVPHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    return pages > 0 && page > 0 ? uint64_t(pages) * uint64_t(page) : UINT64_MAX;
}

// Room left under this process's cgroup v2 memory limit, if it has one.
uint64_t cgroup_room() {
    std::ifstream max_file("/sys/fs/cgroup/memory.max"), current_file("/sys/fs/cgroup/memory.current");
    uint64_t max = 0, current = 0;
    if (!(max_file >> max) || !(current_file >> current)) return UINT64_MAX;  // "max": no limit
    return max > current ? max - current : 0;
}

// Room left under the address-space limit (ulimit -v), if there is one.
uint64_t address_space_room() {
    rlimit limit{};
    if (getrlimit(RLIMIT_AS, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return UINT64_MAX;
    std::ifstream statm("/proc/self/statm");
    uint64_t pages = 0;
    if (!(statm >> pages)) return UINT64_MAX;
    const uint64_t used = pages * uint64_t(sysconf(_SC_PAGESIZE));
    return limit.rlim_cur > used ? limit.rlim_cur - used : 0;
}

}  // namespace

uint64_t available_memory() { return std::min({meminfo_available(), cgroup_room(), address_space_room()}); }

BatchFit fit_batch(size_t requested, size_t input_size, uint64_t budget) {
    BatchFit fit;
    fit.budget = budget > 0 ? budget : available_memory() / 2;
    const uint64_t per_input = std::max<uint64_t>(1, uint64_t(input_size) * kBatchBytesPerFloat);
    fit.requested_bytes = per_input * requested;
    fit.batch = size_t(std::clamp<uint64_t>(fit.budget / per_input, 1, std::max<size_t>(requested, 1)));
    return fit;
}

}  // namespace iscam
