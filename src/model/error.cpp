#include "spm/error.hpp"

#include <fmt/format.h>

namespace spm {
inline namespace v1 {

const char* to_string(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::invalid_argument:
      return "invalid argument";
    case ErrorCode::not_found:
      return "not found";
    case ErrorCode::duplicate:
      return "duplicate id";
    case ErrorCode::validation:
      return "validation failed";
    case ErrorCode::parse:
      return "parse error";
    case ErrorCode::io:
      return "input/output error";
    case ErrorCode::unsupported:
      return "unsupported";
    case ErrorCode::stale:
      return "stale result";
    case ErrorCode::cycle:
      return "cycle";
    case ErrorCode::internal:
      return "internal error";
  }
  return "unknown error";
}

std::string Issue::to_string() const {
  std::string out;
  if (!kind.empty()) {
    out += kind;
    if (!id.empty()) fmt::format_to(std::back_inserter(out), " '{}'", id);
    out += ": ";
  }
  if (!field.empty()) fmt::format_to(std::back_inserter(out), "field '{}': ", field);
  out += message;
  if (!location.empty()) fmt::format_to(std::back_inserter(out), " (at {})", location);
  return out;
}

namespace {
std::string summarize(ErrorCode code, const std::vector<Issue>& issues) {
  if (issues.empty()) return to_string(code);
  std::string out = issues.front().to_string();
  if (issues.size() > 1)
    fmt::format_to(std::back_inserter(out), " (and {} more)", issues.size() - 1);
  return out;
}
}  // namespace

Error::Error(ErrorCode code, const std::string& message)
    : std::runtime_error(message), code_(code) {}

Error::Error(ErrorCode code, std::vector<Issue> issues)
    : std::runtime_error(summarize(code, issues)), code_(code), issues_(std::move(issues)) {}

}  // namespace v1
}  // namespace spm
