#pragma once
// Fast mode on the command line: --channels K, --select variance|screen, --screen-channels M
// (explain, bench and sanity take the same three).
#include <CLI/CLI.hpp>
#include <string>

#include "methods.h"

namespace iscam::cli {

struct FastModeArgs {
    int channels = 0;
    std::string select = "variance";
    int screen_channels = 0;
};

void add_fast_mode_options(CLI::App* cmd, FastModeArgs& a);

// Sets options.channels, .select and .screen_channels; throws InputError for --select screen
// or --screen-channels without --channels.
void apply_fast_mode(const FastModeArgs& a, ExplainOptions& options);

}  // namespace iscam::cli
