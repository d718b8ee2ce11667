// csv.cpp - measure actuals as CSV (docs/format.md, "Actuals as CSV"), read with libcsv.
//
// Loading is all or nothing: every row is parsed and checked first, every problem collected with
// its line number; only a clean file is applied to the Model, and should the Model still refuse
// an actual, the ones already set are put back as they were.
#include <csv.h>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <vector>

#include "io/text.hpp"
#include "spm/error.hpp"
#include "spm/io.hpp"
#include "spm/model.hpp"

namespace spm {
inline namespace v1 {
namespace {

enum class Column : std::uint8_t { measure, period, value, numerator, denominator };
constexpr const char* column_names[] = {"measure", "period", "value", "numerator", "denominator"};
constexpr std::size_t column_count = std::size(column_names);

struct Row {
  std::size_t line = 0;
  std::string measure;
  Actual actual;
};

/// Parses a number; nullopt for an empty field, an error message for anything else.
struct Number {
  std::optional<double> value;
  std::string error;
};
Number parse_number(std::string_view text) {
  Number out;
  if (text.empty()) return out;
  std::string_view digits = text;
  if (digits.front() == '+') digits.remove_prefix(1);
  double v = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec == std::errc::result_out_of_range) {
    out.error = fmt::format("\"{}\" is out of the range of a number", text);
  } else if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty()) {
    out.error = fmt::format("\"{}\" is not a number", text);
  } else if (std::isnan(v)) {
    out.error = fmt::format("\"{}\" is not a number", text);
  } else if (!std::isfinite(v)) {
    out.error = fmt::format("\"{}\" is infinite", text);
  } else {
    out.value = v;
  }
  return out;
}

class CsvReader {
 public:
  CsvReader(const Model& model, std::string_view text) : model_(model), text_(text) {}

  /// Parses and checks every row; throws spm::Error listing every problem.
  std::vector<Row> run() {
    if (text_.starts_with("\xEF\xBB\xBF")) text_.remove_prefix(3);  // a byte order mark
    csv_parser parser;
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0)
      throw Error(ErrorCode::internal, "cannot initialize the CSV parser");
    struct Free {
      csv_parser* p;
      ~Free() { csv_free(p); }
    } free_parser{&parser};

    // Feed one line at a time, so that each row knows the line it is on.
    std::size_t pos = 0;
    while (pos < text_.size() && !stop_) {
      std::size_t nl = text_.find('\n', pos);
      const std::size_t end = nl == std::string_view::npos ? text_.size() : nl + 1;
      // libcsv's state 0 is "no row begun": a row that begins now begins on this line (a
      // quoted field may carry it over several lines).
      if (parser.pstate == 0) row_start_ = line_;
      if (csv_parse(&parser, text_.data() + pos, end - pos, on_field, on_row, this) != end - pos) {
        fatal(fmt::format("malformed CSV: {}", csv_strerror(csv_error(&parser))));
        break;
      }
      pos = end;
      ++line_;
    }
    if (!stop_ && csv_fini(&parser, on_field, on_row, this) != 0) {
      --line_;
      fatal(fmt::format("malformed CSV: {}", csv_strerror(csv_error(&parser))));
    }
    if (!stop_ && !header_done_)
      fatal(
          "the file is empty: expected a header row "
          "\"measure,period,value,numerator,denominator\"");
    if (!issues_.empty())
      throw Error(parse_issue_ ? ErrorCode::parse : ErrorCode::validation, std::move(issues_));
    return std::move(rows_);
  }

 private:
  static void on_field(void* data, std::size_t size, void* self) {
    auto& r = *static_cast<CsvReader*>(self);
    if (r.fields_.empty()) r.row_line_ = r.row_start_;
    r.fields_.emplace_back(static_cast<const char*>(data), size);
  }
  static void on_row(int, void* self) {
    auto& r = *static_cast<CsvReader*>(self);
    if (!r.stop_) r.row();
    r.fields_.clear();
  }

  void issue(std::size_t line, bool parse, std::string id, std::string field, std::string message) {
    if (parse) parse_issue_ = true;
    Issue i;
    i.kind = id.empty() ? "" : "measure";
    i.id = std::move(id);
    i.field = std::move(field);
    i.message = std::move(message);
    i.location = fmt::format("line {}", line);
    issues_.push_back(std::move(i));
  }
  void fatal(std::string message) {
    issue(line_, true, "", "", std::move(message));
    stop_ = true;
  }

