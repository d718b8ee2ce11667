// spm_capi.cpp - the C ABI (spm.h): a thin skin over the C++ API, with no logic of its own.
//
// Every entry point that can fail has the shape
//     try { ... } catch (...) { return translate_current_exception(); }
// so that no exception crosses extern "C"; translate_current_exception() is the one place that
// maps C++ exceptions to SPM_E* codes and records the thread's message.
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "spm.h"
#include "spm/error.hpp"
#include "spm/io.hpp"
#include "spm/model.hpp"
#include "spm/validate.hpp"
#include "spm/version.hpp"

struct spm_model {
  spm::Model model;
};

struct spm_issues {
  std::vector<spm::Issue> issues;
  std::vector<std::string> texts;  // Issue::to_string() of each
  std::vector<spm_issue> views;    // borrowed pointers into the two vectors above
  std::size_t errors = 0;
};

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

// ---- the thread's last error -----------------------------------------------------------------
thread_local std::string last_message;
thread_local const char* last_error = "";

int set_error(int code, const char* message) noexcept {
  try {
    last_message = message;
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
    *out = new spm_model{};
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

void spm_model_free(spm_model* model) {
  delete model;
}

int spm_model_load_file(spm_model** out, const char* path) {
  SPM_REQUIRE(out);
  *out = nullptr;
  SPM_REQUIRE(path);
  try {
    *out = new spm_model{spm::load_json_file(path)};
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
    *out = new spm_model{spm::load_json(std::string_view(text == nullptr ? "" : text, len))};
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

int spm_save_options_init(spm_save_options* opts, unsigned int version) {
  SPM_REQUIRE(opts);
  if (version == 0 || version > SPM_SAVE_OPTIONS_VERSION) {
    return set_error(SPM_EVERSION, "spm_save_options_init: version ", version,
                     " is not supported (this library knows 1 to ", SPM_SAVE_OPTIONS_VERSION, ")");
  }
  *opts = spm_save_options SPM_SAVE_OPTIONS_INIT;
  opts->version = version;
  return SPM_OK;
}

int spm_model_save_file(const spm_model* model, const char* path, const spm_save_options* opts) {
  SPM_REQUIRE(model);
  SPM_REQUIRE(path);
  try {
    spm::SaveOptions options;
    if (int rc = to_save_options(opts, options); rc != SPM_OK) return rc;
    spm::save_json_file(model->model, path, options);
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
    const std::string text = spm::save_json(model->model, options);
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
  *out = model->model.count(static_cast<spm::EntityKind>(k));
  return SPM_OK;
}

int spm_model_load_actuals_csv(spm_model* model, const char* path, size_t* rows) {
  SPM_REQUIRE(model);
  SPM_REQUIRE(path);
  try {
    const spm::CsvLoadResult result = spm::load_actuals_csv_file(model->model, path);
    if (rows != nullptr) *rows = result.rows;
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

// ---- validation ------------------------------------------------------------------------------
int spm_model_validate(const spm_model* model, spm_issues** out) {
  SPM_REQUIRE(out);
  *out = nullptr;
  SPM_REQUIRE(model);
  try {
    auto list = std::make_unique<spm_issues>();
    list->issues = spm::validate(model->model);
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
    *out = list.release();
    return SPM_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

size_t spm_issues_count(const spm_issues* issues) {
  return issues == nullptr ? 0 : issues->views.size();
}

size_t spm_issues_error_count(const spm_issues* issues) {
  return issues == nullptr ? 0 : issues->errors;
}

int spm_issues_get(const spm_issues* issues, size_t i, const spm_issue** out) {
  SPM_REQUIRE(out);
  *out = nullptr;
  SPM_REQUIRE(issues);
  if (i >= issues->views.size()) {
    return set_error(SPM_EINVALID, "spm_issues_get: index ", i, " is out of range (",
                     issues->views.size(), " issues)");
  }
  *out = &issues->views[i];
  return SPM_OK;
}

void spm_issues_free(spm_issues* issues) {
  delete issues;
}

}  // extern "C"
