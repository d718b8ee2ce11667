// spm/eigen.hpp - zero-copy Eigen views of spm's results. Include it only where you use Eigen:
// the rest of spm's public headers do not depend on Eigen.
#pragma once

#include <Eigen/SparseCore>

#include "spm/cascade.hpp"

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

}  // namespace v1
}  // namespace spm
