#include "fast_mode_options.h"

#include "error.h"

namespace iscam::cli {

void add_fast_mode_options(CLI::App* cmd, FastModeArgs& a) {
    auto* channels = cmd->add_option("--channels", a.channels,
                                     "fast mode: score only K channels, the others get weight 0; default: every channel (exact)")
                         ->check(CLI::Range(1, 1 << 20));
    cmd->add_option("--select", a.select,
                    "how fast mode picks its K channels: variance (the K of highest activation variance, Faster "
                    "Score-CAM) or screen (one γ = 1 pass for each of --screen-channels channels of highest "
                    "variance; K of them scored in full, the others' scores predicted, docs/math.md \"Fast mode\")")
        ->capture_default_str()->check(CLI::IsMember({"variance", "screen"}))->needs(channels);
    cmd->add_option("--screen-channels", a.screen_channels,
                    "--select screen: the channels screened, more than K (default " + std::to_string(kScreenFactor) + "·K, at least a tenth of the layer)")
        ->check(CLI::Range(1, 1 << 20))->needs(channels);
}

void apply_fast_mode(const FastModeArgs& a, ExplainOptions& options) {
    options.channels = a.channels;
    options.select = *parse_select(a.select);
    if (a.screen_channels > 0 && options.select != ChannelSelect::Screen)
        throw InputError("--screen-channels is for --select screen");
    options.screen_channels = a.screen_channels;
}

}  // namespace iscam::cli
