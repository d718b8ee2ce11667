// analysis.hpp - what the analysis subcommands (align, trace, score, explain) share: a model
// that is loaded, validated and compiled, node ids given on the command line, names and numbers.
#pragma once

#include <string>
#include <string_view>

#include "spm/cascade.hpp"
#include "spm/model.hpp"

namespace spm::cli {

/// A model ready for analysis. The cascade refers into the model, which therefore lives here too.
struct Compiled {
  Model model;
  Cascade cascade;
};

/// Loads FILE (merging `actuals_csv` if given), refuses a model with validation errors (a Failure
/// listing them: analysis of an invalid model would mislead), and compiles the cascade; both
/// on `threads` threads (0 for one per core).
Compiled load_and_compile(const std::string& json_path, const std::string& actuals_csv,
                          int threads = 1);

/// A cascade node named on the command line: `KIND:ID` (goal:G1), or an ID that names exactly
/// one goal, strategy, milestone, action or objective. Throws UsageError for an unknown kind or
/// an ambiguous id, Failure for an id that names nothing.
Ref resolve_node(const Model& model, std::string_view spec);

/// The name of the entity a Ref names ("" if it has none).
std::string name_of(const Model& model, const Ref& ref);

/// `text` cut to at most `width` columns (ending in "..." when cut) and padded to exactly `width`.
std::string fit(std::string_view text, std::size_t width);

/// A number for a table: fixed decimals, "-" for NaN.
std::string number(double value, int decimals);

}  // namespace spm::cli
