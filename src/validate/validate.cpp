#include "spm/validate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <mutex>

#include "common/parallel.hpp"
#include "model/describe.hpp"
#include "model/model_impl.hpp"
#include "spm/model.hpp"

namespace spm {
inline namespace v1 {

namespace {

constexpr std::size_t max_cycles_reported = 100;

/// Cross-entity checks of one model, appending to `out` in a deterministic order.
class Validator {
 public:
  Validator(const Model& m, std::vector<Issue>& out, int threads)
      : m_(m), out_(out), threads_(threads) {}

  void run() {
    // The references that compile reads (contributions, measures' subjects, objectives' owners,
    // employees' units, units' parents) are checked through the model's RefCache, which
    // resolves those not resolved yet (all of them in a model just loaded; after that, those of
    // entities added since) and keeps them for the model's compiles. Held to the end, for the
    // cache is read throughout. Resolving them into the cache costs less than looking each up
    // here did (at 300k employees 1.5 s for the cache and 0.7 s for the checks, against 3.1 s),
    // and the model's first compile then looks nothing up.
    const Model::Impl& impl = detail::ModelAccess::impl(m_);
    std::lock_guard lock(impl.refs.mutex);
    impl.refs.extend(impl, threads_);
    refs_ = &impl.refs;
    // Links to the same kind: at most one per employee and unit, and the objectives' links to
    // objectives, at most all of their links. Room for every link of every kind there, the size
    // of the first compile's array of link targets, so that the compile can take it over.
    reports_.reserve(m_.all<Employee>().size(), m_.all<Employee>().size());
    parents_.reserve(m_.all<Unit>().size(), m_.all<Unit>().size());
    std::size_t links = 0;
    for (const auto& section : refs_->links) links += section.to.size();
    links_.reserve(m_.all<Objective>().size(), links);
    // Every entity's own fields, and the organization's, were checked when they entered the
    // model (check.hpp: every edit, the loaders included, refuses what fails those checks, which
    // see nothing but the entity), so what is left to check here is how entities refer to one
    // another.
    detail::for_each_entity_type([&](auto tag) {
      using T = typename decltype(tag)::type;
      const auto items = m_.all<T>();
      // The look-ups of references miss the caches once the model is large: start loading the
      // index slots of the entity `2 * ahead` places on, and the entities those slots name for
      // the one `ahead` places on, so that the misses overlap instead of queueing.
      constexpr std::size_t ahead = 8;
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (i + 2 * ahead < items.size()) prefetch(items[i + 2 * ahead], Prefetch::slots);
        if (i + ahead < items.size()) prefetch(items[i + ahead], Prefetch::entities);
        at_ = static_cast<std::uint32_t>(i);
        cross(items[i]);
      }
    });
    cycles_of<Employee>("manager", Severity::error, "reporting lines", reports_);
    cycles_of<Unit>("parent", Severity::error, "unit parents", parents_);
    // Contributions go up by kind (action -> milestone -> strategy -> goal), so only links from
    // objective to objective can close a cycle.
    cycles_of<Objective>("contributes_to", Severity::error, "contribution links", links_);
    // Cause and effect explains the strategy and carries no scores: a loop is suspicious, not
    // fatal.
    cycles_of<Goal>("drives", Severity::warning, "cause-and-effect links", drives_);
  }

 private:
  /// While cross() runs for prefetching, references start loading and nothing is checked.
  enum class Prefetch : std::uint8_t { off, slots, entities };
  template <class T>
  void prefetch(const T& e, Prefetch stage) {
    prefetch_ = stage;
    cross(e);
    prefetch_ = Prefetch::off;
  }

  /// The links of one kind's entities to others of the same kind, as positions (CSR), gathered
  /// by the reference checks for the cycle search, so that it looks nothing up again.
  /// Its arrays come from the model's pool and go back to it when validate returns, where the
  /// model's first compile, which writes arrays of about the same sizes (its links' targets,
  /// its contributors' offsets), finds them instead of fresh pages.
  struct Graph {
    explicit Graph(detail::BufferPool* pool)
        : offsets(1, 0, detail::PoolAllocator<std::uint32_t>(pool)),
          targets(detail::PoolAllocator<std::uint32_t>(pool)) {}
    /// Room for `nodes` nodes and at most `edges` edges, so that the arrays never grow.
    void reserve(std::size_t nodes, std::size_t edges) {
      offsets.reserve(nodes + 1);
      targets.reserve(edges);
    }
    detail::PoolVector<std::uint32_t> offsets, targets;
    void edge(std::int64_t j) {
      if (j >= 0) targets.push_back(static_cast<std::uint32_t>(j));
    }
    void close() { offsets.push_back(static_cast<std::uint32_t>(targets.size())); }
  };

  template <class T>
  void error(const T& e, std::string field, std::string message) {
    out_.push_back(Issue{Severity::error,
                         to_string(entity_kind_of<T>::value),
                         e.id,
                         std::move(field),
                         std::move(message),
                         {}});
  }
  template <class T>
  void warning(const T& e, std::string field, std::string message) {
    out_.push_back(Issue{Severity::warning,
                         to_string(entity_kind_of<T>::value),
                         e.id,
                         std::move(field),
                         std::move(message),
                         {}});
  }

  /// A field's name, spelled out only for an issue: `name`, or `name[index]` followed by
  /// `.suffix` when given.
  struct Field {
    const char* name;
    std::size_t index = npos;
    const char* suffix = nullptr;
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);

    std::string str() const {
      std::string out = name;
      if (index != npos) fmt::format_to(std::back_inserter(out), "[{}]", index);
      if (suffix) {
        out.push_back('.');
        out.append(suffix);
      }
      return out;
    }
  };

  /// A reference to an entity of `kind` by id; empty is fine unless `required`. Returns the
  /// entity's position, or -1.
  template <class T>
  std::int64_t ref(const T& e, const Field& field, EntityKind kind, const std::string& id,
                   bool required = false) {
    if (prefetch_ != Prefetch::off) {
      detail::prefetch_ref(detail::ModelAccess::impl(m_), kind, id,
                           prefetch_ == Prefetch::entities);
      return -1;
    }
    if (id.empty()) {
      if (required) error(e, field.str(), fmt::format("must name a {}", to_string(kind)));
      return -1;
    }
    const std::int64_t pos = m_.index_of(kind, id);
    if (pos < 0) error(e, field.str(), fmt::format("unknown {} '{}'", to_string(kind), id));
    return pos;
  }
  template <class T>
  void refs(const T& e, const char* field, EntityKind kind, const std::vector<std::string>& ids,
            Graph* graph = nullptr) {
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const std::int64_t pos = ref(e, Field{field, i}, kind, ids[i]);
      if (graph) graph->edge(pos);
    }
  }
  template <class T>
  std::int64_t ref(const T& e, const Field& field, const Ref& r) {
    if (prefetch_ != Prefetch::off) {
      detail::prefetch_ref(detail::ModelAccess::impl(m_), r.kind, r.id,
                           prefetch_ == Prefetch::entities);
      return -1;
    }
    if (r.id.empty() || static_cast<int>(r.kind) >= entity_kind_count) return -1;
    const std::int64_t pos = m_.index_of(r.kind, r.id);
    if (pos < 0) error(e, field.str(), fmt::format("unknown {} '{}'", to_string(r.kind), r.id));
    return pos;
  }
  /// One reference per entity, in the RefCache.
  using Section = detail::RefCache::Refs detail::RefCache::*;
  /// The checks of ref(e, field, kind, id, required) on the position that the model's RefCache
  /// `section` holds for the entity being checked: the same messages, and nothing to prefetch.
  template <class T>
  std::int64_t resolved(const T& e, const Field& field, EntityKind kind, const std::string& id,
                        Section section, bool required) {
    if (prefetch_ != Prefetch::off) return -1;
    return checked(e, field, kind, id, (refs_->*section).to[at_], required);
  }
  /// ref(e, field, r), likewise.
  template <class T>
  std::int64_t resolved(const T& e, const Field& field, const Ref& r, Section section) {
    return resolved(e, field, r.kind, r.id, section, false);
  }
  /// The checks of ref() on a reference that the RefCache resolved to `p`.
  template <class T>
  std::int64_t checked(const T& e, const Field& field, EntityKind kind, const std::string& id,
                       detail::RefCache::Packed p, bool required) {
    if (id.empty() || static_cast<int>(kind) >= entity_kind_count) {
      if (required && id.empty())
        error(e, field.str(), fmt::format("must name a {}", to_string(kind)));
      return -1;
    }
    if (!detail::RefCache::found(p)) {
      error(e, field.str(), fmt::format("unknown {} '{}'", to_string(kind), id));
      return -1;
    }
    return static_cast<std::int64_t>(detail::RefCache::pos_of(p));
  }
  /// `graph`: where links to entities of the same kind go.
  template <class T>
  void contributions(const T& e, Graph* graph = nullptr) {
    if (prefetch_ != Prefetch::off) return;
    const detail::RefCache::Links& L = refs_->links[detail::RefCache::link_section<T>()];
    const std::uint32_t first = L.offsets[at_];
    for (std::size_t i = 0; i < e.contributes_to.size(); ++i) {
      const Ref& to = e.contributes_to[i].to;
      const std::int64_t pos =
          checked(e, Field{"contributes_to", i}, to.kind, to.id, L.to[first + i], false);
      if (graph && to.kind == entity_kind_of<T>::value) graph->edge(pos);
    }
  }
  template <class T>
  void on_scale(const T& e, const Field& field, double rating, const std::string& cycle_id) {
    if (prefetch_ != Prefetch::off) return;
    const ReviewCycle* c = cycle_id.empty() ? nullptr : m_.find<ReviewCycle>(cycle_id);
    if (c && (rating < c->scale.min || rating > c->scale.max))
      error(e, field.str(),
            fmt::format("rating {} is outside the cycle's scale {} to {}", rating, c->scale.min,
                        c->scale.max));
  }

