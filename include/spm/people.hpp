// spm/people.hpp - performance management on top of the scorecard (DOMAIN.md section 7):
// review scores in components, 360-degree feedback behind anonymity thresholds, check-ins,
// participation, calibration, rewards, training needs and outcome budgeting.
//
//   Model + Cascade + Scorecard + review cycle + as-of date --> plain result structs
//
// Every function takes the date that counts as "today" explicitly (`as_of`): spm never reads
// the system clock, so the same inputs always give the same numbers. Records dated after
// `as_of` (reviews completed, self-assessments and feedback submitted, check-ins held later)
// are not counted. Results are plain structs of ids and numbers, with no pointers into the
// model: they stay valid after the model changes, but the functions refuse a cascade or a
// scorecard that is stale (spm::Error(stale)) or a cascade of another model
// (invalid_argument). NaN means "missing": a missing component, score or level never counts
// as 0. docs/people.md has every rule.
//
// Anonymity: a 360-degree feedback group (a rater relation) with fewer counted responses than
// its threshold is suppressed everywhere: no function returns its responses, count, mean or
// comments, and no number that any function returns depends on it, so comparing the results
// of two queries (with and without one response) cannot reveal a suppressed answer. Only the
// manager and self groups name their raters.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "spm/cascade.hpp"
#include "spm/model.hpp"
#include "spm/scoring.hpp"