  void row() {
    if (!header_done_) {
      header();
      return;
    }
    if (fields_.size() == 1 && fields_[0].empty()) return;  // a blank line
    if (fields_.size() != columns_.size()) {
      issue(row_line_, true, "", "",
            fmt::format("expected {} fields, as in the header, not {}", columns_.size(),
                        fields_.size()));
      return;
    }
    std::string_view cell[column_count];
    for (std::size_t i = 0; i < columns_.size(); ++i)
      cell[static_cast<std::size_t>(columns_[i])] = fields_[i];
    const std::size_t before = issues_.size();
    const std::string id(cell[0]);
    if (id.empty()) {
      issue(row_line_, true, "", "measure", "the measure is empty");
    } else if (model_.index_of(EntityKind::measure, id) < 0) {
      issue(row_line_, false, id, "measure", fmt::format("unknown measure '{}'", id));
    }
    Row r;
    r.line = row_line_;
    if (auto p = Period::parse(cell[1]))
      r.actual.period = *p;
    else
      issue(row_line_, true, id, "period",
            fmt::format("\"{}\" is not a period (expected 2026-03, 2026-Q1 or 2026)", cell[1]));
    Number n[3];
    for (std::size_t c = 2; c < column_count; ++c) {
      n[c - 2] = parse_number(cell[c]);
      if (!n[c - 2].error.empty()) issue(row_line_, true, id, column_names[c], n[c - 2].error);
    }
    if (issues_.size() != before) return;
    const auto& [value, numerator, denominator] = n;
    if (numerator.value || denominator.value) {
      if (value.value) {
        issue(row_line_, true, id, "value",
              "give a value or a numerator and a denominator, not both");
        return;
      }
      if (!numerator.value || !denominator.value) {
        issue(row_line_, true, id, numerator.value ? "denominator" : "numerator",
              "a numerator and a denominator go together: give both");
        return;
      }
      if (!(*denominator.value > 0)) {
        issue(row_line_, false, id, "denominator",
              fmt::format("must be > 0, not {}", *denominator.value));
        return;
      }
      r.actual.numerator = numerator.value;
      r.actual.denominator = denominator.value;
      r.actual.value = *numerator.value / *denominator.value;
    } else if (value.value) {
      r.actual.value = *value.value;
    } else {
      return;  // no data
    }
    std::string key = id + '\n' + std::to_string(r.actual.period.raw());
    if (auto [it, fresh] = seen_.emplace(std::move(key), r.line); !fresh) {
      issue(row_line_, false, id, "period",
            fmt::format("the actual for {} is given twice (lines {} and {})",
                        r.actual.period.to_string(), it->second, row_line_));
      return;
    }
    r.measure = id;
    rows_.push_back(std::move(r));
  }

  void header() {
    header_done_ = true;
    bool has[column_count] = {};
    for (const auto& name : fields_) {
      std::size_t c = 0;
      while (c < column_count && name != column_names[c]) ++c;
      if (c == column_count) {
        issue(row_line_, true, "", "",
              fmt::format("unknown column \"{}\" (expected measure, period, value, numerator, "
                          "denominator)",
                          name));
        continue;
      }
      if (has[c]) issue(row_line_, true, "", "", fmt::format("column \"{}\" given twice", name));
      has[c] = true;
      columns_.push_back(static_cast<Column>(c));
    }
    for (std::size_t c = 0; c < 3; ++c)
      if (!has[c])
        issue(row_line_, true, "", "",
              fmt::format("the header has no \"{}\" column", column_names[c]));
    if (!issues_.empty()) stop_ = true;
  }

  const Model& model_;
  std::string_view text_;
  std::size_t line_ = 1;
  std::size_t row_line_ = 1;
  std::size_t row_start_ = 1;
  bool stop_ = false;
  bool header_done_ = false;
  bool parse_issue_ = false;
  std::vector<std::string> fields_;
  std::vector<Column> columns_;
  std::vector<Row> rows_;
  std::unordered_map<std::string, std::size_t> seen_;  // "measure\nperiod" -> line
  std::vector<Issue> issues_;
};

