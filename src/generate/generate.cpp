// The synthetic organization generator (spm/generate.hpp).
//
// Everything is drawn from one std::mt19937_64 for the structure and one for the actuals, with
// spm's own integer and real arithmetic on the raw output, so that a seed gives the same model
// on every platform and whether or not actuals are generated.

#include "spm/generate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "spm/error.hpp"

namespace spm {
inline namespace v1 {

namespace {

/// Uniform integers and reals from the raw 64-bit output of std::mt19937_64.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  /// Uniform in [0, n), n >= 1, by rejection (no modulo bias).
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
    const std::uint64_t limit = max - (max % n + 1) % n;  // last accepted value
    std::uint64_t x = engine_();
    while (x > limit) x = engine_();
    return x % n;
  }
  /// Uniform in [lo, hi].
  int between(int lo, int hi) {
    return lo + static_cast<int>(below(static_cast<std::uint64_t>(hi - lo + 1)));
  }
  /// Uniform in [0, 1), 53 bits.
  double unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  /// Uniform in [lo, hi).
  double real(double lo, double hi) { return lo + (hi - lo) * unit(); }
  /// A weight from [0.5, 2) in steps of 0.01 (short in files, exact in binary round trips).
  double weight() { return static_cast<double>(50 + below(150)) / 100.0; }

 private:
  std::mt19937_64 engine_;
};

double round2(double x) {
  return std::round(x * 100.0) / 100.0;
}

/// A random permutation of 0..n-1 (Fisher-Yates).
std::vector<std::uint32_t> permutation(Rng& rng, std::size_t n) {
  std::vector<std::uint32_t> p(n);
  for (std::size_t i = 0; i < n; ++i) p[i] = static_cast<std::uint32_t>(i);
  for (std::size_t i = n; i > 1; --i) std::swap(p[i - 1], p[rng.below(i)]);
  return p;
}

std::vector<std::uint32_t> inverse(const std::vector<std::uint32_t>& p) {
  std::vector<std::uint32_t> inv(p.size());
  for (std::size_t i = 0; i < p.size(); ++i) inv[p[i]] = static_cast<std::uint32_t>(i);
  return inv;
}

std::string id_of(char prefix, std::uint32_t number) {
  std::string id(1, prefix);
  id += std::to_string(number + 1);
  return id;
}

/// Splits `n` items into consecutive groups of 4 to 12 (the last one may be smaller); returns
/// the offsets, groups + 1 of them.
std::vector<std::uint32_t> groups_of(Rng& rng, std::size_t n) {
  std::vector<std::uint32_t> offsets{0};
  std::size_t at = 0;
  while (at < n) {
    at = std::min(n, at + static_cast<std::size_t>(rng.between(4, 12)));
    offsets.push_back(static_cast<std::uint32_t>(at));
  }
  return offsets;
}

/// An objective in tree order, before it becomes an Objective.
struct ObjectiveDraft {
  bool unit_owner = false;
  std::uint32_t owner = 0;  ///< unit or employee, tree order
  double weight = 1.0;
  std::uint8_t links = 0;
  bool to_goal = false;
  std::uint32_t to[2] = {0, 0};  ///< objectives (tree order) or goals
  double link_weight[2] = {1.0, 1.0};
};

/// 1 or 2 distinct picks among `count` candidates starting at `first`.
void pick_targets(Rng& rng, ObjectiveDraft& o, std::uint32_t first, std::uint32_t count) {
  const int want = std::min<int>(rng.between(1, 2), static_cast<int>(count));
  o.links = static_cast<std::uint8_t>(want);
  o.to[0] = first + static_cast<std::uint32_t>(rng.below(count));
  if (want == 2) {
    std::uint32_t second = first + static_cast<std::uint32_t>(rng.below(count - 1));
    if (second >= o.to[0]) ++second;
    o.to[1] = second;
  }
  for (int k = 0; k < want; ++k) o.link_weight[k] = rng.weight();
}

}  // namespace