namespace spm {
inline namespace v1 {

inline constexpr double no_score = std::numeric_limits<double>::quiet_NaN();

/// The score of a rating on a scale: by the scale's table when it has one (lower edge
/// inclusive, upper exclusive, the last range closed), else linear from `min` (0) to `max` (1).
/// Throws spm::Error(invalid_argument) for a rating that is not finite, lies outside
/// [min, max], or falls in no range of the table.
double rating_score(const RatingScale& scale, double rating);

/// The scorecard column that covers a cycle: its first period's first month to its last
/// period's last month, labelled like a period when it is one ("2026") and "FIRST..LAST"
/// otherwise.
Span cycle_span(const ReviewCycle& cycle);

/// The employees a cycle reviews as of a date: the cycle's list (or, when it is empty, every
/// employee employed on some day of the cycle's span), without those who had not started or had
/// left by `as_of`. In the cycle's (or the model's) order. Throws not_found for an unknown cycle.
std::vector<std::string> cycle_employees(const Model& model, std::string_view cycle_id, Date as_of);

// ---- reviews ---------------------------------------------------------------------------------

enum class Component : std::uint8_t { objectives, contribution, values, self, feedback };
inline constexpr int component_count = 5;
const char* to_string(Component) noexcept;  ///< "objectives", "contribution", ...

/// One component of an employee's review.
struct ComponentScore {
  Component component = Component::objectives;
  double score = no_score;  ///< NaN: missing (see `missing`)
  double weight = 0.0;      ///< the cycle's weight
  double normalized = 0.0;  ///< share among the components present (0 when missing)
  double points = 0.0;      ///< normalized * score: what it adds to the final score
  std::string missing;      ///< why it is missing; empty when present
  bool present() const noexcept { return missing.empty(); }
};

/// One of the employee's objectives, as the objectives component used it.
struct ObjectiveLine {
  std::string objective;
  double weight = 0.0;      ///< the objective's weight
  double score = no_score;  ///< in the cycle's column; NaN: no score (left out)
  double normalized = 0.0;  ///< share among the employee's objectives with a score
  double points = 0.0;      ///< normalized * score
};

/// One goal that the employee's objectives reach, as the contribution component used it.
struct GoalLine {
  std::string goal;
  double attribution = 0.0;  ///< summed attribution of all the employee's objectives to the goal
  double share = 0.0;        ///< attribution / the sum over the goals (used to trace rewards)
  double scored_attribution = 0.0;  ///< the part of `attribution` from objectives with a score
  double score = no_score;          ///< attribution-weighted mean of those objectives' scores
  double points = 0.0;              ///< what the goal adds to the contribution component
};

/// A manager's rating of a value or competency, and its score on the scale.
struct RatingLine {
  Ref subject;
  double rating = 0.0;
  double score = 0.0;
};

/// One rater group of 360-degree feedback. A group that is not shown carries nothing else: it
/// looks the same whether it has no response or fewer than its threshold.
struct FeedbackGroup {
  RaterRelation relation = RaterRelation::peer;
  int threshold = 1;                  ///< the cycle's anonymity threshold for the relation
  bool shown = false;                 ///< at least `threshold` counted responses
  std::size_t responses = 0;          ///< 0 when not shown
  double mean_rating = no_score;      ///< NaN when not shown
  double mean_score = no_score;       ///< NaN when not shown
  std::vector<std::string> raters;    ///< manager and self groups only, when shown (sorted)
  std::vector<std::string> comments;  ///< non-empty comments, when shown (sorted)
};

/// The review of one employee in a cycle.
struct EmployeeReview {
  std::string employee;
  std::string unit, manager;      ///< from the employee record
  std::string review;             ///< the review's id; empty without one
  std::string reviewer;           ///< the reviewer's id; empty without a review
  bool review_completed = false;  ///< completed on or before as_of
  bool self_submitted = false;    ///< a self-assessment submitted on or before as_of
  double final_score = no_score;  ///< weighted mean of the components present; NaN: none
  double weight_present = 0.0;    ///< share of the cycle's total weight that was present
  std::array<ComponentScore, component_count> components{};
  std::vector<ObjectiveLine> objectives;    ///< the employee's objectives, in model order
  std::vector<GoalLine> goals;              ///< by decreasing attribution, ties in goal order
  std::vector<RatingLine> ratings;          ///< of a completed review, as given
  double self_rating = no_score;            ///< the self-assessment's rating
  std::array<FeedbackGroup, 5> feedback{};  ///< in RaterRelation order
  double overall_rating = no_score;         ///< the reviewer's overall rating (not a component)
  double overall_score = no_score;          ///< ... on the score scale

  const ComponentScore& component(Component c) const {
    return components[static_cast<std::size_t>(c)];
  }
  /// Every number explained, in a few lines of text.
  std::string text() const;
};

/// The reviews of one cycle.
struct CycleReviews {
  std::string cycle;
  Span span;   ///< the scorecard column used
  Date as_of;  ///< the day counted as today
  ComponentWeights weights;
  std::vector<EmployeeReview> employees;  ///< cycle_employees() order
  /// Index of an employee in `employees`, or -1.
  std::int64_t index_of(std::string_view employee) const noexcept;
};

/// Computes the reviews of a cycle. The scorecard must have a column with the cycle's span
/// (see cycle_span()); the cascade and scorecard must be current and of this model.
/// Throws spm::Error: not_found for an unknown cycle; stale for a stale cascade or scorecard;
/// invalid_argument for a scorecard without the column or a cascade of another model;
/// validation (every problem listed) for ratings outside the cycle's scale, a rater reviewing
/// themselves, two responses of one rater about one person, or records of the cycle naming
/// unknown employees.
CycleReviews review_cycle(const Model& model, const Cascade& cascade, const Scorecard& card,
                          std::string_view cycle_id, Date as_of);

// ---- check-ins -------------------------------------------------------------------------------

struct CheckInStatus {
  std::string employee;
  std::size_t in_cycle = 0;     ///< check-ins held within the cycle's span, up to as_of
  std::optional<Date> last;     ///< the latest check-in on or before as_of
  std::int64_t days_since = 0;  ///< from `last` (or the later of the span's first day and the
                                ///< employee's start, when there is none) to as_of
  std::optional<Date> due;      ///< the day the next check-in is due (none without cadence)
  bool expected = true;         ///< false without a manager: check-ins are with a manager
  bool overdue = false;         ///< expected and days_since > cadence (never without a cadence)
};

struct CheckInReport {
  std::string cycle;
  int cadence_days = 0;
  Date as_of;
  std::vector<CheckInStatus> employees;  ///< cycle_employees() order
  std::size_t overdue = 0;
};

/// The check-ins of a cycle's employees against its cadence.
CheckInReport check_ins(const Model& model, std::string_view cycle_id, Date as_of);

// ---- participation ---------------------------------------------------------------------------

/// What participation counts, in this order in ParticipationRow::criteria.
enum class Criterion : std::uint8_t {
  objectives,     ///< owns at least one objective active in the span
  aligned,        ///< ... of which at least one reaches a goal
  check_in,       ///< a check-in within the cadence before as_of (or no manager to meet)
  self_assessed,  ///< a self-assessment submitted (cycle only)
  feedback,       ///< at least one feedback group other than self shown (cycle only)
  reviewed,       ///< a completed review (cycle only)
};
inline constexpr int criterion_count = 6;
const char* to_string(Criterion) noexcept;

struct CriterionCount {
  Criterion criterion = Criterion::objectives;
  bool applies = true;  ///< false for the cycle-only criteria of a period query
  std::size_t met = 0;
  double share = no_score;  ///< met / employees; NaN without employees or when not applying
  std::vector<std::string> missing;  ///< employee ids that do not meet it, in population order
};

enum class GroupKind : std::uint8_t { organization, division, unit, team, manager };
const char* to_string(GroupKind) noexcept;

struct ParticipationRow {
  GroupKind kind = GroupKind::organization;
  std::string id;  ///< empty for the organization; the manager's employee id for managers
  std::size_t employees = 0;
  std::array<CriterionCount, criterion_count> criteria{};
};

struct ParticipationQuery {
  /// A review cycle: its employees, its span and its cadence; all six criteria apply.
  std::string cycle;
  /// Without a cycle: the period whose employees (employed on some day of it and on as_of) and
  /// objectives (active in it) count; the cycle-only criteria do not apply.
  std::optional<Period> period;
  Date as_of;
  int cadence_days = 30;  ///< for a period query; a cycle uses its own
};

struct ParticipationReport {
  std::string cycle;
  Span span;
  Date as_of;
  int cadence_days = 0;
  std::vector<std::string> population;  ///< the employees counted
  ParticipationRow organization;
  std::vector<ParticipationRow> divisions;  ///< model order; a division's units' people
  std::vector<ParticipationRow> units;      ///< model order; a unit includes its sub-units
  std::vector<ParticipationRow> teams;      ///< model order; a team's members
  std::vector<ParticipationRow> managers;   ///< model order of the managers; direct reports
};

/// Participation of the population of a cycle or a period. Throws invalid_argument when the
/// query names neither or both, not_found for an unknown cycle, stale for a stale cascade.
ParticipationReport participation(const Model& model, const Cascade& cascade,
                                  const ParticipationQuery& query);

// ---- calibration -----------------------------------------------------------------------------

/// The distribution of final scores in one group (the employees with a final score).
struct Distribution {
  GroupKind kind = GroupKind::unit;  ///< manager or unit (organization for the whole cycle)
  std::string id;
  std::size_t count = 0;
  double mean = no_score, sd = no_score;  ///< population standard deviation
  double min = no_score, q1 = no_score, median = no_score, q3 = no_score, max = no_score;
};

struct CalibrationLine {
  std::string employee, manager, unit;
  double final_score = no_score;
  double z_manager = no_score;  ///< (score - manager group mean) / its sd; NaN if sd is 0 or NaN
  double z_unit = no_score;
  double z_organization = no_score;
  bool outlier = false;  ///< |z| > threshold within manager, unit or organization
};

struct Calibration {
  double outlier_z = 2.0;
  Distribution organization;
  std::vector<Distribution> managers;      ///< first appearance order in the reviews
  std::vector<Distribution> units;         ///< first appearance order in the reviews
  std::vector<CalibrationLine> employees;  ///< employees with a final score, review order
};

/// Distributions and normalized scores; `outlier_z` must be finite and > 0.
Calibration calibrate(const CycleReviews& reviews, double outlier_z = 2.0);

// ---- rewards ---------------------------------------------------------------------------------

struct RewardRules {
  double pool = 0.0;  ///< the money to divide (>= 0, finite); rounded to cents first
  bool require_completed_review = true;
  double min_final_score = 0.0;  ///< eligible at or above
  /// Each eligible employee's share is proportional to final^a * contribution^b. With b > 0 an
  /// employee without a contribution score is not eligible (a missing component is never 0).
  double final_exponent = 1.0;         ///< a >= 0
  double contribution_exponent = 0.0;  ///< b >= 0
};

struct RewardTrace {
  std::string goal;  ///< empty: the part of the share not traced to any goal
  std::int64_t cents = 0;
};

struct RewardShare {
  std::string employee;
  bool eligible = false;
  std::string reason;  ///< why not eligible; empty when eligible
  double basis = 0.0;  ///< final^a * contribution^b (0 when not eligible)
  double exact = 0.0;  ///< the unrounded share, in money
  std::int64_t cents = 0;
  std::vector<RewardTrace> goals;  ///< the share split by the employee's goal shares, in cents
};

struct RewardReport {
  RewardRules rules;
  std::int64_t pool_cents = 0;
  /// pool_cents when some eligible employee has a basis > 0; else 0 (nothing is allocated)
  std::int64_t allocated_cents = 0;
  std::vector<RewardShare> employees;  ///< review order
};

/// Divides the pool: shares sum exactly to the pool in cents (largest remainders, ties to the
/// earlier employee). Throws invalid_argument for a pool or exponents that make no sense.
RewardReport rewards(const CycleReviews& reviews, const RewardRules& rules);

// ---- training needs --------------------------------------------------------------------------

struct TrainingGap {
  std::string employee, competency;
  double required = 0.0;                ///< the highest level the employee's objectives require
  double assessed = no_score;           ///< NaN: not assessed
  double gap = no_score;                ///< max(required - assessed, 0); NaN when not assessed
  std::vector<std::string> objectives;  ///< the employee's objectives that require it
};

struct UnitTrainingNeed {
  std::string unit, competency;
  double total_gap = 0.0;  ///< summed over the unit's assessed employees
  std::size_t employees_with_gap = 0;
  std::size_t not_assessed = 0;    ///< employees needing it without an assessed level
  std::vector<Attribution> goals;  ///< goals the requiring objectives reach, summed attribution
};

struct TrainingNeeds {
  std::vector<TrainingGap> gaps;        ///< employee (population order), then competency order
  std::vector<UnitTrainingNeed> units;  ///< unit (model order), then competency (model order)
};

/// Competency gaps of a cycle's employees: required levels from their own objectives, assessed
/// levels from their latest completed review (on or before as_of, any cycle) that rates the
/// competency, the rating's score times the competency's max_level.
TrainingNeeds training_needs(const Model& model, const Cascade& cascade, std::string_view cycle_id,
                             Date as_of);

// ---- outcome budgeting -----------------------------------------------------------------------

struct ServedGoal {
  std::string goal;
  double weight = 0.0;      ///< the strategy's normalized weight among the goal's inputs
  double score = no_score;  ///< the goal's score in the column
};

struct StrategyOutcome {
  std::string strategy;
  double budget = 0.0;  ///< budgets within the span, prorated by months for partial overlaps
  std::string currency;
  double strategy_score = no_score;  ///< the strategy's own score
  double outcome = no_score;  ///< weight-averaged score of the goals served (those with a score)
  std::vector<ServedGoal> goals;
  double outcome_per_spend = no_score;  ///< outcome / (budget / spend_unit); NaN for no budget
};

struct OutcomeBudget {
  Span span;
  double spend_unit = 1e6;
  std::vector<StrategyOutcome> strategies;  ///< model order
};

/// Budget by strategy against the scores of the goals it serves, in one scorecard column.
/// Throws invalid_argument for a bad column, a spend unit that is not > 0, or a strategy whose
/// budgets mix currencies.
OutcomeBudget outcome_budget(const Model& model, const Cascade& cascade, const Scorecard& card,
                             int column, double spend_unit = 1e6);

// ---- as JSON ---------------------------------------------------------------------------------
// The reports as JSON documents: the very text that `spm review --format json` and `spm
// participation --format json` print, and the C ABI's spm_*_to_json give. Indented by two
// spaces, UTF-8, with a final newline; numbers unrounded, NaN (missing) as null. A feedback group
// that is not shown appears only as {"relation", "shown": false, "threshold"}. Names beside ids
// are read from `model` as it is now ("" for an id it does not know).

/// Every employee of the cycle: ids, names, components, final score (no detail lines).
std::string reviews_json(const Model& model, const CycleReviews& reviews);
/// One employee's review with every line: objectives, goals, ratings, feedback groups. Throws
/// not_found when the employee is not reviewed in the cycle.
std::string review_json(const Model& model, const CycleReviews& reviews, std::string_view employee);
std::string check_ins_json(const CheckInReport& report);
std::string calibration_json(const Calibration& calibration, std::string_view cycle_id);
std::string rewards_json(const RewardReport& report, std::string_view cycle_id);
std::string training_needs_json(const TrainingNeeds& needs, std::string_view cycle_id, Date as_of);
std::string outcome_budget_json(const OutcomeBudget& budget);
/// The rows of the groups in `by`, each a list under its kind's name ("organization", "unit").
std::string participation_json(const Model& model, const ParticipationReport& report,
                               const std::vector<GroupKind>& by);
/// Cents as money text: 12345 -> "123.45", -5 -> "-0.05".
std::string money_text(std::int64_t cents);

}  // namespace v1
}  // namespace spm
