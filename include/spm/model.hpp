// spm/model.hpp - the strategy model: every entity of DOMAIN.md (docs/model.md), and the Model that
// holds one organization's entities with O(1) look-up by the host's id.
//
// The Model is the mutable first stage of spm (Model -> compile -> Cascade -> evaluate ->
// Scorecard). Entities refer to each other by the host's string ids; dangling references are
// allowed while editing and reported by validate() (spm/validate.hpp), so that entities can be
// added in any order. Every edit checks the entity's own fields first (ids, numbers, periods,
// dates) and either applies whole or throws spm::Error and changes nothing.
#pragma once

#include <compare>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "spm/error.hpp"
#include "spm/period.hpp"

namespace spm {
inline namespace v1 {

/// Every kind of entity, in file order. The names (to_string) are the singular JSON kind names.
enum class EntityKind : std::uint8_t {
  value,
  perspective,
  function,
  division,
  unit,
  team,
  employee,
  goal,
  strategy,
  measure,
  milestone,
  action,
  objective,
  competency,
  review_cycle,
  review,
  self_assessment,
  feedback,
  check_in,
  budget,
};
inline constexpr int entity_kind_count = 20;

const char* to_string(EntityKind kind) noexcept;    ///< "goal", "review_cycle", ...
const char* plural_name(EntityKind kind) noexcept;  ///< "goals", "review_cycles", ...
std::optional<EntityKind> parse_entity_kind(std::string_view name) noexcept;  ///< singular
/// The fields of an entity kind as the file format names them, in the order spm writes them
/// (docs/format.md): the columns a host's table of that kind needs. Empty for an invalid kind.
std::vector<std::string_view> field_names(EntityKind kind);
/// The fields of the organization's own record (OrganizationInfo), likewise.
std::vector<std::string_view> organization_field_names();

/// Free-form attributes that spm keeps and saves but does not interpret: each value is kept as
/// its compact JSON text (`"\"CC-12\""`, `"0.8"`, `"{\"a\":1}"`), in the order given.
using Attributes = std::vector<std::pair<std::string, std::string>>;

/// A reference to another entity by kind and id.
struct Ref {
  EntityKind kind = EntityKind::goal;
  std::string id;
  bool operator==(const Ref&) const = default;
};

/// "This contributes to that", with a relative weight (> 0, finite).
struct Contribution {
  Ref to;
  double weight = 1.0;
  bool operator==(const Contribution&) const = default;
};

// ---------------------------------------------------------------------------------------------
// Scoring configuration (the arithmetic is in the scoring engine; the model only stores it).

enum class Polarity : std::uint8_t { increasing, decreasing };
enum class ScoringMethod : std::uint8_t { linear, ratio, band, thresholds, binary, table };
enum class Aggregation : std::uint8_t { sum, average, last, min, max, ratio };
enum class Status : std::uint8_t { green, amber, red, no_data };
enum class RollupMethod : std::uint8_t { mean, min, max, status_counts };
enum class MissingPolicy : std::uint8_t { skip, zero, propagate, carry };

const char* to_string(Polarity) noexcept;
const char* to_string(ScoringMethod) noexcept;
const char* to_string(Aggregation) noexcept;
const char* to_string(Status) noexcept;
const char* to_string(RollupMethod) noexcept;
const char* to_string(MissingPolicy) noexcept;

/// One status band: scores at or above `lower` (and below the next band up) get `status`.
struct StatusBand {
  Status status = Status::green;
  double lower = 0.0;
  bool operator==(const StatusBand&) const = default;
};

/// DOMAIN.md section 4's defaults: green >= 0.9, amber >= 0.7, red below.
std::vector<StatusBand> default_status_bands();

/// One row of a `table` scoring method: actuals in [from, to) score `score` (the last row is
/// closed).
struct ScoreRange {
  double from = 0.0;
  double to = 0.0;
  double score = 0.0;
  bool operator==(const ScoreRange&) const = default;
};

/// A target for one period (or span) that differs from the measure's default target.
struct PeriodTarget {
  Period period;
  double value = 0.0;
  bool operator==(const PeriodTarget&) const = default;
};

/// A measure's actual in one period. Ratio measures give numerator and denominator (value is
/// then their quotient); others give the value alone.
struct Actual {
  Period period;
  double value = 0.0;
  std::optional<double> numerator;
  std::optional<double> denominator;
  bool operator==(const Actual&) const = default;
};

/// A measure's actuals, sorted by period, at most one per period (Measure::actuals). Read like a
/// std::vector<Actual> whose elements are values: operator[], front(), back() and the
/// iterators give an Actual, not a reference to one; an actual is changed by set(), insert(),
/// erase() or push_back(). Kept compact, since an organization of a million employees holds
/// about 120 million actuals: 16 bytes an actual, and 16 more for its numerator and
/// denominator only in a measure where some actual has them (a std::vector<Actual> takes 48).
class Actuals {
 public:
  using value_type = Actual;
  using size_type = std::size_t;
  using difference_type = std::ptrdiff_t;
  using reference = const Actual;  // a value, const so that `actuals[i] = x` does not compile
  using const_reference = const Actual;

  /// A random-access iterator whose `*` gives an Actual by value.
  class const_iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using iterator_concept = std::random_access_iterator_tag;
    using value_type = Actual;
    using difference_type = std::ptrdiff_t;
    using reference = const Actual;
    /// What `->` gives: the actual, held for the expression.
    struct pointer {
      Actual actual;
      const Actual* operator->() const noexcept { return &actual; }
    };

    const_iterator() = default;
    const Actual operator*() const noexcept { return (*of_)[at_]; }
    pointer operator->() const noexcept { return pointer{**this}; }
    const Actual operator[](difference_type k) const noexcept { return *(*this + k); }
    const_iterator& operator++() noexcept { return ++at_, *this; }
    const_iterator& operator--() noexcept { return --at_, *this; }
    const_iterator operator++(int) noexcept { return const_iterator(of_, at_++); }
    const_iterator operator--(int) noexcept { return const_iterator(of_, at_--); }
    const_iterator& operator+=(difference_type k) noexcept {
      at_ = static_cast<size_type>(static_cast<difference_type>(at_) + k);
      return *this;
    }
    const_iterator& operator-=(difference_type k) noexcept { return *this += -k; }
    friend const_iterator operator+(const_iterator i, difference_type k) noexcept { return i += k; }
    friend const_iterator operator+(difference_type k, const_iterator i) noexcept { return i += k; }
    friend const_iterator operator-(const_iterator i, difference_type k) noexcept { return i -= k; }
    friend difference_type operator-(const_iterator a, const_iterator b) noexcept {
      return static_cast<difference_type>(a.at_) - static_cast<difference_type>(b.at_);
    }
    friend bool operator==(const_iterator a, const_iterator b) noexcept { return a.at_ == b.at_; }
    friend auto operator<=>(const_iterator a, const_iterator b) noexcept { return a.at_ <=> b.at_; }

   private:
    friend class Actuals;
    const_iterator(const Actuals* of, size_type at) noexcept : of_(of), at_(at) {}
    const Actuals* of_ = nullptr;
    size_type at_ = 0;
  };
  using iterator = const_iterator;

  Actuals() = default;
  Actuals(std::initializer_list<Actual> actuals) { assign(actuals.begin(), actuals.end()); }
  Actuals(const std::vector<Actual>& actuals) { assign(actuals.begin(), actuals.end()); }
  template <std::input_iterator It>
  Actuals(It first, It last) {
    assign(first, last);
  }
  Actuals& operator=(std::initializer_list<Actual> actuals) {
    assign(actuals.begin(), actuals.end());
    return *this;
  }
  /// Replaces every actual with those of [first, last), in their order.
  template <std::input_iterator It>
  void assign(It first, It last) {
    clear();
    if constexpr (std::is_base_of_v<std::forward_iterator_tag,
                                    typename std::iterator_traits<It>::iterator_category>)
      reserve(static_cast<size_type>(std::distance(first, last)));
    for (; first != last; ++first) push_back(*first);
  }

  size_type size() const noexcept { return entries_.size(); }
  bool empty() const noexcept { return entries_.empty(); }
  size_type capacity() const noexcept { return entries_.capacity(); }
  void reserve(size_type n);
  void clear() noexcept;
  void shrink_to_fit();

  /// Actual i (no bounds check; at() checks).
  const Actual operator[](size_type i) const noexcept {
    const Entry& e = entries_[i];
    Actual a;
    a.period = Period(e.period);
    a.value = e.value;
    if (e.parts & 1u) a.numerator = ratios_[i].numerator;
    if (e.parts & 2u) a.denominator = ratios_[i].denominator;
    return a;
  }
  /// Actual i; throws spm::Error(invalid_argument) when i >= size().
  const Actual at(size_type i) const;
  const Actual front() const noexcept { return (*this)[0]; }
  const Actual back() const noexcept { return (*this)[size() - 1]; }
  /// The period and the value of actual i, without the rest.
  Period period(size_type i) const noexcept { return Period(entries_[i].period); }
  double value(size_type i) const noexcept { return entries_[i].value; }

  const_iterator begin() const noexcept { return const_iterator(this, 0); }
  const_iterator end() const noexcept { return const_iterator(this, size()); }
  const_iterator cbegin() const noexcept { return begin(); }
  const_iterator cend() const noexcept { return end(); }

  void push_back(const Actual& actual) {
    if (!actual.numerator && !actual.denominator && ratios_.empty())
      entries_.push_back(Entry{actual.period.raw(), 0, actual.value});
    else
      insert(end(), actual);
  }
  void pop_back() noexcept;
  /// Replaces actual i (no bounds check).
  void set(size_type i, const Actual& actual);
  /// Inserts before `pos`; returns the position of the new actual.
  const_iterator insert(const_iterator pos, const Actual& actual);
  const_iterator erase(const_iterator pos);
  const_iterator erase(const_iterator first, const_iterator last);

  std::vector<Actual> to_vector() const;
  /// Equal when every actual is (Actual::operator==), in order.
  friend bool operator==(const Actuals& a, const Actuals& b) noexcept;

 private:
  struct Entry {
    std::uint32_t period = 0;  ///< Period::bits
    std::uint32_t parts = 0;   ///< 1: has a numerator, 2: has a denominator
    double value = 0.0;
  };
  struct Ratio {
    double numerator = 0.0, denominator = 0.0;
  };
  /// The entry of an actual, and its numerator and denominator (0 where it has none).
  static std::pair<Entry, Ratio> split(const Actual& actual) noexcept;

  std::vector<Entry> entries_;
  std::vector<Ratio> ratios_;  ///< one for every entry, or none while no actual had a ratio part
};

// ---------------------------------------------------------------------------------------------
// Entities. Each has the host's id (unique within its kind), a name and free-form attributes.

/// A named belief that people are also assessed against.
struct Value {
  std::string id, name, description;
  Attributes attributes;
  bool operator==(const Value&) const = default;
};

/// A balanced-scorecard perspective, in display order.
struct Perspective {
  std::string id, name, description;
  Attributes attributes;
  bool operator==(const Perspective&) const = default;
};

/// The four default perspectives of DOMAIN.md (ids financial, customer, internal_process,
/// learning_growth); public_sector names them Stewardship and Community.
std::vector<Perspective> default_perspectives(bool public_sector = false);

/// The purpose that a division or unit serves.
struct Function {
  std::string id, name, description;
  Attributes attributes;
  bool operator==(const Function&) const = default;
};

struct Division {
  std::string id, name, description;
  std::string function;  ///< Function id, optional
  std::string head;      ///< Employee id, optional
  Attributes attributes;
  bool operator==(const Division&) const = default;
};

struct Unit {
  std::string id, name, description;
  std::string division;  ///< Division id, optional
  std::string parent;    ///< Unit id of the unit above, optional (units may nest)
  std::string function;  ///< Function id, optional
  std::string head;      ///< Employee id, optional
  Attributes attributes;
  bool operator==(const Unit&) const = default;
};

/// A collaborative team across units, formed to complete one milestone.
struct Team {
  std::string id, name, description;
  std::string milestone;             ///< Milestone id the team was formed for, optional
  std::string lead;                  ///< Employee id, optional
  std::vector<std::string> members;  ///< Employee ids
  std::vector<std::string> units;    ///< Unit ids taking part
  Attributes attributes;
  bool operator==(const Team&) const = default;
};

struct Employee {
  std::string id, name;
  std::string title;
  std::string unit;     ///< Unit id
  std::string manager;  ///< Employee id, empty at the top of a reporting tree
  std::optional<Date> start, end;
  Attributes attributes;
  bool operator==(const Employee&) const = default;
};

/// An aspirational outcome in one perspective.
struct Goal {
  std::string id, name, description;
  std::string perspective;          ///< Perspective id
  std::string owner;                ///< free text or an id of the host's, not interpreted
  std::optional<Date> start, end;   ///< a goal may have no end date
  std::vector<std::string> drives;  ///< cause and effect: Goal ids this goal drives
  std::optional<RollupMethod> rollup;
  std::optional<MissingPolicy> missing;
  Attributes attributes;
  bool operator==(const Goal&) const = default;
};

/// A theory of action: if we do `if_part`, then each of `then_parts` follows.
struct Strategy {
  std::string id, name, description;
  std::string if_part;
  std::vector<std::string> then_parts;
  std::string owner;
  std::optional<Date> start, end;
  std::vector<Contribution> contributes_to;  ///< Goals
  std::optional<RollupMethod> rollup;
  std::optional<MissingPolicy> missing;
  Attributes attributes;
  bool operator==(const Strategy&) const = default;
};

/// How a goal, strategy, milestone or objective is measured.
struct Measure {
  std::string id;
  std::string name;  ///< the indicator
  std::string description;
  Ref subject;          ///< the one node it measures
  double weight = 1.0;  ///< among the inputs of its subject
  std::string data_source;
  std::string unit;  ///< unit of the actual, e.g. "%", "days", "EUR"
  std::string owner;
  Polarity polarity = Polarity::increasing;
  ScoringMethod method = ScoringMethod::linear;
  Aggregation aggregation = Aggregation::average;
  std::optional<double> baseline;
  std::optional<double> target;       ///< default target, for periods without their own
  std::vector<PeriodTarget> targets;  ///< per period or span, overriding `target`
  // Method parameters.
  std::optional<double> band_low, band_high, band_tolerance;  ///< band
  std::optional<double> red_flag, goal_value;                 ///< thresholds (`goal` in files)
  std::vector<ScoreRange> table;                              ///< table
  std::optional<double> cap;                                  ///< default: the organization's
  std::vector<StatusBand> status_bands;                       ///< empty: the organization's
  Actuals actuals;  ///< sorted by period, at most one per period
  Attributes attributes;
  bool operator==(const Measure&) const = default;
};

enum class WorkStatus : std::uint8_t {
  not_started,
  on_track,
  at_risk,
  off_track,
  completed,
  cancelled
};
const char* to_string(WorkStatus) noexcept;

/// A yearly step of a strategy, owned by a unit or a collaborative team.
struct Milestone {
  std::string id, name, description;
  Ref owner;  ///< a Unit or a Team; empty id when unowned (validation reports it)
  std::optional<Date> start, due;
  double progress = 0.0;  ///< percent, 0..100
  WorkStatus status = WorkStatus::not_started;
  std::vector<Contribution> contributes_to;  ///< Strategies
  std::optional<RollupMethod> rollup;
  std::optional<MissingPolicy> missing;
  Attributes attributes;
  bool operator==(const Milestone&) const = default;
};

/// A step toward a milestone, longer than a month and shorter than a year.
struct Action {
  std::string id, name, description;
  std::string owner;  ///< Employee id
  std::optional<Date> start, due;
  double percent_complete = 0.0;  ///< 0..100
  WorkStatus status = WorkStatus::not_started;
  std::vector<Contribution> contributes_to;  ///< Milestones
  Attributes attributes;
  bool operator==(const Action&) const = default;
};

/// A competency that an objective may require at a level.
struct CompetencyRequirement {
  std::string competency;  ///< Competency id
  double level = 0.0;
  bool operator==(const CompetencyRequirement&) const = default;
};

/// A unit's, team's or employee's commitment.
struct Objective {
  std::string id, name, description;
  Ref owner;            ///< a Unit, Team or Employee
  double weight = 1.0;  ///< among its owner's objectives
  std::optional<Date> start, end;
  std::vector<Contribution> contributes_to;  ///< Objectives, milestones, strategies or goals
  std::vector<CompetencyRequirement> requires_competencies;
  std::optional<RollupMethod> rollup;
  std::optional<MissingPolicy> missing;
  Attributes attributes;
  bool operator==(const Objective&) const = default;
};

struct Competency {
  std::string id, name, description;
  double max_level = 5.0;  ///< levels run from 0 to max_level
  Attributes attributes;
  bool operator==(const Competency&) const = default;
};

/// How a rating on a cycle's scale maps to a score.
struct RatingScale {
  double min = 1.0, max = 5.0;
  std::vector<ScoreRange> table;  ///< empty: linear, min -> 0 and max -> 1
  bool operator==(const RatingScale&) const = default;
};

/// Weights of the review components; a component absent for an employee is left out.
struct ComponentWeights {
  double objectives = 0.4, contribution = 0.2, values = 0.15, self = 0.05, feedback = 0.2;
  bool operator==(const ComponentWeights&) const = default;
};

/// Rater relations of 360-degree feedback.
enum class RaterRelation : std::uint8_t { manager, peer, direct_report, other, self };
const char* to_string(RaterRelation) noexcept;

/// Minimum responses per rater group before a group is shown (DOMAIN.md section 7).
struct AnonymityThresholds {
  int manager = 1, peer = 3, direct_report = 3, other = 3, self = 1;
  bool operator==(const AnonymityThresholds&) const = default;
};

struct ReviewCycle {
  std::string id, name, description;
  Period first, last;                  ///< the span of periods reviewed
  std::vector<std::string> employees;  ///< Employee ids; empty means everyone
  ComponentWeights weights;
  RatingScale scale;
  int check_in_cadence_days = 30;  ///< 0: no cadence
  AnonymityThresholds anonymity;
  Attributes attributes;
  bool operator==(const ReviewCycle&) const = default;
};

/// A manager's rating of one value or competency.
struct Rating {
  Ref subject;  ///< a Value or a Competency
  double rating = 0.0;
  bool operator==(const Rating&) const = default;
};

struct Review {
  std::string id;
  std::string cycle;              ///< ReviewCycle id
  std::string employee;           ///< Employee id
  std::string reviewer;           ///< Employee id
  std::optional<Date> completed;  ///< empty while in progress
  std::vector<Rating> ratings;
  std::optional<double> overall;  ///< the reviewer's overall rating, on the cycle's scale
  std::string comment;
  Attributes attributes;
  bool operator==(const Review&) const = default;
};

struct SelfAssessment {
  std::string id;
  std::string cycle, employee;
  std::optional<Date> submitted;
  std::optional<double> rating;  ///< on the cycle's scale
  std::string comment;
  Attributes attributes;
  bool operator==(const SelfAssessment&) const = default;
};

/// One 360-degree feedback response.
struct Feedback {
  std::string id;
  std::string cycle;
  std::string subject;  ///< Employee id of the person reviewed
  std::string rater;    ///< Employee id
  RaterRelation relation = RaterRelation::peer;
  std::optional<double> rating;  ///< on the cycle's scale
  std::string comment;
  std::optional<Date> submitted;
  Attributes attributes;
  bool operator==(const Feedback&) const = default;
};

/// A dated conversation between an employee and a manager.
struct CheckIn {
  std::string id;
  std::string employee, manager;  ///< Employee ids
  Date date;
  std::string notes;
  Attributes attributes;
  bool operator==(const CheckIn&) const = default;
};

/// Money allocated to a strategy for a period.
struct Budget {
  std::string id;
  std::string strategy;  ///< Strategy id
  Period period;
  double amount = 0.0;  ///< >= 0
  std::string currency;
  Attributes attributes;
  bool operator==(const Budget&) const = default;
};

/// Organization-wide settings: the defaults that measures and nodes may override.
struct Settings {
  double cap = 1.0;  ///< score cap, >= 1
  std::vector<StatusBand> status_bands = default_status_bands();
  RollupMethod rollup = RollupMethod::mean;
  MissingPolicy missing = MissingPolicy::skip;
  bool operator==(const Settings&) const = default;
};

/// The organization's own record: identity, vision, mission and settings.
struct OrganizationInfo {
  std::string id, name;
  std::string vision, mission;
  Settings settings;
  Attributes attributes;
  bool operator==(const OrganizationInfo&) const = default;
};

/// The entity type for a kind, and back.
template <EntityKind K>
struct entity_type;
template <class T>
struct entity_kind_of;
#define SPM_ENTITY_KIND(K, T)                          \
  template <>                                          \
  struct entity_type<EntityKind::K> {                  \
    using type = T;                                    \
  };                                                   \
  template <>                                          \
  struct entity_kind_of<T> {                           \
    static constexpr EntityKind value = EntityKind::K; \
  };
SPM_ENTITY_KIND(value, Value)
SPM_ENTITY_KIND(perspective, Perspective)
SPM_ENTITY_KIND(function, Function)
SPM_ENTITY_KIND(division, Division)
SPM_ENTITY_KIND(unit, Unit)
SPM_ENTITY_KIND(team, Team)
SPM_ENTITY_KIND(employee, Employee)
SPM_ENTITY_KIND(goal, Goal)
SPM_ENTITY_KIND(strategy, Strategy)
SPM_ENTITY_KIND(measure, Measure)
SPM_ENTITY_KIND(milestone, Milestone)
SPM_ENTITY_KIND(action, Action)
SPM_ENTITY_KIND(objective, Objective)
SPM_ENTITY_KIND(competency, Competency)
SPM_ENTITY_KIND(review_cycle, ReviewCycle)
SPM_ENTITY_KIND(review, Review)
SPM_ENTITY_KIND(self_assessment, SelfAssessment)
SPM_ENTITY_KIND(feedback, Feedback)
SPM_ENTITY_KIND(check_in, CheckIn)
SPM_ENTITY_KIND(budget, Budget)
#undef SPM_ENTITY_KIND

/// Any one entity, for bulk edits of mixed kinds. Alternatives are in EntityKind order.
using AnyEntity = std::variant<Value, Perspective, Function, Division, Unit, Team, Employee, Goal,
                               Strategy, Measure, Milestone, Action, Objective, Competency,
                               ReviewCycle, Review, SelfAssessment, Feedback, CheckIn, Budget>;

/// A set of edits applied all together or not at all (Model::apply).
class Batch {
 public:
  enum class Op : std::uint8_t { add, update, upsert, remove };
  struct Edit {
    Op op;
    AnyEntity entity;  ///< for remove, an entity of the kind with just the id set
  };

