// cmd_validate.cpp - `spm validate FILE`: load an organization, check the whole model and list
// every problem, errors first; exit 1 when there is any error.
#include <algorithm>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "common.hpp"
#include "spm/validate.hpp"

namespace spm::cli {
namespace {

struct ValidateCmdOptions {
  std::string file;
  std::string actuals;
  std::string format = "text";
  bool warnings = true;
  int threads = 1;
};

bool is_error(const Issue& issue) {
  return issue.severity == Severity::error;
}

/// For --format json, a file that does not load still gives an array: its load issues, or one
/// issue carrying the message when the library gave none (a file that cannot be read).
void print_load_failure_json(const Failure& failure) {
  nlohmann::ordered_json array = nlohmann::ordered_json::array();
  for (const Issue& issue : failure.issues()) array.push_back(issue_json(issue));
  if (array.empty()) {
    Issue issue;
    issue.message = failure.what();
    array.push_back(issue_json(issue));
  }
  fmt::print("{}", dump_json(array));
}

void run_validate(const ValidateCmdOptions& options) {
  Model model;
  try {
    model = load_model(options.file, options.actuals);
  } catch (const Failure& failure) {
    if (options.format == "json") print_load_failure_json(failure);
    throw;
  }

  ValidateOptions validate_options;
  validate_options.threads = options.threads;
  std::vector<Issue> issues = validate(model, validate_options);
  // Errors first, each group in validate's own (deterministic) order.
  std::stable_partition(issues.begin(), issues.end(), is_error);
  auto errors = static_cast<std::size_t>(std::count_if(issues.begin(), issues.end(), is_error));
  std::size_t warnings = issues.size() - errors;
  if (!options.warnings) issues.resize(errors);

  if (options.format == "json") {
    nlohmann::ordered_json array = nlohmann::ordered_json::array();
    for (const Issue& issue : issues) array.push_back(issue_json(issue));
    fmt::print("{}", dump_json(array));
  } else {
    std::string out;
    for (const Issue& issue : issues) out += issue_line(issue) + '\n';
    out += fmt::format("{}: {}, {}{}\n", errors > 0 ? "invalid" : "valid",
                       count_noun(errors, "error", "errors"),
                       count_noun(warnings, "warning", "warnings"),
                       !options.warnings && warnings > 0 ? " (not listed)" : "");
    fmt::print("{}", out);
  }
  finish(errors > 0 ? exit_failure : exit_ok);
}

}  // namespace

void register_validate(CLI::App& app) {
  auto options = std::make_shared<ValidateCmdOptions>();
  CLI::App* cmd = app.add_subcommand(
      "validate", "Check an organization file: list every error and warning, then a summary");
  add_path_argument(*cmd, "FILE", options->file, "The organization's JSON file");
  add_actuals_option(*cmd, options->actuals,
                     "Merge this CSV of actuals (measure,period,value,...) in before checking");
  add_format_option(*cmd, options->format);
  add_threads_option(*cmd, options->threads);
  CLI::Option* show = cmd->add_flag_callback(
      "--warnings", [options] { options->warnings = true; }, "List warnings (the default)");
  cmd->add_flag_callback(
         "--no-warnings", [options] { options->warnings = false; },
         "Count warnings in the summary but do not list them")
      ->excludes(show);
  cmd->footer(
      "Prints one line per problem (errors first, then warnings) and a summary line; with\n"
      "--format json, a JSON array of issues instead.\n"
      "Exit status: 0 no errors (warnings allowed), 1 errors found or the file cannot be\n"
      "loaded (every load problem is listed on stderr), 2 a bad command line.");
  cmd->callback([options] { run_validate(*options); });
}

}  // namespace spm::cli
