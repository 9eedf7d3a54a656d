// iscam: explain an ONNX image classifier's decision with Score-CAM, SS-CAM or IS-CAM.
#include <protozero/exception.hpp>

#include <csignal>
#include <filesystem>
#include <iterator>
#include <cstdio>

#include "commands.h"
#include "common.h"
#include "error.h"

namespace {
void on_sigint(int) { iscam::cli::g_cancel = true; }
}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"iscam: why did the classifier decide that? Score-CAM, SS-CAM and IS-CAM on ONNX models"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "iscam " ISCAM_VERSION);
    const std::function<int()> commands[] = {
        iscam::cli::add_layers_command(app), iscam::cli::add_predict_command(app),
        iscam::cli::add_explain_command(app), iscam::cli::add_bench_command(app),
        iscam::cli::add_eval_command(app), iscam::cli::add_report_command(app),
        iscam::cli::add_sanity_command(app)};
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::fprintf(stderr, "iscam: error: %s (see --help)\n", e.what());
        return 2;
    }
    std::signal(SIGINT, on_sigint);
    try {
        const char* names[] = {"layers", "predict", "explain", "bench", "eval", "report", "sanity"};
        for (size_t i = 0; i < std::size(names); ++i)
            if (app.got_subcommand(names[i])) return commands[i]();
        return 2;
    } catch (const iscam::InputError& e) {
        std::fprintf(stderr, "iscam: error: %s\n", e.what());
        return 2;
    } catch (const std::bad_alloc&) {  // every size the input sets is budgeted; this is what slips through
        std::fprintf(stderr, "iscam: error: out of memory: this input needs more than the machine has free\n");
        return 2;
    } catch (const protozero::exception& e) {
        std::fprintf(stderr, "iscam: error: the model is not valid protobuf (%s)\n", e.what());
        return 2;
    } catch (const std::filesystem::filesystem_error& e) {
        std::fprintf(stderr, "iscam: error: %s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "iscam: internal error: %s\n", e.what());
        return 1;
    }
}