  template <class T>
  Batch& add(T entity) {
    return push(Op::add, std::move(entity));
  }
  template <class T>
  Batch& update(T entity) {
    return push(Op::update, std::move(entity));
  }
  template <class T>
  Batch& upsert(T entity) {
    return push(Op::upsert, std::move(entity));
  }
  Batch& remove(EntityKind kind, std::string id);

  const std::vector<Edit>& edits() const noexcept { return edits_; }
  std::size_t size() const noexcept { return edits_.size(); }
  bool empty() const noexcept { return edits_.empty(); }
  void clear() noexcept { edits_.clear(); }

 private:
  template <class T>
  Batch& push(Op op, T entity) {
    edits_.push_back(Edit{op, AnyEntity(std::in_place_type<T>, std::move(entity))});
    return *this;
  }
  std::vector<Edit> edits_;
};

namespace detail {
struct ModelAccess;
}

/// One organization: its info and its entities, each kind in insertion order with an O(1)
/// index by id. Copyable (a deep copy) and movable. Not synchronized: edits need exclusive
/// access; const member functions may run concurrently with each other.
class Model {
 public:
  Model();
  ~Model();
  Model(const Model&);
  Model& operator=(const Model&);
  Model(Model&&) noexcept;
  Model& operator=(Model&&) noexcept;

