// json_fast.cpp - the fast path of the JSON reader; json_fast.hpp says how it fits with the
// diagnosing reader of json_read.cpp.
//
// A recursive-descent parser over a window of bytes [p_, end_): the whole text when reading from
// memory, a buffer refilled from the file otherwise. It follows RFC 8259 as strictly as
// nlohmann/json does (the diagnosing reader's parser), converts every value straight into its
// field (keys dispatched through describe.hpp's field tables, actuals into their vector) and
// adds each entity to the Model as soon as it is complete. Any departure from what a valid
// document holds throws Fallback, and the caller hands the document to the diagnosing reader.
#include "io/json_fast.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <system_error>
#include <tuple>
#include <utility>
#include <vector>

#include "io/text.hpp"
#include "model/describe.hpp"
#include "model/model_impl.hpp"
#include "spm/error.hpp"
#include "spm/io.hpp"

namespace spm {
inline namespace v1 {
namespace detail {

// ---- the entity counter -----------------------------------------------------------------------

void EntityCounter::end_of_string() {
  in_string_ = false;
  if (!string_is_key_) return;
  // string_ holds at most longest_key + 1 bytes: a longer name matches none looked for.
  if (depth_ == 1) key_ = string_;
  if (depth_ == 3 && kind_ >= 0 && string_ == "id") ++counts_[static_cast<std::size_t>(kind_)];
}

namespace {
/// The bytes the counter stops at: outside strings (1), inside strings (2).
constexpr std::array<std::uint8_t, 256> counter_stops = [] {
  std::array<std::uint8_t, 256> t{};
  for (char c : {'"', '{', '[', '}', ']', ','}) t[static_cast<unsigned char>(c)] |= 1;
  for (char c : {'"', '\\'}) t[static_cast<unsigned char>(c)] |= 2;
  return t;
}();
bool stops(char c, std::uint8_t where) {
  return (counter_stops[static_cast<unsigned char>(c)] & where) != 0;
}
}  // namespace

void EntityCounter::feed(std::string_view chunk) {
  const char* s = chunk.data();
  const std::size_t n = chunk.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (in_string_) {
      // [start, i): the string's raw text, backslashes and all, up to its closing quote.
      const std::size_t start = i;
      for (; i < n; ++i) {
        if (escape_) {
          escape_ = false;
          continue;
        }
        while (i < n && !stops(s[i], 2)) ++i;
        if (i == n) break;
        if (s[i] == '"') break;
        escape_ = true;
      }
      if (string_is_key_ && string_.size() <= longest_key)
        string_.append(s + start, std::min(i - start, longest_key + 1 - string_.size()));
      if (i == n) break;
      end_of_string();
      continue;
    }
    while (i < n && !stops(s[i], 1)) ++i;
    if (i == n) break;
    const char c = s[i];
    switch (c) {
      case '"':
        in_string_ = true;
        // Only names at depth 1 (the arrays) and 3 (entities' "id") count.
        string_is_key_ = expect_key_ && (depth_ == 1 || depth_ == 3);
        expect_key_ = false;
        string_.clear();
        break;
      case '{':
      case '[':
        ++depth_;
        if (depth_ < tracked) is_object_[static_cast<std::size_t>(depth_)] = c == '{';
        expect_key_ = c == '{';
        if (depth_ == 2) {
          kind_ = -1;
          if (c == '[')
            for (int k = 0; k < entity_kind_count; ++k)
              if (key_ == plural_name(static_cast<EntityKind>(k))) kind_ = k;
        }
        break;
      case '}':
      case ']':
        --depth_;
        expect_key_ = false;
        break;
      case ',':
        expect_key_ =
            depth_ > 0 && depth_ < tracked && is_object_[static_cast<std::size_t>(depth_)];
        break;
      default:
        break;
    }
  }
}

namespace {

/// Thrown by the fast reader for anything it does not take; never leaves this file.
struct Fallback {};
[[noreturn]] void fall_back() {
  throw Fallback{};
}

// ---- input ------------------------------------------------------------------------------------

/// A window [p, end) on the document: all of it in memory, or a buffer refilled from a file.
class Input {
 public:
  explicit Input(std::string_view text) : p(text.data()), end(text.data() + text.size()) {}
  Input(int fd, std::size_t buffer_bytes)
      : fd_(fd), buffer_(std::max<std::size_t>(buffer_bytes, 1)) {
    p = end = buffer_.data();
  }

  /// Reads more of the file, keeping [p, end) (moved to the front of the buffer, which grows
  /// only when that is all of it). False at the end of the input; then p and end are unchanged.
  bool more() {
    if (fd_ < 0) return false;
    const auto kept = static_cast<std::size_t>(end - p);
    if (kept == buffer_.size()) {
      std::vector<char> bigger(buffer_.size() * 2);
      std::memcpy(bigger.data(), p, kept);
      buffer_.swap(bigger);
    } else if (kept > 0 && p != buffer_.data()) {
      std::memmove(buffer_.data(), p, kept);
    }
    p = buffer_.data();
    end = p + kept;
    for (;;) {
      const ssize_t n = ::read(fd_, buffer_.data() + kept, buffer_.size() - kept);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) fall_back();  // the diagnosing reader reads the file again and reports it
      if (n == 0) return false;
      end += n;
      return true;
    }
  }

  const char* p;
  const char* end;

 private:
  int fd_ = -1;
  std::vector<char> buffer_;
};

// ---- character classes ------------------------------------------------------------------------

/// Bytes that stand for themselves inside a string: printable ASCII but '"' and '\\'.
constexpr std::array<bool, 256> plain_bytes = [] {
  std::array<bool, 256> t{};
  for (int c = 0x20; c < 0x80; ++c) t[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
  return t;
}();
bool plain(char c) {
  return plain_bytes[static_cast<unsigned char>(c)];
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
/// Bytes that may follow one another in a JSON number token.
bool number_byte(char c) {
  return is_digit(c) || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

/// A number token, as JSON spells it.
struct Number {
  std::string_view text;  ///< valid until the input moves on
  bool integral = false;  ///< no fraction and no exponent: nlohmann/json reads it as an integer
};

/// The element types of the vectors that entities hold, each with a scratch vector that an
/// array is read into before it is copied to its field at its exact size.
using Scratch = std::tuple<std::vector<std::string>, std::vector<Contribution>, std::vector<Rating>,
                           std::vector<StatusBand>, std::vector<ScoreRange>,
                           std::vector<PeriodTarget>, std::vector<CompetencyRequirement>,
                           std::vector<std::pair<std::string, std::string>>>;

// ---- the reader -------------------------------------------------------------------------------

class FastReader {
 public:
  explicit FastReader(Input& in) : in_(in) {}

  Model run() {
    skip_bom();
    expect('{');
    if (!next_is('}')) {
      do top_member();
      while (next_is(','));
      expect('}');
    }
    skip_whitespace();
    if (in_.p != in_.end || in_.more()) fall_back();  // only whitespace after the document
    if (!version_seen_) fall_back();
    if (!perspectives_seen_)
      for (auto& p : default_perspectives()) add(std::move(p));
    return std::move(model_);
  }

 private:
  // -- the document's own members --

  static constexpr int version_key = entity_kind_count;
  static constexpr int organization_key = entity_kind_count + 1;

  void top_member() {
    const std::string_view name = key();
    int which = -1;
    if (name == "spm_format_version") {
      which = version_key;
    } else if (name == "organization") {
      which = organization_key;
    } else {
      for (int k = 0; k < entity_kind_count; ++k)
        if (name == plural_name(static_cast<EntityKind>(k))) which = k;
    }
    if (which < 0 || (top_seen_ >> which & 1u)) fall_back();  // unknown, or given twice
    top_seen_ |= std::uint32_t{1} << which;
    expect(':');
    if (which == version_key) {
      version();
    } else if (which == organization_key) {
      OrganizationInfo info;
      read(info);
      // A default organization (a model that never had set_info) is kept as it is.
      if (!(info == model_.info())) {
        try {
          model_.set_info(std::move(info));
        } catch (const Error&) {
          fall_back();
        }
      }
    } else {
      if (static_cast<EntityKind>(which) == EntityKind::perspective) perspectives_seen_ = true;
      for_each_entity_type([&]<class T>(tag<T>) {
        if (static_cast<int>(entity_kind_of<T>::value) == which) entities<T>();
      });
    }
  }

  void version() {
    const Number n = number();
    bool ok = false;
    if (n.integral) {
      std::int64_t v = 0;
      const auto [end, ec] = std::from_chars(n.text.data(), n.text.data() + n.text.size(), v);
      ok = ec == std::errc{} && v >= 1 && v <= format_version;
    } else {
      const double v = to_double(n);
      ok = v >= 1 && v <= format_version && v == std::floor(v);
    }
    if (!ok) fall_back();
    version_seen_ = true;
  }

  /// One top-level array. Its entities are read into chunks first, so that the Model can
  /// reserve its table (and id index) at the exact size once their number is known, and then
  /// move from the chunks into the table, each chunk freed as soon as it is empty: no pass to
  /// count them beforehand, no table grown by doubling, and about one copy of the entities in
  /// memory at any time. Chunks start at 64 KiB and double up to 64 MiB, so that a small
  /// document (one entity, from the C ABI) takes little, and a large array's chunks are big
  /// enough for malloc to map each alone and give it back to the system when it is freed.
  template <class T>
  void entities() {
    constexpr std::size_t most = std::max<std::size_t>(1, (std::size_t{64} << 20) / sizeof(T));
    std::size_t next = std::max<std::size_t>(1, (std::size_t{64} << 10) / sizeof(T));
    std::vector<std::vector<T>> chunks;
    std::size_t count = 0;
    array([&] {
      if (chunks.empty() || chunks.back().size() == chunks.back().capacity()) {
        chunks.emplace_back();
        chunks.back().reserve(next);
        next = std::min(most, next * 2);
      }
      chunks.back().emplace_back();
      read(chunks.back().back());
      ++count;
    });
    constexpr EntityKind kind = entity_kind_of<T>::value;
    model_.reserve(kind, model_.count(kind) + count);
    // The index slots of the ids a few entities on start loading while this one goes in.
    const auto& table = ModelAccess::impl(model_).table<T>();
    constexpr std::size_t ahead = 8;
    for (auto& c : chunks) {
      for (std::size_t i = 0; i < c.size(); ++i) {
        if (i + ahead < c.size()) table.prefetch(c[i + ahead].id, false);
        add(std::move(c[i]));
      }
      std::vector<T>().swap(c);
    }
  }

  template <class T>
  void add(T&& entity) {
    try {
      model_.add(std::forward<T>(entity));
    } catch (const Error&) {  // an id given twice, or a field the Model refuses
      fall_back();
    }
  }

  // -- values of every field type --

  void read(std::string& out) {
    expect('"');
    const std::string_view s = string();
    out.assign(s.data(), s.size());
  }
  void read(double& out) { out = to_double(number()); }
  void read(int& out) {
    const Number n = number();
    if (n.integral) {
      std::int64_t v = 0;
      const auto [end, ec] = std::from_chars(n.text.data(), n.text.data() + n.text.size(), v);
      if (ec != std::errc{} || v < INT_MIN || v > INT_MAX) fall_back();
      out = static_cast<int>(v);
      return;
    }
    const double v = to_double(n);
    if (!(v >= INT_MIN && v <= INT_MAX && v == std::floor(v))) fall_back();
    out = static_cast<int>(v);
  }
  void read(Date& out) {
    expect('"');
    const auto d = Date::parse(string());
    if (!d) fall_back();
    out = *d;
  }
  void read(Period& out) {
    expect('"');
    const std::string_view text = string();
    // The months of actuals, "2026-01", without the general parser.
    if (text.size() == 7 && text[4] == '-' &&
        std::all_of(text.begin(), text.begin() + 4, is_digit) && is_digit(text[5]) &&
        is_digit(text[6])) {
      const int year =
          (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
      const int month = (text[5] - '0') * 10 + (text[6] - '0');
      if (year < 1 || month < 1 || month > 12) fall_back();
      out = Period::month(year, month);
      return;
    }
    const auto p = Period::parse(text);
    if (!p) fall_back();
    out = *p;
  }
  template <class E>
  requires std::is_enum_v<E>
  void read(E& out) {
    expect('"');
    const auto e = parse_enum<E>(string());
    if (!e) fall_back();
    out = *e;
  }
  template <class T>
  void read(std::optional<T>& out) {
    if (peek() == 'n') {
      literal("null");
      out.reset();
      return;
    }
    T value{};
    read(value);
    out = std::move(value);
  }
  template <class T>
  void read(std::vector<T>& out) {
    auto& items = std::get<std::vector<T>>(scratch_);
    items.clear();
    array([&] {
      if constexpr (std::is_same_v<T, Actual>) {
        Actual a;
        if (actual(a)) items.push_back(a);
      } else {
        items.emplace_back();
        read(items.back());
      }
    });
    out.assign(std::make_move_iterator(items.begin()), std::make_move_iterator(items.end()));
    items.clear();
  }
  void read(Actuals& out) {
    actuals_scratch_.clear();
    array([&] {
      Actual a;
      if (actual(a)) actuals_scratch_.push_back(a);
    });
    out = actuals_scratch_;  // a copy at its size: no room to spare in every measure
  }
  template <class T>
  requires is_described_v<T>
  void read(T& out) {
    constexpr const FieldTable<T>& table = field_table<T>;
    std::uint64_t seen = 0;
    object([&](std::string_view name) {
      const int f = table.find(name);
      if (f < 0 || (seen >> f & 1u)) fall_back();  // unknown, or given twice
      seen |= std::uint64_t{1} << f;
      expect(':');
      int i = 0;
      describe(
          [&](const char*, auto member) {
            if (i++ == f) read(out.*member);
          },
          tag<T>{});
    });
  }

  void read(Attributes& out) {
    auto& items = std::get<std::vector<std::pair<std::string, std::string>>>(scratch_);
    items.clear();
    object([&](std::string_view name) {
      std::string key(name);
      expect(':');
      if (seen_before(items, key)) fall_back();
      std::string text;
      compact(text, 0);
      items.emplace_back(std::move(key), std::move(text));
    });
    out.assign(std::make_move_iterator(items.begin()), std::make_move_iterator(items.end()));
    items.clear();
  }

  /// Whether `key` is among the names of `members` (first of each pair); the diagnosing reader
  /// reports a name given twice. Many members: leave it to that reader, which keeps a set.
  template <class Members>
  static bool seen_before(const Members& members, std::string_view key) {
    constexpr std::size_t linear = 16;
    if (members.size() >= linear) fall_back();
    for (const auto& m : members)
      if (key == std::get<0>(m)) return true;
    return false;
  }

  /// Appends any JSON value as the compact text that Attributes keep: numbers as written (but
  /// the integer -0, which nlohmann/json reads as 0), strings escaped as spm writes them.
  void compact(std::string& out, int depth) {
    constexpr int deepest = 64;  // deeper values: the diagnosing reader refuses past 512
    if (depth > deepest) fall_back();
    switch (peek()) {
      case '{': {
        ++in_.p;
        out.push_back('{');
        std::vector<std::pair<std::string, char>> names;
        if (!next_is('}')) {
          do {
            std::string name(key());
            expect(':');
            if (seen_before(names, name)) fall_back();
            if (!names.empty()) out.push_back(',');
            append_json_string(out, name);
            out.push_back(':');
            compact(out, depth + 1);
            names.emplace_back(std::move(name), 0);
          } while (next_is(','));
          expect('}');
        }
        out.push_back('}');
        return;
      }
      case '[': {
        ++in_.p;
        out.push_back('[');
        if (!next_is(']')) {
          bool first = true;
          do {
            if (!first) out.push_back(',');
            first = false;
            compact(out, depth + 1);
          } while (next_is(','));
          expect(']');
        }
        out.push_back(']');
        return;
      }
      case '"':
        ++in_.p;
        append_json_string(out, string());
        return;
      case 't':
        literal("true");
        out += "true";
        return;
      case 'f':
        literal("false");
        out += "false";
        return;
      case 'n':
        literal("null");
        out += "null";
        return;
      default: {
        const Number n = number();
        (void)to_double(n);  // refuses what nlohmann/json refuses (1e400)
        if (n.integral && n.text == "-0")
          out += "0";
        else
          out.append(n.text);
        return;
      }
    }
  }

  // -- the special shapes --

  /// {"<kind>": "<id>"}, and a number under `name` when `number` is given: returns whether the
  /// number was there.
  bool ref_object(Ref& out, std::string_view name = {}, double* number = nullptr) {
    int kinds = 0;
    bool given = false;
    object([&](std::string_view key) {
      if (number && key == name) {
        if (given) fall_back();
        given = true;
        expect(':');
        read(*number);
        return;
      }
      const auto kind = parse_entity_kind(key);
      if (!kind || ++kinds > 1) fall_back();
      out.kind = *kind;
      expect(':');
      read(out.id);
    });
    if (kinds != 1) fall_back();
    return given;
  }
  void read(Ref& out) { ref_object(out); }
  void read(Contribution& out) { ref_object(out.to, "weight", &out.weight); }
  void read(Rating& out) {
    if (!ref_object(out.subject, "rating", &out.rating)) fall_back();  // a rating is required
  }

  /// An actual; false when it is not stored ("value": null).
  bool actual(Actual& out) {
    enum : unsigned { period = 1, value = 2, numerator = 4, denominator = 8 };
    unsigned seen = 0;
    bool null_value = false;
    object([&](std::string_view name) {
      unsigned bit = 0;
      if (name == "period")
        bit = period;
      else if (name == "value")
        bit = value;
      else if (name == "numerator")
        bit = numerator;
      else if (name == "denominator")
        bit = denominator;
      if (bit == 0 || (seen & bit)) fall_back();
      seen |= bit;
      expect(':');
      switch (bit) {
        case period:
          read(out.period);
          break;
        case value:
          if (peek() == 'n') {
            literal("null");
            null_value = true;
          } else {
            read(out.value);
          }
          break;
        case numerator:
          read(out.numerator);
          break;
        default:
          read(out.denominator);
          break;
      }
    });
    if (!(seen & period)) fall_back();
    const bool ratio = out.numerator.has_value() || out.denominator.has_value();
    if (ratio) {
      if ((seen & value) || !out.numerator || !out.denominator || !(*out.denominator > 0))
        fall_back();
      out.value = *out.numerator / *out.denominator;
      return true;
    }
    if (!(seen & value)) fall_back();
    return !null_value;
  }

  // -- JSON --

  void skip_bom() {
    while (in_.end - in_.p < 3 && in_.more()) {
    }
    if (in_.p == in_.end || static_cast<unsigned char>(*in_.p) != 0xEF) return;
    if (in_.end - in_.p < 3 || static_cast<unsigned char>(in_.p[1]) != 0xBB ||
        static_cast<unsigned char>(in_.p[2]) != 0xBF)
      fall_back();
    in_.p += 3;
  }

  void skip_whitespace() {
    for (;;) {
      while (in_.p < in_.end) {
        const char c = *in_.p;
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
        ++in_.p;
      }
      if (!in_.more()) return;
    }
  }
  /// The next byte after whitespace, or 0 at the end of the input. Called for every token:
  /// inlined, with the whitespace (none in a compact file) out of line.
  [[gnu::always_inline]] char peek() {
    if (in_.p<in_.end&& static_cast<unsigned char>(*in_.p)> ' ') return *in_.p;
    return peek_after_whitespace();
  }
  [[gnu::noinline]] char peek_after_whitespace() {
    skip_whitespace();
    return in_.p < in_.end ? *in_.p : '\0';
  }
  void expect(char c) {
    if (peek() != c) fall_back();
    ++in_.p;
  }
  bool next_is(char c) {
    if (peek() != c) return false;
    ++in_.p;
    return true;
  }
  /// Makes n bytes available from p, or falls back at the end of the input.
  void ensure(std::size_t n) {
    while (static_cast<std::size_t>(in_.end - in_.p) < n)
      if (!in_.more()) fall_back();
  }
  void literal(std::string_view word) {
    ensure(word.size());
    if (std::string_view(in_.p, word.size()) != word) fall_back();
    in_.p += word.size();
  }

  /// Calls member(name) for each member of an object; member reads the ':' and the value.
  /// The name is valid until the input moves on.
  template <class Member>
  void object(Member&& member) {
    expect('{');
    if (next_is('}')) return;
    do member(key());
    while (next_is(','));
    expect('}');
  }
  template <class Element>
  void array(Element&& element) {
    expect('[');
    if (next_is(']')) return;
    do element();
    while (next_is(','));
    expect(']');
  }
  std::string_view key() {
    expect('"');
    return string();
  }

  /// The rest of a string whose opening quote has been read, decoded. The view is into the
  /// input when the string has only plain bytes (valid until the input moves on), else into
  /// scratch text (valid until the next string).
  std::string_view string() {
    const char* s = in_.p;
    skip_plain();
    if (in_.p < in_.end && *in_.p == '"') {
      const std::string_view view(s, static_cast<std::size_t>(in_.p - s));
      ++in_.p;
      return view;
    }
    text_.assign(s, in_.p);
    for (;;) {
      if (in_.p == in_.end) {
        if (!in_.more()) fall_back();
        continue;
      }
      const auto c = static_cast<unsigned char>(*in_.p);
      if (c == '"') {
        ++in_.p;
        return text_;
      }
      if (c == '\\') {
        escape();
      } else if (c < 0x20) {
        fall_back();  // control characters must be escaped
      } else if (c < 0x80) {
        const char* run = in_.p;
        skip_plain();
        text_.append(run, in_.p);
      } else {
        utf8();
      }
    }
  }

  /// Moves p past the plain bytes of a string, eight at a time while it can.
  void skip_plain() {
    constexpr std::uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    const auto zero_byte = [](std::uint64_t v) { return (v - ones) & ~v & highs; };
    while (in_.end - in_.p >= 8) {
      std::uint64_t x = 0;
      std::memcpy(&x, in_.p, 8);
      // A byte that is '"', '\\', below 0x20 or above 0x7F sets its high bit here; the lowest
      // one set is exact (the borrows of the zero tests only move upwards).
      const std::uint64_t stop = zero_byte(x ^ (ones * '"')) | zero_byte(x ^ (ones * '\\')) |
                                 ((x - ones * 0x20) & ~x & highs) | (x & highs);
      if (stop != 0) {
        in_.p += static_cast<unsigned>(__builtin_ctzll(stop)) / 8;
        return;
      }
      in_.p += 8;
    }
    while (in_.p < in_.end && plain(*in_.p)) ++in_.p;
  }

  void escape() {
    ensure(2);
    const char e = in_.p[1];
    const char* simple = "\"\"\\\\//b\bf\fn\nr\rt\t";
    for (const char* s = simple; *s; s += 2)
      if (e == s[0]) {
        text_.push_back(s[1]);
        in_.p += 2;
        return;
      }
    if (e != 'u') fall_back();
    std::uint32_t cp = hex4();
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      ensure(2);
      if (in_.p[0] != '\\' || in_.p[1] != 'u') fall_back();
      const std::uint32_t low = hex4();
      if (low < 0xDC00 || low > 0xDFFF) fall_back();
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
      fall_back();
    }
    append_utf8(text_, cp);
  }
  /// "\uXXXX" at p: its four hex digits.
  std::uint32_t hex4() {
    ensure(6);
    std::uint32_t v = 0;
    for (int i = 2; i < 6; ++i) {
      const int d = hex_digit(in_.p[i]);
      if (d < 0) fall_back();
      v = v * 16 + static_cast<std::uint32_t>(d);
    }
    in_.p += 6;
    return v;
  }
  /// One UTF-8 sequence of two to four bytes, well-formed as RFC 3629 has it.
  void utf8() {
    const auto c = static_cast<unsigned char>(*in_.p);
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // the range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      fall_back();
    }
    ensure(len);
    const auto* b = reinterpret_cast<const unsigned char*>(in_.p);
    if (b[1] < lo || b[1] > hi) fall_back();
    for (std::size_t i = 2; i < len; ++i)
      if (b[i] < 0x80 || b[i] > 0xBF) fall_back();
    text_.append(in_.p, len);
    in_.p += len;
  }

  /// A number token, checked against JSON's grammar.
  Number number() {
    skip_whitespace();
    std::size_t n = 0;
    for (;;) {
      while (in_.p + n < in_.end && number_byte(in_.p[n])) ++n;
      if (in_.p + n < in_.end || !in_.more()) break;
    }
    const char* s = in_.p;
    std::size_t i = 0;
    if (i < n && s[i] == '-') ++i;
    if (i < n && s[i] == '0') {
      ++i;
    } else if (i < n && s[i] >= '1' && s[i] <= '9') {
      while (i < n && is_digit(s[i])) ++i;
    } else {
      fall_back();
    }
    bool integral = true;
    if (i < n && s[i] == '.') {
      integral = false;
      if (++i >= n || !is_digit(s[i])) fall_back();
      while (i < n && is_digit(s[i])) ++i;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
      integral = false;
      ++i;
      if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
      if (i >= n || !is_digit(s[i])) fall_back();
      while (i < n && is_digit(s[i])) ++i;
    }
    if (i != n) fall_back();
    in_.p += n;
    return Number{std::string_view(s, n), integral};
  }
  /// The double nlohmann/json reads for a token: the correctly rounded value (from_chars and
  /// strtod agree), +0 for the integer -0. Out of range: the diagnosing reader's to report.
  static double to_double(const Number& n) {
    // Up to 15 digits and no exponent: the digits as an integer (exact in a double) divided by
    // a power of ten (exact too) is the correctly rounded value, as IEEE division rounds.
    static constexpr double powers[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                        1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    constexpr std::size_t most_digits = 15;
    if (n.text.size() <= most_digits + 2) {
      std::uint64_t digits = 0;
      std::size_t count = 0, fraction = 0;
      bool dot = false, simple = true;
      for (const char c : n.text) {
        if (c >= '0' && c <= '9') {
          digits = digits * 10 + static_cast<std::uint64_t>(c - '0');
          ++count;
          fraction += dot;
        } else if (c == '.') {
          dot = true;
        } else if (c != '-') {
          simple = false;  // an exponent
        }
      }
      if (simple && count <= most_digits) {
        double v = static_cast<double>(digits) / powers[fraction];
        if (n.text[0] == '-' && !(n.integral && digits == 0)) v = -v;  // the integer -0 is 0
        return v;
      }
    }
    double v = 0;
    const auto [end, ec] = std::from_chars(n.text.data(), n.text.data() + n.text.size(), v);
    if (ec != std::errc{} || end != n.text.data() + n.text.size() || !std::isfinite(v)) fall_back();
    if (n.integral && v == 0) v = 0;
    return v;
  }

  Input& in_;
  Model model_;
  Scratch scratch_;
  Actuals actuals_scratch_;
  std::string text_;
  std::uint32_t top_seen_ = 0;
  bool version_seen_ = false;
  bool perspectives_seen_ = false;
};

/// Closes a file descriptor when it goes out of scope.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const noexcept { return fd_; }

 private:
  int fd_;
};

}  // namespace

std::optional<Model> load_json_fast(std::string_view text) {
  Input in(text);
  try {
    return FastReader(in).run();
  } catch (const Fallback&) {
    return std::nullopt;
  }
}

std::optional<Model> load_json_file_fast(const std::string& path, std::size_t buffer_bytes) {
  const FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return std::nullopt;
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  try {
    Input in(fd.get(), buffer_bytes);
    return FastReader(in).run();
  } catch (const Fallback&) {
    return std::nullopt;
  }
}

}  // namespace detail
}  // namespace v1
}  // namespace spm
