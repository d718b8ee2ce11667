// main.cpp - the spm command-line tool: registers the subcommands, parses the command line and
// turns every way a run can end into a message and an exit code (docs/cli.md).
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "common.hpp"
#include "spm/error.hpp"
#include "spm/version.hpp"

namespace {

using spm::cli::exit_failure;
using spm::cli::exit_ok;
using spm::cli::exit_usage;

/// "spm" or "spm validate": the command whose help answers a usage error.
std::string command_path(const CLI::App& app) {
  std::string path = app.get_name();
  const CLI::App* current = &app;
  while (true) {
    auto subs = current->get_subcommands();
    if (subs.empty()) break;
    current = subs.front();
    path += ' ';
    path += current->get_name();
  }
  return path;
}

int usage_error(const CLI::App& app, const std::string& message) {
  std::string command = command_path(app);
  fmt::print(stderr, "spm: error: {}\nRun '{} --help' for usage.\n", message, command);
  return exit_usage;
}

int failure(const std::string& message, const std::vector<spm::Issue>& issues) {
  std::string text = fmt::format("spm: error: {}\n", message);
  for (const spm::Issue& issue : issues) text += spm::cli::issue_line(issue) + '\n';
  fmt::print(stderr, "{}", text);
  return exit_failure;
}

int run(int argc, char** argv) {
  CLI::App app{
      "spm: check, summarize, convert, score and trace the strategy and performance files of "
      "an organization.",
      "spm"};
  app.set_version_flag("--version", fmt::format("spm {}", spm::version_string()),
                       "Print the version and exit");
  app.set_help_flag("-h,--help", "Print this help and exit");
  app.require_subcommand(1);
  app.footer(
      "Run 'spm COMMAND --help' for the options of a command.\n"
      "Exit status: 0 success, 1 a file that cannot be read or used (or validation errors), "
      "2 a bad command line.");

  spm::cli::register_validate(app);
  spm::cli::register_show(app);
  spm::cli::register_convert(app);
  spm::cli::register_score(app);
  spm::cli::register_explain(app);
  spm::cli::register_align(app);
  spm::cli::register_trace(app);
  spm::cli::register_review(app);
  spm::cli::register_participation(app);
  spm::cli::register_generate(app);

  if (argc <= 1) {
    // A bare `spm` is most likely a newcomer: show what there is, but as a usage error.
    fmt::print(stderr, "{}", app.help());
    return exit_usage;
  }

  try {
    app.parse(argc, argv);
    return exit_ok;
  } catch (const CLI::Success& e) {  // --help, --version
    return app.exit(e);
  } catch (const CLI::RuntimeError& e) {  // spm::cli::finish(code)
    return e.get_exit_code();
  } catch (const CLI::ParseError& e) {
    return usage_error(app, e.what());
  } catch (const spm::cli::UsageError& e) {
    return usage_error(app, e.what());
  } catch (const spm::cli::Failure& e) {
    return failure(e.what(), e.issues());
  } catch (const spm::Error& e) {
    return failure(e.what(), e.issues());
  }
}

/// Output is buffered: a full disk may show only when it is flushed. A run whose
/// output was lost must not report success.
int flush_stdout(int code) {
  if (std::fflush(stdout) != 0 || std::ferror(stdout) != 0) {
    std::fprintf(stderr, "spm: error: cannot write to standard output: %s\n", std::strerror(errno));
    return code == exit_ok ? exit_failure : code;
  }
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return flush_stdout(run(argc, argv));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "spm: error: %s\n", e.what());  // not fmt: it may be what failed
  } catch (...) {
    std::fputs("spm: error: unexpected failure\n", stderr);
  }
  return exit_failure;
}