  void cross(const Value&) {}
  void cross(const Perspective&) {}
  void cross(const Function&) {}
  void cross(const Division& d) {
    ref(d, Field{"function"}, EntityKind::function, d.function);
    ref(d, Field{"head"}, EntityKind::employee, d.head);
  }
  void cross(const Unit& u) {
    ref(u, Field{"division"}, EntityKind::division, u.division);
    const std::int64_t parent =
        resolved(u, Field{"parent"}, EntityKind::unit, u.parent, &detail::RefCache::parent, false);
    ref(u, Field{"function"}, EntityKind::function, u.function);
    ref(u, Field{"head"}, EntityKind::employee, u.head);
    if (prefetch_ != Prefetch::off) return;
    parents_.edge(parent);
    parents_.close();
  }
  void cross(const Team& t) {
    ref(t, Field{"milestone"}, EntityKind::milestone, t.milestone);
    ref(t, Field{"lead"}, EntityKind::employee, t.lead);
    refs(t, "members", EntityKind::employee, t.members);
    refs(t, "units", EntityKind::unit, t.units);
  }
  void cross(const Employee& e) {
    resolved(e, Field{"unit"}, EntityKind::unit, e.unit, &detail::RefCache::unit, true);
    const std::int64_t manager = ref(e, Field{"manager"}, EntityKind::employee, e.manager);
    if (prefetch_ != Prefetch::off) return;
    reports_.edge(manager);
    reports_.close();
  }
  void cross(const Goal& g) {
    ref(g, Field{"perspective"}, EntityKind::perspective, g.perspective, true);
    refs(g, "drives", EntityKind::goal, g.drives, &drives_);
    if (prefetch_ == Prefetch::off) drives_.close();
  }
  void cross(const Strategy& s) { contributions(s); }
  void cross(const Measure& m) {
    resolved(m, Field{"subject"}, m.subject, &detail::RefCache::subject);
  }
  void cross(const Milestone& ms) {
    if (prefetch_ == Prefetch::off && ms.owner.id.empty())
      warning(ms, "owner", "the milestone has no owning unit or team");
    else
      ref(ms, Field{"owner"}, ms.owner);
    contributions(ms);
  }
  void cross(const Action& a) {
    ref(a, Field{"owner"}, EntityKind::employee, a.owner);
    contributions(a);
  }
  void cross(const Objective& o) {
    resolved(o, Field{"owner"}, o.owner, &detail::RefCache::owner);
    contributions(o, &links_);
    if (prefetch_ != Prefetch::off) return;
    links_.close();
    for (std::size_t i = 0; i < o.requires_competencies.size(); ++i) {
      const auto& r = o.requires_competencies[i];
      ref(o, Field{"requires_competencies", i, "competency"}, EntityKind::competency, r.competency);
      if (const Competency* c = m_.find<Competency>(r.competency); c && r.level > c->max_level)
        error(
            o, Field{"requires_competencies", i, "level"}.str(),
            fmt::format("level {} is above the competency's max_level {}", r.level, c->max_level));
    }
  }
  void cross(const Competency&) {}
  void cross(const ReviewCycle& c) { refs(c, "employees", EntityKind::employee, c.employees); }
  void cross(const Review& r) {
    ref(r, Field{"cycle"}, EntityKind::review_cycle, r.cycle, true);
    ref(r, Field{"employee"}, EntityKind::employee, r.employee, true);
    ref(r, Field{"reviewer"}, EntityKind::employee, r.reviewer);
    for (std::size_t i = 0; i < r.ratings.size(); ++i) {
      ref(r, Field{"ratings", i}, r.ratings[i].subject);
      on_scale(r, Field{"ratings", i, "rating"}, r.ratings[i].rating, r.cycle);
    }
    if (r.overall) on_scale(r, Field{"overall"}, *r.overall, r.cycle);
  }
  void cross(const SelfAssessment& s) {
    ref(s, Field{"cycle"}, EntityKind::review_cycle, s.cycle, true);
    ref(s, Field{"employee"}, EntityKind::employee, s.employee, true);
    if (s.rating) on_scale(s, Field{"rating"}, *s.rating, s.cycle);
  }
  void cross(const Feedback& f) {
    ref(f, Field{"cycle"}, EntityKind::review_cycle, f.cycle, true);
    ref(f, Field{"subject"}, EntityKind::employee, f.subject, true);
    ref(f, Field{"rater"}, EntityKind::employee, f.rater, true);
    if (f.rating) on_scale(f, Field{"rating"}, *f.rating, f.cycle);
  }
  void cross(const CheckIn& c) {
    ref(c, Field{"employee"}, EntityKind::employee, c.employee, true);
    ref(c, Field{"manager"}, EntityKind::employee, c.manager, true);
  }
  void cross(const Budget& b) { ref(b, Field{"strategy"}, EntityKind::strategy, b.strategy, true); }

