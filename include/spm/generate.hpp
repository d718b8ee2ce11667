// spm/generate.hpp - deterministic synthetic organizations of any size, for benchmarks, tests
// and demonstrations (docs/performance.md).
//
// The shape: a reporting tree built bottom-up (employees grouped into units, units into the
// units above, each group of 4 to 12) until at most `max_top_units` units remain at the top;
// `goals` goals spread over the four default perspectives; every unit with 3 to 7 objectives,
// each contributing to 1 or 2 objectives of the unit above (the top units' to goals); every
// employee with 3 to 7 objectives, each contributing to 1 or 2 of their unit's objectives; 1 to
// 3 measures per objective and goal; `periods` months of actuals with a share `missing` left
// out; weights drawn from [0.5, 2). Entities are handed over in a shuffled order, as a database
// would: nothing in the model's order follows the tree. That is about 17 nodes (objectives,
// measures) and 20 links per employee.
//
// The same options and seed give the same model on every platform: the random numbers come
// from std::mt19937_64's raw output, turned into integers and reals by spm's own arithmetic
// (never by the standard library's distributions, which differ between implementations).
#pragma once

#include <cstdint>

#include "spm/model.hpp"

namespace spm {
inline namespace v1 {

struct GenerateOptions {
  std::uint64_t employees = 1000;  ///< at least 1
  std::uint64_t seed = 1;
  int goals = 20;          ///< at least 1
  int periods = 12;        ///< months of actuals from January of `year`, 0..1200
  int year = 2026;         ///< 1..9999
  double missing = 0.1;    ///< share of actuals left out, 0..1
  int max_top_units = 12;  ///< grouping stops when at most this many units remain, >= 1
  bool actuals = true;     ///< false: measures without actuals (the same model otherwise)
};

/// Builds the organization. Throws spm::Error(invalid_argument) on options out of range.
Model generate(const GenerateOptions& options);

}  // namespace v1
}  // namespace spm
