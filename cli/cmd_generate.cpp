// cmd_generate.cpp - `spm generate --employees N --seed S [-o FILE] [--actuals-csv CSV]`: write a
// synthetic organization of any size, the same for the same options on every platform
// (spm/generate.hpp).
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include <fmt/core.h>
#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "common.hpp"
#include "spm/generate.hpp"
#include "spm/io.hpp"

namespace spm::cli {
namespace {

struct GenerateCmdOptions {
  GenerateOptions generate;
  std::string output = "-";
  std::string actuals_csv;
  bool compact = false;
};

void write_text(const std::string& text, const std::string& path) {
  if (path == "-") {
    if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size())
      throw Failure("cannot write to standard output");
    return;
  }
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw Failure(fmt::format("cannot write '{}'", path));
  const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  if (std::fclose(f) != 0 || !ok) throw Failure(fmt::format("cannot write '{}'", path));
}

void run_generate(const GenerateCmdOptions& options) {
  SaveOptions save;
  save.pretty = !options.compact;
  if (!options.actuals_csv.empty()) {
    // The actuals go to the CSV; the JSON gets the same model without them.
    const Model with_actuals = generate(options.generate);
    try {
      write_text(save_actuals_csv(with_actuals), options.actuals_csv);
    } catch (const Error& e) {
      fail_with(e, options.actuals_csv, "write");
    }
  }
  GenerateOptions structure = options.generate;
  if (!options.actuals_csv.empty()) structure.actuals = false;
  const Model model = generate(structure);
  try {
    if (options.output == "-")
      write_text(save_json(model, save), "-");
    else
      save_json_file(model, options.output, save);
  } catch (const Error& e) {
    fail_with(e, options.output, "write");
  }
}

}  // namespace

void register_generate(CLI::App& app) {
  auto options = std::make_shared<GenerateCmdOptions>();
  CLI::App* cmd = app.add_subcommand(
      "generate", "Write a synthetic organization of any size, for benchmarks and demonstrations");
  cmd->add_option("--employees,-n", options->generate.employees, "Number of employees")
      ->required()
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{50'000'000}));
  cmd->add_option("--seed,-s", options->generate.seed, "Random seed (default 1)");
  cmd->add_option("--goals", options->generate.goals, "Number of goals (default 20)")
      ->check(CLI::Range(1, 100'000));
  cmd->add_option("--periods", options->generate.periods,
                  "Months of actuals from January of --year (default 12)")
      ->check(CLI::Range(0, 1200));
  cmd->add_option("--year", options->generate.year, "First year of actuals (default 2026)")
      ->check(CLI::Range(1, 9999));
  cmd->add_option("--missing", options->generate.missing, "Share of actuals left out (default 0.1)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("-o,--output", options->output, "The JSON file to write ('-': standard output)");
  cmd->add_option("--actuals-csv", options->actuals_csv,
                  "Write the actuals to this CSV file instead of into the JSON");
  cmd->add_flag("--compact", options->compact, "Write compact JSON instead of indented");
  cmd->footer(
      "The shape: a reporting tree of units built bottom-up with a span of control of 4 to 12;\n"
      "20 goals over the four perspectives; 3 to 7 objectives per unit and per employee, each\n"
      "contributing to 1 or 2 objectives above; 1 to 3 measures per objective and goal; 12\n"
      "months of actuals with 10% missing; weights from [0.5, 2); ids in shuffled order.\n"
      "The same options give the same file on every platform.");
  cmd->callback([options] { run_generate(*options); });
}

}  // namespace spm::cli
