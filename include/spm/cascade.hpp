// spm/cascade.hpp - the goal cascade: the model's contribution links compiled into an immutable
// graph, and the alignment questions asked of it (DOMAIN.md section 2).
//
//   Model --compile--> Cascade --queries--> ids and numbers
//
// Nodes are goals, strategies, milestones, actions and objectives; an edge says "A contributes
// to B" with a weight. Among the inputs of one node (its measures and the nodes that contribute
// to it) weights are normalized to sum to one, so that attribution here is exactly the
// sensitivity of the weighted-mean roll-up of the scoring engine.
//
// A Cascade remembers the revision of the model it was compiled from. Every query first checks
// that the model is unchanged and still alive, and throws spm::Error(stale) otherwise: recompile
// after editing (compiling is linear in nodes plus edges). Queries are const and may run from
// many threads at once, as long as nobody edits the model meanwhile.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "spm/model.hpp"

namespace spm {
inline namespace v1 {

/// One path from a node up to a goal, and the product of the normalized weights along it.
struct SightPath {
  std::vector<Ref> nodes;     ///< from the start node (first) to the goal (last)
  std::vector<double> steps;  ///< normalized weight of each link: steps[i] joins nodes[i], [i+1]
  double weight = 0.0;        ///< the product of the steps
};

/// Every path from a node up to the goals (DOMAIN.md: line of sight).
struct LineOfSight {
  Ref from;
  std::vector<SightPath> paths;  ///< depth-first, in the order of the contribution links
  /// True when enumeration stopped at the limit: a dense cascade can have more paths than any
  /// report can show. Attribution (which never enumerates paths) has the exact totals.
  bool truncated = false;
  /// Sum of the weights of the paths listed, per goal reached: equals the attribution to each
  /// goal when not truncated.
  std::vector<std::pair<std::string, double>> goals;
};

/// How much a node (or an owner's objectives together) moves a goal's score per point of its own.
struct Attribution {
  Ref node;
  double value = 0.0;
};

/// Everything below one goal.
struct Contributors {
  std::string goal;
  /// Objectives, actions, milestones and strategies with a path to the goal, by decreasing
  /// attribution (ties in cascade order).
  std::vector<Attribution> nodes;
  /// Employees, units and teams whose objectives reach the goal, with the sum of their
  /// objectives' attributions (a unit counts the objectives of its sub-units and its people).
  std::vector<Attribution> owners;
};

/// Alignment coverage of one group of employees: the share with at least one objective that
/// reaches a goal. `share` is NaN for a group without employees.
struct CoverageRow {
  EntityKind kind = EntityKind::unit;  ///< unit, division or team; organization rows use unit
  std::string id;                      ///< empty for the organization row
  std::string name;
  std::size_t employees = 0;
  std::size_t aligned = 0;
  double share = 0.0;
};

/// Per goal: what serves it.
struct GoalCoverage {
  std::string goal;
  std::size_t measures = 0;           ///< measures attached to the goal itself
  std::size_t contributors = 0;       ///< nodes with a path to the goal
  std::size_t objectives = 0;         ///< of which objectives
  std::size_t aligned_employees = 0;  ///< employees with an objective reaching the goal
  bool covered = false;               ///< something contributes, or it has a measure
};

struct CoverageReport {
  CoverageRow organization;
  std::vector<CoverageRow> divisions;  ///< in model order
  std::vector<CoverageRow> units;      ///< in model order; a unit includes its sub-units
  std::vector<CoverageRow> teams;      ///< in model order; a team's members
  std::vector<GoalCoverage> goals;     ///< in model order
  double goal_share = 0.0;             ///< share of goals covered (NaN without goals)
};

/// The attribution of every node to every goal, as a sparse matrix in compressed rows: row r is
/// cascade node r (see Cascade::node), column c is the c-th goal of the model. Entry (r, c) is
/// the sum over all paths from node r to goal c of the products of normalized weights. A goal's
/// own row holds 1 in its column. spm/eigen.hpp maps it as an Eigen::SparseMatrix without copying.
struct AttributionMatrix {
  std::size_t rows = 0, cols = 0;
  std::vector<int> row_offsets;  ///< rows + 1 entries
  std::vector<int> columns;      ///< column of each non-zero, increasing within a row
  std::vector<double> values;
};

namespace detail {
struct CascadeAccess;
}

/// The compiled cascade of one model. Movable, not copyable (share it by reference or pointer).
/// Results built on it (a Scorecard) share its immutable storage and may outlive it.
struct CompileOptions {
  /// Threads that compile() may use (the calling one included); 0: one per core. The cascade is
  /// the same whatever the number. Small models use one thread whatever this says.
  int threads = 1;
};

class Cascade {
 public:
  /// Compiles the model's contribution links. Every reference is resolved by id once, by the
  /// model's first validate() or compile, and the model keeps what it found in step with its
  /// edits: a later compile (after edits too) looks up only the entities added since
  /// (docs/cascade.md). Compiles of
  /// one model on several threads at once are safe; they take turns at that shared part.
  /// Throws spm::Error: validation when a contribution or a measure names a node that does not
  /// exist (every such link listed); cycle when links form a cycle (every node on one cycle
  /// named in order) or unit parents do; invalid_argument for options.threads < 0.
  static Cascade compile(const Model& model, const CompileOptions& options = {});

  Cascade(Cascade&&) noexcept;
  Cascade& operator=(Cascade&&) noexcept;
  ~Cascade();

  /// Whether the model is unchanged since compile (and still alive).
  bool is_current() const noexcept;
  /// Throws spm::Error(stale) unless is_current().
  void ensure_current() const;

  std::size_t node_count() const noexcept;
  std::size_t edge_count() const noexcept;
  /// The node with cascade index v (0 <= v < node_count()). Contributors come before the nodes
  /// they contribute to: each node right after everything that contributes to it (depth first
  /// from the nodes that reach no goal, then from the goals in model order, so the last node is
  /// the last goal).
  Ref node(std::uint32_t v) const;
  /// Cascade index of a node, or -1 if it is not a cascade node kind or unknown.
  std::int64_t index_of(EntityKind kind, std::string_view id) const;

  /// Every path from a node up to the goals, at most `max_paths` of them.
  LineOfSight line_of_sight(EntityKind kind, std::string_view id,
                            std::size_t max_paths = 10000) const;
  /// Everything below one goal, with attribution. Throws not_found for an unknown goal.
  Contributors contributors(std::string_view goal_id) const;
  /// The goals that an employee, unit or team affects, with the summed attribution of its
  /// objectives (a unit's include those of its sub-units and people), by decreasing value.
  std::vector<Attribution> impact(EntityKind owner_kind, std::string_view owner_id) const;

  /// Objectives, actions and milestones with no path to any goal, in cascade-kind then model
  /// order (milestones, actions, objectives).
  std::vector<Ref> orphans() const;
  /// Goals that nothing contributes to and that have no measure.
  std::vector<std::string> uncovered_goals() const;
  std::vector<std::string> strategies_without_milestones() const;
  /// Milestones whose owner is empty or names no unit or team.
  std::vector<std::string> milestones_without_owner() const;
  CoverageReport coverage() const;

  /// Attribution of every node to every goal, by propagation in topological order.
  AttributionMatrix attribution() const;
  /// One goal's column: every node reaching the goal with its attribution (cascade order).
  std::vector<Attribution> attribution_to(std::string_view goal_id) const;

  struct Impl;

 private:
  friend struct detail::CascadeAccess;
  explicit Cascade(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

}  // namespace v1
}  // namespace spm
