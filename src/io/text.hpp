// text.hpp - small pieces shared by the JSON and CSV readers and writers: escaping, number
// formatting, line and column from a byte offset, and files read whole or written atomically.
// Internal to spm.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace spm {
inline namespace v1 {
namespace detail {

/// Appends `text` as a JSON string literal: quotes, backslash and control characters escaped
/// (\n, \t, \r, \b, \f by their short forms, the rest as \u00XX); other bytes pass through.
void append_json_string(std::string& out, std::string_view text);

/// Appends a finite double in its shortest form that reads back exactly ("1", "0.1", "1e+100",
/// "-0.0"); a non-finite value as `null`.
void append_json_number(std::string& out, double value);

/// Appends a double for CSV: like append_json_number, but a non-finite value appends nothing.
void append_csv_number(std::string& out, double value);

/// Line and column (both from 1; the column counts characters, not bytes) of byte `offset` of a
/// text. Remembers the last answer so that rising offsets cost only the distance between them.
class LineCounter {
 public:
  explicit LineCounter(std::string_view text) : text_(text) {}
  struct Position {
    std::size_t line = 1, column = 1;
  };
  Position at(std::size_t offset);

 private:
  std::string_view text_;
  std::size_t offset_ = 0;
  Position pos_;
};

/// Reads a whole file; throws spm::Error(io) naming the path.
std::string read_file(const std::string& path);

/// Writes a file through `write`, which is given a function to hand it chunks of bytes. The
/// bytes go to a new file beside `path`, which is renamed over `path` once complete; on any
/// failure (an exception from `write`, a full disk) the temporary file is removed and `path` is
/// untouched. Throws spm::Error(io) naming the path.
using ChunkSink = std::function<void(std::string_view)>;
void write_file_atomically(const std::string& path,
                           const std::function<void(const ChunkSink&)>& write);

}  // namespace detail
}  // namespace v1
}  // namespace spm
