// commands.hpp - the subcommands of the spm tool. Adding one: write cli/cmd_<name>.cpp with its
// register function, declare it here, and call it from main.cpp in the order `spm --help` lists
// the subcommands.
#pragma once

namespace CLI {
class App;
}

namespace spm::cli {

void register_validate(CLI::App& app);  ///< cmd_validate.cpp
void register_show(CLI::App& app);      ///< cmd_show.cpp
void register_convert(CLI::App& app);   ///< cmd_convert.cpp
void register_align(CLI::App& app);     ///< cmd_align.cpp
void register_trace(CLI::App& app);     ///< cmd_trace.cpp
void register_score(CLI::App& app);     ///< cmd_score.cpp
void register_explain(CLI::App& app);   ///< cmd_explain.cpp
void register_generate(CLI::App& app);  ///< cmd_generate.cpp

void register_review(CLI::App& app);         ///< cmd_review.cpp
void register_participation(CLI::App& app);  ///< cmd_participation.cpp

}  // namespace spm::cli
