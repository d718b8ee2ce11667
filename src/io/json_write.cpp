// json_write.cpp - writes a Model as a JSON document (docs/format.md), streaming: entities are
// formatted one at a time into a small buffer that is handed on whenever it fills, so that no
// copy of the whole document is ever held (except by save_json's own string result).
//
// The writer trusts the Model's invariants (every edit checks finite numbers, valid UTF-8 and
// attribute JSON text), so that it cannot fail half-way for a bad value.
#include <fmt/format.h>

#include <ostream>
#include <string>
#include <type_traits>

#include "io/text.hpp"
#include "model/describe.hpp"
#include "spm/error.hpp"
#include "spm/io.hpp"
#include "spm/model.hpp"

namespace spm {
inline namespace v1 {
namespace {

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};
template <class T>
struct is_vector : std::false_type {};
template <class T>
struct is_vector<std::vector<T>> : std::true_type {};

class Writer {
 public:
  /// `sink` receives full buffers; null when the whole document stays in `buf`.
  Writer(std::string& buf, const detail::ChunkSink* sink, bool pretty)
      : buf_(buf), sink_(sink), pretty_(pretty) {}

  void document(const Model& model) {
    buf_.append(pretty_ ? "{\n  \"spm_format_version\": " : "{\"spm_format_version\":");
    fmt::format_to(std::back_inserter(buf_), "{}", format_version);
    top_key("organization");
    object(model.info());
    detail::for_each_entity_type([&]<class T>(detail::tag<T>) {
      const auto items = model.all<T>();
      constexpr EntityKind kind = entity_kind_of<T>::value;
      // An absent "perspectives" array means the default four, so an empty one is written.
      if (items.empty() && kind != EntityKind::perspective) return;
      top_key(plural_name(kind));
      buf_.push_back('[');
      bool first = true;
      for (const T& item : items) {
        if (!first) buf_.push_back(',');
        first = false;
        if (pretty_) buf_.append("\n    ");
        object(item);
        maybe_flush();
      }
      if (pretty_ && !items.empty()) buf_.append("\n  ");
      buf_.push_back(']');
    });
    buf_.append(pretty_ ? "\n}\n" : "}");
    flush();
  }

  void flush() {
    if (sink_ && !buf_.empty()) {
      (*sink_)(buf_);
      buf_.clear();
    }
  }

 private:
  static constexpr std::size_t flush_at = std::size_t{1} << 16;

  void maybe_flush() {
    if (sink_ && buf_.size() >= flush_at) flush();
  }

  void top_key(const char* name) {
    buf_.append(pretty_ ? ",\n  " : ",");
    detail::append_json_string(buf_, name);
    colon();
  }
  void colon() { buf_.append(pretty_ ? ": " : ":"); }
  void comma() { buf_.append(pretty_ ? ", " : ","); }
  void key(std::string_view name) {
    detail::append_json_string(buf_, name);
    colon();
  }

  /// A described struct. Fields equal to those of a default-constructed one are left out
  /// (except `id`) when `omit_defaults`; array elements are written whole.
  template <class T>
  void object(const T& obj, bool omit_defaults = true) {
    [[maybe_unused]] static const T defaults{};
    buf_.push_back('{');
    bool first = true;
    detail::describe(
        [&](const char* name, auto member) {
          const auto& field = obj.*member;
          if (omit_defaults && std::string_view(name) != "id" && field == defaults.*member) return;
          if (!first) comma();
          first = false;
          key(name);
          value(field);
        },
        detail::tag<T>{});
    buf_.push_back('}');
  }

  void value(const std::string& s) { detail::append_json_string(buf_, s); }
  void value(double d) { detail::append_json_number(buf_, d); }
  void value(int i) { fmt::format_to(std::back_inserter(buf_), "{}", i); }
  void value(const Date& d) { detail::append_json_string(buf_, d.to_string()); }
  void value(const Period& p) { detail::append_json_string(buf_, p.to_string()); }
  template <class E>
  requires std::is_enum_v<E>
  void value(E e) { detail::append_json_string(buf_, detail::enum_name(e)); }
  template <class T>
  void value(const std::optional<T>& o) {
    if (o)
      value(*o);
    else
      buf_.append("null");
  }
  void value(const Attributes& attrs) {
    buf_.push_back('{');
    bool first = true;
    for (const auto& [name, text] : attrs) {
      if (!first) comma();
      first = false;
      key(name);
      buf_.append(text);
    }
    buf_.push_back('}');
  }
  void value(const Ref& ref) {
    buf_.push_back('{');
    key(detail::enum_name(ref.kind));
    value(ref.id);
    buf_.push_back('}');
  }
  void value(const Contribution& c) {
    buf_.push_back('{');
    key(detail::enum_name(c.to.kind));
    value(c.to.id);
    if (c.weight != 1.0) {
      comma();
      key("weight");
      value(c.weight);
    }
    buf_.push_back('}');
  }
  void value(const Rating& r) {
    buf_.push_back('{');
    key(detail::enum_name(r.subject.kind));
    value(r.subject.id);
    comma();
    key("rating");
    value(r.rating);
    buf_.push_back('}');
  }
  void value(const Actual& a) {
    buf_.push_back('{');
    key("period");
    value(a.period);
    if (!(a.numerator && a.denominator)) {
      comma();
      key("value");
      value(a.value);
    }
    if (a.numerator) {
      comma();
      key("numerator");
      value(*a.numerator);
    }
    if (a.denominator) {
      comma();
      key("denominator");
      value(*a.denominator);
    }
    buf_.push_back('}');
  }
  void value(const Actuals& items) {
    buf_.push_back('[');
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i > 0) comma();
      value(items[i]);
    }
    buf_.push_back(']');
  }
  template <class T>
  void value(const std::vector<T>& items) {
    buf_.push_back('[');
    bool first = true;
    for (const T& item : items) {
      if (!first) comma();
      first = false;
      if constexpr (detail::is_described_v<T>)
        object(item, false);
      else
        value(item);
    }
    buf_.push_back(']');
  }
  template <class T>
  requires(detail::is_described_v<T> && !is_vector<T>::value &&
           !is_optional<T>::value) void value(const T& nested) {
    object(nested);
  }

  std::string& buf_;
  const detail::ChunkSink* sink_;
  bool pretty_;
};

}  // namespace

std::string save_json(const Model& model, const SaveOptions& options) {
  std::string out;
  Writer(out, nullptr, options.pretty).document(model);
  return out;
}

void save_json(const Model& model, std::ostream& out, const SaveOptions& options) {
  std::string buf;
  const detail::ChunkSink sink = [&](std::string_view chunk) {
    out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    if (!out) throw Error(ErrorCode::io, "cannot write the JSON document to the stream");
  };
  Writer(buf, &sink, options.pretty).document(model);
}

void save_json_file(const Model& model, const std::string& path, const SaveOptions& options) {
  detail::write_file_atomically(path, [&](const detail::ChunkSink& sink) {
    std::string buf;
    Writer(buf, &sink, options.pretty).document(model);
  });
}

}  // namespace v1
}  // namespace spm
