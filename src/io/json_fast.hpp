// json_fast.hpp - the fast path of the JSON reader (docs/format.md, docs/performance.md).
//
// load_json() and load_json_file() first try a reader that parses the document straight into
// entities, from memory or from a file through a bounded buffer, and that knows only how to
// succeed: on anything it does not take (a syntax error, a shape problem, an entity the Model
// refuses, a number it cannot convert exactly) it gives up, and the diagnosing reader of
// json_read.cpp reads the document again and reports every problem, with paths, lines and
// columns. So a good document loads fast, a bad one gets the same errors as always, and the two
// readers must agree on every document the fast one accepts (tests/cpp/test_io_json_fast.cpp).
// Internal to spm.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "spm/model.hpp"

namespace spm {
inline namespace v1 {
namespace detail {

/// Counts the entities of each top-level array (the objects directly in it that have an "id"
/// key) with a quick scan of the bytes, fed in chunks of any size, so that the Model can reserve
/// its tables before the real parse. Only a hint: a malformed document gives wrong counts here
/// and an error from the parser. Counting ids, not commas, keeps a hostile `[,,,,]` from
/// reserving more than a successful load would take.
class EntityCounter {
 public:
  void feed(std::string_view chunk);
  const std::array<std::size_t, entity_kind_count>& counts() const noexcept { return counts_; }

 private:
  static constexpr int tracked = 4;
  static constexpr std::size_t longest_key = 32;  // longer than any name the counter looks for
  void end_of_string();

  std::array<std::size_t, entity_kind_count> counts_{};
  std::array<bool, tracked> is_object_{};  // whether the container at each depth is an object
  int depth_ = 0;
  bool expect_key_ = false;
  bool in_string_ = false, escape_ = false, string_is_key_ = false;
  std::string key_;     // the last member name at depth 1
  std::string string_;  // the member name being read (its first longest_key + 1 bytes)
  int kind_ = -1;       // the entity array open at depth 2, if it is one
};

/// The diagnosing reader alone (json_read.cpp): the model, or spm::Error listing every problem.
Model load_json_diagnosing(std::string_view text);

/// The model of a document that the fast reader takes whole, or nullopt: then the diagnosing
/// reader must read it.
std::optional<Model> load_json_fast(std::string_view text);
/// Likewise from a regular file, read through a buffer of `buffer_bytes` that grows only for a
/// single number or member name longer than it. nullopt also when the file cannot be opened or
/// is not a regular file (a pipe cannot be read again by the diagnosing reader): the caller
/// reads it whole and reports any error.
std::optional<Model> load_json_file_fast(const std::string& path,
                                         std::size_t buffer_bytes = std::size_t{1} << 20);

}  // namespace detail
}  // namespace v1
}  // namespace spm
