// io_fixtures.hpp - models for the file-format tests: one with every field of every entity set
// to a value other than its default, and random ones from fixed seeds.
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "io/text.hpp"
#include "model/describe.hpp"
#include "spm/model.hpp"

namespace spm_test {

using namespace spm;

inline Attributes some_attributes() {
  return {{"cost_center", "\"CC-12\""},
          {"score", "0.8"},
          {"nested", "{\"a\":[1,2,{\"b\":null}],\"c\":true}"},
          {"big", "123456789012345678901234567890"}};
}

/// A model in which every field of every entity differs from its default.
inline Model full_model() {
  Model m;
  OrganizationInfo info;
  info.id = "org";
  info.name = "City of \"Example\" \\ Town";
  info.vision = "A thriving city\nfor everyone\t\x01 \xE2\x9C\x93";
  info.mission = "Serve residents";
  info.settings.cap = 1.5;
  info.settings.status_bands = {{Status::green, 0.95}, {Status::amber, 0.75}, {Status::red, 0}};
  info.settings.rollup = RollupMethod::min;
  info.settings.missing = MissingPolicy::carry;
  info.attributes = some_attributes();
  m.set_info(info);

  m.add(Value{"V1", "Integrity", "We do what we say", some_attributes()});
  m.add(Perspective{"P1", "Community", "Residents first", some_attributes()});
  m.add(Function{"F1", "Public works", "Roads and water", some_attributes()});
  m.add(Division{"D1", "Infrastructure", "Builds things", "F1", "E1", some_attributes()});
  m.add(Unit{"U1", "Roads", "Keeps roads", "D1", "U0", "F1", "E1", some_attributes()});
  m.add(Team{
      "T1", "Pothole squad", "Fix holes", "MS1", "E1", {"E1", "E2"}, {"U1"}, some_attributes()});
  m.add(Employee{"E1", "Ana", "Director", "U1", "E0", Date::from_ymd(2020, 1, 6),
                 Date::from_ymd(2030, 12, 31), some_attributes()});
  m.add(Goal{"G1",
             "Safe roads",
             "Fewer accidents",
             "P1",
             "Mayor",
             Date::from_ymd(2026, 1, 1),
             Date::from_ymd(2028, 12, 31),
             {"G2"},
             RollupMethod::max,
             MissingPolicy::zero,
             some_attributes()});
  m.add(Strategy{"S1",
                 "Repair fast",
                 "Fix quickly",
                 "we repair within 48 hours",
                 {"fewer accidents", "happier residents"},
                 "Roads unit",
                 Date::from_ymd(2026, 1, 1),
                 Date::from_ymd(2026, 12, 31),
                 {{{EntityKind::goal, "G1"}, 2.5}},
                 RollupMethod::status_counts,
                 MissingPolicy::propagate,
                 some_attributes()});
  Measure ms;
  ms.id = "M1";
  ms.name = "Repair time";
  ms.description = "Median hours";
  ms.subject = {EntityKind::strategy, "S1"};
  ms.weight = 3;
  ms.data_source = "Work orders";
  ms.unit = "hours";
  ms.owner = "Ops";
  ms.polarity = Polarity::decreasing;
  ms.method = ScoringMethod::thresholds;
  ms.aggregation = Aggregation::ratio;
  ms.baseline = 72;
  ms.target = 48;
  ms.targets = {{Period::quarter(2026, 1), 60}, {Period::year(2027), 40.25}};
  ms.band_low = 10;
  ms.band_high = 20;
  ms.band_tolerance = 5;
  ms.red_flag = 72;
  ms.goal_value = 48;
  ms.table = {{0, 24, 1}, {24, 48, 0.5}};
  ms.cap = 1.2;
  ms.status_bands = {{Status::green, 0.8}, {Status::red, 0}};
  ms.actuals = {{Period::month(2026, 1), 0.5, 2.0, 4.0},
                {Period::month(2026, 2), 0.02, 2.0, 100.0}};
  ms.attributes = some_attributes();
  m.add(ms);
  m.add(Milestone{"MS1",
                  "Crews hired",
                  "Two crews",
                  {EntityKind::team, "T1"},
                  Date::from_ymd(2026, 2, 1),
                  Date::from_ymd(2026, 6, 30),
                  42.5,
                  WorkStatus::at_risk,
                  {{{EntityKind::strategy, "S1"}, 1}},
                  RollupMethod::min,
                  MissingPolicy::zero,
                  some_attributes()});
  m.add(Action{"A1",
               "Advertise",
               "Post jobs",
               "E1",
               Date::from_ymd(2026, 2, 1),
               Date::from_ymd(2026, 4, 1),
               10,
               WorkStatus::completed,
               {{{EntityKind::milestone, "MS1"}, 0.5}},
               some_attributes()});
  m.add(Objective{"O1",
                  "Hire",
                  "Hire crews",
                  {EntityKind::employee, "E1"},
                  2,
                  Date::from_ymd(2026, 1, 1),
                  Date::from_ymd(2026, 12, 31),
                  {{{EntityKind::milestone, "MS1"}, 1}, {{EntityKind::goal, "G1"}, 0.25}},
                  {{"C1", 3}},
                  RollupMethod::max,
                  MissingPolicy::skip,
                  some_attributes()});
  m.add(Competency{"C1", "Planning", "Plans work", 10, some_attributes()});
  ReviewCycle rc;
  rc.id = "RC1";
  rc.name = "2026";
  rc.description = "Annual";
  rc.first = Period::month(2026, 1);
  rc.last = Period::month(2026, 12);
  rc.employees = {"E1"};
  rc.weights = {0.5, 0.1, 0.1, 0.1, 0.2};
  rc.scale = {0, 10, {{0, 5, 0}, {5, 10, 1}}};
  rc.check_in_cadence_days = 14;
  rc.anonymity = {2, 4, 5, 6, 2};
  rc.attributes = some_attributes();
  m.add(rc);
  m.add(Review{"R1",
               "RC1",
               "E1",
               "E0",
               Date::from_ymd(2026, 12, 20),
               {{{EntityKind::value, "V1"}, 4}, {{EntityKind::competency, "C1"}, 3.5}},
               4.25,
               "Good year",
               some_attributes()});
  m.add(SelfAssessment{"SA1", "RC1", "E1", Date::from_ymd(2026, 12, 1), 4, "Proud",
                       some_attributes()});
  m.add(Feedback{"FB1", "RC1", "E1", "E2", RaterRelation::direct_report, 3, "Fair",
                 Date::from_ymd(2026, 11, 30), some_attributes()});
  m.add(CheckIn{"CI1", "E1", "E0", Date::from_ymd(2026, 3, 3), "Talked", some_attributes()});
  m.add(Budget{"B1", "S1", Period::year(2026), 125000.75, "EUR", some_attributes()});
  return m;
}

// ---- random models ----------------------------------------------------------------------------

class RandomModel {
 public:
  explicit RandomModel(std::uint64_t seed) : rng_(seed) {}

