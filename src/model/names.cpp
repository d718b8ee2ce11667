// Names of enumerators and entity kinds, and the documented defaults.
#include "model/describe.hpp"
#include "spm/version.hpp"

namespace spm {
inline namespace v1 {

const char* to_string(EntityKind kind) noexcept {
  return detail::enum_name(kind);
}

const char* plural_name(EntityKind kind) noexcept {
  static constexpr const char* plurals[] = {
      "values",     "perspectives",     "functions",  "divisions",    "units",
      "teams",      "employees",        "goals",      "strategies",   "measures",
      "milestones", "actions",          "objectives", "competencies", "review_cycles",
      "reviews",    "self_assessments", "feedback",   "check_ins",    "budgets"};
  static_assert(std::size(plurals) == entity_kind_count);
  auto i = static_cast<std::size_t>(kind);
  return i < std::size(plurals) ? plurals[i] : "?";
}

std::optional<EntityKind> parse_entity_kind(std::string_view name) noexcept {
  return detail::parse_enum<EntityKind>(name);
}

namespace {
template <class T>
std::vector<std::string_view> names_of() {
  std::vector<std::string_view> out;
  detail::describe([&](const char* name, auto) { out.emplace_back(name); }, detail::tag<T>{});
  return out;
}
}  // namespace

std::vector<std::string_view> field_names(EntityKind kind) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  detail::for_each_entity_type([&](auto tag) {
    if (i++ == static_cast<std::size_t>(kind)) out = names_of<typename decltype(tag)::type>();
  });
  return out;
}

std::vector<std::string_view> organization_field_names() {
  return names_of<OrganizationInfo>();
}

const char* to_string(Polarity v) noexcept {
  return detail::enum_name(v);
}
const char* to_string(ScoringMethod v) noexcept {
  return detail::enum_name(v);
}
const char* to_string(Aggregation v) noexcept {
  return detail::enum_name(v);
}
const char* to_string(Status v) noexcept {
  return detail::enum_name(v);
}
const char* to_string(RollupMethod v) noexcept {
  return detail::enum_name(v);
}
const char* to_string(MissingPolicy v) noexcept {
  return detail::enum_name(v);
}
const char* to_string(WorkStatus v) noexcept {
  return detail::enum_name(v);
}
const char* to_string(RaterRelation v) noexcept {
  return detail::enum_name(v);
}

std::vector<StatusBand> default_status_bands() {
  return {{Status::green, 0.9}, {Status::amber, 0.7}, {Status::red, 0.0}};
}

std::vector<Perspective> default_perspectives(bool public_sector) {
  return {
      {"financial", public_sector ? "Stewardship" : "Financial", "", {}},
      {"customer", public_sector ? "Community" : "Customer", "", {}},
      {"internal_process", "Internal Process", "", {}},
      {"learning_growth", "Learning and Growth", "", {}},
  };
}

}  // namespace v1
}  // namespace spm
