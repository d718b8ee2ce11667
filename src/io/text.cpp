// text.cpp - escaping, number formatting, positions and files for the readers and writers.
#include "io/text.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include <fmt/format.h>

#include "spm/error.hpp"

namespace spm {
inline namespace v1 {
namespace detail {

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t run = 0;  // start of the bytes not yet copied
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\t':
        out.append("\\t");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      default:
        out.append("\\u00");
        out.push_back(hex[c >> 4]);
        out.push_back(hex[c & 15]);
    }
  }
  out.append(text.data() + run, text.size() - run);
  out.push_back('"');
}

void append_json_number(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out.append("null");
  } else if (value == 0 && std::signbit(value)) {
    out.append("-0.0");  // "-0" would read back as the integer 0
  } else {
    fmt::format_to(std::back_inserter(out), "{}", value);
  }
}

void append_csv_number(std::string& out, double value) {
  if (std::isfinite(value)) append_json_number(out, value);
}

LineCounter::Position LineCounter::at(std::size_t offset) {
  if (offset > text_.size()) offset = text_.size();
  if (offset < offset_) {
    offset_ = 0;
    pos_ = {};
  }
  for (; offset_ < offset; ++offset_) {
    const auto c = static_cast<unsigned char>(text_[offset_]);
    if (c == '\n') {
      ++pos_.line;
      pos_.column = 1;
    } else if ((c & 0xC0) != 0x80) {  // not a UTF-8 continuation byte
      ++pos_.column;
    }
  }
  return pos_;
}

std::string read_file(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!ec && std::filesystem::is_directory(status))
    throw Error(ErrorCode::io, fmt::format("cannot read '{}': it is a directory", path));
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Error(ErrorCode::io, fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
  std::string text;
  if (!ec && std::filesystem::is_regular_file(status)) {
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) throw Error(ErrorCode::io, fmt::format("cannot read '{}': {}", path, ec.message()));
    text.resize(static_cast<std::size_t>(size));
    in.read(text.data(), static_cast<std::streamsize>(size));
    if (in.gcount() != static_cast<std::streamsize>(size))
      throw Error(ErrorCode::io, fmt::format("cannot read '{}'", path));
  } else {
    // Not a regular file (a pipe, /dev/stdin): read to the end.
    std::ostringstream all;
    all << in.rdbuf();
    text = std::move(all).str();
  }
  if (in.bad()) throw Error(ErrorCode::io, fmt::format("cannot read '{}'", path));
  return text;
}

namespace {

std::atomic<unsigned> temp_counter{0};

void write_all(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(ErrorCode::io, fmt::format("cannot write '{}': {}", path, std::strerror(errno)));
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace

void write_file_atomically(const std::string& requested,
                           const std::function<void(const ChunkSink&)>& write) {
  // Write through a symbolic link to the file it names, and keep that file's permissions.
  std::error_code ec;
  std::string path = requested;
  if (std::filesystem::is_symlink(requested, ec)) {
    const auto target = std::filesystem::weakly_canonical(requested, ec);
    if (!ec) path = target.string();
  }
  const auto status = std::filesystem::status(path, ec);
  if (!ec && std::filesystem::is_directory(status))
    throw Error(ErrorCode::io, fmt::format("cannot write '{}': it is a directory", requested));
  if (!ec && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
    // A device or a pipe cannot be replaced: write into it.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0)
      throw Error(ErrorCode::io,
                  fmt::format("cannot write '{}': {}", requested, std::strerror(errno)));
    try {
      write([&](std::string_view chunk) { write_all(fd, chunk, requested); });
    } catch (...) {
      ::close(fd);
      throw;
    }
    if (::close(fd) != 0)
      throw Error(ErrorCode::io,
                  fmt::format("cannot write '{}': {}", requested, std::strerror(errno)));
    return;
  }
  const bool keep_mode = !ec && std::filesystem::is_regular_file(status);
  std::string temp;
  int fd = -1;
  for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
    temp = fmt::format("{}.tmp.{}.{}", path, ::getpid(), temp_counter.fetch_add(1));
    fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) break;
  }
  if (fd < 0)
    throw Error(ErrorCode::io, fmt::format("cannot create a file beside '{}': {}", requested,
                                           std::strerror(errno)));
  try {
    if (keep_mode) ::fchmod(fd, static_cast<mode_t>(status.permissions()) & 07777);
    write([&](std::string_view chunk) { write_all(fd, chunk, requested); });
    if (::fsync(fd) != 0)
      throw Error(ErrorCode::io,
                  fmt::format("cannot write '{}': {}", requested, std::strerror(errno)));
    const int closed = ::close(fd);
    fd = -1;
    if (closed != 0)
      throw Error(ErrorCode::io,
                  fmt::format("cannot write '{}': {}", requested, std::strerror(errno)));
    if (std::rename(temp.c_str(), path.c_str()) != 0)
      throw Error(ErrorCode::io,
                  fmt::format("cannot replace '{}': {}", requested, std::strerror(errno)));
  } catch (...) {
    if (fd >= 0) ::close(fd);
    ::unlink(temp.c_str());
    throw;
  }
}

}  // namespace detail
}  // namespace v1
}  // namespace spm
