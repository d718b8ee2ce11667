// cmd_convert.cpp - `spm convert IN OUT`: re-save an organization's JSON (pretty or compact),
// or write its actuals as CSV, optionally merging a CSV of actuals in first.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>

#include <fmt/core.h>
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "common.hpp"
#include "spm/io.hpp"

namespace spm::cli {
namespace {

struct ConvertOptions {
  std::string input;
  std::string output;
  std::string actuals;
  std::string to;  ///< json or csv; empty: from OUT's extension
  bool compact = false;
  bool force = false;
};

/// ".json", ".csv", ... in lower case; empty without an extension.
std::string extension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

std::string output_format(const ConvertOptions& options) {
  if (!options.to.empty()) return options.to;
  if (options.output == "-") return "json";
  std::string ext = extension(options.output);
  if (ext == ".json") return "json";
  if (ext == ".csv") return "csv";
  throw UsageError(fmt::format(
      "cannot tell the output format of '{}': name it .json or .csv, or give --to json|csv",
      options.output));
}

/// Whether both paths name one existing file (through links too). An output that does not
/// exist yet cannot be the input.
bool same_file(const std::string& a, const std::string& b) {
  std::error_code ec;
  return std::filesystem::equivalent(a, b, ec) && !ec;
}

/// Writes `text` into an existing file that is not a regular one (a symbolic link, a device, a
/// pipe) as a stream.
void write_in_place(const std::string& path, const std::string& text) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) throw Failure(fmt::format("cannot write '{}': {}", path, std::strerror(errno)));
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  int error = errno;
  if (std::fclose(f) != 0 && ok) {
    ok = false;
    error = errno;
  }
  if (!ok) throw Failure(fmt::format("cannot write '{}': {}", path, std::strerror(error)));
}

void run_convert(const ConvertOptions& options) {
  if (extension(options.input) == ".csv")
    throw UsageError(fmt::format(
        "'{}' is a CSV file; convert reads an organization's JSON file (merge a CSV of actuals "
        "into it with --actuals)",
        options.input));
  std::string format = output_format(options);
  if (options.compact && format != "json")
    throw UsageError("--compact applies to JSON output only");
  bool to_stdout = options.output == "-";
  if (!to_stdout && !options.force && same_file(options.input, options.output))
    throw UsageError(
        fmt::format("'{}' is the input file; give --force to rewrite it in place", options.output));

  Model model = load_model(options.input, options.actuals);

  // The library saves to a temporary file and renames it over OUT. That suits a regular file,
  // but would replace a symbolic link, a device or a pipe (/dev/stdout) instead of writing
  // into it: those are written in place.
  namespace fs = std::filesystem;
  std::error_code ec;
  bool special = false;
  if (!to_stdout) {
    fs::file_status link = fs::symlink_status(options.output, ec);
    special = !ec && fs::exists(link) && !fs::is_regular_file(link);
    if (fs::is_directory(fs::status(options.output, ec)))
      throw Failure(fmt::format("cannot write '{}': it is a directory", options.output));
  }

  SaveOptions save;
  save.pretty = !options.compact;
  try {
    if (to_stdout || special) {
      std::string text = format == "json" ? save_json(model, save) : save_actuals_csv(model);
      if (to_stdout)
        fmt::print("{}", text);
      else
        write_in_place(options.output, text);
    } else if (format == "json") {
      save_json_file(model, options.output, save);
    } else {
      save_actuals_csv_file(model, options.output);
    }
  } catch (const Error& e) {
    fail_with(e, options.output, "write");
  }
}

}  // namespace

void register_convert(CLI::App& app) {
  auto options = std::make_shared<ConvertOptions>();
  CLI::App* cmd =
      app.add_subcommand("convert", "Re-save an organization as JSON, or write its actuals as CSV");
  add_path_argument(*cmd, "IN", options->input, "The organization's JSON file");
  add_path_argument(*cmd, "OUT", options->output,
                    "Where to write: a .json file (the organization) or a .csv file (its "
                    "actuals); - for standard output");
  add_actuals_option(*cmd, options->actuals,
                     "Merge this CSV of actuals into the organization before writing");
  cmd->add_option("--to", options->to, "The output format, instead of OUT's extension")
      ->check(CLI::IsMember({"json", "csv"}))
      ->option_text("json|csv");
  cmd->add_flag("--compact", options->compact, "Write JSON on one line instead of indented");
  cmd->add_flag("--force", options->force, "Allow OUT to be IN itself (rewrite it in place)");
  cmd->footer(
      "Prints nothing on success; JSON is written to a temporary file renamed over OUT.\n"
      "An existing OUT is replaced, except IN itself, which needs --force.\n"
      "Example: spm convert org.json org.json --actuals march.csv --force\n"
      "Exit status: 0 success, 1 a file that cannot be read, used or written, 2 a bad command "
      "line.");
  cmd->callback([options] { run_convert(*options); });
}

}  // namespace spm::cli