Model generate(const GenerateOptions& opt) {
  if (opt.employees < 1 || opt.employees > 50'000'000)
    throw Error(ErrorCode::invalid_argument, "generate: employees must be from 1 to 50000000");
  if (opt.goals < 1 || opt.goals > 100'000)
    throw Error(ErrorCode::invalid_argument, "generate: goals must be from 1 to 100000");
  if (opt.periods < 0 || opt.periods > 1200)
    throw Error(ErrorCode::invalid_argument, "generate: periods must be from 0 to 1200");
  if (opt.year < 1 || opt.year + (opt.periods + 11) / 12 > 10000)
    throw Error(ErrorCode::invalid_argument, "generate: the periods must lie in years 1..9999");
  if (!(opt.missing >= 0.0 && opt.missing <= 1.0))
    throw Error(ErrorCode::invalid_argument, "generate: missing must be from 0 to 1");
  if (opt.max_top_units < 1)
    throw Error(ErrorCode::invalid_argument, "generate: max_top_units must be at least 1");

  Rng rng(opt.seed);
  Rng values(opt.seed ^ 0x9e3779b97f4a7c15ull);
  const std::size_t E = static_cast<std::size_t>(opt.employees);
  const auto G = static_cast<std::uint32_t>(opt.goals);

  // ---- the reporting tree, bottom-up ---------------------------------------------------------
  // Units in tree order: level by level from the leaves; unit_parent links them.
  std::vector<std::uint32_t> employee_unit(E);
  std::vector<std::uint32_t> unit_parent;  // none at the top
  std::vector<std::uint32_t> unit_head;    // employee, tree order
  constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();
  {
    const auto offsets = groups_of(rng, E);
    for (std::size_t u = 0; u + 1 < offsets.size(); ++u) {
      for (std::uint32_t e = offsets[u]; e < offsets[u + 1]; ++e)
        employee_unit[e] = static_cast<std::uint32_t>(u);
      unit_parent.push_back(none);
      unit_head.push_back(offsets[u]);
    }
  }
  std::size_t level_first = 0, level_end = unit_parent.size();
  while (level_end - level_first > static_cast<std::size_t>(opt.max_top_units)) {
    const auto offsets = groups_of(rng, level_end - level_first);
    for (std::size_t g = 0; g + 1 < offsets.size(); ++g) {
      const auto parent = static_cast<std::uint32_t>(unit_parent.size());
      for (std::uint32_t c = offsets[g]; c < offsets[g + 1]; ++c)
        unit_parent[level_first + c] = parent;
      unit_parent.push_back(none);
      unit_head.push_back(unit_head[level_first + offsets[g]]);
    }
    level_first = level_end;
    level_end = unit_parent.size();
  }
  const std::size_t U = unit_parent.size();
  const std::size_t top_first = level_first;

  // ---- objectives, top-down so that each knows the objectives above it -------------------------
  std::vector<std::uint32_t> unit_obj_first(U), unit_obj_count(U);
  std::vector<ObjectiveDraft> objectives;
  objectives.reserve(E * 5 + U * 5);
  for (std::size_t k = U; k-- > 0;) {
    unit_obj_first[k] = static_cast<std::uint32_t>(objectives.size());
    unit_obj_count[k] = static_cast<std::uint32_t>(rng.between(3, 7));
    for (std::uint32_t j = 0; j < unit_obj_count[k]; ++j) {
      ObjectiveDraft o;
      o.unit_owner = true;
      o.owner = static_cast<std::uint32_t>(k);
      o.weight = rng.weight();
      if (unit_parent[k] == none) {
        o.to_goal = true;
        pick_targets(rng, o, 0, G);
      } else {
        const std::uint32_t p = unit_parent[k];
        pick_targets(rng, o, unit_obj_first[p], unit_obj_count[p]);
      }
      objectives.push_back(o);
    }
  }
  for (std::size_t e = 0; e < E; ++e) {
    const int n = rng.between(3, 7);
    const std::uint32_t u = employee_unit[e];
    for (int j = 0; j < n; ++j) {
      ObjectiveDraft o;
      o.owner = static_cast<std::uint32_t>(e);
      o.weight = rng.weight();
      pick_targets(rng, o, unit_obj_first[u], unit_obj_count[u]);
      objectives.push_back(o);
    }
  }
  const std::size_t O = objectives.size();

  // ---- measures: 1 to 3 per goal and objective ------------------------------------------------
  // subject < G: a goal; else objective subject - G (tree order).
  std::vector<std::uint32_t> measure_subject;
  measure_subject.reserve((G + O) * 2);
  for (std::uint32_t s = 0; s < G + O; ++s) {
    const int n = rng.between(1, 3);
    for (int j = 0; j < n; ++j) measure_subject.push_back(s);
  }
  const std::size_t M = measure_subject.size();

  // ---- ids shuffled: the entity at tree position t gets number perm[t] and model position
  // perm[t], so that the model's order has nothing to do with the tree's -----------------------
  const auto employee_perm = permutation(rng, E);
  const auto unit_perm = permutation(rng, U);
  const auto objective_perm = permutation(rng, O);
  const auto measure_perm = permutation(rng, M);

  Model model;
  OrganizationInfo info;
  info.id = fmt::format("generated-{}-{}", opt.employees, opt.seed);
  info.name =
      fmt::format("Generated organization ({} employees, seed {})", opt.employees, opt.seed);
  model.set_info(info);
  const auto perspectives = default_perspectives();
  for (const auto& p : perspectives) model.add(p);
  model.reserve(EntityKind::goal, G);
  for (std::uint32_t g = 0; g < G; ++g) {
    Goal goal;
    goal.id = id_of('G', g);
    goal.perspective = perspectives[g % perspectives.size()].id;
    model.add(std::move(goal));
  }

  {
    const auto order = inverse(unit_perm);
    model.reserve(EntityKind::unit, U);
    for (std::size_t k = 0; k < U; ++k) {
      const std::uint32_t t = order[k];
      Unit unit;
      unit.id = id_of('U', static_cast<std::uint32_t>(k));
      if (unit_parent[t] != none) unit.parent = id_of('U', unit_perm[unit_parent[t]]);
      unit.head = id_of('E', employee_perm[unit_head[t]]);
      model.add(std::move(unit));
    }
  }
  {
    // An employee reports to the head of their unit; a head to the head of the nearest unit
    // above that they do not head themselves; the heads of the other top units to the head of
    // the first top unit.
    const auto order = inverse(employee_perm);
    model.reserve(EntityKind::employee, E);
    for (std::size_t k = 0; k < E; ++k) {
      const std::uint32_t e = order[k];
      Employee emp;
      emp.id = id_of('E', static_cast<std::uint32_t>(k));
      std::uint32_t u = employee_unit[e];
      emp.unit = id_of('U', unit_perm[u]);
      while (u != none && unit_head[u] == e) u = unit_parent[u];
      std::uint32_t manager = none;
      if (u != none)
        manager = unit_head[u];
      else if (U > top_first && unit_head[top_first] != e)
        manager = unit_head[top_first];
      if (manager != none) emp.manager = id_of('E', employee_perm[manager]);
      model.add(std::move(emp));
    }
  }
  {
    const auto order = inverse(objective_perm);
    model.reserve(EntityKind::objective, O);
    for (std::size_t k = 0; k < O; ++k) {
      const ObjectiveDraft& d = objectives[order[k]];
      Objective o;
      o.id = id_of('O', static_cast<std::uint32_t>(k));
      o.owner = d.unit_owner ? Ref{EntityKind::unit, id_of('U', unit_perm[d.owner])}
                             : Ref{EntityKind::employee, id_of('E', employee_perm[d.owner])};
      o.weight = d.weight;
      for (int j = 0; j < d.links; ++j)
        o.contributes_to.push_back(
            d.to_goal
                ? Contribution{Ref{EntityKind::goal, id_of('G', d.to[j])}, d.link_weight[j]}
                : Contribution{Ref{EntityKind::objective, id_of('O', objective_perm[d.to[j]])},
                               d.link_weight[j]});
      model.add(std::move(o));
    }
    objectives.clear();
    objectives.shrink_to_fit();
  }
  {
    const auto order = inverse(measure_perm);
    model.reserve(EntityKind::measure, M);
    const auto P = static_cast<std::size_t>(opt.periods);
    std::vector<Period> months;
    for (int p = 0; p < opt.periods; ++p)
      months.push_back(Period::month(opt.year + p / 12, p % 12 + 1));
    for (std::size_t k = 0; k < M; ++k) {
      const std::uint32_t s = measure_subject[order[k]];
      Measure m;
      m.id = id_of('M', static_cast<std::uint32_t>(k));
      m.subject = s < G ? Ref{EntityKind::goal, id_of('G', s)}
                        : Ref{EntityKind::objective, id_of('O', objective_perm[s - G])};
      m.weight = rng.weight();
      const double baseline = round2(rng.real(0.0, 50.0));
      const double span = round2(rng.real(10.0, 100.0));
      const bool decreasing = rng.below(4) == 0;
      m.polarity = decreasing ? Polarity::decreasing : Polarity::increasing;
      m.baseline = baseline;
      m.target = round2(decreasing ? baseline - span : baseline + span);
      if (opt.actuals) {
        m.actuals.reserve(P);
        for (std::size_t p = 0; p < P; ++p) {
          const bool skip = values.unit() < opt.missing;
          const double x = round2(baseline + (*m.target - baseline) * values.real(-0.25, 1.25));
          if (!skip) m.actuals.push_back(Actual{months[p], x, {}, {}});
        }
      }
      model.add(std::move(m));
    }
  }
  return model;
}

}  // namespace v1
}  // namespace spm
