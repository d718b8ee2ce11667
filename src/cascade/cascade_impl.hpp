// cascade_impl.hpp - the compiled cascade's storage, shared by the stages built on it (the
// scoring engine). Internal to spm.
#pragma once

#include <fmt/format.h>

#include <array>
#include <boost/graph/graph_traits.hpp>
#include <boost/iterator/counting_iterator.hpp>
#include <boost/iterator/iterator_facade.hpp>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "common/buffer.hpp"
#include "model/model_impl.hpp"
#include "spm/cascade.hpp"
#include "spm/error.hpp"

namespace spm {
inline namespace v1 {
namespace detail {

using V = std::uint32_t;
inline constexpr V none = std::numeric_limits<V>::max();

/// The node kinds of the cascade, in "slot" order. Contributions only go from a higher slot to
/// a lower one, or from an objective to an objective.
inline constexpr std::array<EntityKind, 5> slot_kinds = {EntityKind::goal, EntityKind::strategy,
                                                         EntityKind::milestone, EntityKind::action,
                                                         EntityKind::objective};
enum Slot : std::uint8_t { s_goal, s_strategy, s_milestone, s_action, s_objective };

inline int slot_of(EntityKind kind) noexcept {
  for (std::size_t s = 0; s < slot_kinds.size(); ++s)
    if (slot_kinds[s] == kind) return static_cast<int>(s);
  return -1;
}

/// What a link carries in the Boost graph: its weight normalized among the inputs of its target
/// (the weights as given are Cascade::Impl::in_weight).
struct EdgeProp {
  double normalized = 1.0;
};

/// The cascade's out-edges (what each node contributes to, in link order) with their normalized
/// weights, as a compressed sparse row graph that models Boost.Graph's IncidenceGraph and
/// VertexListGraph concepts, so that Boost's algorithms run on it; the in-edges are
/// Impl::in_from. Its own type rather than boost::compressed_sparse_row_graph, whose vectors use
/// std::allocator: these arrays come from the model's pool (BufferPool) like the rest of the
/// cascade, so that a recompile writes them into memory the process holds (about 160 MB at a
/// million employees, graph and scratch, that Boost's graph wrote into fresh pages each time),
/// and compile writes them directly in the new order instead of handing Boost a list of
/// sources to count and sort.
class Graph {
 public:
  // Boost.Graph's traits (boost::graph_traits reads them from here).
  using vertex_descriptor = V;
  struct edge_descriptor {
    V src = 0;  ///< the source node
    V idx = 0;  ///< the edge's position in `column` and `props`
    friend bool operator==(const edge_descriptor&, const edge_descriptor&) = default;
  };
  using directed_category = boost::directed_tag;
  using edge_parallel_category = boost::allow_parallel_edge_tag;
  struct traversal_category : boost::incidence_graph_tag, boost::vertex_list_graph_tag {};
  using vertices_size_type = V;
  using edges_size_type = V;
  using degree_size_type = V;
  using vertex_iterator = boost::counting_iterator<V>;
  /// The out-edges of one node: positions [rowstart[v], rowstart[v + 1]).
  class out_edge_iterator
      : public boost::iterator_facade<out_edge_iterator, edge_descriptor,
                                      boost::random_access_traversal_tag, edge_descriptor> {
   public:
    out_edge_iterator() = default;
    out_edge_iterator(V src, V idx) : e_{src, idx} {}

   private:
    friend class boost::iterator_core_access;
    edge_descriptor dereference() const { return e_; }
    bool equal(const out_edge_iterator& o) const { return e_.idx == o.e_.idx; }
    void increment() { ++e_.idx; }
    void decrement() { --e_.idx; }
    void advance(std::ptrdiff_t k) { e_.idx = static_cast<V>(e_.idx + k); }
    std::ptrdiff_t distance_to(const out_edge_iterator& o) const {
      return static_cast<std::ptrdiff_t>(o.e_.idx) - static_cast<std::ptrdiff_t>(e_.idx);
    }
    edge_descriptor e_;
  };
  static vertex_descriptor null_vertex() noexcept { return std::numeric_limits<V>::max(); }

  /// Every array with `pool`'s large blocks (nullptr: plain ones).
  explicit Graph(BufferPool* pool = nullptr)
      : rowstart(1, V{0}, PoolAllocator<V>(pool)),
        column(PoolAllocator<V>(pool)),
        props(PoolAllocator<EdgeProp>(pool)) {}

  /// An edge's bundled property (Boost's g[e]).
  const EdgeProp& operator[](edge_descriptor e) const noexcept { return props[e.idx]; }

  PoolVector<V> rowstart;      ///< per node (n + 1): where its out-edges start
  PoolVector<V> column;        ///< per edge: its target
  PoolVector<EdgeProp> props;  ///< per edge: its normalized weight
};

// Boost.Graph's free functions for Graph, found by argument-dependent look-up.
inline V num_vertices(const Graph& g) noexcept {
  return static_cast<V>(g.rowstart.size() - 1);
}
inline V num_edges(const Graph& g) noexcept {
  return static_cast<V>(g.column.size());
}
inline std::pair<Graph::vertex_iterator, Graph::vertex_iterator> vertices(const Graph& g) {
  return {Graph::vertex_iterator(V{0}), Graph::vertex_iterator(num_vertices(g))};
}
inline std::pair<Graph::out_edge_iterator, Graph::out_edge_iterator> out_edges(V v,
                                                                               const Graph& g) {
  return {Graph::out_edge_iterator(v, g.rowstart[v]),
          Graph::out_edge_iterator(v, g.rowstart[v + 1])};
}
inline V out_degree(V v, const Graph& g) noexcept {
  return g.rowstart[v + 1] - g.rowstart[v];
}
inline V source(Graph::edge_descriptor e, const Graph&) noexcept {
  return e.src;
}
inline V target(Graph::edge_descriptor e, const Graph& g) noexcept {
  return g.column[e.idx];
}

/// Index of `id` within the table of `kind`, or -1.
inline std::int64_t find_index(const Model::Impl& m, EntityKind kind, std::string_view id) {
  return with_table(m.tables, kind, [&](const auto& t) -> std::int64_t {
    const auto pos = t.find(id);
    return pos == IdIndex::npos ? -1 : static_cast<std::int64_t>(pos);
  });
}

std::string_view entity_id(const Model::Impl& m, int slot, V index);

}  // namespace detail

struct Cascade::Impl {
  using V = detail::V;
  using Graph = detail::Graph;
  static constexpr V none = detail::none;

  /// Declared first, so that it goes last: the model's BufferPool, which the arrays below give
  /// their memory back to, lives as long as the token.
  std::shared_ptr<detail::ModelToken> token;
  std::uint64_t revision = 0;  ///< the model's structure revision at compile

  /// Every array below takes its large blocks from the token's BufferPool.
  explicit Impl(std::shared_ptr<detail::ModelToken> token);

  Graph graph;
  detail::PoolVector<std::uint8_t> slot;         ///< per node
  detail::PoolVector<V> entity;                  ///< per node: index within its kind
  std::array<detail::PoolVector<V>, 5> node_of;  ///< per slot: entity index -> node
  /// Each node's contributors (n + 1 offsets), in model order (by kind, then as the model lists
  /// them: the order the roll-up sums them in), with the links' weights as given.
  detail::PoolVector<V> in_offsets, in_from;
  detail::PoolVector<double> in_weight;
  /// Per node: the entity's own roll-up method and missing-data policy, or `unset` for the
  /// organization's (resolved by the scorecard, since settings are read at evaluation).
  static constexpr std::uint8_t unset = 0xFF;
  detail::PoolVector<std::uint8_t> own_rollup, own_missing;
  detail::PoolVector<V> measure_node;  ///< per measure (model order): the node it measures
  /// Measure rows: the measures of node 0, then those of node 1, ... (each node's in model
  /// order), so that a roll-up in cascade order reads them as one stream. Per node (n + 1):
  /// its measures' rows are [measure_offsets[v], measure_offsets[v + 1]).
  detail::PoolVector<V> measure_offsets;
  detail::PoolVector<V> measure_row;              ///< per measure (model order): its row
  detail::PoolVector<double> row_weight;          ///< per row: the measure's weight
  detail::PoolVector<V> row_measure;              ///< per row: the measure (model order)
  detail::PoolVector<std::uint8_t> reaches_goal;  ///< per node

  // Owners and structure, resolved to indices (none when missing or dangling).
  detail::PoolVector<EntityKind> objective_owner_kind;  ///< per objective
  detail::PoolVector<V> objective_owner;                ///< per objective: index within owner kind
  detail::PoolVector<V> employee_unit;                  ///< per employee
  detail::PoolVector<V> unit_parent;                    ///< per unit
  detail::PoolVector<V> unit_division;                  ///< per unit, inherited from ancestors
  detail::PoolVector<V> units_bottom_up;                ///< every unit after all of its sub-units
  detail::PoolVector<V> team_offsets, team_members;     ///< per team, distinct employee indices

  const Model::Impl& model() const { return *token->impl; }
  std::size_t n() const { return slot.size(); }
  std::size_t goal_count() const { return node_of[detail::s_goal].size(); }
  V measure_count(V v) const { return measure_offsets[v + 1] - measure_offsets[v]; }
  V in_degree(V v) const { return in_offsets[v + 1] - in_offsets[v]; }

  Ref ref(V v) const {
    return Ref{detail::slot_kinds[slot[v]],
               std::string(detail::entity_id(model(), slot[v], entity[v]))};
  }

  V node(EntityKind kind, std::string_view id) const {
    const int s = detail::slot_of(kind);
    if (s < 0) return none;
    const auto idx = detail::find_index(model(), kind, id);
    return idx < 0 ? none : node_of[static_cast<std::size_t>(s)][static_cast<std::size_t>(idx)];
  }

  V require_node(EntityKind kind, std::string_view id) const {
    if (static_cast<int>(kind) >= entity_kind_count || detail::slot_of(kind) < 0)
      throw Error(ErrorCode::invalid_argument,
                  fmt::format("a {} is not a node of the cascade (goals, strategies, milestones, "
                              "actions and objectives are)",
                              static_cast<int>(kind) < entity_kind_count ? to_string(kind) : "?"));
    const V v = node(kind, id);
    if (v == none)
      throw Error(ErrorCode::not_found,
                  std::vector<Issue>{Issue{Severity::error,
                                           to_string(kind),
                                           std::string(id),
                                           "id",
                                           fmt::format("no {} has this id", to_string(kind)),
                                           {}}});
    return v;
  }

  /// Units from `u` up to the root.
  template <class F>
  void for_unit_and_ancestors(V u, F&& f) const {
    for (; u != none; u = unit_parent[u]) f(u);
  }

  /// Attribution to the goals of a set of starting nodes each scoring one point: forward
  /// propagation over the nodes reachable upward, in increasing cascade order.
  std::vector<std::pair<V, double>> propagate_up(const std::vector<V>& starts) const;
  /// Attribution of every node reaching `goal` (including the goal, 1), in cascade order.
  std::vector<std::pair<V, double>> propagate_down(V goal) const;
};

namespace detail {
/// The door from later stages into a compiled cascade's storage.
struct CascadeAccess {
  static const std::shared_ptr<const Cascade::Impl>& impl(const Cascade& c) noexcept {
    return c.impl_;
  }
};
}  // namespace detail

}  // namespace v1
}  // namespace spm
