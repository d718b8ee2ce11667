// cascade_impl.hpp - the compiled cascade's storage, shared by the stages built on it (the
// scoring engine). Internal to spm.
#pragma once

#include <array>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "common/buffer.hpp"
#include "model/model_impl.hpp"
#include "spm/cascade.hpp"

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

/// Out-edges (what a node contributes to) with their weights; the in-edges are Impl::in_from.
using Graph = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, EdgeProp,
                                                 boost::no_property, V, V>;

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