  Model make(int per_kind) {
    Model m;
    OrganizationInfo info;
    info.id = "org";
    info.name = text();
    info.vision = text();
    info.settings.cap = 1 + real();
    info.attributes = attributes();
    m.set_info(info);
    const Model full = full_model();
    spm::detail::for_each_entity_type([&]<class T>(spm::detail::tag<T>) {
      const T base = full.all<T>().front();
      for (int i = 0; i < per_kind; ++i) {
        T e = base;
        randomize(e);
        e.id = id(i);
        fix(e);
        m.add(std::move(e));
      }
    });
    return m;
  }

 private:
  std::mt19937_64 rng_;

  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool coin() { return pick(2) == 0; }
  double real() {
    // Full-precision values at several scales, some integral.
    switch (pick(4)) {
      case 0:
        return std::uniform_real_distribution<double>(0, 1)(rng_);
      case 1:
        return static_cast<double>(pick(100));
      case 2:
        return std::uniform_real_distribution<double>(0, 100)(rng_);
      default:
        return std::uniform_real_distribution<double>(0, 1e-3)(rng_);
    }
  }
  std::string id(int i) { return "id-" + std::to_string(i) + (coin() ? "\xC3\xA9" : "\"q\""); }
  std::string text() {
    static const char* pieces[] = {
        "a",  "Road",  " ",    "\"",       "\\",           "\n",
        "\t", "\x01",  "\x1f", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80",
        "/",  "<tag>", "{}",   "0.1",      "\x7f"};
    std::string s;
    const int n = pick(6);
    for (int i = 0; i < n; ++i) s += pieces[pick(static_cast<int>(std::size(pieces)))];
    return s;
  }
  std::string json_value() {
    switch (pick(7)) {
      case 0:
        return "null";
      case 1:
        return coin() ? "true" : "false";
      case 2:
        return std::to_string(pick(1000) - 500);
      case 3:
        return "1.25e-7";
      case 4: {
        std::string s;
        spm::detail::append_json_string(s, text());
        return s;
      }
      case 5:
        return "[1,\"x\",{}]";
      default:
        return "{\"k\":[],\"v\":{\"w\":-0.5}}";
    }
  }
  Attributes attributes() {
    Attributes a;
    const int n = pick(3);
    for (int i = 0; i < n; ++i) a.emplace_back("key" + std::to_string(i) + text(), json_value());
    return a;
  }
  Date date() { return Date::from_ymd(2000 + pick(40), 1 + pick(12), 1 + pick(28)); }

