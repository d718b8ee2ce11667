// The goal cascade: compile (resolve links, order, renumber, freeze) and the alignment queries.
//
// Cascade indices are a topological order in which every contributor comes before what it
// contributes to: each node right after everything below it (a post-order from the goals), so
// that what one node rolls up lies close together. Propagating up (line of sight, impact, "does it
// reach a goal?") walks indices upward; propagating down from the goals (attribution) walks them
// downward. Every organization-wide analysis is one pass over nodes plus edges.

#include "spm/cascade.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/graph_concepts.hpp>
#include <boost/property_map/property_map.hpp>
#include <cmath>
#include <limits>
#include <map>
#include <unordered_set>

#include "cascade/cascade_impl.hpp"
#include "common/huge.hpp"
#include "common/parallel.hpp"

namespace spm {
inline namespace v1 {

using namespace detail;

namespace {

// The cascade's graph is a Boost.Graph graph: Boost's algorithms take it as they take their own.
BOOST_CONCEPT_ASSERT((boost::IncidenceGraphConcept<Graph>));
BOOST_CONCEPT_ASSERT((boost::VertexListGraphConcept<Graph>));

using PlainGraph = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property,
                                                      boost::no_property, boost::no_property, V, V>;

struct CycleFound {
  V from, to;  // the back edge from -> to closes the cycle
};

/// Records the DFS tree, and stops at the first back edge.
struct OrderVisitor : boost::default_dfs_visitor {
  std::vector<V>* parent;
  template <class E, class G>
  void tree_edge(E e, const G& g) const {
    (*parent)[boost::target(e, g)] = boost::source(e, g);
  }
  template <class E, class G>
  void back_edge(E e, const G& g) const {
    throw CycleFound{static_cast<V>(boost::source(e, g)), static_cast<V>(boost::target(e, g))};
  }
};

/// Frees the arrays now; those from a BufferPool go back to it for the next arrays to take.
template <class... A>
void give_back(A&... arrays) {
  ((arrays = A(arrays.get_allocator())), ...);
}

/// The first `offsets.size() - 1` offsets: where each group's next item goes in a counting sort.
/// From the same pool as the offsets.
PoolVector<V> starts_of(const PoolVector<V>& offsets) {
  return PoolVector<V>(offsets.begin(), offsets.end() - 1, offsets.get_allocator());
}

template <class T>
std::string_view id_at(const Model::Impl& m, V index) {
  return m.table<T>().at(index).id;
}

}  // namespace

namespace detail {
std::string_view entity_id(const Model::Impl& m, int slot, V index) {
  switch (slot) {
    case s_goal:
      return id_at<Goal>(m, index);
    case s_strategy:
      return id_at<Strategy>(m, index);
    case s_milestone:
      return id_at<Milestone>(m, index);
    case s_action:
      return id_at<Action>(m, index);
    default:
      return id_at<Objective>(m, index);
  }
}
}  // namespace detail

Cascade::Impl::Impl(std::shared_ptr<detail::ModelToken> t) : token(std::move(t)) {
  // Every array with the model's pool (an array assigned later keeps its allocator).
  const detail::PoolAllocator<char> a(&token->buffers);
  auto pooled = [&](auto&... arrays) {
    ((arrays = std::remove_reference_t<decltype(arrays)>(a)), ...);
  };
  pooled(slot, entity, node_of[0], node_of[1], node_of[2], node_of[3], node_of[4], in_offsets,
         in_from, in_weight, own_rollup, own_missing, measure_node, measure_offsets, measure_row,
         row_weight, row_measure, reaches_goal, objective_owner_kind, objective_owner,
         employee_unit, unit_parent, unit_division, units_bottom_up, team_offsets, team_members);
  graph = Graph(&token->buffers);
}

Cascade::Cascade(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
Cascade::Cascade(Cascade&&) noexcept = default;
Cascade& Cascade::operator=(Cascade&&) noexcept = default;
Cascade::~Cascade() = default;

Cascade Cascade::compile(const Model& model, const CompileOptions& options) {
  const Model::Impl& m = detail::ModelAccess::impl(model);
  if (options.threads < 0)
    throw Error(ErrorCode::invalid_argument, "threads must be 0 (every core) or more");
  const int threads = threads_for(options.threads);
  auto impl = std::make_unique<Impl>(m.token);
  // Every large array below, the cascade's and the scratch, comes from the model's pool and goes
  // back to it: a recompile after an edit then writes into memory the process already holds
  // (see BufferPool for what fresh pages cost).
  const PoolAllocator<char> alloc(&m.token->buffers);
  impl->revision = m.structure();  // new actuals alone leave the cascade valid

  // ---- number the nodes as the model lists them: goals, strategies, milestones, ... --------
  std::array<V, 6> base{};
  const std::array<std::size_t, 5> sizes = {m.table<Goal>().size(), m.table<Strategy>().size(),
                                            m.table<Milestone>().size(), m.table<Action>().size(),
                                            m.table<Objective>().size()};
  for (std::size_t s = 0; s < 5; ++s) {
    if (base[s] + sizes[s] >= none)
      throw Error(ErrorCode::invalid_argument, "the cascade has more than 4 billion nodes");
    base[s + 1] = base[s] + static_cast<V>(sizes[s]);
  }
  const V n = base[5];

  // ---- the model's references, resolved -----------------------------------------------------
  // By the model's RefCache (model/ref_cache.hpp): resolved by the model's first validate or
  // compile and kept in step with every edit since, so that this compile looks up by id only
  // what was added since (on the threads; each result in its own slot, the same whatever the
  // thread count). Held to the end of the compile, which reads it throughout.
  std::unique_lock refs_lock(m.refs.mutex);
  m.refs.extend(m, threads);
  const RefCache& refs = m.refs;
  // The node a resolved reference names, or none (dangling, or not a kind of the cascade).
  auto node_at = [&](RefCache::Packed p) -> V {
    if (!RefCache::found(p)) return none;
    const int s = slot_of(RefCache::kind_of(p));
    return s < 0 ? none : base[static_cast<std::size_t>(s)] + RefCache::pos_of(p);
  };

  // Every link of every kind, in model order (by kind, then entity, then link): its source node,
  // its target node (none when dangling) and its weight as given.
  // f.operator()<T>(slot) for each kind with contribution links, in model order.
  auto each_linking_kind = [](auto&& f) {
    f.template operator()<Strategy>(s_strategy);
    f.template operator()<Milestone>(s_milestone);
    f.template operator()<Action>(s_action);
    f.template operator()<Objective>(s_objective);
  };
  // The links are read where the RefCache keeps them, numbered in its order: its section k
  // (slot s_strategy + k) holds the links of that slot's entities, entity by entity, and link
  // e of the compile is link e - link_start[k] of the section k it falls in. Only their
  // targets, as nodes, are gathered into an array of their own.
  static_assert(RefCache::link_section<Strategy>() + s_strategy == s_strategy &&
                    RefCache::link_section<Milestone>() + s_strategy == s_milestone &&
                    RefCache::link_section<Action>() + s_strategy == s_action &&
                    RefCache::link_section<Objective>() + s_strategy == s_objective,
                "the RefCache's link sections follow the cascade's slots");
  constexpr std::size_t sections = RefCache::link_kinds.size();
  std::array<std::size_t, sections + 1> link_start{};
  for (std::size_t k = 0; k < sections; ++k) {
    if (refs.links[k].covered != sizes[s_strategy + k])
      throw Error(ErrorCode::internal, "cascade compile: references not resolved");
    link_start[k + 1] = link_start[k] + refs.links[k].to.size();
  }
  const std::size_t ne = link_start[sections];
  if (ne >= none)
    throw Error(ErrorCode::invalid_argument, "the cascade has more than 4 billion links");
  // f(source node, link e, its weight as given) for every link, in link order.
  auto each_link = [&](auto&& f) {
    for (std::size_t k = 0; k < sections; ++k) {
      const RefCache::Links& L = refs.links[k];
      const V first = base[s_strategy + k], at = static_cast<V>(link_start[k]);
      for (V i = 0; i < L.covered; ++i)
        for (V e = L.offsets[i]; e < L.offsets[i + 1]; ++e) f(first + i, at + e, L.weight[e]);
    }
  };
  // The links that node `old` (in the model's numbering) gives: links [first, last), whose
  // weights as given are weight[0, last - first).
  struct OutLinks {
    V first = 0, last = 0;
    const double* weight = nullptr;
  };
  auto links_of = [&](V old) -> OutLinks {
    if (old < base[s_strategy]) return {};  // goals contribute to nothing
    std::size_t s = s_strategy;
    while (old >= base[s + 1]) ++s;
    const RefCache::Links& L = refs.links[s - s_strategy];
    const V i = old - base[s], at = static_cast<V>(link_start[s - s_strategy]);
    return {at + L.offsets[i], at + L.offsets[i + 1], L.weight.data() + L.offsets[i]};
  };
  PoolVector<V> targets(alloc);
  assign_huge(targets, ne, none);
  for (std::size_t k = 0, j = 0; k < sections; ++k)
    for (const RefCache::Packed p : refs.links[k].to) targets[j++] = node_at(p);
  std::vector<Issue> issues;
  if (std::find(targets.begin(), targets.end(), none) != targets.end()) {
    std::size_t j = 0;
    each_linking_kind([&]<class T>(Slot) {
      for (const T& item : m.table<T>().items())
        for (std::size_t k = 0; k < item.contributes_to.size(); ++k, ++j) {
          if (targets[j] != none) continue;
          const Ref& to = item.contributes_to[k].to;
          issues.push_back(Issue{Severity::error,
                                 to_string(entity_kind_of<T>::value),
                                 item.id,
                                 fmt::format("contributes_to[{}]", k),
                                 fmt::format("unknown {} '{}'", to_string(to.kind), to.id),
                                 {}});
        }
    });
  }

  PoolVector<double> measure_weight(alloc);  // per node: the total of its measures' weights
  assign_huge(measure_weight, n, 0.0);
  const auto measures = m.table<Measure>().items();
  assign_huge(impl->measure_node, measures.size(), none);
  const double* const weight_of = refs.subject.weight.data();  // per measure
  for (std::size_t j = 0; j < measures.size(); ++j)
    impl->measure_node[j] = node_at(refs.subject.to[j]);
  for (std::size_t i = 0; i < measures.size(); ++i) {
    const V v = impl->measure_node[i];
    if (v == none) {
      const Measure& ms = measures[i];
      issues.push_back(
          Issue{Severity::error,
                "measure",
                ms.id,
                "subject",
                fmt::format("unknown {} '{}'", to_string(ms.subject.kind), ms.subject.id),
                {}});
      continue;
    }
    measure_weight[v] += weight_of[i];
  }
  if (!issues.empty()) throw Error(ErrorCode::validation, std::move(issues));

  // ---- the cycle, named node by node -------------------------------------------------------
  // Only when the order below finds that there is one: a depth-first search over the links as
  // the model gives them, whose first back edge closes the cycle it names.
  auto report_cycle = [&]() {
    std::vector<std::pair<V, V>> edges(ne);
    each_link([&](V from, V e, double) { edges[e] = {from, targets[e]}; });
    PlainGraph plain(boost::edges_are_unsorted_multi_pass, edges.begin(), edges.end(), n);
    std::vector<boost::default_color_type> color(n);
    std::vector<V> parent(n, none);
    OrderVisitor visitor;
    visitor.parent = &parent;
    try {
      if (n > 0)
        boost::depth_first_search(
            plain, boost::visitor(visitor).color_map(boost::make_iterator_property_map(
                       color.begin(), boost::get(boost::vertex_index, plain))));
    } catch (const CycleFound& c) {
      std::vector<V> cycle{c.from};
      for (V v = c.from; v != c.to; v = parent[v]) cycle.push_back(parent[v]);
      std::reverse(cycle.begin(), cycle.end());  // c.to ... c.from, then back to c.to
      auto name = [&](V v) {
        const auto s = static_cast<std::size_t>(std::upper_bound(base.begin(), base.end(), v) -
                                                base.begin() - 1);
        return fmt::format("{} '{}'", to_string(slot_kinds[s]),
                           entity_id(m, static_cast<int>(s), v - base[s]));
      };
      std::string path;
      for (V v : cycle) path += name(v) + " -> ";
      path += name(cycle.front());
      const auto s0 = static_cast<std::size_t>(
          std::upper_bound(base.begin(), base.end(), cycle.front()) - base.begin() - 1);
      throw Error(ErrorCode::cycle,
                  std::vector<Issue>{Issue{
                      Severity::error,
                      to_string(slot_kinds[s0]),
                      std::string(entity_id(m, static_cast<int>(s0), cycle.front() - base[s0])),
                      "contributes_to",
                      "contribution links form a cycle: " + path,
                      {}}});
    }
    throw Error(ErrorCode::internal, "cascade order: a cycle was found and then not found");
  };
  // ---- the cascade order: post-order from the goals down ------------------------------------
  // Every node comes right after all that contributes to it, found depth first from the nodes
  // that contribute to nothing and are no goal (what reaches no goal), then from the goals. A
  // node's contributors, and their measures, thus lie just before it: the roll-up in cascade order
  // reads the score rows almost as one stream, instead of at random (the model's order is the
  // host's, shuffled as a database hands ids over).
  // The contributors of each node (in_from, and the weights of the links they come by,
  // in_link_weight), in link order: the search reads them, and the renumbered graph below is
  // gathered from them.
  PoolVector<V> in_offsets(alloc), in_from(alloc), new_of(alloc);
  PoolVector<double> in_link_weight(alloc);
  assign_huge(in_offsets, n + 1, V{0});
  assign_huge(in_from, ne, V{0});
  assign_huge(in_link_weight, ne, 0.0);
  for (const V to : targets) ++in_offsets[to + 1];
  for (V v = 0; v < n; ++v) in_offsets[v + 1] += in_offsets[v];
  {
    PoolVector<V> fill = starts_of(in_offsets);
    each_link([&](V from, V e, double w) {
      const V k = fill[targets[e]]++;
      in_from[k] = from;
      in_link_weight[k] = w;
    });
  }
  assign_huge(new_of, n, none);
  {
    std::vector<std::pair<V, V>> stack;  // node, next of its contributors to visit
    V next = 0;
    constexpr V on_stack = none - 1;
    auto visit_from = [&](V root) {
      if (new_of[root] != none) return;
      new_of[root] = on_stack;
      stack.emplace_back(root, in_offsets[root]);
      while (!stack.empty()) {
        auto& [v, k] = stack.back();
        if (k < in_offsets[v + 1]) {
          const V u = in_from[k++];
          if (new_of[u] == none) {
            new_of[u] = on_stack;
            stack.emplace_back(u, in_offsets[u]);
          } else if (new_of[u] == on_stack) {
            report_cycle();  // u contributes, through v, to itself
          }
        } else {
          new_of[v] = next++;
          stack.pop_back();
        }
      }
    };
    for (V v = base[s_goal + 1]; v < n; ++v)
      if (const OutLinks out = links_of(v); out.first == out.last) visit_from(v);
    for (V g = base[s_goal]; g < base[s_goal + 1]; ++g) visit_from(g);
    // A node that reaches no node without contributions lies on (or below) a cycle.
    if (next != n) report_cycle();
  }
  // ---- freeze: renumbered graph, normalized weights, per-node arrays ------------------------
  // Two groups of work that share nothing but what is already built: the graph (edges, weights,
  // the Boost graph, the contributors of each node), and the nodes (their kinds,
  // entities and policies, the measure rows, then the owners and the structure). With two
  // threads or more they run side by side, each computing exactly what it computes alone.
  auto build_graph = [&] {
    // Node by node in the new order, each gathered from its old number's rows: the links a node
    // gives are a run of its RefCache section (links_of), and the search's rows hold each
    // node's contributors in link order. Only reads go at random; every write is in order.
    PoolVector<V> old_of(alloc);
    assign_huge(old_of, n, V{0});
    for (V old = 0; old < n; ++old) old_of[new_of[old]] = old;
    // The contributors of each node in link order, which is model order (links were gathered by
    // kind, then entity, then link), their weights as given, and each node's total of input
    // weights (its measures' first, then its links' in link order).
    PoolVector<double> total_in(alloc);
    assign_huge(total_in, n, 0.0);
    assign_huge(impl->in_offsets, n + 1, V{0});
    assign_huge(impl->in_from, ne, V{0});
    assign_huge(impl->in_weight, ne, 0.0);
    {
      V j = 0;
      for (V v = 0; v < n; ++v) {
        const V old = old_of[v];
        double total = measure_weight[old];
        for (V k = in_offsets[old]; k < in_offsets[old + 1]; ++k, ++j) {
          const double w = in_link_weight[k];
          impl->in_from[j] = new_of[in_from[k]];
          impl->in_weight[j] = w;
          total += w;
        }
        total_in[v] = total;
        impl->in_offsets[v + 1] = j;
      }
    }
    // The search's rows are done with: back to the model's pool now, where the per-node arrays
    // of build_nodes (on one thread, right after) find blocks of their size already written,
    // instead of fresh pages. So are this function's own when it returns.
    give_back(in_offsets, in_from, in_link_weight, measure_weight);
    // What each node contributes to, in link order, with the link's weight normalized among
    // the inputs of its target: the graph's rows, written node by node.
    Graph& g = impl->graph;
    assign_huge(g.rowstart, n + 1, V{0});
    assign_huge(g.column, ne, V{0});
    assign_huge(g.props, ne, EdgeProp{});
    {
      V j = 0;
      for (V v = 0; v < n; ++v) {
        g.rowstart[v] = j;
        const OutLinks out = links_of(old_of[v]);
        for (V e = out.first; e < out.last; ++e, ++j) {
          const V t = new_of[targets[e]];
          g.column[j] = t;
          g.props[j] = EdgeProp{out.weight[e - out.first] / total_in[t]};
        }
      }
      g.rowstart[n] = j;
    }
  };
  auto build_nodes = [&] {
    for (V& v : impl->measure_node) v = new_of[v];
    assign_huge(impl->slot, n, std::uint8_t{0});
    assign_huge(impl->entity, n, V{0});
    assign_huge(impl->own_rollup, n, Impl::unset);
    assign_huge(impl->own_missing, n, Impl::unset);
    auto policies_of = [&]<class T>(Slot s) {
      const auto items = m.table<T>().items();
      for (std::size_t i = 0; i < items.size(); ++i) {
        const V v = new_of[base[s] + static_cast<V>(i)];
        if (items[i].rollup) impl->own_rollup[v] = static_cast<std::uint8_t>(*items[i].rollup);
        if (items[i].missing) impl->own_missing[v] = static_cast<std::uint8_t>(*items[i].missing);
      }
    };
    policies_of.operator()<Goal>(s_goal);
    policies_of.operator()<Strategy>(s_strategy);
    policies_of.operator()<Milestone>(s_milestone);
    policies_of.operator()<Objective>(s_objective);
    for (std::size_t s = 0; s < 5; ++s) {
      assign_huge(impl->node_of[s], sizes[s], V{0});
      for (V i = 0; i < sizes[s]; ++i) {
        const V old = base[s] + i, v = new_of[old];
        impl->node_of[s][i] = v;
        impl->slot[v] = static_cast<std::uint8_t>(s);
        impl->entity[v] = i;
      }
    }
    // Measure rows, node by node in cascade order, each node's measures in model order.
    {
      const auto nm = static_cast<V>(impl->measure_node.size());
      assign_huge(impl->measure_offsets, n + 1, V{0});
      for (V i = 0; i < nm; ++i) ++impl->measure_offsets[impl->measure_node[i] + 1];
      for (V v = 0; v < n; ++v) impl->measure_offsets[v + 1] += impl->measure_offsets[v];
      PoolVector<V> fill = starts_of(impl->measure_offsets);
      assign_huge(impl->measure_row, nm, V{0});
      assign_huge(impl->row_measure, nm, V{0});
      assign_huge(impl->row_weight, nm, 0.0);
      for (V i = 0; i < nm; ++i) {
        const V r = fill[impl->measure_node[i]]++;
        impl->measure_row[i] = r;
        impl->row_measure[r] = i;
        impl->row_weight[r] = weight_of[i];
      }
    }
    // ---- owners and structure -----------------------------------------------------------------
    const auto objectives = m.table<Objective>().items();
    assign_huge(impl->objective_owner_kind, objectives.size(), EntityKind::goal);
    assign_huge(impl->objective_owner, objectives.size(), none);
    // Owners, units and parents as the model's RefCache resolved them.
    auto position = [](RefCache::Packed p) {
      return RefCache::found(p) ? RefCache::pos_of(p) : none;
    };
    for (std::size_t j = 0; j < objectives.size(); ++j) {
      impl->objective_owner_kind[j] = RefCache::kind_of(refs.owner.to[j]);
      impl->objective_owner[j] = position(refs.owner.to[j]);
    }
    auto units_named = [&](const RefCache::Refs& named, PoolVector<V>& out) {
      assign_huge(out, named.to.size(), none);
      for (std::size_t j = 0; j < named.to.size(); ++j) out[j] = position(named.to[j]);
    };
    units_named(refs.unit, impl->employee_unit);
    const auto units = m.table<Unit>().items();
    const auto nu = static_cast<V>(units.size());
    units_named(refs.parent, impl->unit_parent);
    // Depth of every unit, refusing cycles of unit parents (coverage sums up the tree).
    PoolVector<V> depth(nu, none, alloc);
    std::vector<V> path;
    for (V u = 0; u < nu; ++u) {
      path.clear();
      V x = u;
      while (x != none && depth[x] == none) {
        if (std::find(path.begin(), path.end(), x) != path.end()) {
          std::string names;
          auto it = std::find(path.begin(), path.end(), x);
          for (auto p = it; p != path.end(); ++p)
            names += fmt::format("unit '{}' -> ", units[*p].id);
          names += fmt::format("unit '{}'", units[x].id);
          throw Error(ErrorCode::cycle,
                      std::vector<Issue>{Issue{Severity::error,
                                               "unit",
                                               units[x].id,
                                               "parent",
                                               "unit parents form a cycle: " + names,
                                               {}}});
        }
        path.push_back(x);
        x = impl->unit_parent[x];
      }
      V d = x == none ? 0 : depth[x] + 1;
      for (auto p = path.rbegin(); p != path.rend(); ++p) depth[*p] = d++;
    }
    impl->units_bottom_up.resize(nu);
    for (V i = 0; i < nu; ++i) impl->units_bottom_up[i] = i;
    std::stable_sort(impl->units_bottom_up.begin(), impl->units_bottom_up.end(),
                     [&](V a, V b) { return depth[a] > depth[b]; });
    impl->unit_division.assign(nu, none);
    for (auto it = impl->units_bottom_up.rbegin(); it != impl->units_bottom_up.rend(); ++it) {
      const V u = *it;
      const auto own =
          units[u].division.empty() ? -1 : find_index(m, EntityKind::division, units[u].division);
      impl->unit_division[u] = own >= 0 ? static_cast<V>(own)
                               : impl->unit_parent[u] != none
                                   ? impl->unit_division[impl->unit_parent[u]]
                                   : none;
    }
    const auto teams = m.table<Team>().items();
    impl->team_offsets.assign(teams.size() + 1, 0);
    for (std::size_t t = 0; t < teams.size(); ++t) {
      std::vector<V> members;
      for (const auto& id : teams[t].members)
        if (auto idx = find_index(m, EntityKind::employee, id); idx >= 0)
          members.push_back(static_cast<V>(idx));
      std::sort(members.begin(), members.end());
      members.erase(std::unique(members.begin(), members.end()), members.end());
      impl->team_members.insert(impl->team_members.end(), members.begin(), members.end());
      impl->team_offsets[t + 1] = static_cast<V>(impl->team_members.size());
    }
  };
  if (threads >= 2) {
    parallel_invoke(build_graph, build_nodes);
  } else {
    build_graph();
    build_nodes();
  }
  assign_huge(impl->reaches_goal, n, std::uint8_t{0});
  for (V v = n; v-- > 0;) {
    bool reaches = impl->slot[v] == s_goal;
    for (auto [e, end] = out_edges(v, impl->graph); !reaches && e != end; ++e)
      reaches = impl->reaches_goal[target(*e, impl->graph)] != 0;
    impl->reaches_goal[v] = reaches;
  }
  return Cascade(std::move(impl));
}

bool Cascade::is_current() const noexcept {
  return impl_ && impl_->token->structure.load() == impl_->revision;
}

void Cascade::ensure_current() const {
  if (!impl_) throw Error(ErrorCode::stale, "this cascade was moved from");
  if (!is_current())
    throw Error(ErrorCode::stale,
                impl_->token->structure.load() == detail::ModelToken::dead
                    ? "the model this cascade was compiled from no longer exists"
                    : "the model changed since this cascade was compiled: compile it again");
}

std::size_t Cascade::node_count() const noexcept {
  return impl_ ? impl_->n() : 0;
}
std::size_t Cascade::edge_count() const noexcept {
  return impl_ ? num_edges(impl_->graph) : 0;
}

Ref Cascade::node(std::uint32_t v) const {
  ensure_current();
  if (v >= impl_->n())
    throw Error(ErrorCode::invalid_argument,
                fmt::format("cascade node {} does not exist (there are {})", v, impl_->n()));
  return impl_->ref(v);
}

std::int64_t Cascade::index_of(EntityKind kind, std::string_view id) const {
  ensure_current();
  const V v = impl_->node(kind, id);
  return v == none ? -1 : static_cast<std::int64_t>(v);
}

LineOfSight Cascade::line_of_sight(EntityKind kind, std::string_view id,
                                   std::size_t max_paths) const {
  ensure_current();
  const Impl& c = *impl_;
  const V start = c.require_node(kind, id);
  LineOfSight out;
  out.from = c.ref(start);
  std::vector<std::pair<V, double>> goal_sums;  // in order of first reaching

  struct Frame {
    V node;
    Graph::out_edge_iterator next, end;
    double step;    // normalized weight of the link into node
    double weight;  // product of normalized weights from start to node
  };
  std::vector<Frame> stack;
  auto push = [&](V v, double step, double w) {
    auto [b, e] = out_edges(v, c.graph);
    stack.push_back(Frame{v, b, e, step, w});
  };
  auto record = [&]() {
    if (out.paths.size() >= max_paths) {
      out.truncated = true;
      return false;
    }
    SightPath p;
    p.weight = stack.back().weight;
    for (const Frame& f : stack) {
      if (!p.nodes.empty()) p.steps.push_back(f.step);
      p.nodes.push_back(c.ref(f.node));
    }
    const V goal = stack.back().node;
    auto it = std::find_if(goal_sums.begin(), goal_sums.end(),
                           [&](const auto& g) { return g.first == goal; });
    if (it == goal_sums.end())
      goal_sums.emplace_back(goal, p.weight);
    else
      it->second += p.weight;
    out.paths.push_back(std::move(p));
    return true;
  };

  if (c.reaches_goal[start]) push(start, 1.0, 1.0);
  while (!stack.empty()) {
    Frame& f = stack.back();
    if (c.slot[f.node] == s_goal) {
      if (!record()) break;
      stack.pop_back();
      continue;
    }
    // Skip links that lead nowhere near a goal: every branch explored yields a path.
    while (f.next != f.end && !c.reaches_goal[target(*f.next, c.graph)]) ++f.next;
    if (f.next == f.end) {
      stack.pop_back();
      continue;
    }
    const auto e = *f.next++;
    const double step = c.graph[e].normalized;
    push(target(e, c.graph), step, f.weight * step);
  }
  for (const auto& [g, w] : goal_sums)
    out.goals.emplace_back(std::string(entity_id(c.model(), s_goal, c.entity[g])), w);
  return out;
}

std::vector<std::pair<V, double>> Cascade::Impl::propagate_up(const std::vector<V>& starts) const {
  // The nodes reachable upward, then one pass in increasing cascade order.
  // The visited set is sized by what is reached, not by the whole cascade.
  std::unordered_set<V> seen(starts.begin(), starts.end());
  std::vector<V> reach(seen.begin(), seen.end());
  for (std::size_t i = 0; i < reach.size(); ++i)
    for (auto [e, end] = out_edges(reach[i], graph); e != end; ++e)
      if (seen.insert(target(*e, graph)).second) reach.push_back(target(*e, graph));
  std::sort(reach.begin(), reach.end());
  std::vector<double> value(reach.size(), 0.0);
  auto pos = [&](V v) {
    return static_cast<std::size_t>(std::lower_bound(reach.begin(), reach.end(), v) -
                                    reach.begin());
  };
  for (V s : starts) value[pos(s)] += 1.0;
  std::vector<std::pair<V, double>> goals;
  for (std::size_t i = 0; i < reach.size(); ++i) {
    const V v = reach[i];
    if (slot[v] == s_goal) {
      goals.emplace_back(v, value[i]);
      continue;
    }
    for (auto [e, end] = out_edges(v, graph); e != end; ++e)
      value[pos(target(*e, graph))] += value[i] * graph[*e].normalized;
  }
  return goals;
}

std::vector<std::pair<V, double>> Cascade::Impl::propagate_down(V goal) const {
  std::unordered_set<V> seen{goal};
  std::vector<V> reach{goal};
  for (std::size_t i = 0; i < reach.size(); ++i)
    for (V k = in_offsets[reach[i]]; k < in_offsets[reach[i] + 1]; ++k)
      if (seen.insert(in_from[k]).second) reach.push_back(in_from[k]);
  std::sort(reach.begin(), reach.end());
  std::vector<double> value(reach.size(), 0.0);
  value.back() = 1.0;  // the goal has the highest index of all that reach it
  for (std::size_t i = reach.size() - 1; i-- > 0;) {
    double sum = 0.0;
    for (auto [e, end] = out_edges(reach[i], graph); e != end; ++e) {
      const V t = target(*e, graph);
      auto it = std::lower_bound(reach.begin(), reach.end(), t);
      if (it != reach.end() && *it == t)
        sum += graph[*e].normalized * value[static_cast<std::size_t>(it - reach.begin())];
    }
    value[i] = sum;
  }
  std::vector<std::pair<V, double>> out;
  out.reserve(reach.size());
  for (std::size_t i = 0; i < reach.size(); ++i) out.emplace_back(reach[i], value[i]);
  return out;
}

std::vector<Attribution> Cascade::attribution_to(std::string_view goal_id) const {
  ensure_current();
  const V g = impl_->require_node(EntityKind::goal, goal_id);
  std::vector<Attribution> out;
  for (const auto& [v, a] : impl_->propagate_down(g)) out.push_back(Attribution{impl_->ref(v), a});
  return out;
}

Contributors Cascade::contributors(std::string_view goal_id) const {
  ensure_current();
  const Impl& c = *impl_;
  const V g = c.require_node(EntityKind::goal, goal_id);
  Contributors out;
  out.goal = std::string(goal_id);
  auto column = c.propagate_down(g);
  column.pop_back();  // the goal itself
  std::stable_sort(column.begin(), column.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  // Owners: (kind, index) -> summed attribution of the objectives they own.
  std::map<std::pair<EntityKind, V>, double> owners;
  const auto& employees_unit = c.employee_unit;
  for (const auto& [v, a] : column) {
    out.nodes.push_back(Attribution{c.ref(v), a});
    if (c.slot[v] != s_objective) continue;
    const V o = c.entity[v];
    const V who = c.objective_owner[o];
    if (who == none) continue;
    const EntityKind kind = c.objective_owner_kind[o];
    owners[{kind, who}] += a;
    // A unit also counts the objectives of its people and of its sub-units.
    const V first_unit = kind == EntityKind::unit       ? c.unit_parent[who]
                         : kind == EntityKind::employee ? employees_unit[who]
                                                        : none;
    c.for_unit_and_ancestors(first_unit, [&](V u) { owners[{EntityKind::unit, u}] += a; });
  }
  const Model::Impl& m = c.model();
  for (const auto& [key, a] : owners) {
    const auto [kind, idx] = key;
    std::string id = kind == EntityKind::employee ? m.table<Employee>().at(idx).id
                     : kind == EntityKind::unit   ? m.table<Unit>().at(idx).id
                                                  : m.table<Team>().at(idx).id;
    out.owners.push_back(Attribution{Ref{kind, std::move(id)}, a});
  }
  std::stable_sort(out.owners.begin(), out.owners.end(),
                   [](const auto& a, const auto& b) { return a.value > b.value; });
  return out;
}

std::vector<Attribution> Cascade::impact(EntityKind owner_kind, std::string_view owner_id) const {
  ensure_current();
  const Impl& c = *impl_;
  const Model::Impl& m = c.model();
  if (owner_kind != EntityKind::employee && owner_kind != EntityKind::unit &&
      owner_kind != EntityKind::team)
    throw Error(ErrorCode::invalid_argument, "impact is of an employee, a unit or a team");
  const auto owner = find_index(m, owner_kind, owner_id);
  if (owner < 0)
    throw Error(ErrorCode::not_found,
                std::vector<Issue>{Issue{Severity::error,
                                         to_string(owner_kind),
                                         std::string(owner_id),
                                         "id",
                                         fmt::format("no {} has this id", to_string(owner_kind)),
                                         {}}});
  const V who = static_cast<V>(owner);
  // For a unit: every unit in its subtree, and the people in them.
  std::vector<std::uint8_t> in_unit;
  if (owner_kind == EntityKind::unit) {
    in_unit.assign(c.unit_parent.size(), 0);
    for (V u = 0; u < in_unit.size(); ++u)
      c.for_unit_and_ancestors(u, [&](V a) {
        if (a == who) in_unit[u] = 1;
      });
  }
  std::vector<V> starts;
  for (V o = 0; o < c.objective_owner.size(); ++o) {
    const V ow = c.objective_owner[o];
    if (ow == none) continue;
    const EntityKind k = c.objective_owner_kind[o];
    bool mine = k == owner_kind && ow == who;
    if (owner_kind == EntityKind::unit && !mine)
      mine = (k == EntityKind::unit && in_unit[ow]) ||
             (k == EntityKind::employee && c.employee_unit[ow] != none &&
              in_unit[c.employee_unit[ow]]);
    if (mine) starts.push_back(c.node_of[s_objective][o]);
  }
  std::vector<Attribution> out;
  for (const auto& [g, a] : c.propagate_up(starts)) out.push_back(Attribution{c.ref(g), a});
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.value > b.value; });
  return out;
}

std::vector<Ref> Cascade::orphans() const {
  ensure_current();
  const Impl& c = *impl_;
  std::vector<Ref> out;
  for (int s : {s_milestone, s_action, s_objective})
    for (V v : c.node_of[static_cast<std::size_t>(s)])
      if (!c.reaches_goal[v]) out.push_back(c.ref(v));
  return out;
}

std::vector<std::string> Cascade::uncovered_goals() const {
  ensure_current();
  const Impl& c = *impl_;
  std::vector<std::string> out;
  for (V v : c.node_of[s_goal])
    if (c.in_degree(v) == 0 && c.measure_count(v) == 0)
      out.emplace_back(entity_id(c.model(), s_goal, c.entity[v]));
  return out;
}

std::vector<std::string> Cascade::strategies_without_milestones() const {
  ensure_current();
  const Impl& c = *impl_;
  std::vector<std::string> out;
  for (V v : c.node_of[s_strategy]) {
    bool has = false;
    for (V k = c.in_offsets[v]; !has && k < c.in_offsets[v + 1]; ++k)
      has = c.slot[c.in_from[k]] == s_milestone;
    if (!has) out.emplace_back(entity_id(c.model(), s_strategy, c.entity[v]));
  }
  return out;
}

std::vector<std::string> Cascade::milestones_without_owner() const {
  ensure_current();
  const Model::Impl& m = impl_->model();
  std::vector<std::string> out;
  for (const Milestone& ms : m.table<Milestone>().items()) {
    const bool owned = !ms.owner.id.empty() &&
                       (ms.owner.kind == EntityKind::unit || ms.owner.kind == EntityKind::team) &&
                       find_index(m, ms.owner.kind, ms.owner.id) >= 0;
    if (!owned) out.push_back(ms.id);
  }
  return out;
}

CoverageReport Cascade::coverage() const {
  ensure_current();
  const Impl& c = *impl_;
  const Model::Impl& m = c.model();
  const std::size_t ne = c.employee_unit.size(), nu = c.unit_parent.size();
  auto share = [](std::size_t a, std::size_t n) {
    return n == 0 ? std::numeric_limits<double>::quiet_NaN()
                  : static_cast<double>(a) / static_cast<double>(n);
  };

  // Employees with an objective that reaches a goal, and which goals each reaches. Goals are
  // handled 64 at a time as bit masks: one pass over nodes plus edges per 64 goals.
  std::vector<std::uint8_t> aligned(ne, 0);
  for (V o = 0; o < c.objective_owner.size(); ++o)
    if (c.objective_owner_kind[o] == EntityKind::employee && c.objective_owner[o] != none &&
        c.reaches_goal[c.node_of[s_objective][o]])
      aligned[c.objective_owner[o]] = 1;

  CoverageReport out;
  const std::size_t ng = c.goal_count();
  out.goals.resize(ng);
  std::vector<std::uint64_t> mask(c.n()), employee_mask(ne);
  for (std::size_t chunk = 0; chunk < ng; chunk += 64) {
    std::fill(mask.begin(), mask.end(), 0);
    for (std::size_t k = chunk; k < std::min(ng, chunk + 64); ++k)
      mask[c.node_of[s_goal][k]] = std::uint64_t{1} << (k - chunk);
    for (V v = static_cast<V>(c.n()); v-- > 0;)
      for (auto [e, end] = out_edges(v, c.graph); e != end; ++e)
        mask[v] |= mask[target(*e, c.graph)];
    std::fill(employee_mask.begin(), employee_mask.end(), 0);
    for (V o = 0; o < c.objective_owner.size(); ++o)
      if (c.objective_owner_kind[o] == EntityKind::employee && c.objective_owner[o] != none)
        employee_mask[c.objective_owner[o]] |= mask[c.node_of[s_objective][o]];
    for (V v = 0; v < c.n(); ++v) {
      if (c.slot[v] == s_goal) continue;
      for (std::uint64_t bits = mask[v]; bits; bits &= bits - 1) {
        auto& g = out.goals[chunk + static_cast<std::size_t>(std::countr_zero(bits))];
        ++g.contributors;
        g.objectives += c.slot[v] == s_objective;
      }
    }
    for (std::uint64_t bits_e : employee_mask)
      for (std::uint64_t bits = bits_e; bits; bits &= bits - 1)
        ++out.goals[chunk + static_cast<std::size_t>(std::countr_zero(bits))].aligned_employees;
  }
  std::size_t covered = 0;
  for (std::size_t k = 0; k < ng; ++k) {
    const V v = c.node_of[s_goal][k];
    auto& g = out.goals[k];
    g.goal = m.table<Goal>().at(static_cast<V>(k)).id;
    g.measures = c.measure_count(v);
    g.covered = g.measures > 0 || c.in_degree(v) > 0;
    covered += g.covered;
  }
  out.goal_share = share(covered, ng);

  // Units (with their sub-units), divisions, teams, the organization.
  std::vector<std::size_t> unit_total(nu, 0), unit_aligned(nu, 0);
  const std::size_t nd = m.table<Division>().size();
  std::vector<std::size_t> div_total(nd, 0), div_aligned(nd, 0);
  for (V e = 0; e < ne; ++e) {
    const V u = c.employee_unit[e];
    if (u == none) continue;
    ++unit_total[u];
    unit_aligned[u] += aligned[e];
    if (const V d = c.unit_division[u]; d != none) {
      ++div_total[d];
      div_aligned[d] += aligned[e];
    }
  }
  for (V u : c.units_bottom_up)
    if (const V p = c.unit_parent[u]; p != none) {
      unit_total[p] += unit_total[u];
      unit_aligned[p] += unit_aligned[u];
    }
  for (V u = 0; u < nu; ++u) {
    const Unit& unit = m.table<Unit>().at(u);
    out.units.push_back(CoverageRow{EntityKind::unit, unit.id, unit.name, unit_total[u],
                                    unit_aligned[u], share(unit_aligned[u], unit_total[u])});
  }
  for (V d = 0; d < nd; ++d) {
    const Division& div = m.table<Division>().at(d);
    out.divisions.push_back(CoverageRow{EntityKind::division, div.id, div.name, div_total[d],
                                        div_aligned[d], share(div_aligned[d], div_total[d])});
  }
  for (V t = 0; t + 1 < c.team_offsets.size(); ++t) {
    const Team& team = m.table<Team>().at(t);
    std::size_t total = 0, al = 0;
    for (V i = c.team_offsets[t]; i < c.team_offsets[t + 1]; ++i) {
      ++total;
      al += aligned[c.team_members[i]];
    }
    out.teams.push_back(
        CoverageRow{EntityKind::team, team.id, team.name, total, al, share(al, total)});
  }
  std::size_t all_aligned = 0;
  for (auto a : aligned) all_aligned += a;
  out.organization =
      CoverageRow{EntityKind::unit, "", m.info.name, ne, all_aligned, share(all_aligned, ne)};
  return out;
}

AttributionMatrix Cascade::attribution() const {
  ensure_current();
  const Impl& c = *impl_;
  const auto n = static_cast<V>(c.n());
  const std::size_t ng = c.goal_count();
  // Rows are computed from the goals down (descending cascade index), each from the finished
  // rows of the nodes it contributes to, with a dense accumulator over goals and the list of
  // columns it touched. Rows are appended in descending order and put in order at the end.
  std::vector<V> goal_col(n, none);
  for (std::size_t k = 0; k < ng; ++k) goal_col[c.node_of[s_goal][k]] = static_cast<V>(k);
  std::vector<std::size_t> start(n + 1, 0);  // row v occupies [start[v], start[v] + len) below
  std::vector<std::size_t> len(n, 0);
  std::vector<int> cols;
  std::vector<double> vals;
  std::vector<double> acc(ng, 0.0);
  std::vector<std::uint8_t> touched_flag(ng, 0);
  std::vector<int> touched;
  for (V v = n; v-- > 0;) {
    touched.clear();
    if (goal_col[v] != none) {
      touched.push_back(static_cast<int>(goal_col[v]));
      acc[goal_col[v]] = 1.0;
    } else {
      for (auto [e, end] = out_edges(v, c.graph); e != end; ++e) {
        const V t = target(*e, c.graph);
        const double w = c.graph[*e].normalized;
        for (std::size_t i = start[t]; i < start[t] + len[t]; ++i) {
          const auto col = static_cast<std::size_t>(cols[i]);
          if (!touched_flag[col]) {
            touched_flag[col] = 1;
            touched.push_back(cols[i]);
          }
          acc[col] += w * vals[i];
        }
      }
    }
    std::sort(touched.begin(), touched.end());
    start[v] = cols.size();
    len[v] = touched.size();
    for (int col : touched) {
      cols.push_back(col);
      vals.push_back(acc[static_cast<std::size_t>(col)]);
      acc[static_cast<std::size_t>(col)] = 0.0;
      touched_flag[static_cast<std::size_t>(col)] = 0;
    }
  }
  if (cols.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw Error(ErrorCode::invalid_argument, "the attribution matrix has too many entries");
  AttributionMatrix out;
  out.rows = n;
  out.cols = ng;
  out.row_offsets.resize(n + 1);
  out.columns.reserve(cols.size());
  out.values.reserve(vals.size());
  for (V v = 0; v < n; ++v) {
    out.row_offsets[v] = static_cast<int>(out.columns.size());
    out.columns.insert(out.columns.end(), cols.begin() + static_cast<std::ptrdiff_t>(start[v]),
                       cols.begin() + static_cast<std::ptrdiff_t>(start[v] + len[v]));
    out.values.insert(out.values.end(), vals.begin() + static_cast<std::ptrdiff_t>(start[v]),
                      vals.begin() + static_cast<std::ptrdiff_t>(start[v] + len[v]));
  }
  out.row_offsets[n] = static_cast<int>(out.columns.size());
  return out;
}

}  // namespace v1
}  // namespace spm
