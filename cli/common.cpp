// common.cpp - shared helpers of the spm tool (see common.hpp).
#include "common.hpp"

#include <filesystem>
#include <system_error>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "spm/io.hpp"

namespace spm::cli {

void finish(int code) {
  if (code != exit_ok) throw CLI::RuntimeError(code);
}

[[noreturn]] void fail_with(const Error& error, const std::string& path, std::string_view action) {
  const std::vector<Issue>& issues = error.issues();
  if (!issues.empty()) {
    // The issues follow one per line; the message only says where and how many.
    throw Failure(fmt::format("cannot {} '{}': {}", action, path,
                              count_noun(issues.size(), "problem", "problems")),
                  issues);
  }
  // The library names the file in most of its messages; add the path only where it does not.
  std::string what = error.what();
  throw Failure(what.find(path) != std::string::npos
                    ? what
                    : fmt::format("cannot {} '{}': {}", action, path, what));
}

namespace {

/// A directory cannot be read as a file; say so rather than leave it to the reader.
void refuse_directory(const std::string& path, std::string_view action) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw Failure(fmt::format("cannot {} '{}': it is a directory", action, path));
}

}  // namespace

Model load_model(const std::string& json_path, const std::string& actuals_csv) {
  refuse_directory(json_path, "load");
  if (!actuals_csv.empty()) refuse_directory(actuals_csv, "load actuals from");
  Model model;
  try {
    model = load_json_file(json_path);
  } catch (const Error& e) {
    fail_with(e, json_path, "load");
  }
  if (!actuals_csv.empty()) {
    try {
      load_actuals_csv_file(model, actuals_csv);
    } catch (const Error& e) {
      fail_with(e, actuals_csv, "load actuals from");
    }
  }
  return model;
}

const char* severity_name(Severity severity) noexcept {
  return severity == Severity::warning ? "warning" : "error";
}

std::string issue_line(const Issue& issue) {
  return fmt::format("{}: {}", severity_name(issue.severity), issue.to_string());
}

nlohmann::ordered_json issue_json(const Issue& issue) {
  nlohmann::ordered_json j;
  j["severity"] = severity_name(issue.severity);
  j["kind"] = issue.kind;
  j["id"] = issue.id;
  j["field"] = issue.field;
  j["message"] = issue.message;
  j["location"] = issue.location;
  j["text"] = issue.to_string();
  return j;
}

std::string count_noun(std::size_t n, std::string_view singular, std::string_view plural) {
  return fmt::format("{} {}", n, n == 1 ? singular : plural);
}

void add_path_argument(CLI::App& app, const std::string& name, std::string& path,
                       const std::string& description) {
  app.add_option(name, path, description)->required()->type_name("");
}

void add_actuals_option(CLI::App& app, std::string& path, const std::string& description) {
  app.add_option("--actuals", path, description)->type_name("CSV");
}

void add_format_option(CLI::App& app, std::string& format) {
  app.add_option("--format", format, "Output: text for people (the default), or json for programs")
      ->check(CLI::IsMember({"text", "json"}))
      ->option_text("text|json");
}

void add_threads_option(CLI::App& app, int& threads) {
  app.add_option("--threads", threads,
                 "Cores to work on (0: every core); the output is the same whatever the count")
      ->check(CLI::Range(0, 1024))
      ->capture_default_str();
}

std::string dump_json(const nlohmann::ordered_json& json) {
  // Strings come from the model, which holds UTF-8; replace rather than throw should one not.
  return json.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

// ---- text layout -----------------------------------------------------------------------------

std::size_t display_width(std::string_view text) noexcept {
  std::size_t n = 0;
  for (char c : text)
    if ((static_cast<unsigned char>(c) & 0xC0u) != 0x80u) ++n;  // not a continuation byte
  return n;
}

std::vector<std::string> wrap(std::string_view text, std::size_t width) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view paragraph = text.substr(pos, eol - pos);
    if (!paragraph.empty() && paragraph.back() == '\r') paragraph.remove_suffix(1);

    std::string line;
    std::size_t line_width = 0;
    std::size_t i = 0;
    bool any_word = false;
    while (i < paragraph.size()) {
      while (i < paragraph.size() && (paragraph[i] == ' ' || paragraph[i] == '\t')) ++i;
      std::size_t start = i;
      while (i < paragraph.size() && paragraph[i] != ' ' && paragraph[i] != '\t') ++i;
      if (start == i) break;
      std::string_view word = paragraph.substr(start, i - start);
      std::size_t word_width = display_width(word);
      if (line_width > 0 && line_width + 1 + word_width > width) {
        lines.push_back(std::move(line));
        line.clear();
        line_width = 0;
      }
      if (line_width > 0) {
        line += ' ';
        ++line_width;
      }
      line += word;
      line_width += word_width;
      any_word = true;
    }
    if (any_word) lines.push_back(std::move(line));
    // Keep a blank line between paragraphs, but none at the start or end.
    else if (!lines.empty() && !lines.back().empty())
      lines.emplace_back();
    if (eol >= text.size()) break;
    pos = eol + 1;
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

std::string pad(std::string_view text, std::size_t width) {
  std::string out(text);
  std::size_t w = display_width(text);
  if (w < width) out.append(width - w, ' ');
  return out;
}

void append_labeled(std::string& out, std::size_t indent, std::string_view label,
                    std::size_t label_width, std::string_view text) {
  std::size_t column = indent + label_width + (label_width > 0 ? 2 : 0);
  std::size_t width = column + 20 < text_width ? text_width - column : 20;
  std::vector<std::string> lines = wrap(text, width);
  std::string head = std::string(indent, ' ');
  if (display_width(label) > label_width) {
    // A label too wide for its column gets a line of its own; the text starts below it.
    out += head;
    out += label;
    out += '\n';
    head = std::string(column, ' ');
  } else if (label_width > 0) {
    head += pad(label, label_width + 2);
  }
  if (lines.empty()) {
    // A label without text; trailing spaces help no one.
    while (!head.empty() && head.back() == ' ') head.pop_back();
    if (!head.empty()) out += head + '\n';
    return;
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (!lines[i].empty()) out += i == 0 ? head : std::string(column, ' ');
    out += lines[i];
    out += '\n';
  }
}

}  // namespace spm::cli
