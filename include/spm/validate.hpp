// spm/validate.hpp - whole-model validation: every problem at once.
#pragma once

#include <vector>

#include "spm/error.hpp"

namespace spm {
inline namespace v1 {

class Model;

/// Options of validate().
struct ValidateOptions {
  /// Threads that validate() may use (the calling one included) to resolve the references that
  /// compile reads; 0: one per core. The issues are the same whatever the number. Small models
  /// use one thread whatever this says.
  int threads = 1;
};

/// Checks the whole model and returns every problem found, in a deterministic order (by entity
/// kind, then entity order, then field): dangling references, references of the wrong kind,
/// duplicate ids, weights that are not finite or not positive, baselines and targets that
/// contradict the polarity or scoring method, reporting lines and contribution links that form
/// a cycle (each cycle named node by node), dates out of order, values out of their domain.
/// Warnings (Severity::warning) do not make a model invalid: a milestone without an owner, a loop
/// of cause-and-effect links. Alignment gaps (orphans, uncovered goals) are questions for the
/// compiled cascade (spm/cascade.hpp), not validation problems.
///
/// The references that compile reads (contributions, measures' subjects, objectives' owners,
/// employees' units, units' parents) are resolved into the model's cache of them, which the
/// model keeps in step with its edits (about 12 bytes per contribution and per measure): a
/// compile after validate looks nothing up. Throws spm::Error (invalid_argument) for a model
/// with more than 134,217,726 entities of one kind or for options.threads < 0,
/// std::bad_alloc.
std::vector<Issue> validate(const Model& model, const ValidateOptions& options);
/// validate() on one thread.
std::vector<Issue> validate(const Model& model);

/// True if `issues` holds no Severity::error.
bool is_valid(const std::vector<Issue>& issues) noexcept;

/// Throws spm::Error(validation) with every error if the model has any.
void ensure_valid(const Model& model);

}  // namespace v1
}  // namespace spm
