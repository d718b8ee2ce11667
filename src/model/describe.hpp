// describe.hpp - one list of fields per entity type, as (JSON name, member pointer) pairs.
//
// The JSON reader and writer, the per-entity checks and the documentation test all walk these
// lists, so that adding a field to an entity is one line here (and one in docs/format.md, which
// a test checks). Internal to spm: not installed.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "spm/model.hpp"

namespace spm {
inline namespace v1 {
namespace detail {

template <class T>
struct tag {
  using type = T;
};

// ---- names of enumerators, in enumerator order -----------------------------------------------
template <class E>
struct enum_names;
#define SPM_ENUM_NAMES(E, ...)                      \
  template <>                                       \
  struct enum_names<E> {                            \
    static constexpr std::array names{__VA_ARGS__}; \
  };
SPM_ENUM_NAMES(EntityKind, "value", "perspective", "function", "division", "unit", "team",
               "employee", "goal", "strategy", "measure", "milestone", "action", "objective",
               "competency", "review_cycle", "review", "self_assessment", "feedback", "check_in",
               "budget")
SPM_ENUM_NAMES(Polarity, "increasing", "decreasing")
SPM_ENUM_NAMES(ScoringMethod, "linear", "ratio", "band", "thresholds", "binary", "table")
SPM_ENUM_NAMES(Aggregation, "sum", "average", "last", "min", "max", "ratio")
SPM_ENUM_NAMES(Status, "green", "amber", "red", "no_data")
SPM_ENUM_NAMES(RollupMethod, "mean", "min", "max", "status_counts")
SPM_ENUM_NAMES(MissingPolicy, "skip", "zero", "propagate", "carry")
SPM_ENUM_NAMES(WorkStatus, "not_started", "on_track", "at_risk", "off_track", "completed",
               "cancelled")
SPM_ENUM_NAMES(RaterRelation, "manager", "peer", "direct_report", "other", "self")
#undef SPM_ENUM_NAMES

template <class E>
constexpr bool is_named_enum_v = false;
template <class E>
requires requires {
  enum_names<E>::names;
}
constexpr bool is_named_enum_v<E> = true;

template <class E>
const char* enum_name(E e) noexcept {
  const auto& names = enum_names<E>::names;
  auto i = static_cast<std::size_t>(e);
  return i < names.size() ? names[i] : "?";
}
/// enum_names<E>::names as views, their lengths counted at compile time: parse_enum() runs for
/// every reference a loader reads, and comparing with a `const char*` counts its length anew.
template <class E>
inline constexpr auto enum_views = [] {
  constexpr const auto& names = enum_names<E>::names;
  std::array<std::string_view, names.size()> out{};
  for (std::size_t i = 0; i < names.size(); ++i) out[i] = names[i];
  return out;
}();
template <class E>
std::optional<E> parse_enum(std::string_view text) noexcept {
  const auto& names = enum_views<E>;
  for (std::size_t i = 0; i < names.size(); ++i)
    if (text == names[i]) return static_cast<E>(i);
  return std::nullopt;
}

// ---- field lists ----------------------------------------------------------------------------
// describe(v, tag<T>{}) calls v(name, &T::member) for each field, in file order. Nested structs
// (Settings, RatingScale, ...) have lists of their own; Ref, Contribution, Rating and Actual have
// special JSON shapes and are handled by the reader and writer directly.

#define SPM_DESCRIBE(T) \
  template <class V>    \
  constexpr void describe(V&& v, tag<T>)

SPM_DESCRIBE(StatusBand) {
  v("status", &StatusBand::status);
  v("lower", &StatusBand::lower);
}
SPM_DESCRIBE(ScoreRange) {
  v("from", &ScoreRange::from);
  v("to", &ScoreRange::to);
  v("score", &ScoreRange::score);
}
SPM_DESCRIBE(PeriodTarget) {
  v("period", &PeriodTarget::period);
  v("value", &PeriodTarget::value);
}
SPM_DESCRIBE(CompetencyRequirement) {
  v("competency", &CompetencyRequirement::competency);
  v("level", &CompetencyRequirement::level);
}
SPM_DESCRIBE(RatingScale) {
  v("min", &RatingScale::min);
  v("max", &RatingScale::max);
  v("table", &RatingScale::table);
}
SPM_DESCRIBE(ComponentWeights) {
  v("objectives", &ComponentWeights::objectives);
  v("contribution", &ComponentWeights::contribution);
  v("values", &ComponentWeights::values);
  v("self", &ComponentWeights::self);
  v("feedback", &ComponentWeights::feedback);
}
SPM_DESCRIBE(AnonymityThresholds) {
  v("manager", &AnonymityThresholds::manager);
  v("peer", &AnonymityThresholds::peer);
  v("direct_report", &AnonymityThresholds::direct_report);
  v("other", &AnonymityThresholds::other);
  v("self", &AnonymityThresholds::self);
}
SPM_DESCRIBE(Settings) {
  v("cap", &Settings::cap);
  v("status_bands", &Settings::status_bands);
  v("rollup", &Settings::rollup);
  v("missing", &Settings::missing);
}
SPM_DESCRIBE(OrganizationInfo) {
  v("id", &OrganizationInfo::id);
  v("name", &OrganizationInfo::name);
  v("vision", &OrganizationInfo::vision);
  v("mission", &OrganizationInfo::mission);
  v("settings", &OrganizationInfo::settings);
  v("attributes", &OrganizationInfo::attributes);
}

SPM_DESCRIBE(Value) {
  v("id", &Value::id);
  v("name", &Value::name);
  v("description", &Value::description);
  v("attributes", &Value::attributes);
}
SPM_DESCRIBE(Perspective) {
  v("id", &Perspective::id);
  v("name", &Perspective::name);
  v("description", &Perspective::description);
  v("attributes", &Perspective::attributes);
}
SPM_DESCRIBE(Function) {
  v("id", &Function::id);
  v("name", &Function::name);
  v("description", &Function::description);
  v("attributes", &Function::attributes);
}
SPM_DESCRIBE(Division) {
  v("id", &Division::id);
  v("name", &Division::name);
  v("description", &Division::description);
  v("function", &Division::function);
  v("head", &Division::head);
  v("attributes", &Division::attributes);
}
SPM_DESCRIBE(Unit) {
  v("id", &Unit::id);
  v("name", &Unit::name);
  v("description", &Unit::description);
  v("division", &Unit::division);
  v("parent", &Unit::parent);
  v("function", &Unit::function);
  v("head", &Unit::head);
  v("attributes", &Unit::attributes);
}
SPM_DESCRIBE(Team) {
  v("id", &Team::id);
  v("name", &Team::name);
  v("description", &Team::description);
  v("milestone", &Team::milestone);
  v("lead", &Team::lead);
  v("members", &Team::members);
  v("units", &Team::units);
  v("attributes", &Team::attributes);
}
SPM_DESCRIBE(Employee) {
  v("id", &Employee::id);
  v("name", &Employee::name);
  v("title", &Employee::title);
  v("unit", &Employee::unit);
  v("manager", &Employee::manager);
  v("start", &Employee::start);
  v("end", &Employee::end);
  v("attributes", &Employee::attributes);
}
SPM_DESCRIBE(Goal) {
  v("id", &Goal::id);
  v("name", &Goal::name);
  v("description", &Goal::description);
  v("perspective", &Goal::perspective);
  v("owner", &Goal::owner);
  v("start", &Goal::start);
  v("end", &Goal::end);
  v("drives", &Goal::drives);
  v("rollup", &Goal::rollup);
  v("missing", &Goal::missing);
  v("attributes", &Goal::attributes);
}
SPM_DESCRIBE(Strategy) {
  v("id", &Strategy::id);
  v("name", &Strategy::name);
  v("description", &Strategy::description);
  v("if", &Strategy::if_part);
  v("then", &Strategy::then_parts);
  v("owner", &Strategy::owner);
  v("start", &Strategy::start);
  v("end", &Strategy::end);
  v("contributes_to", &Strategy::contributes_to);
  v("rollup", &Strategy::rollup);
  v("missing", &Strategy::missing);
  v("attributes", &Strategy::attributes);
}
SPM_DESCRIBE(Measure) {
  v("id", &Measure::id);
  v("name", &Measure::name);
  v("description", &Measure::description);
  v("subject", &Measure::subject);
  v("weight", &Measure::weight);
  v("data_source", &Measure::data_source);
  v("unit", &Measure::unit);
  v("owner", &Measure::owner);
  v("polarity", &Measure::polarity);
  v("method", &Measure::method);
  v("aggregation", &Measure::aggregation);
  v("baseline", &Measure::baseline);
  v("target", &Measure::target);
  v("targets", &Measure::targets);
  v("band_low", &Measure::band_low);
  v("band_high", &Measure::band_high);
  v("band_tolerance", &Measure::band_tolerance);
  v("red_flag", &Measure::red_flag);
  v("goal", &Measure::goal_value);
  v("table", &Measure::table);
  v("cap", &Measure::cap);
  v("status_bands", &Measure::status_bands);
  v("actuals", &Measure::actuals);
  v("attributes", &Measure::attributes);
}
SPM_DESCRIBE(Milestone) {
  v("id", &Milestone::id);
  v("name", &Milestone::name);
  v("description", &Milestone::description);
  v("owner", &Milestone::owner);
  v("start", &Milestone::start);
  v("due", &Milestone::due);
  v("progress", &Milestone::progress);
  v("status", &Milestone::status);
  v("contributes_to", &Milestone::contributes_to);
  v("rollup", &Milestone::rollup);
  v("missing", &Milestone::missing);
  v("attributes", &Milestone::attributes);
}
SPM_DESCRIBE(Action) {
  v("id", &Action::id);
  v("name", &Action::name);
  v("description", &Action::description);
  v("owner", &Action::owner);
  v("start", &Action::start);
  v("due", &Action::due);
  v("percent_complete", &Action::percent_complete);
  v("status", &Action::status);
  v("contributes_to", &Action::contributes_to);
  v("attributes", &Action::attributes);
}
SPM_DESCRIBE(Objective) {
  v("id", &Objective::id);
  v("name", &Objective::name);
  v("description", &Objective::description);
  v("owner", &Objective::owner);
  v("weight", &Objective::weight);
  v("start", &Objective::start);
  v("end", &Objective::end);
  v("contributes_to", &Objective::contributes_to);
  v("requires_competencies", &Objective::requires_competencies);
  v("rollup", &Objective::rollup);
  v("missing", &Objective::missing);
  v("attributes", &Objective::attributes);
}
SPM_DESCRIBE(Competency) {
  v("id", &Competency::id);
  v("name", &Competency::name);
  v("description", &Competency::description);
  v("max_level", &Competency::max_level);
  v("attributes", &Competency::attributes);
}
SPM_DESCRIBE(ReviewCycle) {
  v("id", &ReviewCycle::id);
  v("name", &ReviewCycle::name);
  v("description", &ReviewCycle::description);
  v("first", &ReviewCycle::first);
  v("last", &ReviewCycle::last);
  v("employees", &ReviewCycle::employees);
  v("weights", &ReviewCycle::weights);
  v("scale", &ReviewCycle::scale);
  v("check_in_cadence_days", &ReviewCycle::check_in_cadence_days);
  v("anonymity", &ReviewCycle::anonymity);
  v("attributes", &ReviewCycle::attributes);
}
SPM_DESCRIBE(Review) {
  v("id", &Review::id);
  v("cycle", &Review::cycle);
  v("employee", &Review::employee);
  v("reviewer", &Review::reviewer);
  v("completed", &Review::completed);
  v("ratings", &Review::ratings);
  v("overall", &Review::overall);
  v("comment", &Review::comment);
  v("attributes", &Review::attributes);
}
SPM_DESCRIBE(SelfAssessment) {
  v("id", &SelfAssessment::id);
  v("cycle", &SelfAssessment::cycle);
  v("employee", &SelfAssessment::employee);
  v("submitted", &SelfAssessment::submitted);
  v("rating", &SelfAssessment::rating);
  v("comment", &SelfAssessment::comment);
  v("attributes", &SelfAssessment::attributes);
}
SPM_DESCRIBE(Feedback) {
  v("id", &Feedback::id);
  v("cycle", &Feedback::cycle);
  v("subject", &Feedback::subject);
  v("rater", &Feedback::rater);
  v("relation", &Feedback::relation);
  v("rating", &Feedback::rating);
  v("comment", &Feedback::comment);
  v("submitted", &Feedback::submitted);
  v("attributes", &Feedback::attributes);
}
SPM_DESCRIBE(CheckIn) {
  v("id", &CheckIn::id);
  v("employee", &CheckIn::employee);
  v("manager", &CheckIn::manager);
  v("date", &CheckIn::date);
  v("notes", &CheckIn::notes);
  v("attributes", &CheckIn::attributes);
}
SPM_DESCRIBE(Budget) {
  v("id", &Budget::id);
  v("strategy", &Budget::strategy);
  v("period", &Budget::period);
  v("amount", &Budget::amount);
  v("currency", &Budget::currency);
  v("attributes", &Budget::attributes);
}
#undef SPM_DESCRIBE

template <class T>
constexpr bool is_described_v = requires {
  describe([](const char*, auto) {}, tag<T>{});
};

/// A described type's field names, with a small hash table from a name to its position in the
/// list: what a reader needs to dispatch a JSON key without comparing it to every name.
template <class T>
struct FieldTable {
  static constexpr std::size_t count = [] {
    std::size_t n = 0;
    describe([&](const char*, auto) { ++n; }, tag<T>{});
    return n;
  }();
  static constexpr std::size_t slot_count = 64;
  static constexpr std::uint8_t empty = 0xFF;
  static_assert(count < slot_count, "a field set of a described type must fit a 64-bit mask");

  std::array<std::string_view, count> names{};
  std::array<std::uint8_t, slot_count> slots{};

  constexpr FieldTable() {
    std::size_t i = 0;
    describe([&](const char* name, auto) { names[i++] = name; }, tag<T>{});
    for (auto& s : slots) s = empty;
    for (i = 0; i < count; ++i) {
      std::size_t s = slot(names[i]);
      while (slots[s] != empty) s = (s + 1) % slot_count;
      slots[s] = static_cast<std::uint8_t>(i);
    }
  }
  /// The position of the field named `key` in describe()'s order, or -1.
  constexpr int find(std::string_view key) const noexcept {
    if (key.empty()) return -1;
    for (std::size_t s = slot(key);; s = (s + 1) % slot_count) {
      const std::uint8_t f = slots[s];
      if (f == empty) return -1;
      if (names[f] == key) return f;
    }
  }

 private:
  static constexpr std::size_t slot(std::string_view k) noexcept {
    return (k.size() * 7 + static_cast<unsigned char>(k[0]) * 3 +
            static_cast<unsigned char>(k[k.size() - 1])) %
           slot_count;
  }
};
template <class T>
inline constexpr FieldTable<T> field_table{};

/// Calls f(tag<T>{}) for every entity type, in EntityKind order.
template <class F>
void for_each_entity_type(F&& f) {
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (f(tag<std::variant_alternative_t<I, AnyEntity>>{}), ...);
  }
  (std::make_index_sequence<std::variant_size_v<AnyEntity>>{});
}

}  // namespace detail
}  // namespace v1
}  // namespace spm