  const OrganizationInfo& info() const noexcept;
  /// Replaces the organization's info; throws spm::Error(validation) on bad fields.
  void set_info(OrganizationInfo info);

  /// All entities of a kind, in order. The span is valid until the next edit of that kind.
  template <class T>
  std::span<const T> all() const noexcept;
  /// The entity with this id, or nullptr. The pointer is valid until the next edit of its kind.
  template <class T>
  const T* find(std::string_view id) const noexcept;
  /// Like find(), but throws spm::Error(not_found) naming the kind and id.
  template <class T>
  const T& get(std::string_view id) const;
  /// Dense index of the entity within its kind (its position in all<T>()), or -1.
  std::int64_t index_of(EntityKind kind, std::string_view id) const noexcept;
  std::size_t count(EntityKind kind) const noexcept;
  bool contains(EntityKind kind, std::string_view id) const noexcept {
    return index_of(kind, id) >= 0;
  }

  /// Adds an entity at the end of its kind. Throws spm::Error: duplicate if the id is taken,
  /// validation if one of its own fields is bad (references to other entities are checked by
  /// validate()).
  template <class T>
  void add(T entity);
  /// Replaces the entity with the same id, keeping its position. Throws not_found.
  template <class T>
  void update(T entity);
  /// add() or update(), whichever applies.
  template <class T>
  void upsert(T entity);
  /// Removes an entity; later entities of the kind move up one place. Throws not_found.
  /// References to it from other entities are left for validate() to report.
  void remove(EntityKind kind, std::string_view id);
  /// Applies every edit of the batch, in order, or none: on any problem it throws one
  /// spm::Error listing every problem found, and the model is unchanged.
  void apply(const Batch& batch);