  template <class T>
  void randomize(T& e) {
    spm::detail::describe([&](const char* name, auto member) { field(name, e.*member); },
                          spm::detail::tag<T>{});
  }
  void field(const char* name, std::string& s) {
    if (std::string_view(name) != "id") s = text();
  }
  void field(const char*, std::optional<Date>& d) {
    d = coin() ? std::optional<Date>(date()) : std::nullopt;
  }
  void field(const char*, Attributes& a) { a = attributes(); }
  void field(const char*, std::vector<std::string>& v) {
    v.clear();
    const int n = pick(4);
    for (int i = 0; i < n; ++i) v.push_back("ref" + std::to_string(pick(1000)));
  }
  template <class E>
  requires std::is_enum_v<E>
  void field(const char*, std::optional<E>& e) {
    e = coin() ? std::optional<E>(static_cast<E>(
                     pick(static_cast<int>(spm::detail::enum_names<E>::names.size()))))
               : std::nullopt;
  }
  void field(const char*, WorkStatus& s) { s = static_cast<WorkStatus>(pick(6)); }
  void field(const char*, std::vector<Contribution>& v) {
    for (auto& c : v) {
      c.to.id = "to" + std::to_string(pick(1000)) + text().substr(0, 0);
      c.weight = coin() ? 1.0 : 0.01 + real();
    }
  }
  template <class X>
  void field(const char*, X&) {}

  void fix_dates(std::optional<Date>& a, std::optional<Date>& b) {
    if (a && b && *b < *a) std::swap(a, b);
  }
  template <class T>
  void fix(T& e) {
    if constexpr (requires {
                    e.start;
                    e.end;
                  })
      fix_dates(e.start, e.end);
    if constexpr (requires {
                    e.start;
                    e.due;
                  })
      fix_dates(e.start, e.due);
    if constexpr (std::is_same_v<T, Milestone>) e.progress = std::min(100.0, real());
    if constexpr (std::is_same_v<T, Action>) e.percent_complete = std::min(100.0, real());
    if constexpr (std::is_same_v<T, Objective>) e.weight = 0.5 + real();
    if constexpr (std::is_same_v<T, Budget>) e.amount = real() * 1000;
    if constexpr (std::is_same_v<T, Feedback>) e.rater = e.subject + "x";
    if constexpr (std::is_same_v<T, Review>) e.reviewer = e.employee + "x";
    if constexpr (std::is_same_v<T, CheckIn>) e.manager = e.employee + "x";
    if constexpr (std::is_same_v<T, Review>) {
      e.overall = coin() ? std::optional<double>(real()) : std::nullopt;
      for (auto& r : e.ratings) r.rating = real();
    }
    if constexpr (std::is_same_v<T, Measure>) {
      e.weight = 0.1 + real();
      e.baseline = coin() ? std::optional<double>(real()) : std::nullopt;
      e.target = coin() ? std::optional<double>(real()) : std::nullopt;
      e.red_flag = 50 + real();
      e.goal_value = 10 + real() / 10;  // below red_flag: decreasing
      e.cap = coin() ? std::optional<double>(1 + real()) : std::nullopt;
      e.aggregation = coin() ? Aggregation::ratio : Aggregation::sum;
      e.actuals.clear();
      const int n = pick(15);
      for (int i = 0; i < n; ++i) {
        Actual a;
        a.period = Period::month(2020 + i / 12, 1 + i % 12);
        if (e.aggregation == Aggregation::ratio || coin()) {
          a.numerator = real();
          a.denominator = 0.5 + real();
          a.value = *a.numerator / *a.denominator;
        } else {
          a.value = real() - 50;
        }
        e.actuals.push_back(a);
      }
    }
  }
};

}  // namespace spm_test
