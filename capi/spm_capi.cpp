// spm_capi.cpp - the C ABI (spm.h): a thin skin over the C++ API, with no logic of its own.
//
// Every entry point that can fail has the shape
//     try { ... } catch (...) { return translate_current_exception(); }
// so that no exception crosses extern "C"; translate_current_exception() is the one place that
// maps C++ exceptions to SPM_E* codes and records the thread's message.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <exception>
#include <limits>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "spm.h"
#include "spm/cascade.hpp"
#include "spm/error.hpp"
#include "spm/io.hpp"
#include "spm/model.hpp"
#include "spm/people.hpp"
#include "spm/period.hpp"
#include "spm/scoring.hpp"
#include "spm/validate.hpp"
#include "spm/version.hpp"

struct ModelImpl {
  spm::Model model;
};

struct BatchImpl {
  spm::Batch batch;
};

struct RefsImpl {
  std::vector<std::string> ids;
  std::vector<spm_ref> views;  // borrowed pointers into ids
};

struct CascadeImpl {
  spm::Cascade cascade;
  const spm_model* model;       // the model compiled; used only after is_current()
  std::vector<spm::Ref> nodes;  // Cascade::node(v) of every v, for borrowed ids
};

struct SightImpl {
  std::vector<std::unique_ptr<RefsImpl>> paths;
  std::vector<double> weights;
  std::unique_ptr<RefsImpl> goals;
  bool truncated = false;
};

struct CoverageImpl {
  spm::CoverageReport report;
  std::vector<spm_coverage_row> rows;
  std::vector<spm_goal_coverage> goals;
};

struct AttributionImpl {
  spm::AttributionMatrix matrix;
};

struct ScenarioImpl {
  spm::Scenario scenario;
};

struct ScorecardImpl {
  spm::Scorecard card;
  const spm_model* model;       // the model scored, for update(); used only while current
  std::vector<spm::Ref> nodes;  // the cascade's nodes, rows of node_scores()
};

struct ExplanationImpl {
  spm::Explanation explanation;
  std::string text;
  std::string kind_id;
  spm_explanation_info info;
  std::vector<spm_explanation_input> inputs;
};

// Borrowed arrays inside the C structs of a result: each array is built once and its storage
// never moves, so the pointers stay valid as long as the result.
class Arrays {
 public:
  /// The c_str() of each string, followed by a NULL; never NULL itself.
  const char* const* strings(const std::vector<std::string>& list) {
    std::vector<const char*>& out = strings_.emplace_back();
    out.reserve(list.size() + 1);
    for (const std::string& s : list) out.push_back(s.c_str());
    out.push_back(nullptr);
    return out.data();
  }
  /// f(x) of each element, as a C array; never NULL, also when empty.
  template <class T, class From, class F>
  const T* add(const std::vector<From>& list, F&& f) {
    auto out = std::make_shared<std::vector<T>>();
    out->reserve(list.empty() ? 1 : list.size());
    for (const From& x : list) out->push_back(f(x));
    typed_.push_back(out);
    return out->data();
  }

 private:
  std::deque<std::vector<const char*>> strings_;
  std::vector<std::shared_ptr<void>> typed_;
};

struct ReviewsImpl {
  spm::CycleReviews reviews;
  std::vector<std::string> texts;
  Arrays arrays;
  std::vector<spm_employee_review> views;  // borrowed pointers into the three above
};

struct CheckInsImpl {
  spm::CheckInReport report;
  std::vector<std::string> dates;  // last and due of each employee, "" for none
  std::vector<spm_check_in_status> views;
};

struct ParticipationImpl {
  spm::ParticipationReport report;
  std::vector<std::string> names;  // of each row's group
  Arrays arrays;
  std::vector<spm_participation_row> views;
};

struct CalibrationImpl {
  std::string cycle;
  spm::Calibration calibration;
  std::vector<spm_distribution> distributions;
  std::vector<spm_calibration_line> lines;
};

struct RewardsImpl {
  std::string cycle;
  spm::RewardReport report;
  Arrays arrays;
  std::vector<spm_reward_share> views;
};

struct TrainingImpl {
  std::string cycle;
  spm::Date as_of;
  spm::TrainingNeeds needs;
  Arrays arrays;
  std::vector<std::unique_ptr<RefsImpl>> goal_lists;  // each unit need's goals
  std::vector<spm_training_gap> gaps;
  std::vector<spm_unit_training_need> units;
};

struct BudgetImpl {
  spm::OutcomeBudget budget;
  Arrays arrays;
  std::vector<spm_strategy_outcome> views;
};

struct IssuesImpl {
  std::vector<spm::Issue> issues;
  std::vector<std::string> texts;  // Issue::to_string() of each
  std::vector<spm_issue> views;    // borrowed pointers into the two vectors above
  std::size_t errors = 0;
};

// The C handles stay incomplete types everywhere, as spm.h declares them: each is a pointer to
// its C++ definition above, converted by in() and handle(). So the library's debug information,
// and with it the ABI baseline (abi/libspm.abi), shows the types of spm.h and nothing of C++.
template <class C>
struct impl_of;
#define SPM_HANDLE(C, Impl) \
  template <>               \
  struct impl_of<C> {       \
    using type = Impl;      \
  };
SPM_HANDLE(spm_model, ModelImpl)
SPM_HANDLE(spm_batch, BatchImpl)
SPM_HANDLE(spm_refs, RefsImpl)
SPM_HANDLE(spm_cascade, CascadeImpl)
SPM_HANDLE(spm_sight, SightImpl)
SPM_HANDLE(spm_coverage, CoverageImpl)
SPM_HANDLE(spm_attribution, AttributionImpl)
SPM_HANDLE(spm_scenario, ScenarioImpl)
SPM_HANDLE(spm_scorecard, ScorecardImpl)
SPM_HANDLE(spm_explanation, ExplanationImpl)
SPM_HANDLE(spm_issues, IssuesImpl)
SPM_HANDLE(spm_reviews, ReviewsImpl)
SPM_HANDLE(spm_check_ins, CheckInsImpl)
SPM_HANDLE(spm_participation, ParticipationImpl)
SPM_HANDLE(spm_calibration, CalibrationImpl)
SPM_HANDLE(spm_rewards, RewardsImpl)
SPM_HANDLE(spm_training_needs, TrainingImpl)
SPM_HANDLE(spm_outcome_budget, BudgetImpl)
#undef SPM_HANDLE

template <class C>
typename impl_of<C>::type* in(C* p) noexcept {
  return reinterpret_cast<typename impl_of<C>::type*>(p);
}
template <class C>
const typename impl_of<C>::type* in(const C* p) noexcept {
  return reinterpret_cast<const typename impl_of<C>::type*>(p);
}
template <class C>
C* handle(typename impl_of<C>::type* p) noexcept {
  return reinterpret_cast<C*>(p);
}
template <class C>
const C* const_handle(const typename impl_of<C>::type* p) noexcept {
  return reinterpret_cast<const C*>(p);
}