  // ---- cycles --------------------------------------------------------------------------------

  /// Finds cycles in a graph of n nodes given as adjacency lists (CSR) by iterative DFS; calls
  /// report(cycle) with the nodes of each cycle found, in order, starting at the node reached
  /// first. Linear in nodes plus edges.
  template <class Report>
  void find_cycles(std::uint32_t n, const detail::PoolVector<std::uint32_t>& offsets,
                   const detail::PoolVector<std::uint32_t>& targets, Report&& report) const {
    enum : std::uint8_t { white, grey, black };
    detail::PoolVector<std::uint8_t> color(n, white, detail::PoolAllocator<std::uint8_t>(pool_));
    std::vector<std::uint32_t> stack;      // nodes on the current path
    std::vector<std::uint32_t> next_edge;  // per path node: next edge to follow
    std::size_t found = 0;
    for (std::uint32_t root = 0; root < n && found < max_cycles_reported; ++root) {
      if (color[root] != white) continue;
      stack.push_back(root);
      next_edge.push_back(offsets[root]);
      color[root] = grey;
      while (!stack.empty()) {
        const std::uint32_t u = stack.back();
        std::uint32_t& e = next_edge.back();
        if (e == offsets[u + 1]) {
          color[u] = black;
          stack.pop_back();
          next_edge.pop_back();
          continue;
        }
        const std::uint32_t v = targets[e++];
        if (color[v] == white) {
          color[v] = grey;
          stack.push_back(v);
          next_edge.push_back(offsets[v]);
        } else if (color[v] == grey && found < max_cycles_reported) {
          auto it = std::find(stack.begin(), stack.end(), v);
          report(std::vector<std::uint32_t>(it, stack.end()));
          ++found;
        }
      }
    }
  }

