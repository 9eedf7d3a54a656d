#pragma once
#include <CLI/CLI.hpp>
#include <functional>

namespace iscam::cli {

// Each adds its subcommand to `app` and returns what runs it (the process exit code).
std::function<int()> add_layers_command(CLI::App& app);
std::function<int()> add_predict_command(CLI::App& app);
std::function<int()> add_explain_command(CLI::App& app);
std::function<int()> add_bench_command(CLI::App& app);
std::function<int()> add_eval_command(CLI::App& app);
std::function<int()> add_report_command(CLI::App& app);
std::function<int()> add_sanity_command(CLI::App& app);

}  // namespace iscam::cli