/// libcsv's quoting, for a field that needs it (a comma, quote, line break, or spaces at either
/// end that a reader would trim).
void append_csv_field(std::string& out, std::string_view field) {
  const bool needs_quotes = field.find_first_of(",\"\r\n") != std::string_view::npos ||
                            (!field.empty() && (field.front() == ' ' || field.front() == '\t' ||
                                                field.back() == ' ' || field.back() == '\t'));
  if (!needs_quotes) {
    out.append(field);
    return;
  }
  const std::size_t size = csv_write(nullptr, 0, field.data(), field.size());
  const std::size_t at = out.size();
  out.resize(at + size);
  csv_write(out.data() + at, size, field.data(), field.size());
}

void write_csv(const Model& model, std::string& buf, const detail::ChunkSink* sink) {
  buf.append("measure,period,value,numerator,denominator\n");
  for (const Measure& m : model.all<Measure>()) {
    for (const Actual& a : m.actuals) {
      append_csv_field(buf, m.id);
      buf.push_back(',');
      buf.append(a.period.to_string());
      buf.push_back(',');
      if (!(a.numerator && a.denominator)) detail::append_csv_number(buf, a.value);
      buf.push_back(',');
      if (a.numerator) detail::append_csv_number(buf, *a.numerator);
      buf.push_back(',');
      if (a.denominator) detail::append_csv_number(buf, *a.denominator);
      buf.push_back('\n');
    }
    if (sink && buf.size() >= (std::size_t{1} << 16)) {
      (*sink)(buf);
      buf.clear();
    }
  }
  if (sink && !buf.empty()) {
    (*sink)(buf);
    buf.clear();
  }
}

}  // namespace

CsvLoadResult load_actuals_csv(Model& model, std::string_view text) {
  std::vector<Row> rows = CsvReader(model, text).run();

  // Apply, remembering what each row replaced so that a refusal can be undone.
  std::vector<std::optional<Actual>> previous;
  previous.reserve(rows.size());
  std::size_t applied = 0;
  try {
    for (; applied < rows.size(); ++applied) {
      Row& r = rows[applied];
      const auto& actuals = model.get<Measure>(r.measure).actuals;
      auto it = std::lower_bound(actuals.begin(), actuals.end(), r.actual.period,
                                 [](const Actual& a, Period p) { return a.period < p; });
      previous.push_back(it != actuals.end() && it->period == r.actual.period
                             ? std::optional<Actual>(*it)
                             : std::nullopt);
      model.set_actual(r.measure, r.actual);
    }
  } catch (const Error& e) {
    const Row& bad = rows[applied];
    const std::string where = fmt::format("line {}", bad.line);
    for (std::size_t i = applied; i-- > 0;) {
      try {
        if (previous[i])
          model.set_actual(rows[i].measure, *previous[i]);
        else
          model.erase_actual(rows[i].measure, rows[i].actual.period);
      } catch (...) {
        // Putting back a value the model held before cannot fail; ignore if it somehow does.
      }
    }
    std::vector<Issue> issues = e.issues();
    if (issues.empty()) {
      Issue i;
      i.message = e.what();
      issues.push_back(std::move(i));
    }
    for (Issue& i : issues) {
      if (i.kind.empty()) i.kind = "measure";
      if (i.id.empty()) i.id = bad.measure;
      i.location = where;
    }
    throw Error(e.code() == ErrorCode::not_found ? ErrorCode::validation : e.code(),
                std::move(issues));
  }
  return CsvLoadResult{rows.size()};
}

CsvLoadResult load_actuals_csv_file(Model& model, const std::string& path) {
  const std::string text = detail::read_file(path);
  return load_actuals_csv(model, text);
}

std::string save_actuals_csv(const Model& model) {
  std::string out;
  write_csv(model, out, nullptr);
  return out;
}

void save_actuals_csv_file(const Model& model, const std::string& path) {
  detail::write_file_atomically(path, [&](const detail::ChunkSink& sink) {
    std::string buf;
    write_csv(model, buf, &sink);
  });
}

}  // namespace v1
}  // namespace spm
