// people_impl.hpp - what the people stage's files share: the cycle's population, dates of a
// span, the checks of the inputs and the attribution rows. Internal to spm.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "spm/cascade.hpp"
#include "spm/error.hpp"
#include "spm/model.hpp"
#include "spm/people.hpp"
#include "spm/scoring.hpp"

namespace spm {
inline namespace v1 {
namespace people {

/// A span as days since 1970-01-01, both ends inclusive.
struct DaySpan {
  std::int64_t first = 0, last = 0;
  bool overlaps(const std::optional<Date>& start, const std::optional<Date>& end) const noexcept {
    return (!start || start->days() <= last) && (!end || end->days() >= first);
  }
  bool contains(Date d) const noexcept { return d.days() >= first && d.days() <= last; }
};
DaySpan day_span(const Span& span);

/// The cycle, or spm::Error(not_found).
const ReviewCycle& get_cycle(const Model& model, std::string_view cycle_id);

/// Throws stale for a stale cascade and invalid_argument for a cascade of another model.
void check_cascade(const Model& model, const Cascade& cascade);

/// Employees employed on some day of the span and on as_of, in model order.
std::vector<std::string> employed(const Model& model, const DaySpan& span, Date as_of);

/// Whether an employee is employed on a day.
bool employed_on(const Employee& e, Date day) noexcept;

/// The attribution of every cascade node to every goal, by objective index in the model:
/// per objective, the (goal index, attribution) pairs; empty for an orphan.
struct ObjectiveAttribution {
  std::vector<std::vector<std::pair<std::uint32_t, double>>> rows;  ///< per objective
};
ObjectiveAttribution objective_attribution(const Model& model, const Cascade& cascade);

/// Indices of the objectives owned by each employee (model order), by employee index.
std::vector<std::vector<std::uint32_t>> objectives_by_employee(const Model& model);

/// Whether an objective is active on some day of the span.
inline bool active(const Objective& o, const DaySpan& span) noexcept {
  return span.overlaps(o.start, o.end);
}

/// Per employee (by index) of the cycle: which feedback responses count, grouped by relation.
/// Validation problems of the cycle's feedback, reviews and self-assessments are appended to
/// `issues`.
struct CycleRecords {
  std::vector<std::int64_t> review;            ///< per employee: chosen review index, or -1
  std::vector<std::uint8_t> review_completed;  ///< per employee
  std::vector<std::int64_t> self;              ///< per employee: chosen self-assessment, or -1
  /// per employee and relation: indices of the counted feedback responses
  std::vector<std::array<std::vector<std::uint32_t>, 5>> feedback;
};
CycleRecords gather(const Model& model, const ReviewCycle& cycle, Date as_of,
                    std::vector<Issue>& issues);

/// The groups of one employee, with every suppressed group left empty.
std::array<FeedbackGroup, 5> feedback_groups(const Model& model, const ReviewCycle& cycle,
                                             const std::array<std::vector<std::uint32_t>, 5>& in);

/// The feedback component from the shown groups other than self: the mean of their mean
/// scores; NaN when none is shown.
double feedback_component(const std::array<FeedbackGroup, 5>& groups) noexcept;

/// Divides `total` cents in proportion to `weights` (>= 0, some > 0) by largest remainders,
/// ties to the earlier index; the parts sum exactly to `total`.
std::vector<std::int64_t> largest_remainder(std::int64_t total, const std::vector<double>& weights);

/// Throws Error(validation) with the issues when there are any.
void throw_if_any(std::vector<Issue> issues);

}  // namespace people
}  // namespace v1
}  // namespace spm
