// common.hpp - what every subcommand of the spm tool shares: exit codes, the two failures that
// end a run (a bad file, a bad command line), loading a model, printing issues, wrapping text.
//
// A subcommand is one file, cli/cmd_<name>.cpp, with a `void register_<name>(CLI::App&)` that
// adds the subcommand, its options and a callback. The callback does the work and either
// returns normally (exit 0), calls finish() with another exit code, or throws: Failure (a file
// that cannot be read or used: exit 1), UsageError (options that do not fit together: exit 2),
// or spm::Error (from the library: exit 1). main() turns each of these into a message on
// stderr and the exit code; no subcommand prints its own error messages or calls exit().
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "spm/error.hpp"
#include "spm/model.hpp"

namespace CLI {
class App;
}

namespace spm::cli {

/// The tool's exit codes (docs/cli.md).
enum ExitCode : int {
  exit_ok = 0,       ///< success; for validate: no errors (warnings allowed)
  exit_failure = 1,  ///< a file that cannot be read, parsed or used; validation errors
  exit_usage = 2,    ///< a bad command line
};

/// Ends the running subcommand with `code` (no message: the subcommand has printed its
/// result). exit_ok returns normally.
void finish(int code);

/// A file that cannot be read or used. `what()` is one line naming the file; `issues` are the
/// problems found in it, printed one per line after the message.
class Failure : public std::runtime_error {
 public:
  explicit Failure(const std::string& message, std::vector<Issue> issues = {})
      : std::runtime_error(message), issues_(std::move(issues)) {}
  const std::vector<Issue>& issues() const noexcept { return issues_; }

 private:
  std::vector<Issue> issues_;
};

/// A command line that parses but does not make sense (an unknown output extension, ...).
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Loads an organization from a JSON file and, if `actuals_csv` is not empty, merges the
/// actuals of that CSV into it. Throws Failure naming the file, with every issue found.
Model load_model(const std::string& json_path, const std::string& actuals_csv = {});

/// Turns an spm::Error about `path` into a Failure whose message names the path and what was
/// being done (`action`: "load", "write", ...) and that carries the error's issues.
[[noreturn]] void fail_with(const Error& error, const std::string& path, std::string_view action);

/// "error" or "warning".
const char* severity_name(Severity severity) noexcept;
/// One line for a human: `error: goal 'G1': field 'perspective': ...`.
std::string issue_line(const Issue& issue);
/// The issue as a JSON object with every field (empty fields as empty strings).
nlohmann::ordered_json issue_json(const Issue& issue);
/// "1 error", "3 warnings", ...
std::string count_noun(std::size_t n, std::string_view singular, std::string_view plural);

/// Adds a required positional argument naming a file (FILE, IN, OUT).
void add_path_argument(CLI::App& app, const std::string& name, std::string& path,
                       const std::string& description);
/// Adds `--actuals CSV`: a CSV of actuals merged into the model after loading.
void add_actuals_option(CLI::App& app, std::string& path, const std::string& description);
/// Adds `--format text|json` to a subcommand.
void add_format_option(CLI::App& app, std::string& format);
/// Adds `--threads N`: the cores to validate, compile and score on (0: every core).
void add_threads_option(CLI::App& app, int& threads);

/// Writes JSON as the tool always does: indented by two spaces, UTF-8, a final newline.
std::string dump_json(const nlohmann::ordered_json& json);

// ---- text layout -----------------------------------------------------------------------------

/// The width at which long text is wrapped.
inline constexpr std::size_t text_width = 100;

/// Width of UTF-8 text in columns, counting each code point as one column.
std::size_t display_width(std::string_view text) noexcept;

/// Splits text into lines of at most `width` columns, breaking at spaces; a word longer than
/// the width gets a line of its own. Line breaks in the text are kept; empty text gives no
/// lines.
std::vector<std::string> wrap(std::string_view text, std::size_t width);

/// Appends `label` padded to `label_width` at `indent`, then `text` wrapped to the text width
/// with continuation lines aligned under the text's first column.
void append_labeled(std::string& out, std::size_t indent, std::string_view label,
                    std::size_t label_width, std::string_view text);

/// `text` padded with spaces to `width` columns.
std::string pad(std::string_view text, std::size_t width);

}  // namespace spm::cli
