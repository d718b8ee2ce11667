// spm/io.hpp - the file formats: one JSON document per organization (docs/format.md, schema in
// docs/spm.schema.json) and CSV for measure actuals.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>

namespace spm {
inline namespace v1 {

class Model;

/// The JSON format version this build writes; it reads this version and older ones.
inline constexpr int format_version = 1;

struct SaveOptions {
  bool pretty = true;  ///< indent by two spaces and one entity a line group; false: compact
};

/// Parses an organization from JSON text. Throws spm::Error: parse (with the JSON path, line
/// and column) for malformed JSON, wrong types, duplicate keys, unknown fields, NaN or huge
/// numbers; unsupported for an unknown format version; validation (every problem found in the
/// entities' own fields, each with its JSON path). References between entities are not
/// checked here: call validate().
Model load_json(std::string_view text);
/// Reads and parses a file; throws spm::Error(io) naming the path if it cannot be read.
Model load_json_file(const std::string& path);

/// Writes the organization as JSON. save then load gives back an equal Model.
std::string save_json(const Model& model, const SaveOptions& options = {});
void save_json(const Model& model, std::ostream& out, const SaveOptions& options = {});
/// Writes to a temporary file beside `path`, then renames it over `path`, so a failed save
/// never leaves a half-written file. Throws spm::Error(io).
void save_json_file(const Model& model, const std::string& path, const SaveOptions& options = {});

/// CSV of actuals: a header row `measure,period,value,numerator,denominator` (the last two may
/// be empty, or absent for files without ratio measures), then one row per actual.
struct CsvLoadResult {
  std::size_t rows = 0;  ///< actuals set
};
/// Sets every actual of the CSV in the model, all or none: on any problem (unknown measure,
/// bad period, non-numeric value, infinite value, a numerator without denominator, a row
/// repeated) it throws spm::Error(parse or validation) listing every bad row with its line
/// number, and the model is unchanged.
CsvLoadResult load_actuals_csv(Model& model, std::string_view text);
CsvLoadResult load_actuals_csv_file(Model& model, const std::string& path);
/// Writes every actual of every measure, in measure order then period order.
std::string save_actuals_csv(const Model& model);
void save_actuals_csv_file(const Model& model, const std::string& path);

}  // namespace v1
}  // namespace spm