namespace {

// ---- the code table --------------------------------------------------------------------------
// SPM_E* = -spm::ErrorCode, for every ErrorCode. A new ErrorCode needs a new SPM_E* here and in
// spm.h, appended; this table makes the compiler check the pairs.
constexpr std::pair<spm::ErrorCode, int> code_table[] = {
    {spm::ErrorCode::invalid_argument, SPM_EINVALID},
    {spm::ErrorCode::not_found, SPM_ENOTFOUND},
    {spm::ErrorCode::duplicate, SPM_EDUPLICATE},
    {spm::ErrorCode::validation, SPM_EVALIDATION},
    {spm::ErrorCode::parse, SPM_EPARSE},
    {spm::ErrorCode::io, SPM_EIO},
    {spm::ErrorCode::unsupported, SPM_EUNSUPPORTED},
    {spm::ErrorCode::stale, SPM_ESTALE},
    {spm::ErrorCode::cycle, SPM_ECYCLE},
    {spm::ErrorCode::internal, SPM_EINTERNAL},
};
constexpr bool code_table_is_negation() {
  for (const auto& [code, c] : code_table) {
    if (c != -static_cast<int>(code)) return false;
  }
  return true;
}
static_assert(code_table_is_negation(), "SPM_E* must be the negated spm::ErrorCode");

int to_c_code(spm::ErrorCode code) noexcept {
  for (const auto& [cpp, c] : code_table) {
    if (cpp == code) return c;
  }
  return SPM_EINTERNAL;
}

// The entity kinds have the same values in C and C++.
static_assert(SPM_KIND_VALUE == static_cast<int>(spm::EntityKind::value));
static_assert(SPM_KIND_GOAL == static_cast<int>(spm::EntityKind::goal));
static_assert(SPM_KIND_MEASURE == static_cast<int>(spm::EntityKind::measure));
static_assert(SPM_KIND_REVIEW_CYCLE == static_cast<int>(spm::EntityKind::review_cycle));
static_assert(SPM_KIND_BUDGET == static_cast<int>(spm::EntityKind::budget));
static_assert(SPM_KIND_BUDGET + 1 == spm::entity_kind_count);
static_assert(SPM_SEVERITY_ERROR == static_cast<int>(spm::Severity::error));
static_assert(SPM_SEVERITY_WARNING == static_cast<int>(spm::Severity::warning));

// ---- UTF-8 --------------------------------------------------------------------------------------

// The length of the well-formed UTF-8 sequence at text[i] (no overlong forms, surrogates or code
// points past U+10FFFF), or 0 if there is none.
std::size_t utf8_length(std::string_view text, std::size_t i) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const unsigned char c = p[i];
  if (c < 0x80) return 1;
  std::size_t len = 0;
  unsigned int cp = 0, min = 0;
  if ((c & 0xe0) == 0xc0) {
    len = 2, cp = c & 0x1fu, min = 0x80;
  } else if ((c & 0xf0) == 0xe0) {
    len = 3, cp = c & 0x0fu, min = 0x800;
  } else if ((c & 0xf8) == 0xf0) {
    len = 4, cp = c & 0x07u, min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > text.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    if ((p[i + k] & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (p[i + k] & 0x3fu);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return len;
}

bool is_utf8(std::string_view text) noexcept {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t len = utf8_length(text, i);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

// The text with every byte that is not part of well-formed UTF-8 written as \xNN, so that
// messages (which may quote a host's bad input) are always valid UTF-8.
std::string to_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t len = utf8_length(text, i);
    if (len == 0) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02X", static_cast<unsigned char>(text[i]));
      out += hex;
      ++i;
    } else {
      out.append(text, i, len);
      i += len;
    }
  }
  return out;
}

// ---- the thread's last error -----------------------------------------------------------------
thread_local std::string last_message;
thread_local const char* last_error = "";

int set_error(int code, const char* message) noexcept {
  try {
    last_message = to_utf8(message);
    last_error = last_message.c_str();
  } catch (...) {
    last_error = "out of memory while recording an error";
  }
  return code;
}

// Records a message built from several pieces (strings, string literals, numbers); if even
// that runs out of memory, the first piece alone.
template <class... Parts>
int set_error(int code, const char* first, const Parts&... rest) noexcept {
  try {
    std::string message(first);
    auto append = [&message](const auto& part) {
      if constexpr (std::is_arithmetic_v<std::decay_t<decltype(part)>>) {
        message += std::to_string(part);
      } else {
        message += part;
      }
    };
    (append(rest), ...);
    return set_error(code, message.c_str());
  } catch (...) {
    return set_error(code, first);
  }
}

// Maps the exception being handled to a code and records its message. Call only from a catch
// block.
int translate_current_exception() noexcept {
  try {
    throw;
  } catch (const spm::Error& e) {
    // Several problems: every one, a line each, rather than what()'s summary.
    if (e.issues().size() > 1) {
      try {
        std::string text;
        for (const spm::Issue& issue : e.issues()) {
          if (!text.empty()) text += '\n';
          text += issue.to_string();
        }
        return set_error(to_c_code(e.code()), text.c_str());
      } catch (...) {
      }
    }
    return set_error(to_c_code(e.code()), e.what());
  } catch (const std::bad_alloc&) {
    return set_error(SPM_ENOMEM, "out of memory");
  } catch (const std::exception& e) {
    return set_error(SPM_EINTERNAL, "internal error: ", e.what());
  } catch (...) {
    return set_error(SPM_EINTERNAL, "internal error: unknown exception");
  }
}

int null_argument(const char* function, const char* argument) noexcept {
  return set_error(SPM_EINVALID, function, ": '", argument, "' must not be NULL");
}

#define SPM_REQUIRE(arg)                                        \
  do {                                                          \
    if ((arg) == nullptr) return null_argument(__func__, #arg); \
  } while (false)

// Converts C options to C++ ones; throws nothing, returns an error code on a bad version.
int to_save_options(const spm_save_options* opts, spm::SaveOptions& out) noexcept {
  out = spm::SaveOptions{};
  if (opts == nullptr) return SPM_OK;
  if (opts->version == 0 || opts->version > SPM_SAVE_OPTIONS_VERSION) {
    return set_error(SPM_EVERSION, "spm_save_options: version ", opts->version,
                     " is not supported (this library knows 1 to ", SPM_SAVE_OPTIONS_VERSION, ")");
  }
  out.pretty = opts->pretty != 0;
  return SPM_OK;
}

char* copy_to_malloc(std::string_view text) {
  auto* p = static_cast<char*>(std::malloc(text.size() + 1));
  if (p == nullptr) throw std::bad_alloc();
  std::memcpy(p, text.data(), text.size());
  p[text.size()] = '\0';
  return p;
}

// ---- arguments ---------------------------------------------------------------------------------

// A string argument that names something: not NULL, and UTF-8.
int check_text(const char* function, const char* argument, const char* value) noexcept {
  if (value == nullptr) return null_argument(function, argument);
  if (!is_utf8(value)) {
    return set_error(SPM_EINVALID, function, ": '", argument, "' is not valid UTF-8");
  }
  return SPM_OK;
}

#define SPM_REQUIRE_TEXT(arg)                                                   \
  do {                                                                          \
    if (int rc_ = check_text(__func__, #arg, (arg)); rc_ != SPM_OK) return rc_; \
  } while (false)

// Reads an enum argument as its raw int: a host may pass any value, and loading an out-of-range
// enum is undefined.
template <class E>
int raw_enum(E value) noexcept {
  static_assert(sizeof(E) == sizeof(int));
  int k = 0;
  std::memcpy(&k, &value, sizeof k);
  return k;
}

int to_kind(const char* function, spm_entity_kind kind, spm::EntityKind& out) noexcept {
  const int k = raw_enum(kind);
  if (k < 0 || k >= spm::entity_kind_count) {
    return set_error(SPM_EINVALID, function, ": ", k, " is not an spm_entity_kind");
  }
  out = static_cast<spm::EntityKind>(k);
  return SPM_OK;
}

#define SPM_REQUIRE_KIND(kind, out)                                            \
  do {                                                                         \
    if (int rc_ = to_kind(__func__, (kind), (out)); rc_ != SPM_OK) return rc_; \
  } while (false)

spm_entity_kind to_c_kind(spm::EntityKind kind) noexcept {
  return static_cast<spm_entity_kind>(static_cast<int>(kind));
}

// A `text`/`len` pair: NULL only with length 0.
std::string_view text_arg(const char* text, size_t len) noexcept {
  return text == nullptr ? std::string_view() : std::string_view(text, len);
}

#define SPM_REQUIRE_JSON(json, len)                                            \
  do {                                                                         \
    if ((len) > 0 && (json) == nullptr) return null_argument(__func__, #json); \
  } while (false)

int check_column(const char* function, const spm::Scorecard& card, size_t column) noexcept {
  if (column >= card.columns().size()) {
    return set_error(SPM_EINVALID, function, ": column ", column, " is out of range (",
                     card.columns().size(), " columns)");
  }
  return SPM_OK;
}

// Copies text into a caller's buffer (spm.h, "caller buffers").
int copy_out(const char* function, std::string_view text, char* buf, size_t size,
             size_t* needed) noexcept {
  if (needed != nullptr) *needed = text.size() + 1;
  if (buf == nullptr && size > 0) return null_argument(function, "buf");
  if (size < text.size() + 1) {
    if (size > 0) buf[0] = '\0';
    return set_error(SPM_EBUFSIZE, function, ": the buffer holds ", size, " bytes, ",
                     text.size() + 1, " are needed");
  }
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  return SPM_OK;
}

void copy_fixed(char* dst, std::size_t size, std::string_view text) noexcept {
  const std::size_t n = std::min(size - 1, text.size());
  std::memcpy(dst, text.data(), n);
  dst[n] = '\0';
}

void fill_buf(spm_buf* out, std::string_view text) {
  out->ptr = copy_to_malloc(text);
  out->size = text.size();
}

// ---- result lists ------------------------------------------------------------------------------
// Every result handle holds its rows as a vector of C structs; these give the count and the
// borrowed i-th row of any of them, and a result as JSON text.

template <class C, class V>
size_t list_count(const C* list, const std::vector<V> impl_of<C>::type::*rows) noexcept {
  return list == nullptr ? 0 : (in(list)->*rows).size();
}

template <class C, class V>
int list_get(const char* function, const char* name, const C* list,
             const std::vector<V> impl_of<C>::type::*rows, size_t i, const V** out,
             const char* noun) noexcept {
  if (out == nullptr) return null_argument(function, "out");
  *out = nullptr;
  if (list == nullptr) return null_argument(function, name);
  const std::vector<V>& items = in(list)->*rows;
  if (i >= items.size()) {
    return set_error(SPM_EINVALID, function, ": index ", i, " is out of range (", items.size(), " ",
                     noun, ")");
  }
  *out = &items[i];
  return SPM_OK;
}

// render(impl) as JSON text into *out.
template <class C, class F>
int to_json(const char* function, const char* name, const C* result, spm_buf* out,
            F&& render) noexcept {
  if (out == nullptr) return null_argument(function, "out");
  *out = spm_buf{nullptr, 0};
  if (result == nullptr) return null_argument(function, name);
  try {
    fill_buf(out, render(*in(result)));
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

template <class T>
std::string name_or_empty(const spm::Model& model, const std::string& id) {
  const T* e = model.find<T>(id);
  return e == nullptr ? std::string() : e->name;
}

// ---- entities as JSON --------------------------------------------------------------------------

// Calls f(std::type_identity<T>{}) with the entity type of a kind.
template <class F, std::size_t... I>
void visit_kind_impl(spm::EntityKind kind, F& f, std::index_sequence<I...>) {
  (void)((static_cast<std::size_t>(kind) == I
              ? (f(std::type_identity<std::variant_alternative_t<I, spm::AnyEntity>>{}), true)
              : false) ||
         ...);
}
template <class F>
void visit_kind(spm::EntityKind kind, F&& f) {
  visit_kind_impl(kind, f, std::make_index_sequence<std::variant_size_v<spm::AnyEntity>>{});
}
template <spm::EntityKind K>
constexpr bool kind_order_matches =
    std::is_same_v<std::variant_alternative_t<static_cast<std::size_t>(K), spm::AnyEntity>,
                   typename spm::entity_type<K>::type>;
static_assert(kind_order_matches<spm::EntityKind::value> &&
              kind_order_matches<spm::EntityKind::goal> &&
              kind_order_matches<spm::EntityKind::budget>);

// Where a JSON value made of one object (or one array) ends: the index just past its closing
// bracket, or npos when the text does not start with `open` or never closes it. Strings are
// skipped with their escapes; nothing else is checked (the parser does that). This keeps one
// entity's text from closing the document it is wrapped in and adding to it.
std::size_t one_value_end(std::string_view text, char open) noexcept {
  std::size_t i = 0;
  while (i < text.size() && std::strchr(" \t\r\n", text[i]) != nullptr && text[i] != '\0') ++i;
  if (i == text.size() || text[i] != open) return std::string_view::npos;
  int depth = 0;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\') ++i;
      }
      if (i >= text.size()) return std::string_view::npos;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) return i + 1;
    }
  }
  return std::string_view::npos;
}

// Checks that `text` is exactly one JSON object (or array) and nothing after it.
void require_one_value(std::string_view text, char open, const char* what) {
  const std::size_t end = one_value_end(text, open);
  bool ok = end != std::string_view::npos;
  if (ok) {
    for (std::size_t i = end; i < text.size(); ++i) {
      if (std::strchr(" \t\r\n", text[i]) == nullptr || text[i] == '\0') ok = false;
    }
  }
  if (!ok) {
    throw spm::Error(spm::ErrorCode::parse,
                     std::string("expected ") + what + " and nothing after it (docs/format.md)");
  }
}

// Parses entities of one kind from a JSON object (one entity) or array (several) of the file
// format, by wrapping them in a document. Fields are checked by the loader, as in a file.
template <class T>
std::vector<T> parse_entities(std::string_view json, bool array) {
  constexpr spm::EntityKind kind = spm::entity_kind_of<T>::value;
  require_one_value(json, array ? '[' : '{',
                    array ? "a JSON array of entities" : "one JSON object (an entity)");
  std::string doc = "{\"spm_format_version\":1,";
  // Without "perspectives", a document has the four default ones.
  if (kind != spm::EntityKind::perspective) doc += "\"perspectives\":[],";
  doc += '"';
  doc += spm::plural_name(kind);
  doc += "\":";
  if (!array) doc += '[';
  doc += json;
  if (!array) doc += ']';
  doc += '}';
  spm::Model parsed = spm::load_json(doc);
  const auto items = parsed.template all<T>();
  return std::vector<T>(items.begin(), items.end());
}

// One entity written as the file format does: the element of a one-entity document.
template <class T>
std::string entity_json(const T& entity) {
  constexpr spm::EntityKind kind = spm::entity_kind_of<T>::value;
  spm::Model one;
  one.add(entity);
  const std::string doc = spm::save_json(one, spm::SaveOptions{false});
  const std::string key = std::string("\"") + spm::plural_name(kind) + "\":[";
  const std::size_t at = doc.find(key);
  if (at == std::string::npos || doc.size() < at + key.size() + 2) {
    throw spm::Error(spm::ErrorCode::internal, "cannot find the entity in its document");
  }
  const std::size_t begin = at + key.size();
  return doc.substr(begin, doc.size() - 2 - begin);  // without the closing "]}"
}

template <class T>
const char* entity_name(const T& entity) noexcept {
  if constexpr (requires { entity.name; }) {
    return entity.name.c_str();
  } else {
    return "";
  }
}

int edit_json(const char* function, spm_model* model, spm_entity_kind kind, const char* json,
              size_t len, spm::Batch::Op op) {
  if (model == nullptr) return null_argument(function, "model");
  if (len > 0 && json == nullptr) return null_argument(function, "json");
  spm::EntityKind k{};
  if (int rc = to_kind(function, kind, k); rc != SPM_OK) return rc;
  try {
    visit_kind(k, [&]<class T>(std::type_identity<T>) {
      std::vector<T> items = parse_entities<T>(text_arg(json, len), false);
      if (items.size() != 1) {
        throw spm::Error(spm::ErrorCode::parse, "expected exactly one entity");
      }
      switch (op) {
        case spm::Batch::Op::add:
          in(model)->model.add(std::move(items[0]));
          break;
        case spm::Batch::Op::update:
          in(model)->model.update(std::move(items[0]));
          break;
        default:
          in(model)->model.upsert(std::move(items[0]));
          break;
      }
    });
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

// ---- results -----------------------------------------------------------------------------------

std::unique_ptr<RefsImpl> make_refs(std::size_t n) {
  auto refs = std::make_unique<RefsImpl>();
  refs->ids.reserve(n);
  refs->views.reserve(n);
  return refs;
}

// Builds the borrowed views once every id is in place.
void finish_refs(RefsImpl& refs, const std::vector<std::pair<spm::EntityKind, double>>& meta) {
  for (std::size_t i = 0; i < refs.ids.size(); ++i) {
    refs.views.push_back(spm_ref{to_c_kind(meta[i].first), refs.ids[i].c_str(), meta[i].second});
  }
}

std::unique_ptr<RefsImpl> refs_of(const std::vector<spm::Ref>& refs) {
  auto out = make_refs(refs.size());
  std::vector<std::pair<spm::EntityKind, double>> meta;
  for (const auto& r : refs) {
    out->ids.push_back(r.id);
    meta.emplace_back(r.kind, 0.0);
  }
  finish_refs(*out, meta);
  return out;
}

std::unique_ptr<RefsImpl> refs_of(spm::EntityKind kind, const std::vector<std::string>& ids) {
  auto out = make_refs(ids.size());
  std::vector<std::pair<spm::EntityKind, double>> meta;
  for (const auto& id : ids) {
    out->ids.push_back(id);
    meta.emplace_back(kind, 0.0);
  }
  finish_refs(*out, meta);
  return out;
}

std::unique_ptr<RefsImpl> refs_of(const std::vector<spm::Attribution>& list) {
  auto out = make_refs(list.size());
  std::vector<std::pair<spm::EntityKind, double>> meta;
  for (const auto& a : list) {
    out->ids.push_back(a.node.id);
    meta.emplace_back(a.node.kind, a.value);
  }
  finish_refs(*out, meta);
  return out;
}

std::unique_ptr<RefsImpl> refs_of(const std::vector<std::pair<std::string, double>>& goals) {
  auto out = make_refs(goals.size());
  std::vector<std::pair<spm::EntityKind, double>> meta;
  for (const auto& [id, value] : goals) {
    out->ids.push_back(id);
    meta.emplace_back(spm::EntityKind::goal, value);
  }
  finish_refs(*out, meta);
  return out;
}

// The cascade behind a query, or an error code when it is stale.
int check_current(const char* function, const spm_cascade* cascade) noexcept {
  if (cascade == nullptr) return null_argument(function, "cascade");
  if (!in(cascade)->cascade.is_current()) {
    return set_error(SPM_ESTALE, function,
                     ": the cascade is stale: its model changed or was freed since compile");
  }
  return SPM_OK;
}

int check_score_result(const char* function, const spm_score_result* out) noexcept {
  if (out == nullptr) return null_argument(function, "out");
  if (out->version == 0 || out->version > SPM_SCORE_RESULT_VERSION) {
    return set_error(SPM_EVERSION, function, ": spm_score_result version ", out->version,
                     " is not supported (this library knows 1 to ", SPM_SCORE_RESULT_VERSION, ")");
  }
  return SPM_OK;
}

static_assert(SPM_STATUS_GREEN == static_cast<int>(spm::Status::green));
static_assert(SPM_STATUS_NO_DATA == static_cast<int>(spm::Status::no_data));
static_assert(SPM_TREND_DOWN == static_cast<int>(spm::Direction::down));
static_assert(SPM_TREND_UNKNOWN == static_cast<int>(spm::Direction::unknown));

void fill_result(const spm::ScoreResult& r, spm_score_result* out) noexcept {
  // Version 1 has every field below; later versions append.
  out->score = r.score;
  out->coverage = r.coverage;
  out->status = static_cast<spm_status>(static_cast<int>(r.status));
  out->trend = static_cast<spm_trend>(static_cast<int>(r.trend));
  out->slope = r.slope;
}

// The result of a row (measure, perspective or cascade node).
spm::ScoreResult row_result(const char* function, const spm::Scorecard& card, spm::EntityKind kind,
                            const char* id, int column) {
  switch (kind) {
    case spm::EntityKind::measure:
      return card.measure(id, column);
    case spm::EntityKind::perspective:
      return card.perspective(id, column);
    case spm::EntityKind::goal:
    case spm::EntityKind::strategy:
    case spm::EntityKind::milestone:
    case spm::EntityKind::action:
    case spm::EntityKind::objective:
      return card.node(kind, id, column);
    default:
      throw spm::Error(spm::ErrorCode::invalid_argument,
                       std::string(function) + ": a " + spm::to_string(kind) +
                           " has no score (only measures, perspectives and cascade nodes do)");
  }
}

int check_version(const char* function, unsigned int version, unsigned int known,
                  const char* type) noexcept {
  if (version == 0 || version > known) {
    return set_error(SPM_EVERSION, function, ": ", type, " version ", version,
                     " is not supported (this library knows 1 to ", known, ")");
  }
  return SPM_OK;
}

/// The `_init` of an options struct whose versions all have the same fields: `defaults`, with
/// the version asked for (`function` names the caller in the error).
template <class Options>
int init_options(Options& opts, unsigned int version, unsigned int known, const Options& defaults,
                 const char* function) noexcept {
  if (version == 0 || version > known) {
    return set_error(SPM_EVERSION, function, ": version ", version,
                     " is not supported (this library knows 1 to ", known, ")");
  }
  opts = defaults;
  opts.version = version;
  return SPM_OK;
}

/// The threads asked for by an options struct with only a version and threads (`type` names it
/// in the error): the version must be one this library knows, the threads 0 or more.
int threads_option(const char* type, unsigned int version, unsigned int known, int threads,
                   int& out) noexcept {
  if (version == 0 || version > known) {
    return set_error(SPM_EVERSION, type, ": version ", version,
                     " is not supported (this library knows 1 to ", known, ")");
  }
  if (threads < 0) {
    return set_error(SPM_EINVALID, type, ": threads ", threads,
                     " must be 0 (one per core) or more");
  }
  out = threads;
  return SPM_OK;
}

int to_score_options(const spm_score_options* opts, const spm_cascade* cascade,
                     spm::ScoreOptions& out) {
  out = spm::ScoreOptions{};
  if (opts == nullptr) return SPM_OK;
  if (opts->version == 0 || opts->version > SPM_SCORE_OPTIONS_VERSION) {
    return set_error(SPM_EVERSION, "spm_score_options: version ", opts->version,
                     " is not supported (this library knows 1 to ", SPM_SCORE_OPTIONS_VERSION, ")");
  }
  if (opts->column_count > 0 && opts->columns == nullptr) {
    return null_argument("spm_score_options", "columns");
  }
  for (size_t i = 0; i < opts->column_count; ++i) {
    if (opts->columns[i] == nullptr) {
      return set_error(SPM_EINVALID, "spm_score_options: columns[", i, "] is NULL");
    }
    out.columns.push_back(spm::Span::parse(opts->columns[i]));
  }
  if (opts->column_count == 0 && opts->through != nullptr) {
    out.columns =
        spm::columns_through(in(in(cascade)->model)->model, spm::Span::parse(opts->through));
  }
  if (opts->trend_periods < 2) {
    return set_error(SPM_EINVALID, "spm_score_options: trend_periods ", opts->trend_periods,
                     " must be 2 or more");
  }
  if (!std::isfinite(opts->trend_dead_band) || opts->trend_dead_band < 0) {
    return set_error(SPM_EINVALID, "spm_score_options: trend_dead_band must be finite and >= 0");
  }
  if (!std::isfinite(opts->on_track_share) || opts->on_track_share <= 0) {
    return set_error(SPM_EINVALID, "spm_score_options: on_track_share must be finite and > 0");
  }
  out.trend_periods = opts->trend_periods;
  out.trend_dead_band = opts->trend_dead_band;
  out.on_track_share = opts->on_track_share;
  if (opts->version >= 2) {
    if (opts->threads < 0) {
      return set_error(SPM_EINVALID, "spm_score_options: threads ", opts->threads,
                       " must be 0 (one per core) or more");
    }
    out.threads = opts->threads;
  }
  return SPM_OK;
}

}  // namespace

extern "C" {

// ---- versions --------------------------------------------------------------------------------
int spm_version(int* major, int* minor, int* patch) {
  const spm::VersionInfo v = spm::version();
  if (major != nullptr) *major = v.major;
  if (minor != nullptr) *minor = v.minor;
  if (patch != nullptr) *patch = v.patch;
  return SPM_OK;
}

const char* spm_version_string(void) {
  return spm::version_string();
}

// ---- errors ----------------------------------------------------------------------------------
const char* spm_error_last(void) {
  return last_error;
}

void spm_error_clear(void) {
  last_error = "";
  last_message.clear();
}

const char* spm_strerror(int code) {
  switch (code) {
    case SPM_OK:
      return "success";
    case SPM_EINVALID:
      return "invalid argument";
    case SPM_ENOTFOUND:
      return "not found";
    case SPM_EDUPLICATE:
      return "duplicate id";
    case SPM_EVALIDATION:
      return "validation failed";
    case SPM_EPARSE:
      return "parse error";
    case SPM_EIO:
      return "input/output error";
    case SPM_EUNSUPPORTED:
      return "unsupported";
    case SPM_ESTALE:
      return "stale result";
    case SPM_ECYCLE:
      return "cycle";
    case SPM_EINTERNAL:
      return "internal error";
    case SPM_ENOMEM:
      return "out of memory";
    case SPM_EVERSION:
      return "unsupported options version";
    case SPM_EBUFSIZE:
      return "buffer too small";
    default:
      return "unknown error";
  }
}

// ---- buffers ---------------------------------------------------------------------------------
void spm_buf_dispose(spm_buf* buf) {
  if (buf == nullptr) return;
  std::free(buf->ptr);
  buf->ptr = nullptr;
  buf->size = 0;
}

// ---- the model -------------------------------------------------------------------------------
int spm_model_new(spm_model** out) {
  SPM_REQUIRE(out);
  *out = nullptr;
  try {
    *out = handle<spm_model>(new ModelImpl{});
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

void spm_model_free(spm_model* model) {
  delete in(model);
}

int spm_model_load_file(spm_model** out, const char* path) {
  SPM_REQUIRE(out);
  *out = nullptr;
  SPM_REQUIRE(path);
  try {
    *out = handle<spm_model>(new ModelImpl{spm::load_json_file(path)});
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

int spm_model_load_json(spm_model** out, const char* text, size_t len) {
  SPM_REQUIRE(out);
  *out = nullptr;
  if (len > 0) SPM_REQUIRE(text);
  try {
    *out = handle<spm_model>(
        new ModelImpl{spm::load_json(std::string_view(text == nullptr ? "" : text, len))});
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

int spm_save_options_init(spm_save_options* opts, unsigned int version) {
  SPM_REQUIRE(opts);
  return init_options(*opts, version, SPM_SAVE_OPTIONS_VERSION,
                      spm_save_options SPM_SAVE_OPTIONS_INIT, "spm_save_options_init");
}

int spm_model_save_file(const spm_model* model, const char* path, const spm_save_options* opts) {
  SPM_REQUIRE(model);
  SPM_REQUIRE(path);
  try {
    spm::SaveOptions options;
    if (int rc = to_save_options(opts, options); rc != SPM_OK) return rc;
    spm::save_json_file(in(model)->model, path, options);
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

int spm_model_save_json(const spm_model* model, spm_buf* out, const spm_save_options* opts) {
  SPM_REQUIRE(out);
  out->ptr = nullptr;
  out->size = 0;
  SPM_REQUIRE(model);
  try {
    spm::SaveOptions options;
    if (int rc = to_save_options(opts, options); rc != SPM_OK) return rc;
    const std::string text = spm::save_json(in(model)->model, options);
    out->ptr = copy_to_malloc(text);
    out->size = text.size();
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

int spm_model_count(const spm_model* model, spm_entity_kind kind, size_t* out) {
  SPM_REQUIRE(model);
  SPM_REQUIRE(out);
  // Read the raw value: a host may pass any int, and loading an out-of-range enum is undefined.
  static_assert(sizeof kind == sizeof(int));
  int k = 0;
  std::memcpy(&k, &kind, sizeof k);
  if (k < 0 || k >= spm::entity_kind_count) {
    return set_error(SPM_EINVALID, "spm_model_count: ", k, " is not an spm_entity_kind");
  }
  *out = in(model)->model.count(static_cast<spm::EntityKind>(k));
  return SPM_OK;
}

int spm_model_kept_bytes(const spm_model* model, size_t* out) {
  SPM_REQUIRE(model);
  SPM_REQUIRE(out);
  *out = in(model)->model.kept_bytes();
  return SPM_OK;
}

int spm_model_release_memory(const spm_model* model) {
  SPM_REQUIRE(model);
  in(model)->model.release_memory();
  return SPM_OK;
}

int spm_model_load_actuals_csv(spm_model* model, const char* path, size_t* rows) {
  SPM_REQUIRE(model);
  SPM_REQUIRE(path);
  try {
    const spm::CsvLoadResult result = spm::load_actuals_csv_file(in(model)->model, path);
    if (rows != nullptr) *rows = result.rows;
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

// ---- validation ------------------------------------------------------------------------------
int spm_model_validate(const spm_model* model, spm_issues** out) {
  return spm_model_validate_with(model, nullptr, out);
}

int spm_validate_options_init(spm_validate_options* opts, unsigned int version) {
  SPM_REQUIRE(opts);
  return init_options(*opts, version, SPM_VALIDATE_OPTIONS_VERSION,
                      spm_validate_options SPM_VALIDATE_OPTIONS_INIT, "spm_validate_options_init");
}

int spm_model_validate_with(const spm_model* model, const spm_validate_options* opts,
                            spm_issues** out) {
  SPM_REQUIRE(out);
  *out = nullptr;
  SPM_REQUIRE(model);
  spm::ValidateOptions options;
  if (opts != nullptr) {
    if (const int rc = threads_option("spm_validate_options", opts->version,
                                      SPM_VALIDATE_OPTIONS_VERSION, opts->threads, options.threads);
        rc != SPM_OK)
      return rc;
  }
  try {
    auto list = std::make_unique<IssuesImpl>();
    list->issues = spm::validate(in(model)->model, options);
    list->texts.reserve(list->issues.size());
    list->views.reserve(list->issues.size());
    for (const spm::Issue& issue : list->issues) {
      list->texts.push_back(issue.to_string());
      if (issue.severity == spm::Severity::error) ++list->errors;
    }
    for (std::size_t i = 0; i < list->issues.size(); ++i) {
      const spm::Issue& issue = list->issues[i];
      list->views.push_back(spm_issue{
          issue.severity == spm::Severity::error ? SPM_SEVERITY_ERROR : SPM_SEVERITY_WARNING,
          issue.kind.c_str(), issue.id.c_str(), issue.field.c_str(), issue.message.c_str(),
          issue.location.c_str(), list->texts[i].c_str()});
    }
    *out = handle<spm_issues>(list.release());
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

size_t spm_issues_count(const spm_issues* issues) {
  return list_count(issues, &IssuesImpl::views);
}

size_t spm_issues_error_count(const spm_issues* issues) {
  return issues == nullptr ? 0 : in(issues)->errors;
}

int spm_issues_get(const spm_issues* issues, size_t i, const spm_issue** out) {
  return list_get(__func__, "issues", issues, &IssuesImpl::views, i, out, "issues");
}

void spm_issues_free(spm_issues* issues) {
  delete in(issues);
}

// ---- names -----------------------------------------------------------------------------------
const char* spm_kind_name(spm_entity_kind kind) {
  const int k = raw_enum(kind);
  if (k < 0 || k >= spm::entity_kind_count) return "";
  return spm::to_string(static_cast<spm::EntityKind>(k));
}

int spm_kind_parse(const char* name, spm_entity_kind* out) {
  SPM_REQUIRE(name);
  SPM_REQUIRE(out);
  const auto kind = spm::parse_entity_kind(name);
  if (!kind) return set_error(SPM_EINVALID, "spm_kind_parse: '", name, "' is not an entity kind");
  *out = to_c_kind(*kind);
  return SPM_OK;
}

// ---- reading entities ------------------------------------------------------------------------
int spm_model_entity_id(const spm_model* model, spm_entity_kind kind, size_t index,
                        const char** out) {
  SPM_REQUIRE(out);
  *out = nullptr;
  SPM_REQUIRE(model);
  spm::EntityKind k{};
  SPM_REQUIRE_KIND(kind, k);
  const size_t n = in(model)->model.count(k);
  if (index >= n) {
    return set_error(SPM_EINVALID, "spm_model_entity_id: index ", index, " is out of range (", n,
                     " ", spm::plural_name(k), ")");
  }
  visit_kind(k, [&]<class T>(std::type_identity<T>) {
    *out = in(model)->model.all<T>()[index].id.c_str();
  });
  return SPM_OK;
}

int spm_model_entity_name(const spm_model* model, spm_entity_kind kind, size_t index,
                          const char** out) {
  SPM_REQUIRE(out);
  *out = nullptr;
  SPM_REQUIRE(model);
  spm::EntityKind k{};
  SPM_REQUIRE_KIND(kind, k);
  const size_t n = in(model)->model.count(k);
  if (index >= n) {
    return set_error(SPM_EINVALID, "spm_model_entity_name: index ", index, " is out of range (", n,
                     " ", spm::plural_name(k), ")");
  }
  visit_kind(k, [&]<class T>(std::type_identity<T>) {
    *out = entity_name(in(model)->model.all<T>()[index]);
  });
  return SPM_OK;
}

int spm_model_find(const spm_model* model, spm_entity_kind kind, const char* id, size_t* index) {
  SPM_REQUIRE(model);
  SPM_REQUIRE(index);
  spm::EntityKind k{};
  SPM_REQUIRE_KIND(kind, k);
  SPM_REQUIRE_TEXT(id);
  const std::int64_t at = in(model)->model.index_of(k, id);
  if (at < 0) {
    return set_error(SPM_ENOTFOUND, "spm_model_find: no ", spm::to_string(k), " '", id, "'");
  }
  *index = static_cast<size_t>(at);
  return SPM_OK;
}

int spm_model_get_json(const spm_model* model, spm_entity_kind kind, const char* id, spm_buf* out) {
  SPM_REQUIRE(out);
  out->ptr = nullptr;
  out->size = 0;
  SPM_REQUIRE(model);
  spm::EntityKind k{};
  SPM_REQUIRE_KIND(kind, k);
  SPM_REQUIRE_TEXT(id);
  try {
    visit_kind(k, [&]<class T>(std::type_identity<T>) {
      fill_buf(out, entity_json(in(model)->model.get<T>(id)));
    });
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

int spm_model_get_info_json(const spm_model* model, spm_buf* out) {
  SPM_REQUIRE(out);
  out->ptr = nullptr;
  out->size = 0;
  SPM_REQUIRE(model);
  try {
    spm::Model one;
    one.set_info(in(model)->model.info());
    std::string doc = spm::save_json(one, spm::SaveOptions{false});
    static constexpr std::string_view head = "\"organization\":";
    static constexpr std::string_view tail = ",\"perspectives\":[]}";
    const std::size_t at = doc.find(head);
    if (at == std::string::npos || !doc.ends_with(tail)) {
      throw spm::Error(spm::ErrorCode::internal, "cannot find the organization in its document");
    }
    const std::size_t begin = at + head.size();
    fill_buf(out, std::string_view(doc).substr(begin, doc.size() - tail.size() - begin));
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

// ---- editing entities ------------------------------------------------------------------------
int spm_model_set_info_json(spm_model* model, const char* json, size_t len) {
  SPM_REQUIRE(model);
  SPM_REQUIRE_JSON(json, len);
  try {
    const std::string_view text = text_arg(json, len);
    require_one_value(text, '{', "one JSON object (the organization)");
    std::string doc = "{\"spm_format_version\":1,\"perspectives\":[],\"organization\":";
    doc += text;
    doc += '}';
    spm::Model parsed = spm::load_json(doc);
    in(model)->model.set_info(parsed.info());
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

int spm_model_add_json(spm_model* model, spm_entity_kind kind, const char* json, size_t len) {
  return edit_json(__func__, model, kind, json, len, spm::Batch::Op::add);
}

int spm_model_update_json(spm_model* model, spm_entity_kind kind, const char* json, size_t len) {
  return edit_json(__func__, model, kind, json, len, spm::Batch::Op::update);
}

int spm_model_upsert_json(spm_model* model, spm_entity_kind kind, const char* json, size_t len) {
  return edit_json(__func__, model, kind, json, len, spm::Batch::Op::upsert);
}

int spm_model_remove(spm_model* model, spm_entity_kind kind, const char* id) {
  SPM_REQUIRE(model);
  spm::EntityKind k{};
  SPM_REQUIRE_KIND(kind, k);
  SPM_REQUIRE_TEXT(id);
  try {
    in(model)->model.remove(k, id);
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

// ---- bulk edits ------------------------------------------------------------------------------
int spm_batch_new(spm_batch** out) {
  SPM_REQUIRE(out);
  *out = nullptr;
  try {
    *out = handle<spm_batch>(new BatchImpl{});
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

void spm_batch_free(spm_batch* batch) {
  delete in(batch);
}

size_t spm_batch_count(const spm_batch* batch) {
  return batch == nullptr ? 0 : in(batch)->batch.size();
}

void spm_batch_clear(spm_batch* batch) {
  if (batch != nullptr) in(batch)->batch.clear();
}

namespace {
int batch_add(const char* function, spm_batch* batch, spm_edit_op op, spm_entity_kind kind,
              const char* json, size_t len, bool array) {
  if (batch == nullptr) return null_argument(function, "batch");
  if (len > 0 && json == nullptr) return null_argument(function, "json");
  const int o = raw_enum(op);
  if (o < SPM_EDIT_ADD || o > SPM_EDIT_UPSERT) {
    return set_error(SPM_EINVALID, function, ": ", o, " is not an spm_edit_op");
  }
  spm::EntityKind k{};
  if (int rc = to_kind(function, kind, k); rc != SPM_OK) return rc;
  try {
    visit_kind(k, [&]<class T>(std::type_identity<T>) {
      std::vector<T> items = parse_entities<T>(text_arg(json, len), array);
      if (!array && items.size() != 1) {
        throw spm::Error(spm::ErrorCode::parse, "expected exactly one entity");
      }
      spm::Batch more = in(batch)->batch;  // all or none: append to a copy
      for (T& item : items) {
        if (o == SPM_EDIT_ADD) {
          more.add(std::move(item));
        } else if (o == SPM_EDIT_UPDATE) {
          more.update(std::move(item));
        } else {
          more.upsert(std::move(item));
        }
      }
      in(batch)->batch = std::move(more);
    });
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}
}  // namespace

int spm_batch_add_json(spm_batch* batch, spm_edit_op op, spm_entity_kind kind, const char* json,
                       size_t len) {
  return batch_add(__func__, batch, op, kind, json, len, false);
}

int spm_batch_add_json_array(spm_batch* batch, spm_edit_op op, spm_entity_kind kind,
                             const char* json, size_t len) {
  return batch_add(__func__, batch, op, kind, json, len, true);
}

int spm_batch_remove(spm_batch* batch, spm_entity_kind kind, const char* const* ids, size_t n) {
  SPM_REQUIRE(batch);
  if (n > 0) SPM_REQUIRE(ids);
  spm::EntityKind k{};
  SPM_REQUIRE_KIND(kind, k);
  for (size_t i = 0; i < n; ++i) {
    if (ids[i] == nullptr) return set_error(SPM_EINVALID, "spm_batch_remove: ids[", i, "] is NULL");
    if (!is_utf8(ids[i])) {
      return set_error(SPM_EINVALID, "spm_batch_remove: ids[", i, "] is not valid UTF-8");
    }
  }
  try {
    spm::Batch more = in(batch)->batch;
    for (size_t i = 0; i < n; ++i) more.remove(k, ids[i]);
    in(batch)->batch = std::move(more);
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

int spm_model_apply(spm_model* model, const spm_batch* batch) {
  SPM_REQUIRE(model);
  SPM_REQUIRE(batch);
  try {
    in(model)->model.apply(in(batch)->batch);
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

// ---- actuals ---------------------------------------------------------------------------------
int spm_model_set_actuals(spm_model* model, const spm_actual* actuals, size_t n) {
  SPM_REQUIRE(model);
  if (n > 0) SPM_REQUIRE(actuals);
  try {
    // First every problem that can be found without editing, all listed.
    std::string problems;
    int code = SPM_OK;
    auto problem = [&](int c, size_t i, const std::string& what) {
      if (code == SPM_OK || (code == SPM_ENOTFOUND && c != SPM_ENOTFOUND)) code = c;
      problems += problems.empty() ? "" : "; ";
      problems += "actuals[" + std::to_string(i) + "]";
      problems += what;
    };
    std::vector<spm::Period> periods(n);
    for (size_t i = 0; i < n; ++i) {
      const spm_actual& a = actuals[i];
      if (a.measure == nullptr || a.period == nullptr) {
        return set_error(SPM_EINVALID, "spm_model_set_actuals: actuals[", i, "].",
                         a.measure == nullptr ? "measure" : "period", " is NULL");
      }
      if (!is_utf8(a.measure) || !is_utf8(a.period)) {
        return set_error(SPM_EINVALID, "spm_model_set_actuals: actuals[", i, "].",
                         !is_utf8(a.measure) ? "measure" : "period", " is not valid UTF-8");
      }
      const std::string m = std::string(" (measure '") + a.measure + "')";
      if (!in(model)->model.contains(spm::EntityKind::measure, a.measure)) {
        problem(SPM_ENOTFOUND, i, ".measure: no measure '" + std::string(a.measure) + "'");
      }
      if (auto p = spm::Period::parse(a.period)) {
        periods[i] = *p;
      } else {
        problem(
            SPM_EVALIDATION, i,
            m + ": field 'period': '" + a.period + "' is not a period (YYYY-MM, YYYY-Qn, YYYY)");
      }
      if (a.has_ratio != 0) {
        if (!std::isfinite(a.numerator) || !std::isfinite(a.denominator)) {
          problem(SPM_EVALIDATION, i, m + ": field 'numerator'/'denominator': not finite");
        }
      } else if (std::isinf(a.value)) {
        problem(SPM_EVALIDATION, i, m + ": field 'value': not finite");
      }
    }
    if (code != SPM_OK) return set_error(code, "spm_model_set_actuals: ", problems);

    // Then the edits, undone in reverse order if one fails.
    struct Undo {
      const char* measure;
      spm::Period period;
      std::optional<spm::Actual> before;
    };
    std::vector<Undo> undo;
    undo.reserve(n);
    size_t i = 0;
    try {
      for (; i < n; ++i) {
        const spm_actual& a = actuals[i];
        const spm::Measure& m = in(model)->model.get<spm::Measure>(a.measure);
        Undo u{a.measure, periods[i], std::nullopt};
        for (const spm::Actual& old : m.actuals) {
          if (old.period == periods[i]) u.before = old;
        }
        if (a.has_ratio == 0 && std::isnan(a.value)) {
          in(model)->model.erase_actual(a.measure, periods[i]);
        } else {
          spm::Actual actual;
          actual.period = periods[i];
          actual.value = a.value;
          if (a.has_ratio != 0) {
            actual.numerator = a.numerator;
            actual.denominator = a.denominator;
            actual.value = a.denominator != 0 ? a.numerator / a.denominator : 0.0;
          }
          in(model)->model.set_actual(a.measure, actual);
        }
        undo.push_back(std::move(u));
      }
    } catch (...) {
      // Any failure, out of memory included, undoes the edits before it.
      for (auto it = undo.rbegin(); it != undo.rend(); ++it) {
        if (it->before) {
          in(model)->model.set_actual(it->measure, *it->before);
        } else {
          in(model)->model.erase_actual(it->measure, it->period);
        }
      }
      try {
        throw;
      } catch (const spm::Error& e) {
        return set_error(to_c_code(e.code()), "spm_model_set_actuals: actuals[", i, "] (measure '",
                         actuals[i].measure, "', period '", actuals[i].period, "'): ", e.what());
      }
    }
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

int spm_model_last_actual_month(const spm_model* model, char* buf, size_t size, size_t* needed) {
  SPM_REQUIRE(model);
  try {
    const auto month = spm::last_actual_month(in(model)->model);
    if (!month) {
      if (needed != nullptr) *needed = 0;
      return set_error(SPM_ENOTFOUND, "spm_model_last_actual_month: no measure has an actual");
    }
    return copy_out(__func__, month->to_string(), buf, size, needed);
  } catch (...) {
    return translate_current_exception();
  }
}

// ---- lists -----------------------------------------------------------------------------------
size_t spm_refs_count(const spm_refs* refs) {
  return list_count(refs, &RefsImpl::views);
}

int spm_refs_get(const spm_refs* refs, size_t i, const spm_ref** out) {
  return list_get(__func__, "refs", refs, &RefsImpl::views, i, out, "elements");
}

void spm_refs_free(spm_refs* refs) {
  delete in(refs);
}

// ---- the cascade -----------------------------------------------------------------------------
int spm_cascade_compile(spm_cascade** out, const spm_model* model) {
  return spm_cascade_compile_with(out, model, nullptr);
}

int spm_cascade_compile_with(spm_cascade** out, const spm_model* model,
                             const spm_compile_options* opts) {
  SPM_REQUIRE(out);
  *out = nullptr;
  SPM_REQUIRE(model);
  spm::CompileOptions options;
  if (opts != nullptr) {
    if (const int rc = threads_option("spm_compile_options", opts->version,
                                      SPM_COMPILE_OPTIONS_VERSION, opts->threads, options.threads);
        rc != SPM_OK)
      return rc;
  }
  try {
    spm::Cascade cascade = spm::Cascade::compile(in(model)->model, options);
    std::vector<spm::Ref> nodes;
    nodes.reserve(cascade.node_count());
    for (std::size_t v = 0; v < cascade.node_count(); ++v) {
      nodes.push_back(cascade.node(static_cast<std::uint32_t>(v)));
    }
    *out = handle<spm_cascade>(new CascadeImpl{std::move(cascade), model, std::move(nodes)});
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

void spm_cascade_free(spm_cascade* cascade) {
  delete in(cascade);
}

int spm_cascade_is_current(const spm_cascade* cascade) {
  return cascade != nullptr && in(cascade)->cascade.is_current() ? 1 : 0;
}

int spm_cascade_node_count(const spm_cascade* cascade, size_t* out) {
  SPM_REQUIRE(out);
  if (int rc = check_current(__func__, cascade); rc != SPM_OK) return rc;
  *out = in(cascade)->nodes.size();
  return SPM_OK;
}

int spm_cascade_edge_count(const spm_cascade* cascade, size_t* out) {
  SPM_REQUIRE(out);
  if (int rc = check_current(__func__, cascade); rc != SPM_OK) return rc;
  *out = in(cascade)->cascade.edge_count();
  return SPM_OK;
}

int spm_cascade_node(const spm_cascade* cascade, size_t index, spm_entity_kind* kind,
                     const char** id) {
  if (id != nullptr) *id = nullptr;
  if (int rc = check_current(__func__, cascade); rc != SPM_OK) return rc;
  if (index >= in(cascade)->nodes.size()) {
    return set_error(SPM_EINVALID, "spm_cascade_node: index ", index, " is out of range (",
                     in(cascade)->nodes.size(), " nodes)");
  }
  if (kind != nullptr) *kind = to_c_kind(in(cascade)->nodes[index].kind);
  if (id != nullptr) *id = in(cascade)->nodes[index].id.c_str();
  return SPM_OK;
}

int spm_cascade_index_of(const spm_cascade* cascade, spm_entity_kind kind, const char* id,
                         size_t* index) {
  SPM_REQUIRE(index);
  spm::EntityKind k{};
  SPM_REQUIRE_KIND(kind, k);
  SPM_REQUIRE_TEXT(id);
  if (int rc = check_current(__func__, cascade); rc != SPM_OK) return rc;
  try {
    const std::int64_t v = in(cascade)->cascade.index_of(k, id);
    if (v < 0) {
      return set_error(SPM_ENOTFOUND, "spm_cascade_index_of: ", spm::to_string(k), " '", id,
                       "' is not a node of the cascade");
    }
    *index = static_cast<size_t>(v);
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

}  // extern "C"

namespace {
template <class Query>
int refs_query(const char* function, const spm_cascade* cascade, spm_refs** out, Query&& query) {
  if (out == nullptr) return null_argument(function, "out");
  *out = nullptr;
  if (int rc = check_current(function, cascade); rc != SPM_OK) return rc;
  try {
    *out = handle<spm_refs>(query(in(cascade)->cascade).release());
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}
}  // namespace

extern "C" {

int spm_cascade_orphans(const spm_cascade* cascade, spm_refs** out) {
  return refs_query(__func__, cascade, out,
                    [](const spm::Cascade& c) { return refs_of(c.orphans()); });
}

int spm_cascade_uncovered_goals(const spm_cascade* cascade, spm_refs** out) {
  return refs_query(__func__, cascade, out, [](const spm::Cascade& c) {
    return refs_of(spm::EntityKind::goal, c.uncovered_goals());
  });
}

int spm_cascade_strategies_without_milestones(const spm_cascade* cascade, spm_refs** out) {
  return refs_query(__func__, cascade, out, [](const spm::Cascade& c) {
    return refs_of(spm::EntityKind::strategy, c.strategies_without_milestones());
  });
}

int spm_cascade_milestones_without_owner(const spm_cascade* cascade, spm_refs** out) {
  return refs_query(__func__, cascade, out, [](const spm::Cascade& c) {
    return refs_of(spm::EntityKind::milestone, c.milestones_without_owner());
  });
}

int spm_cascade_contributors(const spm_cascade* cascade, const char* goal, spm_refs** nodes,
                             spm_refs** owners) {
  if (nodes != nullptr) *nodes = nullptr;
  if (owners != nullptr) *owners = nullptr;
  if (nodes == nullptr && owners == nullptr) {
    return set_error(SPM_EINVALID, "spm_cascade_contributors: 'nodes' and 'owners' are both NULL");
  }
  SPM_REQUIRE_TEXT(goal);
  if (int rc = check_current(__func__, cascade); rc != SPM_OK) return rc;
  try {
    const spm::Contributors c = in(cascade)->cascade.contributors(goal);
    auto n = refs_of(c.nodes);
    auto o = refs_of(c.owners);
    if (nodes != nullptr) *nodes = handle<spm_refs>(n.release());
    if (owners != nullptr) *owners = handle<spm_refs>(o.release());
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

int spm_cascade_impact(const spm_cascade* cascade, spm_entity_kind kind, const char* id,
                       spm_refs** out) {
  SPM_REQUIRE(out);
  *out = nullptr;
  spm::EntityKind k{};
  SPM_REQUIRE_KIND(kind, k);
  SPM_REQUIRE_TEXT(id);
  if (k != spm::EntityKind::employee && k != spm::EntityKind::unit && k != spm::EntityKind::team) {
    return set_error(SPM_EINVALID, "spm_cascade_impact: kind ", spm::to_string(k),
                     " is not employee, unit or team");
  }
  return refs_query(__func__, cascade, out,
                    [&](const spm::Cascade& c) { return refs_of(c.impact(k, id)); });
}

int spm_cascade_attribution_to(const spm_cascade* cascade, const char* goal, spm_refs** out) {
  SPM_REQUIRE(out);
  *out = nullptr;
  SPM_REQUIRE_TEXT(goal);
  return refs_query(__func__, cascade, out,
                    [&](const spm::Cascade& c) { return refs_of(c.attribution_to(goal)); });
}

int spm_cascade_line_of_sight(const spm_cascade* cascade, spm_entity_kind kind, const char* id,
                              size_t max_paths, spm_sight** out) {
  SPM_REQUIRE(out);
  *out = nullptr;
  spm::EntityKind k{};
  SPM_REQUIRE_KIND(kind, k);
  SPM_REQUIRE_TEXT(id);
  if (int rc = check_current(__func__, cascade); rc != SPM_OK) return rc;
  try {
    if (in(cascade)->cascade.index_of(k, id) < 0) {
      return set_error(SPM_ENOTFOUND, "spm_cascade_line_of_sight: ", spm::to_string(k), " '", id,
                       "' is not a node of the cascade");
    }
    const spm::LineOfSight los =
        in(cascade)->cascade.line_of_sight(k, id, max_paths == 0 ? 10000 : max_paths);
    auto sight = std::make_unique<SightImpl>();
    sight->truncated = los.truncated;
    for (const spm::SightPath& path : los.paths) {
      auto refs = make_refs(path.nodes.size());
      std::vector<std::pair<spm::EntityKind, double>> meta;
      for (std::size_t j = 0; j < path.nodes.size(); ++j) {
        refs->ids.push_back(path.nodes[j].id);
        meta.emplace_back(path.nodes[j].kind, j < path.steps.size() ? path.steps[j] : 1.0);
      }
      finish_refs(*refs, meta);
      sight->paths.push_back(std::move(refs));
      sight->weights.push_back(path.weight);
    }
    sight->goals = refs_of(los.goals);
    *out = handle<spm_sight>(sight.release());
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

void spm_sight_free(spm_sight* sight) {
  delete in(sight);
}

size_t spm_sight_path_count(const spm_sight* sight) {
  return sight == nullptr ? 0 : in(sight)->paths.size();
}

int spm_sight_truncated(const spm_sight* sight) {
  return sight != nullptr && in(sight)->truncated ? 1 : 0;
}

int spm_sight_path(const spm_sight* sight, size_t i, const spm_refs** nodes, double* weight) {
  SPM_REQUIRE(nodes);
  *nodes = nullptr;
  SPM_REQUIRE(sight);
  if (i >= in(sight)->paths.size()) {
    return set_error(SPM_EINVALID, "spm_sight_path: index ", i, " is out of range (",
                     in(sight)->paths.size(), " paths)");
  }
  *nodes = const_handle<spm_refs>(in(sight)->paths[i].get());
  if (weight != nullptr) *weight = in(sight)->weights[i];
  return SPM_OK;
}

int spm_sight_goals(const spm_sight* sight, const spm_refs** out) {
  SPM_REQUIRE(out);
  *out = nullptr;
  SPM_REQUIRE(sight);
  *out = const_handle<spm_refs>(in(sight)->goals.get());
  return SPM_OK;
}

int spm_cascade_coverage(const spm_cascade* cascade, spm_coverage** out) {
  SPM_REQUIRE(out);
  *out = nullptr;
  if (int rc = check_current(__func__, cascade); rc != SPM_OK) return rc;
  try {
    auto cov = std::make_unique<CoverageImpl>();
    cov->report = in(cascade)->cascade.coverage();
    const spm::CoverageReport& r = cov->report;
    auto row = [](const spm::CoverageRow& c, bool org) {
      return spm_coverage_row{to_c_kind(c.kind), org ? 1 : 0, c.id.c_str(), c.name.c_str(),
                              c.employees,       c.aligned,   c.share};
    };
    cov->rows.push_back(row(r.organization, true));
    for (const auto* group : {&r.divisions, &r.units, &r.teams}) {
      for (const spm::CoverageRow& c : *group) cov->rows.push_back(row(c, false));
    }
    for (const spm::GoalCoverage& g : r.goals) {
      cov->goals.push_back(spm_goal_coverage{g.goal.c_str(), g.measures, g.contributors,
                                             g.objectives, g.aligned_employees, g.covered ? 1 : 0});
    }
    *out = handle<spm_coverage>(cov.release());
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

void spm_coverage_free(spm_coverage* coverage) {
  delete in(coverage);
}

size_t spm_coverage_row_count(const spm_coverage* coverage) {
  return list_count(coverage, &CoverageImpl::rows);
}

int spm_coverage_row_get(const spm_coverage* coverage, size_t i, const spm_coverage_row** out) {
  return list_get(__func__, "coverage", coverage, &CoverageImpl::rows, i, out, "rows");
}

size_t spm_coverage_goal_count(const spm_coverage* coverage) {
  return list_count(coverage, &CoverageImpl::goals);
}

int spm_coverage_goal_get(const spm_coverage* coverage, size_t i, const spm_goal_coverage** out) {
  return list_get(__func__, "coverage", coverage, &CoverageImpl::goals, i, out, "goals");
}

double spm_coverage_goal_share(const spm_coverage* coverage) {
  return coverage == nullptr ? std::numeric_limits<double>::quiet_NaN()
                             : in(coverage)->report.goal_share;
}

int spm_cascade_attribution(const spm_cascade* cascade, spm_attribution** out) {
  SPM_REQUIRE(out);
  *out = nullptr;
  if (int rc = check_current(__func__, cascade); rc != SPM_OK) return rc;
  try {
    *out = handle<spm_attribution>(new AttributionImpl{in(cascade)->cascade.attribution()});
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

void spm_attribution_free(spm_attribution* attribution) {
  delete in(attribution);
}

int spm_attribution_csr(const spm_attribution* attribution, size_t* rows, size_t* cols, size_t* nnz,
                        const int** row_offsets, const int** columns, const double** values) {
  SPM_REQUIRE(attribution);
  const spm::AttributionMatrix& m = in(attribution)->matrix;
  if (rows != nullptr) *rows = m.rows;
  if (cols != nullptr) *cols = m.cols;
  if (nnz != nullptr) *nnz = m.values.size();
  if (row_offsets != nullptr) *row_offsets = m.row_offsets.data();
  if (columns != nullptr) *columns = m.columns.data();
  if (values != nullptr) *values = m.values.data();
  return SPM_OK;
}

// ---- scoring ---------------------------------------------------------------------------------
const char* spm_status_name(spm_status status) {
  const int s = raw_enum(status);
  if (s < SPM_STATUS_GREEN || s > SPM_STATUS_NO_DATA) return "";
  return spm::to_string(static_cast<spm::Status>(s));
}

const char* spm_trend_name(spm_trend trend) {
  const int t = raw_enum(trend);
  if (t < SPM_TREND_DOWN || t > SPM_TREND_UNKNOWN) return "";
  return spm::to_string(static_cast<spm::Direction>(t));
}

int spm_score_options_init(spm_score_options* opts, unsigned int version) {
  SPM_REQUIRE(opts);
  if (version == 0 || version > SPM_SCORE_OPTIONS_VERSION) {
    return set_error(SPM_EVERSION, "spm_score_options_init: version ", version,
                     " is not supported (this library knows 1 to ", SPM_SCORE_OPTIONS_VERSION, ")");
  }
  // Only the fields of the version asked for: an older host's struct ends there.
  const spm_score_options defaults = SPM_SCORE_OPTIONS_INIT;
  const std::size_t size = version == 1 ? offsetof(spm_score_options, threads) : sizeof defaults;
  std::memcpy(opts, &defaults, size);
  opts->version = version;
  return SPM_OK;
}

int spm_compile_options_init(spm_compile_options* opts, unsigned int version) {
  SPM_REQUIRE(opts);
  return init_options(*opts, version, SPM_COMPILE_OPTIONS_VERSION,
                      spm_compile_options SPM_COMPILE_OPTIONS_INIT, "spm_compile_options_init");
}

int spm_scenario_new(spm_scenario** out) {
  SPM_REQUIRE(out);
  *out = nullptr;
  try {
    *out = handle<spm_scenario>(new ScenarioImpl{});
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

void spm_scenario_free(spm_scenario* scenario) {
  delete in(scenario);
}

void spm_scenario_clear(spm_scenario* scenario) {
  if (scenario != nullptr) in(scenario)->scenario = spm::Scenario{};
}

size_t spm_scenario_count(const spm_scenario* scenario) {
  if (scenario == nullptr) return 0;
  const spm::Scenario& s = in(scenario)->scenario;
  return s.actuals.size() + s.targets.size() + s.weights.size();
}

int spm_scenario_set_actual(spm_scenario* scenario, const char* measure, const char* period,
                            double value) {
  SPM_REQUIRE(scenario);
  SPM_REQUIRE_TEXT(measure);
  SPM_REQUIRE_TEXT(period);
  try {
    in(scenario)->scenario.actuals.push_back({measure, spm::Period::from_string(period), value});
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

int spm_scenario_set_target(spm_scenario* scenario, const char* measure, const char* period,
                            double value) {
  SPM_REQUIRE(scenario);
  SPM_REQUIRE_TEXT(measure);
  if (period != nullptr) SPM_REQUIRE_TEXT(period);
  try {
    std::optional<spm::Period> p;
    if (period != nullptr) p = spm::Period::from_string(period);
    in(scenario)->scenario.targets.push_back({measure, p, value});
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

int spm_scenario_set_weight(spm_scenario* scenario, spm_entity_kind from_kind, const char* from_id,
                            spm_entity_kind target_kind, const char* to_id, double weight) {
  SPM_REQUIRE(scenario);
  spm::EntityKind from{}, to{};
  SPM_REQUIRE_KIND(from_kind, from);
  SPM_REQUIRE_TEXT(from_id);
  if (from == spm::EntityKind::measure) {
    if (to_id != nullptr) SPM_REQUIRE_TEXT(to_id);
    to = spm::EntityKind::goal;
  } else {
    SPM_REQUIRE_KIND(target_kind, to);
    SPM_REQUIRE_TEXT(to_id);
  }
  try {
    in(scenario)->scenario.weights.push_back(
        {spm::Ref{from, from_id}, spm::Ref{to, to_id == nullptr ? "" : to_id}, weight});
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

int spm_scorecard_evaluate(spm_scorecard** out, const spm_cascade* cascade,
                           const spm_score_options* opts, const spm_scenario* scenario) {
  SPM_REQUIRE(out);
  *out = nullptr;
  if (int rc = check_current(__func__, cascade); rc != SPM_OK) return rc;
  try {
    spm::ScoreOptions options;
    if (int rc = to_score_options(opts, cascade, options); rc != SPM_OK) return rc;
    static const spm::Scenario none;
    spm::Scorecard card = spm::Scorecard::evaluate(
        in(cascade)->cascade, options, scenario == nullptr ? none : in(scenario)->scenario);
    *out = handle<spm_scorecard>(
        new ScorecardImpl{std::move(card), in(cascade)->model, in(cascade)->nodes});
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

void spm_scorecard_free(spm_scorecard* card) {
  delete in(card);
}

int spm_scorecard_is_current(const spm_scorecard* card) {
  return card != nullptr && in(card)->card.is_current() ? 1 : 0;
}

size_t spm_scorecard_column_count(const spm_scorecard* card) {
  return card == nullptr ? 0 : in(card)->card.columns().size();
}

int spm_scorecard_column_label(const spm_scorecard* card, size_t i, const char** out) {
  SPM_REQUIRE(out);
  *out = nullptr;
  SPM_REQUIRE(card);
  if (int rc = check_column(__func__, in(card)->card, i); rc != SPM_OK) return rc;
  *out = in(card)->card.columns()[i].label.c_str();
  return SPM_OK;
}

int spm_scorecard_column_index(const spm_scorecard* card, const char* label, size_t* out) {
  SPM_REQUIRE(card);
  SPM_REQUIRE(out);
  SPM_REQUIRE_TEXT(label);
  const int c = in(card)->card.column(label);
  if (c < 0) {
    return set_error(SPM_ENOTFOUND, "spm_scorecard_column_index: no column '", label, "'");
  }
  *out = static_cast<size_t>(c);
  return SPM_OK;
}

int spm_scorecard_get(const spm_scorecard* card, spm_entity_kind kind, const char* id,
                      size_t column, spm_score_result* out) {
  if (int rc = check_score_result(__func__, out); rc != SPM_OK) return rc;
  SPM_REQUIRE(card);
  spm::EntityKind k{};
  SPM_REQUIRE_KIND(kind, k);
  SPM_REQUIRE_TEXT(id);
  if (int rc = check_column(__func__, in(card)->card, column); rc != SPM_OK) return rc;
  try {
    fill_result(row_result(__func__, in(card)->card, k, id, static_cast<int>(column)), out);
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

int spm_scorecard_get_organization(const spm_scorecard* card, size_t column,
                                   spm_score_result* out) {
  if (int rc = check_score_result(__func__, out); rc != SPM_OK) return rc;
  SPM_REQUIRE(card);
  if (int rc = check_column(__func__, in(card)->card, column); rc != SPM_OK) return rc;
  try {
    fill_result(in(card)->card.organization(static_cast<int>(column)), out);
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

int spm_scorecard_reason(const spm_scorecard* card, spm_entity_kind kind, const char* id,
                         size_t column, char* buf, size_t size, size_t* needed) {
  SPM_REQUIRE(card);
  spm::EntityKind k{};
  SPM_REQUIRE_KIND(kind, k);
  SPM_REQUIRE_TEXT(id);
  if (int rc = check_column(__func__, in(card)->card, column); rc != SPM_OK) return rc;
  try {
    const spm::ScoreResult r =
        row_result(__func__, in(card)->card, k, id, static_cast<int>(column));
    return copy_out(__func__, r.reason.to_string(r.status), buf, size, needed);
  } catch (...) {
    return translate_current_exception();
  }
}

int spm_scorecard_organization_reason(const spm_scorecard* card, size_t column, char* buf,
                                      size_t size, size_t* needed) {
  SPM_REQUIRE(card);
  if (int rc = check_column(__func__, in(card)->card, column); rc != SPM_OK) return rc;
  try {
    const spm::ScoreResult r = in(card)->card.organization(static_cast<int>(column));
    return copy_out(__func__, r.reason.to_string(r.status), buf, size, needed);
  } catch (...) {
    return translate_current_exception();
  }
}

int spm_scorecard_actual(const spm_scorecard* card, const char* measure, size_t column,
                         double* out) {
  SPM_REQUIRE(card);
  SPM_REQUIRE(out);
  SPM_REQUIRE_TEXT(measure);
  if (int rc = check_column(__func__, in(card)->card, column); rc != SPM_OK) return rc;
  try {
    *out = in(card)->card.actual(measure, static_cast<int>(column));
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

int spm_scorecard_target(const spm_scorecard* card, const char* measure, size_t column,
                         double* out) {
  SPM_REQUIRE(card);
  SPM_REQUIRE(out);
  SPM_REQUIRE_TEXT(measure);
  if (int rc = check_column(__func__, in(card)->card, column); rc != SPM_OK) return rc;
  try {
    *out = in(card)->card.target(measure, static_cast<int>(column));
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

namespace {
int dense(const char* function, const spm_scorecard* card, const double** data, size_t* rows,
          size_t* cols, bool nodes) {
  if (data == nullptr) return null_argument(function, "data");
  *data = nullptr;
  if (card == nullptr) return null_argument(function, "card");
  try {
    // measure_scores() makes its model-order copy on the first call (it can run out of memory).
    const std::span<const double> s =
        nodes ? in(card)->card.node_scores() : in(card)->card.measure_scores();
    const size_t c = in(card)->card.columns().size();
    *data = s.data();
    if (cols != nullptr) *cols = c;
    if (rows != nullptr) *rows = c == 0 ? 0 : s.size() / c;
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}
}  // namespace

int spm_scorecard_node_scores(const spm_scorecard* card, const double** data, size_t* rows,
                              size_t* cols) {
  return dense(__func__, card, data, rows, cols, true);
}

int spm_scorecard_measure_scores(const spm_scorecard* card, const double** data, size_t* rows,
                                 size_t* cols) {
  return dense(__func__, card, data, rows, cols, false);
}

int spm_scorecard_explain(const spm_scorecard* card, spm_entity_kind kind, const char* id,
                          size_t column, spm_explanation** out) {
  SPM_REQUIRE(out);
  *out = nullptr;
  SPM_REQUIRE(card);
  spm::EntityKind k{};
  SPM_REQUIRE_KIND(kind, k);
  SPM_REQUIRE_TEXT(id);
  if (int rc = check_column(__func__, in(card)->card, column); rc != SPM_OK) return rc;
  try {
    auto e = std::make_unique<ExplanationImpl>();
    e->explanation = in(card)->card.explain(k, id, static_cast<int>(column));
    const spm::Explanation& x = e->explanation;
    e->text = x.text();
    e->info = spm_explanation_info{};
    e->info.kind = to_c_kind(x.node.kind);
    e->info.id = x.node.id.c_str();
    e->info.column = x.column.c_str();
    e->info.score = x.score;
    e->info.coverage = x.coverage;
    e->info.rollup = spm::to_string(x.rollup);
    e->info.missing = spm::to_string(x.missing);
    for (std::size_t i = 0; i < 4; ++i) e->info.status_counts[i] = x.status_counts[i];
    e->info.text = e->text.c_str();
    e->info.input_count = x.inputs.size();
    for (const spm::InputExplanation& in : x.inputs) {
      e->inputs.push_back(spm_explanation_input{to_c_kind(in.input.kind), in.input.id.c_str(),
                                                in.score, in.carried ? 1 : 0, in.weight,
                                                in.normalized, in.contribution});
    }
    *out = handle<spm_explanation>(e.release());
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

void spm_explanation_free(spm_explanation* explanation) {
  delete in(explanation);
}

int spm_explanation_info_get(const spm_explanation* explanation, const spm_explanation_info** out) {
  SPM_REQUIRE(out);
  *out = nullptr;
  SPM_REQUIRE(explanation);
  *out = &in(explanation)->info;
  return SPM_OK;
}

int spm_explanation_input_get(const spm_explanation* explanation, size_t i,
                              const spm_explanation_input** out) {
  return list_get(__func__, "explanation", explanation, &ExplanationImpl::inputs, i, out, "inputs");
}

int spm_scorecard_pace(const spm_scorecard* card, const char* measure, const char* as_of,
                       spm_pace* out) {
  SPM_REQUIRE(out);
  if (int rc = check_version(__func__, out->version, SPM_PACE_VERSION, "spm_pace"); rc != SPM_OK)
    return rc;
  SPM_REQUIRE(card);
  SPM_REQUIRE_TEXT(measure);
  SPM_REQUIRE_TEXT(as_of);
  try {
    const spm::Pace p = in(card)->card.pace(measure, spm::Period::from_string(as_of));
    copy_fixed(out->span, sizeof out->span, p.span.label);
    copy_fixed(out->as_of, sizeof out->as_of, p.as_of.to_string());
    out->elapsed = p.elapsed;
    out->actual = p.actual;
    out->expected = p.expected;
    out->ratio = p.ratio;
    out->on_track = p.on_track ? 1 : 0;
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

int spm_scorecard_forecast(const spm_scorecard* card, const char* measure, const char* span,
                           spm_forecast* out) {
  SPM_REQUIRE(out);
  if (int rc = check_version(__func__, out->version, SPM_FORECAST_VERSION, "spm_forecast");
      rc != SPM_OK)
    return rc;
  SPM_REQUIRE(card);
  SPM_REQUIRE_TEXT(measure);
  SPM_REQUIRE_TEXT(span);
  try {
    const spm::Forecast f = in(card)->card.forecast(measure, spm::Span::parse(span));
    copy_fixed(out->span, sizeof out->span, f.span.label);
    out->value = f.value;
    out->score = f.score;
    out->status = static_cast<spm_status>(static_cast<int>(f.status));
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

int spm_scorecard_sensitivity(const spm_scorecard* card, const char* goal, const char* measure,
                              double* out) {
  SPM_REQUIRE(card);
  SPM_REQUIRE(out);
  SPM_REQUIRE_TEXT(goal);
  SPM_REQUIRE_TEXT(measure);
  try {
    *out = in(card)->card.sensitivity(goal, measure);
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

int spm_scorecard_update(spm_scorecard* card, const spm_model* model, const char* const* ids,
                         size_t n) {
  SPM_REQUIRE(card);
  SPM_REQUIRE(model);
  if (n > 0) SPM_REQUIRE(ids);
  if (model != in(card)->model) {
    return set_error(SPM_EINVALID,
                     "spm_scorecard_update: 'model' is not the model this scorecard scored");
  }
  try {
    std::vector<std::string> list;
    list.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      if (ids[i] == nullptr) {
        return set_error(SPM_EINVALID, "spm_scorecard_update: ids[", i, "] is NULL");
      }
      if (!is_utf8(ids[i])) {
        return set_error(SPM_EINVALID, "spm_scorecard_update: ids[", i, "] is not valid UTF-8");
      }
      list.emplace_back(ids[i]);
    }
    in(card)->card.update(in(model)->model, list);
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

// ---- performance management ------------------------------------------------------------------
static_assert(SPM_COMPONENT_COUNT == spm::component_count);
static_assert(SPM_COMPONENT_FEEDBACK == static_cast<int>(spm::Component::feedback));
static_assert(SPM_RELATION_COUNT == std::tuple_size_v<decltype(spm::EmployeeReview::feedback)>);
static_assert(SPM_RELATION_SELF == static_cast<int>(spm::RaterRelation::self));
static_assert(SPM_CRITERION_COUNT == spm::criterion_count);
static_assert(SPM_CRITERION_REVIEW == static_cast<int>(spm::Criterion::reviewed));
static_assert(SPM_GROUP_MANAGER == static_cast<int>(spm::GroupKind::manager));

int spm_reviews_compute(spm_reviews** out, const spm_cascade* cascade, const spm_scorecard* card,
                        const char* cycle, const char* as_of) {
  SPM_REQUIRE(out);
  *out = nullptr;
  SPM_REQUIRE(card);
  SPM_REQUIRE_TEXT(cycle);
  SPM_REQUIRE_TEXT(as_of);
  if (int rc = check_current(__func__, cascade); rc != SPM_OK) return rc;
  try {
    auto r = std::make_unique<ReviewsImpl>();
    r->reviews = spm::review_cycle(in(in(cascade)->model)->model, in(cascade)->cascade,
                                   in(card)->card, cycle, spm::Date::from_string(as_of));
    r->texts.reserve(r->reviews.employees.size());
    for (const spm::EmployeeReview& e : r->reviews.employees) r->texts.push_back(e.text());
    for (std::size_t i = 0; i < r->reviews.employees.size(); ++i) {
      const spm::EmployeeReview& e = r->reviews.employees[i];
      spm_employee_review v{};
      v.employee = e.employee.c_str();
      v.unit = e.unit.c_str();
      v.manager = e.manager.c_str();
      v.review = e.review.c_str();
      v.reviewer = e.reviewer.c_str();
      v.review_completed = e.review_completed ? 1 : 0;
      v.self_submitted = e.self_submitted ? 1 : 0;
      v.final_score = e.final_score;
      v.weight_present = e.weight_present;
      for (std::size_t c = 0; c < spm::component_count; ++c) {
        v.component_score[c] = e.components[c].score;
        v.component_weight[c] = e.components[c].weight;
        v.component_points[c] = e.components[c].points;
        v.component_missing[c] = e.components[c].missing.c_str();
        v.component_normalized[c] = e.components[c].normalized;
      }
      v.overall_rating = e.overall_rating;
      v.overall_score = e.overall_score;
      v.text = r->texts[i].c_str();
      v.objectives = r->arrays.add<spm_review_objective>(e.objectives, [](const auto& o) {
        return spm_review_objective{o.objective.c_str(), o.weight, o.score, o.normalized, o.points};
      });
      v.objective_count = e.objectives.size();
      v.goals = r->arrays.add<spm_review_goal>(e.goals, [](const auto& g) {
        return spm_review_goal{g.goal.c_str(),       g.attribution, g.share,
                               g.scored_attribution, g.score,       g.points};
      });
      v.goal_count = e.goals.size();
      v.ratings = r->arrays.add<spm_review_rating>(e.ratings, [](const auto& rt) {
        return spm_review_rating{to_c_kind(rt.subject.kind), rt.subject.id.c_str(), rt.rating,
                                 rt.score};
      });
      v.rating_count = e.ratings.size();
      v.self_rating = e.self_rating;
      for (std::size_t g = 0; g < e.feedback.size(); ++g) {
        // A group that is not shown is empty in C++ already; it stays empty here.
        const spm::FeedbackGroup& f = e.feedback[g];
        v.feedback[g] = spm_feedback_group{static_cast<spm_rater_relation>(f.relation),
                                           f.threshold,
                                           f.shown ? 1 : 0,
                                           f.responses,
                                           f.mean_rating,
                                           f.mean_score,
                                           r->arrays.strings(f.raters),
                                           f.raters.size(),
                                           r->arrays.strings(f.comments),
                                           f.comments.size()};
      }
      r->views.push_back(v);
    }
    *out = handle<spm_reviews>(r.release());
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

void spm_reviews_free(spm_reviews* reviews) {
  delete in(reviews);
}

size_t spm_reviews_count(const spm_reviews* reviews) {
  return list_count(reviews, &ReviewsImpl::views);
}

int spm_reviews_get(const spm_reviews* reviews, size_t i, const spm_employee_review** out) {
  return list_get(__func__, "reviews", reviews, &ReviewsImpl::views, i, out, "employees");
}

int spm_reviews_find(const spm_reviews* reviews, const char* employee,
                     const spm_employee_review** out) {
  SPM_REQUIRE(out);
  *out = nullptr;
  SPM_REQUIRE(reviews);
  SPM_REQUIRE_TEXT(employee);
  const std::int64_t i = in(reviews)->reviews.index_of(employee);
  if (i < 0) {
    return set_error(SPM_ENOTFOUND, "spm_reviews_find: employee '", employee,
                     "' is not reviewed in cycle '", in(reviews)->reviews.cycle, "'");
  }
  *out = &in(reviews)->views[static_cast<std::size_t>(i)];
  return SPM_OK;
}

int spm_reviews_to_json(const spm_reviews* reviews, const spm_model* names, const char* employee,
                        spm_buf* out) {
  SPM_REQUIRE(out);
  *out = spm_buf{nullptr, 0};
  SPM_REQUIRE(reviews);
  SPM_REQUIRE(names);
  if (employee != nullptr) SPM_REQUIRE_TEXT(employee);
  try {
    const spm::CycleReviews& r = in(reviews)->reviews;
    const spm::Model& m = in(names)->model;
    fill_buf(out, employee == nullptr ? spm::reviews_json(m, r) : spm::review_json(m, r, employee));
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

const char* spm_rater_relation_name(spm_rater_relation relation) {
  const int k = raw_enum(relation);
  return k >= 0 && k < SPM_RELATION_COUNT ? spm::to_string(static_cast<spm::RaterRelation>(k)) : "";
}

const char* spm_group_kind_name(spm_group_kind kind) {
  const int k = raw_enum(kind);
  return k >= 0 && k <= SPM_GROUP_MANAGER ? spm::to_string(static_cast<spm::GroupKind>(k)) : "";
}

const char* spm_criterion_name(spm_criterion criterion) {
  const int k = raw_enum(criterion);
  return k >= 0 && k < SPM_CRITERION_COUNT ? spm::to_string(static_cast<spm::Criterion>(k)) : "";
}

int spm_cycle_employees(const spm_model* model, const char* cycle, const char* as_of,
                        spm_refs** out) {
  SPM_REQUIRE(out);
  *out = nullptr;
  SPM_REQUIRE(model);
  SPM_REQUIRE_TEXT(cycle);
  SPM_REQUIRE_TEXT(as_of);
  try {
    const auto ids = spm::cycle_employees(in(model)->model, cycle, spm::Date::from_string(as_of));
    *out = handle<spm_refs>(refs_of(spm::EntityKind::employee, ids).release());
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

int spm_cycle_rating_score(const spm_model* model, const char* cycle, double rating, double* out) {
  SPM_REQUIRE(out);
  SPM_REQUIRE(model);
  SPM_REQUIRE_TEXT(cycle);
  try {
    const spm::ReviewCycle* c = in(model)->model.find<spm::ReviewCycle>(cycle);
    if (c == nullptr) {
      return set_error(SPM_ENOTFOUND, "spm_cycle_rating_score: no review cycle has the id '", cycle,
                       "'");
    }
    *out = spm::rating_score(c->scale, rating);
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

// ---- check-ins ---------------------------------------------------------------------------------
int spm_check_ins_compute(spm_check_ins** out, const spm_model* model, const char* cycle,
                          const char* as_of) {
  SPM_REQUIRE(out);
  *out = nullptr;
  SPM_REQUIRE(model);
  SPM_REQUIRE_TEXT(cycle);
  SPM_REQUIRE_TEXT(as_of);
  try {
    auto r = std::make_unique<CheckInsImpl>();
    r->report = spm::check_ins(in(model)->model, cycle, spm::Date::from_string(as_of));
    r->dates.reserve(2 * r->report.employees.size());
    for (const spm::CheckInStatus& s : r->report.employees) {
      r->dates.push_back(s.last ? s.last->to_string() : std::string());
      r->dates.push_back(s.due ? s.due->to_string() : std::string());
    }
    for (std::size_t i = 0; i < r->report.employees.size(); ++i) {
      const spm::CheckInStatus& s = r->report.employees[i];
      r->views.push_back(
          spm_check_in_status{s.employee.c_str(), s.in_cycle, r->dates[2 * i].c_str(), s.days_since,
                              r->dates[2 * i + 1].c_str(), s.expected ? 1 : 0, s.overdue ? 1 : 0});
    }
    *out = handle<spm_check_ins>(r.release());
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

void spm_check_ins_free(spm_check_ins* report) {
  delete in(report);
}

size_t spm_check_ins_count(const spm_check_ins* report) {
  return list_count(report, &CheckInsImpl::views);
}

size_t spm_check_ins_overdue(const spm_check_ins* report) {
  return report == nullptr ? 0 : in(report)->report.overdue;
}

int spm_check_ins_cadence_days(const spm_check_ins* report) {
  return report == nullptr ? 0 : in(report)->report.cadence_days;
}

int spm_check_ins_get(const spm_check_ins* report, size_t i, const spm_check_in_status** out) {
  return list_get(__func__, "report", report, &CheckInsImpl::views, i, out, "employees");
}

int spm_check_ins_to_json(const spm_check_ins* report, spm_buf* out) {
  return to_json(__func__, "report", report, out,
                 [](const CheckInsImpl& r) { return spm::check_ins_json(r.report); });
}

// ---- participation -----------------------------------------------------------------------------
int spm_participation_query_init(spm_participation_query* query, unsigned int version) {
  SPM_REQUIRE(query);
  if (int rc = check_version(__func__, version, SPM_PARTICIPATION_QUERY_VERSION,
                             "spm_participation_query");
      rc != SPM_OK)
    return rc;
  *query = spm_participation_query SPM_PARTICIPATION_QUERY_INIT;
  return SPM_OK;
}

int spm_participation_compute(spm_participation** out, const spm_cascade* cascade,
                              const spm_participation_query* query) {
  SPM_REQUIRE(out);
  *out = nullptr;
  SPM_REQUIRE(query);
  if (int rc = check_version(__func__, query->version, SPM_PARTICIPATION_QUERY_VERSION,
                             "spm_participation_query");
      rc != SPM_OK)
    return rc;
  if (query->cycle != nullptr) SPM_REQUIRE_TEXT(query->cycle);
  if (query->period != nullptr) SPM_REQUIRE_TEXT(query->period);
  SPM_REQUIRE_TEXT(query->as_of);
  if ((query->cycle == nullptr) == (query->period == nullptr)) {
    return set_error(SPM_EINVALID, __func__,
                     ": the query needs a cycle or a period, not both and not neither");
  }
  if (int rc = check_current(__func__, cascade); rc != SPM_OK) return rc;
  try {
    spm::ParticipationQuery q;
    if (query->cycle != nullptr) q.cycle = query->cycle;
    if (query->period != nullptr) q.period = spm::Period::from_string(query->period);
    q.as_of = spm::Date::from_string(query->as_of);
    q.cadence_days = query->cadence_days;
    const spm::Model& model = in(in(cascade)->model)->model;
    auto r = std::make_unique<ParticipationImpl>();
    r->report = spm::participation(model, in(cascade)->cascade, q);
    const spm::ParticipationReport& p = r->report;
    std::vector<const spm::ParticipationRow*> rows{&p.organization};
    for (const auto* list : {&p.divisions, &p.units, &p.teams, &p.managers})
      for (const spm::ParticipationRow& row : *list) rows.push_back(&row);
    // The names of the groups, read now: the report is independent of the model.
    r->names.reserve(rows.size());
    for (const auto* row : rows) {
      switch (row->kind) {
        case spm::GroupKind::organization:
          r->names.push_back(model.info().name);
          break;
        case spm::GroupKind::division:
          r->names.push_back(name_or_empty<spm::Division>(model, row->id));
          break;
        case spm::GroupKind::unit:
          r->names.push_back(name_or_empty<spm::Unit>(model, row->id));
          break;
        case spm::GroupKind::team:
          r->names.push_back(name_or_empty<spm::Team>(model, row->id));
          break;
        case spm::GroupKind::manager:
          r->names.push_back(name_or_empty<spm::Employee>(model, row->id));
          break;
      }
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const spm::ParticipationRow& row = *rows[i];
      spm_participation_row v{};
      v.kind = static_cast<spm_group_kind>(row.kind);
      v.id = row.id.c_str();
      v.name = r->names[i].c_str();
      v.employees = row.employees;
      for (std::size_t c = 0; c < spm::criterion_count; ++c) {
        const spm::CriterionCount& cc = row.criteria[c];
        v.applies[c] = cc.applies ? 1 : 0;
        v.met[c] = cc.met;
        v.share[c] = cc.share;
        v.missing[c] = r->arrays.strings(cc.missing);
        v.missing_count[c] = cc.missing.size();
      }
      r->views.push_back(v);
    }
    *out = handle<spm_participation>(r.release());
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

void spm_participation_free(spm_participation* report) {
  delete in(report);
}

size_t spm_participation_count(const spm_participation* report) {
  return list_count(report, &ParticipationImpl::views);
}

int spm_participation_get(const spm_participation* report, size_t i,
                          const spm_participation_row** out) {
  return list_get(__func__, "report", report, &ParticipationImpl::views, i, out, "rows");
}

int spm_participation_find(const spm_participation* report, spm_group_kind kind, const char* id,
                           const spm_participation_row** out) {
  SPM_REQUIRE(out);
  *out = nullptr;
  SPM_REQUIRE(report);
  SPM_REQUIRE_TEXT(id);
  const int k = raw_enum(kind);
  if (k < 0 || k > SPM_GROUP_MANAGER) {
    return set_error(SPM_EINVALID, __func__, ": ", k, " is not an spm_group_kind");
  }
  for (const spm_participation_row& row : in(report)->views) {
    if (raw_enum(row.kind) == k && std::strcmp(row.id, id) == 0) {
      *out = &row;
      return SPM_OK;
    }
  }
  return set_error(SPM_ENOTFOUND, __func__, ": no ", spm_group_kind_name(kind), " '", id,
                   "' in the report");
}

int spm_participation_to_json(const spm_participation* report, const spm_model* names,
                              spm_buf* out) {
  SPM_REQUIRE(out);
  *out = spm_buf{nullptr, 0};
  SPM_REQUIRE(report);
  SPM_REQUIRE(names);
  return to_json(__func__, "report", report, out, [names](const ParticipationImpl& r) {
    using G = spm::GroupKind;
    return spm::participation_json(in(names)->model, r.report,
                                   {G::organization, G::division, G::unit, G::team, G::manager});
  });
}

// ---- calibration -------------------------------------------------------------------------------
int spm_calibration_compute(spm_calibration** out, const spm_reviews* reviews, double outlier_z) {
  SPM_REQUIRE(out);
  *out = nullptr;
  SPM_REQUIRE(reviews);
  try {
    auto c = std::make_unique<CalibrationImpl>();
    c->cycle = in(reviews)->reviews.cycle;
    c->calibration = spm::calibrate(in(reviews)->reviews, outlier_z);
    const spm::Calibration& cal = c->calibration;
    auto dist = [](const spm::Distribution& d) {
      return spm_distribution{static_cast<spm_group_kind>(d.kind),
                              d.id.c_str(),
                              d.count,
                              d.mean,
                              d.sd,
                              d.min,
                              d.q1,
                              d.median,
                              d.q3,
                              d.max};
    };
    c->distributions.push_back(dist(cal.organization));
    for (const auto* list : {&cal.managers, &cal.units})
      for (const spm::Distribution& d : *list) c->distributions.push_back(dist(d));
    for (const spm::CalibrationLine& l : cal.employees) {
      c->lines.push_back(spm_calibration_line{l.employee.c_str(), l.manager.c_str(), l.unit.c_str(),
                                              l.final_score, l.z_manager, l.z_unit,
                                              l.z_organization, l.outlier ? 1 : 0});
    }
    *out = handle<spm_calibration>(c.release());
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

void spm_calibration_free(spm_calibration* calibration) {
  delete in(calibration);
}

size_t spm_calibration_distribution_count(const spm_calibration* calibration) {
  return list_count(calibration, &CalibrationImpl::distributions);
}

int spm_calibration_distribution_get(const spm_calibration* calibration, size_t i,
                                     const spm_distribution** out) {
  return list_get(__func__, "calibration", calibration, &CalibrationImpl::distributions, i, out,
                  "distributions");
}

size_t spm_calibration_count(const spm_calibration* calibration) {
  return list_count(calibration, &CalibrationImpl::lines);
}

int spm_calibration_get(const spm_calibration* calibration, size_t i,
                        const spm_calibration_line** out) {
  return list_get(__func__, "calibration", calibration, &CalibrationImpl::lines, i, out,
                  "employees");
}

int spm_calibration_to_json(const spm_calibration* calibration, spm_buf* out) {
  return to_json(__func__, "calibration", calibration, out, [](const CalibrationImpl& c) {
    return spm::calibration_json(c.calibration, c.cycle);
  });
}

// ---- rewards -----------------------------------------------------------------------------------
int spm_reward_rules_init(spm_reward_rules* rules, unsigned int version) {
  SPM_REQUIRE(rules);
  if (int rc = check_version(__func__, version, SPM_REWARD_RULES_VERSION, "spm_reward_rules");
      rc != SPM_OK)
    return rc;
  *rules = spm_reward_rules SPM_REWARD_RULES_INIT;
  return SPM_OK;
}

int spm_rewards_compute(spm_rewards** out, const spm_reviews* reviews,
                        const spm_reward_rules* rules) {
  SPM_REQUIRE(out);
  *out = nullptr;
  SPM_REQUIRE(reviews);
  spm_reward_rules given = SPM_REWARD_RULES_INIT;
  if (rules != nullptr) {
    if (int rc =
            check_version(__func__, rules->version, SPM_REWARD_RULES_VERSION, "spm_reward_rules");
        rc != SPM_OK)
      return rc;
    given = *rules;
  }
  if (!std::isfinite(given.min_final_score)) {
    return set_error(SPM_EINVALID, __func__, ": spm_reward_rules.min_final_score must be finite");
  }
  try {
    spm::RewardRules r;
    r.pool = given.pool;
    r.require_completed_review = given.require_completed_review != 0;
    r.min_final_score = given.min_final_score;
    r.final_exponent = given.final_exponent;
    r.contribution_exponent = given.contribution_exponent;
    auto w = std::make_unique<RewardsImpl>();
    w->cycle = in(reviews)->reviews.cycle;
    w->report = spm::rewards(in(reviews)->reviews, r);
    for (const spm::RewardShare& s : w->report.employees) {
      const spm_reward_trace* traces =
          w->arrays.add<spm_reward_trace>(s.goals, [](const spm::RewardTrace& t) {
            return spm_reward_trace{t.goal.c_str(), t.cents};
          });
      w->views.push_back(spm_reward_share{s.employee.c_str(), s.eligible ? 1 : 0, s.reason.c_str(),
                                          s.basis, s.exact, s.cents, traces, s.goals.size()});
    }
    *out = handle<spm_rewards>(w.release());
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

void spm_rewards_free(spm_rewards* rewards) {
  delete in(rewards);
}

size_t spm_rewards_count(const spm_rewards* rewards) {
  return list_count(rewards, &RewardsImpl::views);
}

int spm_rewards_get(const spm_rewards* rewards, size_t i, const spm_reward_share** out) {
  return list_get(__func__, "rewards", rewards, &RewardsImpl::views, i, out, "employees");
}

int spm_rewards_totals(const spm_rewards* rewards, int64_t* pool_cents, int64_t* allocated_cents) {
  SPM_REQUIRE(rewards);
  if (pool_cents != nullptr) *pool_cents = in(rewards)->report.pool_cents;
  if (allocated_cents != nullptr) *allocated_cents = in(rewards)->report.allocated_cents;
  return SPM_OK;
}

int spm_rewards_to_json(const spm_rewards* rewards, spm_buf* out) {
  return to_json(__func__, "rewards", rewards, out,
                 [](const RewardsImpl& w) { return spm::rewards_json(w.report, w.cycle); });
}

// ---- training needs ----------------------------------------------------------------------------
int spm_training_needs_compute(spm_training_needs** out, const spm_cascade* cascade,
                               const char* cycle, const char* as_of) {
  SPM_REQUIRE(out);
  *out = nullptr;
  SPM_REQUIRE_TEXT(cycle);
  SPM_REQUIRE_TEXT(as_of);
  if (int rc = check_current(__func__, cascade); rc != SPM_OK) return rc;
  try {
    auto t = std::make_unique<TrainingImpl>();
    t->cycle = cycle;
    t->as_of = spm::Date::from_string(as_of);
    t->needs =
        spm::training_needs(in(in(cascade)->model)->model, in(cascade)->cascade, cycle, t->as_of);
    for (const spm::TrainingGap& g : t->needs.gaps) {
      t->gaps.push_back(spm_training_gap{g.employee.c_str(), g.competency.c_str(), g.required,
                                         g.assessed, g.gap, t->arrays.strings(g.objectives),
                                         g.objectives.size()});
    }
    for (const spm::UnitTrainingNeed& u : t->needs.units) {
      t->goal_lists.push_back(refs_of(u.goals));
      t->units.push_back(spm_unit_training_need{
          u.unit.c_str(), u.competency.c_str(), u.total_gap, u.employees_with_gap, u.not_assessed,
          const_handle<spm_refs>(t->goal_lists.back().get())});
    }
    *out = handle<spm_training_needs>(t.release());
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

void spm_training_needs_free(spm_training_needs* needs) {
  delete in(needs);
}

size_t spm_training_needs_gap_count(const spm_training_needs* needs) {
  return list_count(needs, &TrainingImpl::gaps);
}

int spm_training_needs_gap_get(const spm_training_needs* needs, size_t i,
                               const spm_training_gap** out) {
  return list_get(__func__, "needs", needs, &TrainingImpl::gaps, i, out, "gaps");
}

size_t spm_training_needs_unit_count(const spm_training_needs* needs) {
  return list_count(needs, &TrainingImpl::units);
}

int spm_training_needs_unit_get(const spm_training_needs* needs, size_t i,
                                const spm_unit_training_need** out) {
  return list_get(__func__, "needs", needs, &TrainingImpl::units, i, out, "unit needs");
}

int spm_training_needs_to_json(const spm_training_needs* needs, spm_buf* out) {
  return to_json(__func__, "needs", needs, out, [](const TrainingImpl& t) {
    return spm::training_needs_json(t.needs, t.cycle, t.as_of);
  });
}

// ---- outcome budgeting -------------------------------------------------------------------------
int spm_outcome_budget_compute(spm_outcome_budget** out, const spm_cascade* cascade,
                               const spm_scorecard* card, size_t column, double spend_unit) {
  SPM_REQUIRE(out);
  *out = nullptr;
  SPM_REQUIRE(card);
  if (int rc = check_current(__func__, cascade); rc != SPM_OK) return rc;
  if (int rc = check_column(__func__, in(card)->card, column); rc != SPM_OK) return rc;
  if (in(card)->model != in(cascade)->model) {
    return set_error(SPM_EINVALID, __func__,
                     ": the scorecard was not evaluated from this cascade's model");
  }
  try {
    auto b = std::make_unique<BudgetImpl>();
    b->budget = spm::outcome_budget(in(in(cascade)->model)->model, in(cascade)->cascade,
                                    in(card)->card, static_cast<int>(column), spend_unit);
    for (const spm::StrategyOutcome& s : b->budget.strategies) {
      const spm_served_goal* goals =
          b->arrays.add<spm_served_goal>(s.goals, [](const spm::ServedGoal& g) {
            return spm_served_goal{g.goal.c_str(), g.weight, g.score};
          });
      b->views.push_back(spm_strategy_outcome{s.strategy.c_str(), s.budget, s.currency.c_str(),
                                              s.strategy_score, s.outcome, s.outcome_per_spend,
                                              goals, s.goals.size()});
    }
    *out = handle<spm_outcome_budget>(b.release());
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

void spm_outcome_budget_free(spm_outcome_budget* budget) {
  delete in(budget);
}

size_t spm_outcome_budget_count(const spm_outcome_budget* budget) {
  return list_count(budget, &BudgetImpl::views);
}

int spm_outcome_budget_get(const spm_outcome_budget* budget, size_t i,
                           const spm_strategy_outcome** out) {
  return list_get(__func__, "budget", budget, &BudgetImpl::views, i, out, "strategies");
}

int spm_outcome_budget_to_json(const spm_outcome_budget* budget, spm_buf* out) {
  return to_json(__func__, "budget", budget, out,
                 [](const BudgetImpl& b) { return spm::outcome_budget_json(b.budget); });
}

}  // extern "C"

// ---- tables for Arrow --------------------------------------------------------------------------
namespace {

// The private data of one exported ArrowArray: its buffers and its children.
struct ArrowArraySlot {
  std::vector<std::uint8_t> validity;
  std::vector<std::int32_t> offsets;
  std::string chars;
  std::vector<double> values;
  std::vector<const void*> buffers;
  std::vector<ArrowArray*> children;
};

struct ArrowSchemaSlot {
  std::string format, name;
  std::vector<ArrowSchema*> children;
};

extern "C" void spm_release_arrow_array(ArrowArray* array) {
  if (array == nullptr || array->release == nullptr) return;
  auto* slot = static_cast<ArrowArraySlot*>(array->private_data);
  for (ArrowArray* child : slot->children) {
    if (child->release != nullptr) child->release(child);
    delete child;
  }
  delete slot;
  array->release = nullptr;
}

extern "C" void spm_release_arrow_schema(ArrowSchema* schema) {
  if (schema == nullptr || schema->release == nullptr) return;
  auto* slot = static_cast<ArrowSchemaSlot*>(schema->private_data);
  for (ArrowSchema* child : slot->children) {
    if (child->release != nullptr) child->release(child);
    delete child;
  }
  delete slot;
  schema->release = nullptr;
}

// Fills `out` from `slot`, which it takes over; children are already in slot->children.
void finish_array(ArrowArray* out, std::unique_ptr<ArrowArraySlot> slot, std::int64_t length,
                  std::int64_t null_count) noexcept {
  out->length = length;
  out->null_count = null_count;
  out->offset = 0;
  out->n_buffers = static_cast<std::int64_t>(slot->buffers.size());
  out->n_children = static_cast<std::int64_t>(slot->children.size());
  out->buffers = slot->buffers.data();
  out->children = slot->children.empty() ? nullptr : slot->children.data();
  out->dictionary = nullptr;
  out->release = spm_release_arrow_array;
  out->private_data = slot.release();
}

void finish_schema(ArrowSchema* out, std::unique_ptr<ArrowSchemaSlot> slot,
                   std::int64_t flags) noexcept {
  out->format = slot->format.c_str();
  out->name = slot->name.c_str();
  out->metadata = nullptr;
  out->flags = flags;
  out->n_children = static_cast<std::int64_t>(slot->children.size());
  out->children = slot->children.empty() ? nullptr : slot->children.data();
  out->dictionary = nullptr;
  out->release = spm_release_arrow_schema;
  out->private_data = slot.release();
}

// A child array and schema, allocated and added to their parents' slots before being filled,
// so that a failure part-way is released with the parents.
std::pair<ArrowArray*, ArrowSchema*> add_child(ArrowArraySlot& array, ArrowSchemaSlot& schema) {
  array.children.reserve(array.children.size() + 1);
  schema.children.reserve(schema.children.size() + 1);
  auto a = std::make_unique<ArrowArray>();
  auto s = std::make_unique<ArrowSchema>();
  a->release = nullptr;
  s->release = nullptr;
  array.children.push_back(a.release());
  schema.children.push_back(s.release());
  return {array.children.back(), schema.children.back()};
}

void utf8_child(ArrowArraySlot& parent, ArrowSchemaSlot& parent_schema, const char* name,
                const std::vector<std::string_view>& texts) {
  auto [a, s] = add_child(parent, parent_schema);
  auto slot = std::make_unique<ArrowArraySlot>();
  slot->offsets.reserve(texts.size() + 1);
  slot->offsets.push_back(0);
  for (std::string_view t : texts) {
    slot->chars += t;
    if (slot->chars.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
      throw spm::Error(spm::ErrorCode::invalid_argument,
                       "table too large for utf8 (32-bit offsets)");
    }
    slot->offsets.push_back(static_cast<std::int32_t>(slot->chars.size()));
  }
  slot->buffers = {nullptr, slot->offsets.data(), slot->chars.data()};
  auto schema = std::make_unique<ArrowSchemaSlot>();
  schema->format = "u";
  schema->name = name;
  finish_array(a, std::move(slot), static_cast<std::int64_t>(texts.size()), 0);
  finish_schema(s, std::move(schema), 0);
}

void float64_child(ArrowArraySlot& parent, ArrowSchemaSlot& parent_schema, const std::string& name,
                   std::vector<double> values) {
  auto [a, s] = add_child(parent, parent_schema);
  auto slot = std::make_unique<ArrowArraySlot>();
  std::int64_t nulls = 0;
  slot->validity.assign((values.size() + 7) / 8, 0);
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (std::isnan(values[i])) {
      ++nulls;
    } else {
      slot->validity[i / 8] = static_cast<std::uint8_t>(slot->validity[i / 8] | (1u << (i % 8)));
    }
  }
  slot->values = std::move(values);
  slot->buffers = {nulls == 0 ? nullptr : slot->validity.data(), slot->values.data()};
  auto schema = std::make_unique<ArrowSchemaSlot>();
  schema->format = "g";
  schema->name = name;
  const auto length = static_cast<std::int64_t>(slot->values.size());
  finish_array(a, std::move(slot), length, nulls);
  finish_schema(s, std::move(schema), ARROW_FLAG_NULLABLE);
}

}  // namespace

extern "C" {

int spm_scorecard_export_arrow(const spm_scorecard* card, spm_table_rows rows, ArrowSchema* schema,
                               ArrowArray* array) {
  SPM_REQUIRE(schema);
  SPM_REQUIRE(array);
  schema->release = nullptr;
  array->release = nullptr;
  SPM_REQUIRE(card);
  const int r = raw_enum(rows);
  if (r != SPM_ROWS_MEASURES && r != SPM_ROWS_NODES) {
    return set_error(SPM_EINVALID, "spm_scorecard_export_arrow: ", r, " is not an spm_table_rows");
  }
  const ScorecardImpl& c = *in(card);
  if (!c.card.is_current()) {
    return set_error(SPM_ESTALE,
                     "spm_scorecard_export_arrow: the scorecard is stale: its model changed");
  }
  try {
    std::vector<std::string_view> kinds, ids;
    if (r == SPM_ROWS_MEASURES) {
      for (const spm::Measure& m : in(c.model)->model.all<spm::Measure>()) {
        kinds.emplace_back(spm::to_string(spm::EntityKind::measure));
        ids.emplace_back(m.id);
      }
    } else {
      for (const spm::Ref& ref : c.nodes) {
        kinds.emplace_back(spm::to_string(ref.kind));
        ids.emplace_back(ref.id);
      }
    }
    const std::span<const double> data =
        r == SPM_ROWS_MEASURES ? c.card.measure_scores() : c.card.node_scores();
    const std::size_t columns = c.card.columns().size();
    const std::size_t n = ids.size();
    if (data.size() != n * columns) {
      throw spm::Error(spm::ErrorCode::internal, "score array and rows disagree");
    }
    auto top = std::make_unique<ArrowArraySlot>();
    auto top_schema = std::make_unique<ArrowSchemaSlot>();
    top_schema->format = "+s";
    // Release the children built so far if anything below throws.
    struct Guard {
      ArrowArraySlot* a;
      ArrowSchemaSlot* s;
      ~Guard() {
        if (a == nullptr) return;
        for (ArrowArray* child : a->children) {
          if (child->release != nullptr) child->release(child);
          delete child;
        }
        for (ArrowSchema* child : s->children) {
          if (child->release != nullptr) child->release(child);
          delete child;
        }
      }
    } guard{top.get(), top_schema.get()};
    utf8_child(*top, *top_schema, "kind", kinds);
    utf8_child(*top, *top_schema, "id", ids);
    for (std::size_t col = 0; col < columns; ++col) {
      std::vector<double> values(n);
      for (std::size_t row = 0; row < n; ++row) values[row] = data[row * columns + col];
      float64_child(*top, *top_schema, c.card.columns()[col].label, std::move(values));
    }
    top->buffers = {nullptr};
    guard.a = nullptr;
    finish_array(array, std::move(top), static_cast<std::int64_t>(n), 0);
    finish_schema(schema, std::move(top_schema), 0);
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

}  // extern "C"