  /// Sets (or replaces) one measure's actual for a period; keeps actuals sorted by period.
  void set_actual(std::string_view measure_id, Actual actual);
  /// Removes a measure's actual for a period; returns whether there was one.
  bool erase_actual(std::string_view measure_id, Period period);

  /// Increases with every successful edit: results computed from the model remember it, so
  /// that using them after an edit is a clear error rather than silently stale.
  std::uint64_t revision() const noexcept;
  /// Like revision(), but not moved by set_actual() and erase_actual(): a compiled cascade stays
  /// valid while only actuals change, and a scorecard takes new actuals incrementally.
  std::uint64_t structure_revision() const noexcept;

  /// Bytes of memory the model keeps for its next compiles and evaluations: the large arrays
  /// of its cascades and scorecards gone, the scratch arrays of its compiles and validations,
  /// and, once the measures' actuals have been laid out in a cascade's order twice, the arrays
  /// of the layout before, which a recompile and an evaluation after an edit write into instead
  /// of asking the system for fresh pages (which it clears first; on a virtual machine whose
  /// host takes freed memory back, at a fraction of memory speed). It grows to about what one
  /// compile and one evaluation use, and is freed with the model.
  std::size_t kept_bytes() const noexcept;
  /// Frees what kept_bytes() counts (a host with many organizations, when one goes idle); the
  /// next compile and evaluation allocate afresh. Changes no result, and may run concurrently
  /// with compiles and evaluations of the model.
  void release_memory() const noexcept;

  /// Deep equality of info and every entity, in order.
  bool operator==(const Model& other) const;

  /// Reserves room for n entities of a kind (for bulk loads).
  void reserve(EntityKind kind, std::size_t n);

  struct Impl;

 private:
  friend struct detail::ModelAccess;
  std::unique_ptr<Impl> impl_;
};

}  // namespace v1
}  // namespace spm
