// spm/error.hpp - the exceptions that the C++ API throws, and the problems that validation reports.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace spm {
inline namespace v1 {

/// What went wrong, as a stable category. Each has a fixed negative code in the C ABI (spm.h).
enum class ErrorCode : int {
  invalid_argument = 1,  ///< a value out of its domain, a malformed id, period or date
  not_found = 2,         ///< an id that names no entity of that kind
  duplicate = 3,         ///< an id already taken within its kind
  validation = 4,        ///< the model (or an edit to it) breaks one or more rules
  parse = 5,             ///< a file that is not well-formed JSON or CSV, or has the wrong shape
  io = 6,                ///< a file that cannot be read or written
  unsupported = 7,       ///< an unknown format version or feature
  stale = 8,             ///< a result used after the model it came from changed
  cycle = 9,             ///< a cycle in the cascade or in the reporting lines
  internal = 10,         ///< a bug in spm; please report it
};

/// Text for a code, static ("invalid argument", ...).
const char* to_string(ErrorCode code) noexcept;

enum class Severity : unsigned char { error, warning };

/// One problem found by validation, loading or an edit. It names the entity, the field and what
/// was wrong; `location` says where in a file (a JSON path such as `$.goals[3].perspective`,
/// with line and column when the parser knows them, or a CSV line), empty for in-memory edits.
struct Issue {
  Severity severity = Severity::error;
  std::string kind;   ///< entity kind, e.g. "goal" (see to_string(EntityKind))
  std::string id;     ///< the entity's id, empty when it has none (yet)
  std::string field;  ///< the field, e.g. "perspective" or "targets[2].period"
  std::string message;
  std::string location;

  /// One line: `goal 'G1': field 'perspective': unknown perspective 'P9' (at $.goals[0])`.
  std::string to_string() const;
  bool operator==(const Issue&) const = default;
};

/// The one exception type of spm's C++ API. `issues()` lists every problem when there are many
/// (validation, loading); `what()` summarizes them.
class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message);
  Error(ErrorCode code, std::vector<Issue> issues);
  ErrorCode code() const noexcept { return code_; }
  const std::vector<Issue>& issues() const noexcept { return issues_; }

 private:
  ErrorCode code_;
  std::vector<Issue> issues_;
};

}  // namespace v1
}  // namespace spm
