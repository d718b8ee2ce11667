// spm/eigen.hpp - zero-copy Eigen views of spm's results. Include it only where you use Eigen:
// the rest of spm's public headers do not depend on Eigen.
#pragma once

#include <Eigen/Core>
#include <Eigen/SparseCore>

#include "spm/cascade.hpp"
#include "spm/scoring.hpp"

namespace spm {
inline namespace v1 {

/// The attribution matrix as a read-only Eigen sparse matrix (row major), without copying. The
/// view is valid as long as `m` lives and is not modified.
inline Eigen::Map<const Eigen::SparseMatrix<double, Eigen::RowMajor, int>> as_eigen(
    const AttributionMatrix& m) {
  return {static_cast<Eigen::Index>(m.rows),
          static_cast<Eigen::Index>(m.cols),
          static_cast<Eigen::Index>(m.values.size()),
          m.row_offsets.data(),
          m.columns.data(),
          m.values.data()};
}

/// A scorecard's dense scores as a read-only Eigen matrix (rows: cascade nodes, or measures in
/// model order; columns: the scorecard's columns), without copying. NaN means no score. The view
/// is valid until the scorecard changes (update) or dies.
using ScoreMatrix =
    Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>;
inline ScoreMatrix node_scores(const Scorecard& card) {
  const auto cols = static_cast<Eigen::Index>(card.columns().size());
  return {card.node_scores().data(),
          cols == 0 ? 0 : static_cast<Eigen::Index>(card.node_scores().size()) / cols, cols};
}
inline ScoreMatrix measure_scores(const Scorecard& card) {
  const auto cols = static_cast<Eigen::Index>(card.columns().size());
  return {card.measure_scores().data(),
          cols == 0 ? 0 : static_cast<Eigen::Index>(card.measure_scores().size()) / cols, cols};
}

}  // namespace v1
}  // namespace spm
