// json_read.cpp - reads a Model from a JSON document (docs/format.md).
//
// nlohmann/json's SAX interface drives a small handler that never builds a DOM of the whole
// document: each entity (one element of a top-level array) is collected into a little tree of
// nodes, converted into its entity type by walking the field list of model/describe.hpp, added
// to the Model, and the tree's storage is reused for the next entity. Every problem is collected
// as an Issue with its JSON path, line and column; one spm::Error lists them all at the end.
// Syntax errors stop the parse at once.
#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include <array>
#include <climits>
#include <cmath>
#include <iterator>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "io/json_fast.hpp"
#include "io/text.hpp"
#include "model/describe.hpp"
#include "spm/error.hpp"
#include "spm/io.hpp"
#include "spm/model.hpp"

namespace spm {
inline namespace v1 {
namespace {

using json = nlohmann::json;
using detail::EntityCounter;
constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();

// ---- a byte-counting iterator, so that the handler knows where the parser is ----------------

struct CountingIterator {
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  const char* p = nullptr;
  const char** mark = nullptr;  // set to the position after the last byte read

  reference operator*() const { return *p; }
  CountingIterator& operator++() {
    ++p;
    *mark = p;
    return *this;
  }
  CountingIterator operator++(int) {
    auto old = *this;
    ++*this;
    return old;
  }
  friend bool operator==(const CountingIterator& a, const CountingIterator& b) {
    return a.p == b.p;
  }
};

// ---- the per-entity tree --------------------------------------------------------------------

struct Node {
  enum class Type : std::uint8_t {
    null,
    boolean,
    integer,
    unsigned_integer,
    floating,
    string,
    object,
    array
  };
  Type type = Type::null;
  bool boolean = false;
  std::int64_t integer = 0;
  std::uint64_t unsigned_integer = 0;
  double floating = 0;
  std::string text;  ///< a string's value, or a floating number's text as written
  std::string key;   ///< the member name, when the parent is an object
  std::uint32_t first = none, last = none, next = none;  ///< children and the next sibling
  std::uint32_t size = 0;                                ///< number of children
  std::size_t offset = 0;  ///< where the value (or its member name) starts in the text

  bool is_number() const {
    return type == Type::integer || type == Type::unsigned_integer || type == Type::floating;
  }
  double number() const {
    switch (type) {
      case Type::integer:
        return static_cast<double>(integer);
      case Type::unsigned_integer:
        return static_cast<double>(unsigned_integer);
      default:
        return floating;
    }
  }
};

const char* type_name(Node::Type t) {
  switch (t) {
    case Node::Type::null:
      return "null";
    case Node::Type::boolean:
      return "a boolean";
    case Node::Type::integer:
    case Node::Type::unsigned_integer:
    case Node::Type::floating:
      return "a number";
    case Node::Type::string:
      return "a string";
    case Node::Type::object:
      return "an object";
    case Node::Type::array:
      return "an array";
  }
  return "?";
}

/// Appends `.name`, or `["name"]` when the name is not a plain identifier.
void append_path_key(std::string& path, std::string_view name) {
  bool plain = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
      plain = false;
  if (plain) {
    path.push_back('.');
    path.append(name);
  } else {
    path.push_back('[');
    detail::append_json_string(path, name);
    path.push_back(']');
  }
}
void append_path_index(std::string& path, std::size_t i) {
  fmt::format_to(std::back_inserter(path), "[{}]", i);
}

/// Restores a path string's length when it goes out of scope.
class PathMark {
 public:
  explicit PathMark(std::string& path) : path_(path), size_(path.size()) {}
  ~PathMark() { path_.resize(size_); }
  PathMark(const PathMark&) = delete;
  PathMark& operator=(const PathMark&) = delete;

 private:
  std::string& path_;
  std::size_t size_;
};

/// Which top-level key a name is: the version, the organization, an entity array, or unknown.
enum class TopKey : std::uint8_t { version, organization, entities, unknown };

// ---- the loader -----------------------------------------------------------------------------

class Loader {
 public:
  explicit Loader(std::string_view text) : text_(text), lines_(text) {}

  Model run() {
    EntityCounter counter;
    counter.feed(text_);
    const auto& counts = counter.counts();
    for (int k = 0; k < entity_kind_count; ++k)
      if (counts[static_cast<std::size_t>(k)] > 0)
        model_.reserve(static_cast<EntityKind>(k), counts[static_cast<std::size_t>(k)]);

    mark_ = text_.data();
    CountingIterator first{text_.data(), &mark_};
    CountingIterator last{text_.data() + text_.size(), &mark_};
    Sax sax{*this};
    json::sax_parse(first, last, &sax, json::input_format_t::json, true, false);
    if (syntax_error_) throw Error(ErrorCode::parse, std::move(issues_));

    if (!version_seen_)
      throw Error(ErrorCode::unsupported,
                  fmt::format("not an spm document: \"spm_format_version\" is missing (this "
                              "build reads version {})",
                              format_version));
    if (!perspectives_seen_ && issues_.empty()) {
      for (auto& p : default_perspectives()) model_.add(std::move(p));
    }
    if (!issues_.empty())
      throw Error(parse_issue_ ? ErrorCode::parse : ErrorCode::validation, std::move(issues_));
    return std::move(model_);
  }

 private:
  // -- issues --

  std::string location(const std::string& path, std::size_t offset) {
    const auto pos = lines_.at(offset);
    return fmt::format("{}, line {}, column {}", path, pos.line, pos.column);
  }
  /// A problem with the document's shape (ErrorCode::parse).
  void shape_issue(const std::string& path, std::size_t offset, std::string field,
                   std::string message) {
    parse_issue_ = true;
    Issue issue;
    issue.kind = current_kind_name_;
    issue.id = current_id_;
    issue.field = std::move(field);
    issue.message = std::move(message);
    issue.location = location(path, offset);
    issues_.push_back(std::move(issue));
  }

  // -- the SAX handler --

  struct Open {
    std::uint32_t node;  // none for containers that are not kept (the root, entity arrays)
    std::unique_ptr<std::unordered_set<std::string>> keys;  // for objects with many members
  };

  struct Sax {
    Loader& l;
    bool null() {
      return l.scalar(Node::Type::null, [](Node&) {});
    }
    bool boolean(bool v) {
      return l.scalar(Node::Type::boolean, [v](Node& n) { n.boolean = v; });
    }
    bool number_integer(json::number_integer_t v) {
      return l.scalar(Node::Type::integer, [v](Node& n) { n.integer = v; });
    }
    bool number_unsigned(json::number_unsigned_t v) {
      return l.scalar(Node::Type::unsigned_integer, [v](Node& n) { n.unsigned_integer = v; });
    }
    bool number_float(json::number_float_t v, const std::string& s) {
      return l.scalar(Node::Type::floating, [v, &s](Node& n) {
        n.floating = v;
        n.text.assign(s);
        // nlohmann/json writes the locale's decimal point into the token; JSON's is '.'.
        for (char& c : n.text)
          if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == 'e' || c == 'E')) c = '.';
      });
    }
    bool string(std::string& v) {
      return l.scalar(Node::Type::string, [&v](Node& n) { n.text.swap(v); });
    }
    bool binary(json::binary_t&) { return true; }  // not produced by the JSON parser
    bool start_object(std::size_t) { return l.start(Node::Type::object); }
    bool end_object() { return l.end(); }
    bool start_array(std::size_t) { return l.start(Node::Type::array); }
    bool end_array() { return l.end(); }
    bool key(std::string& k) { return l.key(k); }
    bool parse_error(std::size_t position, const std::string&,
                     const nlohmann::detail::exception& e) {
      l.syntax_error(position, e.what());
      return false;
    }
  };

  std::size_t here() const { return static_cast<std::size_t>(mark_ - text_.data()); }
  /// Where the member name just read starts: the parser is right after its closing quote.
  std::size_t key_start() const {
    std::size_t i = here();
    if (i > 0) --i;  // the closing quote
    while (i > 0) {
      --i;
      if (text_[i] != '"') continue;
      std::size_t backslashes = 0;
      for (std::size_t j = i; j > 0 && text_[j - 1] == '\\'; --j) ++backslashes;
      if (backslashes % 2 == 0) break;
    }
    return i;
  }

  // The document's levels: 0 outside everything, 1 inside the root object, 2 inside a top-level
  // value (an entity array or the organization), deeper inside entities.
  enum class Context : std::uint8_t { root, top_member, entity_array, tree };
  static constexpr std::size_t max_depth = 512;

  /// Starts a value of `type` at the current position; returns false to stop the parse.
  /// For scalars `fill` sets the value.
  template <class Fill>
  bool scalar(Node::Type type, Fill&& fill) {
    if (skip_depth_ > 0) return true;
    if (skip_member_) {  // the value of a member given twice, or of an unknown top-level key
      skip_member_ = false;
      return true;
    }
    switch (context()) {
      case Context::root:
        shape_issue("$", here(), "", "the document must be a JSON object");
        syntax_error_ = true;
        return false;
      case Context::top_member:
        top_scalar(type, fill);
        return true;
      case Context::entity_array: {
        tree_base_ = open_.size();
        begin_tree();
        const std::uint32_t n = new_node(type);
        fill(nodes_[n]);
        finish_tree(n);
        return true;
      }
      case Context::tree:
        fill(nodes_[new_node(type)]);
        return true;
    }
    return true;
  }

  bool start(Node::Type type) {
    if (skip_depth_ > 0) {
      ++skip_depth_;
      return true;
    }
    if (skip_member_) {
      skip_member_ = false;
      skip_depth_ = 1;
      return true;
    }
    if (open_.size() >= max_depth) {
      shape_issue(open_path(), here(), "",
                  fmt::format("values nested more than {} levels deep", max_depth));
      syntax_error_ = true;
      return false;
    }
    switch (context()) {
      case Context::root:
        if (type != Node::Type::object) {
          shape_issue("$", here(), "", "the document must be a JSON object");
          syntax_error_ = true;
          return false;
        }
        open_.push_back(Open{none, nullptr});
        return true;
      case Context::top_member:
        if (top_key_ == TopKey::organization && type == Node::Type::object) {
          tree_base_ = open_.size();
          begin_tree();
          open_.push_back(Open{new_node(type), nullptr});
        } else if (top_key_ == TopKey::entities && type == Node::Type::array) {
          open_.push_back(Open{none, nullptr});
          element_index_ = 0;
        } else {
          wrong_top_type(type);
          skip_depth_ = 1;
        }
        return true;
      case Context::entity_array:
        tree_base_ = open_.size();
        begin_tree();
        open_.push_back(Open{new_node(type), nullptr});
        return true;
      case Context::tree:
        open_.push_back(Open{new_node(type), nullptr});
        return true;
    }
    return true;
  }

  bool end() {
    if (skip_depth_ > 0) {
      --skip_depth_;
      return true;
    }
    const std::uint32_t closed = open_.back().node;
    open_.pop_back();
    if (closed != none && open_.size() == tree_base_) finish_tree(closed);
    return true;
  }

  bool key(std::string& k) {
    if (skip_depth_ > 0) return true;
    if (open_.size() == 1) return top_level_key(k);
    // A member of an object in a tree: refuse a name given twice.
    Open& o = open_.back();
    Node& parent = nodes_[o.node];
    bool duplicate = false;
    if (o.keys) {
      duplicate = !o.keys->insert(k).second;
    } else {
      for (std::uint32_t c = parent.first; c != none; c = nodes_[c].next)
        if (nodes_[c].key == k) duplicate = true;
      if (!duplicate && parent.size >= 16) {
        o.keys = std::make_unique<std::unordered_set<std::string>>();
        for (std::uint32_t c = parent.first; c != none; c = nodes_[c].next)
          o.keys->insert(nodes_[c].key);
        o.keys->insert(k);
      }
    }
    if (duplicate) {
      std::string path = open_path();
      append_path_key(path, k);
      shape_issue(path, key_start(), k, fmt::format("key \"{}\" given twice in one object", k));
      skip_member_ = true;  // its value is read and dropped
      return true;
    }
    pending_key_.swap(k);
    pending_key_offset_ = key_start();
    return true;
  }

  void syntax_error(std::size_t position, const char* what) {
    // "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error ..."
    // "[json.exception.out_of_range.406] number overflow parsing '1e400'"
    std::string_view message(what);
    if (message.starts_with("[json.exception.")) {
      if (auto close = message.find("] "); close != std::string_view::npos)
        message.remove_prefix(close + 2);
    }
    if (message.starts_with("parse error")) {
      if (auto colon = message.find(": "); colon != std::string_view::npos)
        message.remove_prefix(colon + 2);
    }
    std::size_t offset = position > 0 ? position - 1 : 0;
    std::string path = open_path();
    if (!pending_key_.empty() && open_.size() > 1) append_path_key(path, pending_key_);
    current_kind_name_.clear();
    current_id_.clear();
    shape_issue(path, offset, "", std::string(message));
    syntax_error_ = true;
  }

  Context context() const {
    if (open_.empty()) return Context::root;
    if (open_.size() == 1) return Context::top_member;
    if (open_.size() == 2 && open_.back().node == none) return Context::entity_array;
    return Context::tree;
  }

  // -- the root object's members --

  bool top_level_key(std::string& k) {
    top_key_offset_ = key_start();
    std::string path = "$";
    append_path_key(path, k);
    for (const auto& seen : top_keys_seen_)
      if (seen == k) {
        current_kind_name_.clear();
        current_id_.clear();
        shape_issue(path, top_key_offset_, k,
                    fmt::format("key \"{}\" given twice in the document", k));
        top_key_ = TopKey::unknown;
        skip_member_ = true;
        return true;
      }
    top_keys_seen_.push_back(k);
    top_path_ = std::move(path);
    if (k == "spm_format_version") {
      top_key_ = TopKey::version;
    } else if (k == "organization") {
      top_key_ = TopKey::organization;
    } else {
      top_key_ = TopKey::unknown;
      for (int i = 0; i < entity_kind_count; ++i)
        if (k == plural_name(static_cast<EntityKind>(i))) {
          top_key_ = TopKey::entities;
          entity_kind_ = static_cast<EntityKind>(i);
          if (entity_kind_ == EntityKind::perspective) perspectives_seen_ = true;
        }
      if (top_key_ == TopKey::unknown) {
        current_kind_name_.clear();
        current_id_.clear();
        shape_issue(top_path_, top_key_offset_, k,
                    fmt::format("unknown key \"{}\" (expected spm_format_version, organization "
                                "or an entity array such as \"goals\")",
                                k));
        skip_member_ = true;
      }
    }
    return true;
  }

  template <class Fill>
  void top_scalar(Node::Type type, Fill& fill) {
    if (top_key_ == TopKey::version) {
      Node n;
      n.type = type;
      fill(n);
      check_version(n);
      return;
    }
    wrong_top_type(type);
  }

  void wrong_top_type(Node::Type type) {
    current_kind_name_.clear();
    current_id_.clear();
    if (top_key_ == TopKey::version) {
      throw Error(ErrorCode::unsupported,
                  fmt::format("unsupported spm_format_version: {} instead of a version number "
                              "(this build reads version {})",
                              type_name(type), format_version));
    }
    const char* expected = top_key_ == TopKey::organization ? "an object" : "an array";
    shape_issue(top_path_, top_key_offset_, "",
                fmt::format("expected {}, not {}", expected, type_name(type)));
  }

  void check_version(const Node& n) {
    std::string text;
    bool ok = false;
    if (n.type == Node::Type::integer || n.type == Node::Type::unsigned_integer) {
      text = n.type == Node::Type::integer ? std::to_string(n.integer)
                                           : std::to_string(n.unsigned_integer);
      ok = (n.type == Node::Type::integer
                ? n.integer >= 1 && n.integer <= format_version
                : n.unsigned_integer >= 1 && n.unsigned_integer <= format_version);
    } else if (n.type == Node::Type::floating) {
      text = n.text;
      ok = n.floating >= 1 && n.floating <= format_version && n.floating == std::floor(n.floating);
    } else {
      text = n.type == Node::Type::string ? "\"" + n.text + "\"" : type_name(n.type);
    }
    if (!ok)
      throw Error(ErrorCode::unsupported,
                  fmt::format("unsupported spm_format_version {} (this build reads versions 1 "
                              "to {})",
                              text, format_version));
    version_seen_ = true;
  }

  // -- building trees --

  void begin_tree() {
    used_ = 0;
    current_kind_name_ =
        top_key_ == TopKey::organization ? "organization" : to_string(entity_kind_);
    current_id_.clear();
  }

  std::uint32_t new_node(Node::Type type) {
    const std::size_t offset = here() > 0 ? here() - 1 : 0;
    std::uint32_t n;
    if (used_ < nodes_.size()) {
      n = static_cast<std::uint32_t>(used_++);
      Node& node = nodes_[n];
      node.type = type;
      node.text.clear();
      node.key.clear();
      node.first = node.last = node.next = none;
      node.size = 0;
    } else {
      nodes_.emplace_back();
      n = static_cast<std::uint32_t>(used_++);
      nodes_[n].type = type;
    }
    Node& node = nodes_[n];
    node.offset = offset;
    if (!open_.empty() && open_.back().node != none && open_.size() > tree_base_) {
      Node& parent = nodes_[open_.back().node];
      if (parent.type == Node::Type::object) {
        node.key.swap(pending_key_);
        pending_key_.clear();
        node.offset = pending_key_offset_;
      }
      if (parent.last == none)
        parent.first = n;
      else
        nodes_[parent.last].next = n;
      parent.last = n;
      ++parent.size;
    }
    return n;
  }

  /// The JSON path of the innermost open container (for errors found while parsing).
  std::string open_path() const {
    std::string path = top_path_;
    if (open_.size() > 1 && open_[1].node == none) append_path_index(path, element_index_);
    // Inside a tree (the organization or an entity), name the open containers below its root.
    if (tree_base_ == 0 || open_.size() <= tree_base_ || open_[tree_base_].node == none)
      return path;
    for (std::size_t i = tree_base_ + 1; i < open_.size(); ++i) {
      const Node& n = nodes_[open_[i].node];
      const Node& parent = nodes_[open_[i - 1].node];
      if (parent.type == Node::Type::object) {
        append_path_key(path, n.key);
      } else {
        append_path_index(path, parent.size - 1);
      }
    }
    return path;
  }

  void finish_tree(std::uint32_t root) {
    if (top_key_ == TopKey::organization) {
      convert_organization(nodes_[root]);
    } else {
      std::string path = top_path_;
      append_path_index(path, element_index_);
      convert_entity(nodes_[root], path);
      ++element_index_;
    }
    used_ = 0;
  }

  // -- converting trees to entities --

  void convert_organization(const Node& n) {
    current_kind_name_ = "organization";
    current_id_ = find_id(n);
    OrganizationInfo info;
    std::string path = top_path_;
    const std::size_t before = issues_.size();
    read_object(n, info, path, "");
    // A default organization (a model that never had set_info) is kept as it is.
    if (issues_.size() != before || info == model_.info()) return;
    try {
      model_.set_info(std::move(info));
    } catch (const Error& e) {
      model_issues(e, n, path);
    }
  }

  void convert_entity(const Node& n, std::string& path) {
    current_kind_name_ = to_string(entity_kind_);
    current_id_ = n.type == Node::Type::object ? find_id(n) : std::string();
    detail::for_each_entity_type([&]<class T>(detail::tag<T>) {
      if (entity_kind_of<T>::value != entity_kind_) return;
      if (n.type != Node::Type::object) {
        shape_issue(path, n.offset, "",
                    fmt::format("expected an object, not {}", type_name(n.type)));
        return;
      }
      T entity;
      const std::size_t before = issues_.size();
      read_object(n, entity, path, "");
      if (issues_.size() != before) return;
      try {
        model_.add(std::move(entity));
      } catch (const Error& e) {
        model_issues(e, n, path);
      }
    });
  }

  std::string find_id(const Node& n) const {
    for (std::uint32_t c = n.first; c != none; c = nodes_[c].next)
      if (nodes_[c].key == "id" && nodes_[c].type == Node::Type::string) return nodes_[c].text;
    return {};
  }

  /// Turns an error of Model::add or set_info into issues located in the document.
  void model_issues(const Error& e, const Node& n, const std::string& path) {
    if (e.code() == ErrorCode::parse || e.code() == ErrorCode::unsupported) parse_issue_ = true;
    if (e.issues().empty()) {
      Issue issue;
      issue.kind = current_kind_name_;
      issue.id = current_id_;
      issue.field = e.code() == ErrorCode::duplicate ? "id" : "";
      issue.message = e.what();
      std::string where = path;
      std::size_t offset = n.offset;
      if (e.code() == ErrorCode::duplicate) {
        append_path_key(where, "id");
        offset = member_offset(n, "id");
      }
      issue.location = location(where, offset);
      issues_.push_back(std::move(issue));
      return;
    }
    for (Issue issue : e.issues()) {
      if (issue.kind.empty()) issue.kind = current_kind_name_;
      if (issue.id.empty()) issue.id = current_id_;
      std::string where = path;
      if (!issue.field.empty()) {
        if (issue.field.front() != '[') where.push_back('.');
        where.append(issue.field);
      }
      const std::string_view head =
          std::string_view(issue.field).substr(0, issue.field.find_first_of(".["));
      issue.location = location(where, member_offset(n, head));
      issues_.push_back(std::move(issue));
    }
  }

  std::size_t member_offset(const Node& n, std::string_view name) const {
    if (n.type == Node::Type::object)
      for (std::uint32_t c = n.first; c != none; c = nodes_[c].next)
        if (nodes_[c].key == name) return nodes_[c].offset;
    return n.offset;
  }

  /// Reports a value of the wrong type.
  bool expect(const Node& n, Node::Type type, const std::string& path, const std::string& field,
              const char* what) {
    bool ok = n.type == type || (type == Node::Type::floating && n.is_number());
    if (!ok)
      shape_issue(path, n.offset, field,
                  fmt::format("expected {}, not {}", what, type_name(n.type)));
    return ok;
  }

  /// `field` is the field's name relative to the entity ("targets[2].period"), for Issue::field.
  template <class T>
  void read_object(const Node& n, T& out, std::string& path, const std::string& field) {
    if (!expect(n, Node::Type::object, path, field, "an object")) return;
    for (std::uint32_t c = n.first; c != none; c = nodes_[c].next) {
      const Node& member = nodes_[c];
      PathMark mark(path);
      append_path_key(path, member.key);
      const std::string sub = field.empty() ? member.key : field + "." + member.key;
      bool known = false;
      detail::describe(
          [&](const char* name, auto ptr) {
            if (known || member.key != name) return;
            known = true;
            read(member, out.*ptr, path, sub);
          },
          detail::tag<T>{});
      if (!known)
        shape_issue(path, member.offset, sub, fmt::format("unknown key \"{}\"", member.key));
    }
  }

  void read(const Node& n, std::string& out, std::string& path, const std::string& field) {
    if (expect(n, Node::Type::string, path, field, "a string")) out = n.text;
  }
  void read(const Node& n, double& out, std::string& path, const std::string& field) {
    if (expect(n, Node::Type::floating, path, field, "a number")) out = n.number();
  }
  void read(const Node& n, int& out, std::string& path, const std::string& field) {
    if (!expect(n, Node::Type::floating, path, field, "an integer")) return;
    const bool fits =
        (n.type == Node::Type::integer && n.integer >= INT_MIN && n.integer <= INT_MAX) ||
        (n.type == Node::Type::unsigned_integer && n.unsigned_integer <= INT_MAX) ||
        (n.type == Node::Type::floating && n.floating >= INT_MIN && n.floating <= INT_MAX &&
         n.floating == std::floor(n.floating));
    if (!fits) {
      const std::string text = n.type == Node::Type::integer ? std::to_string(n.integer)
                               : n.type == Node::Type::unsigned_integer
                                   ? std::to_string(n.unsigned_integer)
                                   : n.text;
      shape_issue(path, n.offset, field,
                  fmt::format("expected an integer from {} to {}, not {}", INT_MIN, INT_MAX, text));
      return;
    }
    out = static_cast<int>(n.number());
  }
  void read(const Node& n, Date& out, std::string& path, const std::string& field) {
    if (!expect(n, Node::Type::string, path, field, "a date (\"YYYY-MM-DD\")")) return;
    if (auto d = Date::parse(n.text))
      out = *d;
    else
      shape_issue(path, n.offset, field,
                  fmt::format("\"{}\" is not a date (expected \"YYYY-MM-DD\")", n.text));
  }
  void read(const Node& n, Period& out, std::string& path, const std::string& field) {
    if (!expect(n, Node::Type::string, path, field,
                "a period (\"2026-03\", \"2026-Q1\", \"2026\")"))
      return;
    if (auto p = Period::parse(n.text))
      out = *p;
    else
      shape_issue(path, n.offset, field,
                  fmt::format("\"{}\" is not a period (expected \"2026-03\", \"2026-Q1\" or "
                              "\"2026\")",
                              n.text));
  }
  template <class E>
  requires std::is_enum_v<E>
  void read(const Node& n, E& out, std::string& path, const std::string& field) {
    if (!expect(n, Node::Type::string, path, field, "a string")) return;
    if (auto e = detail::parse_enum<E>(n.text)) {
      out = *e;
      return;
    }
    std::string names;
    for (const char* name : detail::enum_names<E>::names) {
      if (!names.empty()) names += ", ";
      names += name;
    }
    shape_issue(path, n.offset, field,
                fmt::format("unknown value \"{}\" (expected one of: {})", n.text, names));
  }
  template <class T>
  void read(const Node& n, std::optional<T>& out, std::string& path, const std::string& field) {
    if (n.type == Node::Type::null) {
      out.reset();
      return;
    }
    T value{};
    const std::size_t before = issues_.size();
    read(n, value, path, field);
    if (issues_.size() == before) out = std::move(value);
  }
  template <class T>
  void read(const Node& n, std::vector<T>& out, std::string& path, const std::string& field) {
    if (!expect(n, Node::Type::array, path, field, "an array")) return;
    out.clear();
    out.reserve(n.size);
    std::size_t i = 0;
    for (std::uint32_t c = n.first; c != none; c = nodes_[c].next, ++i) {
      PathMark mark(path);
      append_path_index(path, i);
      const std::string sub = fmt::format("{}[{}]", field, i);
      if constexpr (std::is_same_v<T, Actual>) {
        Actual a;
        if (read_actual(nodes_[c], a, path, sub)) out.push_back(std::move(a));
      } else {
        T item{};
        read(nodes_[c], item, path, sub);
        out.push_back(std::move(item));
      }
    }
  }
  void read(const Node& n, Actuals& out, std::string& path, const std::string& field) {
    std::vector<Actual> items;
    read(n, items, path, field);
    if (n.type == Node::Type::array) out.assign(items.begin(), items.end());
  }
  template <class T>
  requires detail::is_described_v<T>
  void read(const Node& n, T& out, std::string& path, const std::string& field) {
    read_object(n, out, path, field);
  }

  void read(const Node& n, Attributes& out, std::string& path, const std::string& field) {
    if (!expect(n, Node::Type::object, path, field, "an object")) return;
    out.clear();
    out.reserve(n.size);
    for (std::uint32_t c = n.first; c != none; c = nodes_[c].next) {
      std::string text;
      compact(nodes_[c], text);
      out.emplace_back(nodes_[c].key, std::move(text));
    }
  }

  /// The compact JSON text of a value, as kept in Attributes.
  void compact(const Node& n, std::string& out) const {
    switch (n.type) {
      case Node::Type::null:
        out += "null";
        break;
      case Node::Type::boolean:
        out += n.boolean ? "true" : "false";
        break;
      case Node::Type::integer:
        fmt::format_to(std::back_inserter(out), "{}", n.integer);
        break;
      case Node::Type::unsigned_integer:
        fmt::format_to(std::back_inserter(out), "{}", n.unsigned_integer);
        break;
      case Node::Type::floating:
        out += n.text;
        break;
      case Node::Type::string:
        detail::append_json_string(out, n.text);
        break;
      case Node::Type::object:
      case Node::Type::array: {
        const bool object = n.type == Node::Type::object;
        out.push_back(object ? '{' : '[');
        for (std::uint32_t c = n.first; c != none; c = nodes_[c].next) {
          if (c != n.first) out.push_back(',');
          if (object) {
            detail::append_json_string(out, nodes_[c].key);
            out.push_back(':');
          }
          compact(nodes_[c], out);
        }
        out.push_back(object ? '}' : ']');
        break;
      }
    }
  }

  /// The one kind key of a Ref-like object ({"goal": "G1", ...}); other keys go to `extra`,
  /// which returns whether it knew the key.
  template <class Extra>
  bool read_ref_object(const Node& n, Ref& out, std::string& path, const std::string& field,
                       Extra&& extra) {
    if (!expect(n, Node::Type::object, path, field,
                "an object with one kind key, such as "
                "{\"goal\": \"G1\"}"))
      return false;
    int kinds = 0;
    bool ok = true;
    for (std::uint32_t c = n.first; c != none; c = nodes_[c].next) {
      const Node& member = nodes_[c];
      PathMark mark(path);
      append_path_key(path, member.key);
      const std::string sub = field.empty() ? member.key : field + "." + member.key;
      const std::size_t before = issues_.size();
      if (extra(member, path, sub)) {
        if (issues_.size() != before) ok = false;
        continue;
      }
      if (auto kind = parse_entity_kind(member.key)) {
        if (++kinds == 2) {
          shape_issue(path, member.offset, sub,
                      "a reference names exactly one entity: give one kind key, not two");
          ok = false;
        }
        out.kind = *kind;
        if (!expect(member, Node::Type::string, path, sub, "a string (an id)"))
          ok = false;
        else
          out.id = member.text;
      } else {
        shape_issue(path, member.offset, sub,
                    fmt::format("unknown key \"{}\" (expected an entity kind such as \"goal\")",
                                member.key));
        ok = false;
      }
    }
    if (kinds == 0) {
      shape_issue(path, n.offset, field,
                  "a reference needs one entity kind key, such as {\"goal\": \"G1\"}");
      ok = false;
    }
    return ok;
  }

  void read(const Node& n, Ref& out, std::string& path, const std::string& field) {
    read_ref_object(n, out, path, field,
                    [](const Node&, std::string&, const std::string&) { return false; });
  }
  void read(const Node& n, Contribution& out, std::string& path, const std::string& field) {
    read_ref_object(n, out.to, path, field,
                    [&](const Node& member, std::string& p, const std::string& sub) {
                      if (member.key != "weight") return false;
                      read(member, out.weight, p, sub);
                      return true;
                    });
  }
  void read(const Node& n, Rating& out, std::string& path, const std::string& field) {
    bool rated = false;
    const bool ok =
        read_ref_object(n, out.subject, path, field,
                        [&](const Node& member, std::string& p, const std::string& sub) {
                          if (member.key != "rating") return false;
                          rated = true;
                          read(member, out.rating, p, sub);
                          return true;
                        });
    if (ok && !rated) shape_issue(path, n.offset, field, "a rating needs \"rating\": a number");
  }

  /// Returns false for an actual that is not stored: "value": null, or one with problems.
  bool read_actual(const Node& n, Actual& out, std::string& path, const std::string& field) {
    if (!expect(n, Node::Type::object, path, field,
                "an object such as {\"period\": \"2026-01\", "
                "\"value\": 1}"))
      return false;
    const std::size_t before = issues_.size();
    const Node* value = nullptr;
    bool period = false;
    for (std::uint32_t c = n.first; c != none; c = nodes_[c].next) {
      const Node& member = nodes_[c];
      PathMark mark(path);
      append_path_key(path, member.key);
      const std::string sub = field + "." + member.key;
      if (member.key == "period") {
        period = true;
        read(member, out.period, path, sub);
      } else if (member.key == "value") {
        value = &member;
        if (member.type != Node::Type::null) read(member, out.value, path, sub);
      } else if (member.key == "numerator") {
        read(member, out.numerator, path, sub);
      } else if (member.key == "denominator") {
        read(member, out.denominator, path, sub);
      } else {
        shape_issue(path, member.offset, sub,
                    fmt::format("unknown key \"{}\" (expected period, "
                                "value, numerator, denominator)",
                                member.key));
      }
    }
    if (issues_.size() != before) return false;
    if (!period) {
      shape_issue(path, n.offset, field, "an actual needs \"period\"");
      return false;
    }
    const bool ratio = out.numerator.has_value() || out.denominator.has_value();
    if (ratio && value) {
      shape_issue(path, n.offset, field,
                  "give \"value\" or \"numerator\" and \"denominator\", not both");
      return false;
    }
    if (ratio) {
      if (!out.numerator || !out.denominator) {
        shape_issue(path, n.offset, field,
                    "\"numerator\" and \"denominator\" go together: give both");
        return false;
      }
      if (!(*out.denominator > 0)) {
        PathMark mark(path);
        append_path_key(path, "denominator");
        shape_issue(path, member_offset(n, "denominator"), field + ".denominator",
                    fmt::format("must be > 0, not {}", *out.denominator));
        return false;
      }
      out.value = *out.numerator / *out.denominator;
      return true;
    }
    if (!value) {
      shape_issue(path, n.offset, field,
                  "an actual needs \"value\" (null for no data) or \"numerator\" and "
                  "\"denominator\"");
      return false;
    }
    return value->type != Node::Type::null;  // null: no data, not stored
  }

  std::string_view text_;
  detail::LineCounter lines_;
  const char* mark_ = nullptr;
  Model model_;
  std::vector<Issue> issues_;
  bool parse_issue_ = false;
  bool syntax_error_ = false;
  bool version_seen_ = false;
  bool perspectives_seen_ = false;

  std::vector<Open> open_;
  std::size_t skip_depth_ = 0;
  bool skip_member_ = false;
  std::vector<std::string> top_keys_seen_;
  TopKey top_key_ = TopKey::unknown;
  std::string top_path_ = "$";
  std::size_t top_key_offset_ = 0;
  EntityKind entity_kind_ = EntityKind::value;
  std::size_t tree_base_ = 0;
  std::size_t element_index_ = 0;
  std::string pending_key_;
  std::size_t pending_key_offset_ = 0;
  std::vector<Node> nodes_;
  std::size_t used_ = 0;
  std::string current_kind_name_, current_id_;
};

}  // namespace

// The fast reader takes every good document; the diagnosing reader reads the others again and
// reports their problems (io/json_fast.hpp).
Model detail::load_json_diagnosing(std::string_view text) {
  return Loader(text).run();
}

Model load_json(std::string_view text) {
  if (auto model = detail::load_json_fast(text)) return std::move(*model);
  return detail::load_json_diagnosing(text);
}

Model load_json_file(const std::string& path) {
  if (auto model = detail::load_json_file_fast(path)) return std::move(*model);
  const std::string text = detail::read_file(path);
  return detail::load_json_diagnosing(text);
}

}  // namespace v1
}  // namespace spm