  /// Reports the cycles of one kind's links to itself.
  template <class T>
  void cycles_of(const char* field, Severity severity, const char* what, const Graph& graph) {
    const auto items = m_.all<T>();
    const auto n = static_cast<std::uint32_t>(items.size());
    find_cycles(n, graph.offsets, graph.targets, [&](const std::vector<std::uint32_t>& cycle) {
      if (cycle.size() == 1) return;  // a self-reference is reported by the entity's own check
      std::string path;
      for (std::uint32_t v : cycle)
        path += fmt::format("{} '{}' -> ", to_string(entity_kind_of<T>::value), items[v].id);
      path += fmt::format("{} '{}'", to_string(entity_kind_of<T>::value), items[cycle.front()].id);
      out_.push_back(Issue{severity,
                           to_string(entity_kind_of<T>::value),
                           items[cycle.front()].id,
                           field,
                           fmt::format("{} form a cycle: {}", what, path),
                           {}});
    });
  }

  const Model& m_;
  std::vector<Issue>& out_;
  Prefetch prefetch_ = Prefetch::off;
  int threads_ = 1;  ///< for the RefCache
  const detail::RefCache* refs_ = nullptr;
  std::uint32_t at_ = 0;  ///< the position of the entity cross() checks
  detail::BufferPool* pool_ = &detail::ModelAccess::impl(m_).token->buffers;
  /// Of employees, units, objectives and goals.
  Graph reports_{pool_}, parents_{pool_}, links_{pool_}, drives_{pool_};
};

}  // namespace

std::vector<Issue> validate(const Model& model, const ValidateOptions& options) {
  if (options.threads < 0)
    throw Error(ErrorCode::invalid_argument, "threads must be 0 (every core) or more");
  std::vector<Issue> out;
  Validator(model, out, detail::threads_for(options.threads)).run();
  return out;
}

std::vector<Issue> validate(const Model& model) {
  return validate(model, ValidateOptions{});
}

bool is_valid(const std::vector<Issue>& issues) noexcept {
  return std::none_of(issues.begin(), issues.end(),
                      [](const Issue& i) { return i.severity == Severity::error; });
}

void ensure_valid(const Model& model) {
  auto issues = validate(model);
  std::erase_if(issues, [](const Issue& i) { return i.severity != Severity::error; });
  if (!issues.empty()) throw Error(ErrorCode::validation, std::move(issues));
}

}  // namespace v1
}  // namespace spm
