#include "model/check.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <set>

#include "model/describe.hpp"

namespace spm {
inline namespace v1 {
namespace detail {

bool is_valid_utf8(std::string_view text) noexcept {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned cp = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

bool contribution_allowed(EntityKind from, EntityKind to) noexcept {
  switch (from) {
    case EntityKind::objective:
      return to == EntityKind::objective || to == EntityKind::milestone ||
             to == EntityKind::strategy || to == EntityKind::goal;
    case EntityKind::action:
      return to == EntityKind::milestone;
    case EntityKind::milestone:
      return to == EntityKind::strategy;
    case EntityKind::strategy:
      return to == EntityKind::goal;
    default:
      return false;
  }
}

namespace {

/// A field's name relative to its entity ("actuals[3].value"), spelled out only when an issue
/// needs it: the checks of a valid entity build no strings. A Field refers to its parent, so it
/// lives no longer than the call that made it.
class Field {
 public:
  Field(const char* name) : name_(name) {}         // NOLINT(google-explicit-constructor)
  Field(const std::string& name) : name_(name) {}  // NOLINT(google-explicit-constructor)
  Field(const Field& parent, std::string_view name) : parent_(&parent), name_(name) {}
  template <std::size_t N>  // a literal: no strlen
  Field(const Field& parent, const char (&name)[N]) : parent_(&parent), name_(name, N - 1) {}
  Field(const Field& parent, std::size_t index) : parent_(&parent), index_(index), element_(true) {}

  /// As the issues spell it: members joined by '.', elements as "[i]".
  std::string str() const {
    std::string out = parent_ ? parent_->str() : std::string();
    if (element_) {
      fmt::format_to(std::back_inserter(out), "[{}]", index_);
    } else {
      if (!out.empty()) out.push_back('.');
      out.append(name_);
    }
    return out;
  }
  /// Whether this is the entity's own `id`.
  bool is_id() const noexcept { return !parent_ && !element_ && name_ == "id"; }

 private:
  const Field* parent_ = nullptr;
  std::string_view name_;
  std::size_t index_ = 0;
  bool element_ = false;
};

/// Collects issues for one entity, prefixing fields of nested structs.
struct Sink {
  std::vector<Issue>& out;
  const char* kind;
  std::string_view id;

  void error(const Field& field, std::string message) {
    out.push_back(
        Issue{Severity::error, kind, std::string(id), field.str(), std::move(message), {}});
  }
};

void check_text(Sink& sink, const Field& field, const std::string& text) {
  if (!is_valid_utf8(text)) sink.error(field, "text is not valid UTF-8");
}

void check_id_text(Sink& sink, const Field& field, const std::string& id) {
  if (id.empty()) {
    sink.error(field, "must not be empty");
    return;
  }
  if (!is_valid_utf8(id)) {
    sink.error(field, "id is not valid UTF-8");
    return;
  }
  for (unsigned char c : id)
    if (c < 0x20 || c == 0x7F) {
      sink.error(field, "id contains a control character");
      return;
    }
}

void check_finite(Sink& sink, const Field& field, double v) {
  if (!std::isfinite(v)) sink.error(field, fmt::format("must be a finite number, not {}", v));
}

template <class E>
void check_enum(Sink& sink, const Field& field, E e) {
  if (static_cast<std::size_t>(e) >= enum_names<E>::names.size())
    sink.error(field, fmt::format("invalid value {}", static_cast<int>(e)));
}

void check_ref(Sink& sink, const Field& field, const Ref& ref) {
  check_enum(sink, field, ref.kind);
  if (!ref.id.empty()) check_id_text(sink, field, ref.id);
}

void check_bands(Sink& sink, const Field& field, const std::vector<StatusBand>& bands) {
  for (std::size_t i = 0; i < bands.size(); ++i) {
    const Field band(field, i);
    check_enum(sink, Field(band, "status"), bands[i].status);
    check_finite(sink, Field(band, "lower"), bands[i].lower);
    if (bands[i].status == Status::no_data)
      sink.error(Field(band, "status"), "'no_data' is not a band: it is the status of no score");
    if (i > 0 && !(bands[i].lower < bands[i - 1].lower))
      sink.error(Field(band, "lower"),
                 fmt::format("bands must be in strictly decreasing order of their lower edge "
                             "({} follows {})",
                             bands[i].lower, bands[i - 1].lower));
  }
  if (!bands.empty() && bands.back().lower > 0.0)
    sink.error(field, fmt::format("the lowest band must start at 0 or below so that every score "
                                  "has a status (it starts at {})",
                                  bands.back().lower));
}

void check_ranges(Sink& sink, const Field& field, const std::vector<ScoreRange>& ranges) {
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    const auto& r = ranges[i];
    const Field f(field, i);
    check_finite(sink, Field(f, "from"), r.from);
    check_finite(sink, Field(f, "to"), r.to);
    check_finite(sink, Field(f, "score"), r.score);
    if (!(r.from < r.to))
      sink.error(f, fmt::format("range must have from < to (got [{}, {}))", r.from, r.to));
    if (r.score < 0) sink.error(Field(f, "score"), fmt::format("must be >= 0, not {}", r.score));
    if (i > 0 && r.from < ranges[i - 1].to)
      sink.error(Field(f, "from"), fmt::format("ranges must be in increasing order without "
                                               "overlap ({} is below the previous range's end {})",
                                               r.from, ranges[i - 1].to));
  }
}

/// Whether items[i] equals an earlier item: a linear scan for the few items entities have, a
/// set beyond that. `seen` keeps the set between calls for one list.
template <class K>
bool seen_before(std::set<K>& seen, const std::vector<K>& keys, std::size_t i) {
  constexpr std::size_t linear = 16;
  if (keys.size() <= linear) {
    for (std::size_t j = 0; j < i; ++j)
      if (keys[j] == keys[i]) return true;
    return false;
  }
  return !seen.insert(keys[i]).second;
}

void check_attributes(Sink& sink, const Field& field, const Attributes& attrs) {
  std::vector<std::string_view> keys;
  keys.reserve(attrs.size());
  for (const auto& [key, value] : attrs) keys.push_back(key);
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < attrs.size(); ++i) {
    const auto& [key, value] = attrs[i];
    const Field f(field, key);
    if (key.empty()) sink.error(Field(field, i), "attribute name must not be empty");
    if (!is_valid_utf8(key)) sink.error(Field(field, i), "attribute name is not valid UTF-8");
    if (seen_before(seen, keys, i)) sink.error(f, "attribute given twice");
    if (!nlohmann::json::accept(value)) sink.error(f, "attribute value is not valid JSON text");
  }
}

void check_contributions(Sink& sink, EntityKind from, const Field& field,
                         const std::vector<Contribution>& links, std::string_view self_id) {
  std::vector<std::pair<EntityKind, std::string_view>> keys;
  keys.reserve(links.size());
  for (const auto& c : links) keys.emplace_back(c.to.kind, c.to.id);
  std::set<std::pair<EntityKind, std::string_view>> seen;
  for (std::size_t i = 0; i < links.size(); ++i) {
    const auto& c = links[i];
    const Field f(field, i);
    check_enum(sink, f, c.to.kind);
    check_id_text(sink, Field(f, to_string(c.to.kind)), c.to.id);
    if (!std::isfinite(c.weight) || !(c.weight > 0))
      sink.error(Field(f, "weight"), fmt::format("must be a finite number > 0, not {}", c.weight));
    if (!contribution_allowed(from, c.to.kind))
      sink.error(
          f, fmt::format("a {} cannot contribute to a {}", to_string(from), to_string(c.to.kind)));
    if (c.to.kind == from && c.to.id == self_id)
      sink.error(f, fmt::format("contributes to itself (a cycle of length 1: {} '{}')",
                                to_string(from), self_id));
    if (seen_before(seen, keys, i))
      sink.error(f, fmt::format("contributes to {} '{}' twice", to_string(c.to.kind), c.to.id));
  }
}

template <class D>
void check_dates(Sink& sink, const char* a, const D& first, const char* b, const D& second) {
  if (first && second && *second < *first)
    sink.error(b,
               fmt::format("{} {} is before {} {}", b, second->to_string(), a, first->to_string()));
}

void check_percent(Sink& sink, const char* field, double v) {
  if (std::isfinite(v) && (v < 0 || v > 100))
    sink.error(field, fmt::format("must be a percentage from 0 to 100, not {}", v));
}

void check_positive(Sink& sink, const Field& field, double v) {
  if (std::isfinite(v) && !(v > 0)) sink.error(field, fmt::format("must be > 0, not {}", v));
}

/// The generic walk: text, numbers and enums of every field, recursively.
struct FieldWalker {
  Sink& sink;
  const Field* prefix = nullptr;

  template <class T, class M>
  void operator()(const T& obj, const char* name, M T::*member) {
    if (prefix)
      check(Field(*prefix, name), obj.*member);
    else
      check(Field(name), obj.*member);
  }

  void check(const Field& f, const std::string& s) {
    if (f.is_id())
      check_id_text(sink, f, s);
    else
      check_text(sink, f, s);
  }
  void check(const Field& f, double v) { check_finite(sink, f, v); }
  void check(const Field&, int) {}
  void check(const Field&, const Date&) {}
  void check(const Field&, const Period&) {}
  void check(const Field&, const std::optional<Date>&) {}
  void check(const Field& f, const std::optional<double>& v) {
    if (v) check_finite(sink, f, *v);
  }
  template <class E>
  requires std::is_enum_v<E>
  void check(const Field& f, E e) { check_enum(sink, f, e); }
  template <class E>
  requires std::is_enum_v<E>
  void check(const Field& f, const std::optional<E>& e) {
    if (e) check_enum(sink, f, *e);
  }
  void check(const Field& f, const Ref& r) { check_ref(sink, f, r); }
  void check(const Field& f, const std::vector<std::string>& ids) {
    for (std::size_t i = 0; i < ids.size(); ++i) check_id_text(sink, Field(f, i), ids[i]);
  }
  void check(const Field& f, const Attributes& a) { check_attributes(sink, f, a); }
  void check(const Field&, const std::vector<Contribution>&) {}  // by the entity's rules
  void check(const Field& f, const std::vector<StatusBand>& b) { check_bands(sink, f, b); }
  void check(const Field& f, const std::vector<ScoreRange>& r) { check_ranges(sink, f, r); }
  void check(const Field& f, const std::vector<Rating>& ratings) {
    for (std::size_t i = 0; i < ratings.size(); ++i) {
      const auto& r = ratings[i];
      const Field fi(f, i);
      check_ref(sink, fi, r.subject);
      if (r.subject.kind != EntityKind::value && r.subject.kind != EntityKind::competency)
        sink.error(fi, fmt::format("a rating is of a value or a competency, not a {}",
                                   to_string(r.subject.kind)));
      if (r.subject.id.empty()) sink.error(fi, "names no value or competency");
      check_finite(sink, Field(fi, "rating"), r.rating);
    }
  }
  void check(const Field& f, const Actuals& actuals) {
    for (std::size_t i = 0; i < actuals.size(); ++i) {
      const Actual a = actuals[i];
      const Field fi(f, i);
      check_finite(sink, Field(fi, "value"), a.value);
      if (a.numerator.has_value() != a.denominator.has_value())
        sink.error(fi, "numerator and denominator go together: give both or neither");
      if (a.numerator) check_finite(sink, Field(fi, "numerator"), *a.numerator);
      if (a.denominator) {
        check_finite(sink, Field(fi, "denominator"), *a.denominator);
        if (std::isfinite(*a.denominator) && !(*a.denominator > 0))
          sink.error(Field(fi, "denominator"), fmt::format("must be > 0, not {}", *a.denominator));
      }
      if (a.numerator && a.denominator && *a.denominator > 0 &&
          a.value != *a.numerator / *a.denominator)
        sink.error(Field(fi, "value"), fmt::format("{} is not numerator / denominator ({} / {})",
                                                   a.value, *a.numerator, *a.denominator));
      if (i > 0 && !(actuals.period(i - 1) < a.period))
        sink.error(Field(fi, "period"),
                   actuals.period(i - 1) == a.period
                       ? fmt::format("period {} is given twice", a.period.to_string())
                       : fmt::format("actuals must be in period order ({} follows {})",
                                     a.period.to_string(), actuals.period(i - 1).to_string()));
    }
  }
  template <class S>
  requires is_described_v<S>
  void check(const Field& f, const S& nested) {
    FieldWalker inner{sink, &f};
    describe([&](const char* name, auto member) { inner(nested, name, member); }, tag<S>{});
  }
  template <class S>
  requires is_described_v<S>
  void check(const Field& f, const std::vector<S>& items) {
    for (std::size_t i = 0; i < items.size(); ++i) check(Field(f, i), items[i]);
  }
};

template <class T>
void walk(Sink& sink, const T& e) {
  FieldWalker w{sink, nullptr};
  describe([&](const char* name, auto member) { w(e, name, member); }, tag<T>{});
}

void check_settings(Sink& sink, const Settings& s, const Field& prefix) {
  if (std::isfinite(s.cap) && s.cap < 1)
    sink.error(Field(prefix, "cap"), fmt::format("must be at least 1 (a score of 1 means the "
                                                 "target is met), not {}",
                                                 s.cap));
}

void check_measure(Sink& sink, const Measure& m) {
  if (m.subject.id.empty())
    sink.error("subject",
               "a measure must name the goal, strategy, milestone or objective it "
               "measures");
  else if (m.subject.kind != EntityKind::goal && m.subject.kind != EntityKind::strategy &&
           m.subject.kind != EntityKind::milestone && m.subject.kind != EntityKind::objective)
    sink.error("subject", fmt::format("a measure measures a goal, strategy, milestone or "
                                      "objective, not a {}",
                                      to_string(m.subject.kind)));
  if (std::isfinite(m.weight) && !(m.weight > 0))
    sink.error("weight", fmt::format("must be > 0, not {}", m.weight));
  if (m.cap && std::isfinite(*m.cap) && *m.cap < 1)
    sink.error("cap", fmt::format("must be at least 1, not {}", *m.cap));
  for (std::size_t i = 1; i < m.targets.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (m.targets[i].period == m.targets[j].period)
        sink.error(Field(Field(Field("targets"), i), "period"),
                   fmt::format("period {} is given twice", m.targets[i].period.to_string()));

  const bool up = m.polarity == Polarity::increasing;
  auto target_fields = [&](auto&& f) {
    if (m.target) f(Field("target"), *m.target);
    const Field targets("targets");
    for (std::size_t i = 0; i < m.targets.size(); ++i)
      f(Field(Field(targets, i), "value"), m.targets[i].value);
  };
  const bool has_target = m.target || !m.targets.empty();
  switch (m.method) {
    case ScoringMethod::linear:
      if (!m.baseline) sink.error("baseline", "the linear method needs a baseline");
      if (!has_target) sink.error("target", "the linear method needs a target");
      if (m.baseline)
        target_fields([&](const Field& f, double t) {
          if (up && t < *m.baseline)
            sink.error(f, fmt::format("target {} is below baseline {}, which contradicts "
                                      "increasing polarity",
                                      t, *m.baseline));
          if (!up && t > *m.baseline)
            sink.error(f, fmt::format("target {} is above baseline {}, which contradicts "
                                      "decreasing polarity",
                                      t, *m.baseline));
        });
      break;
    case ScoringMethod::ratio:
      if (!has_target) sink.error("target", "the ratio method needs a target");
      target_fields([&](const Field& f, double t) {
        if (!(t > 0)) sink.error(f, fmt::format("the ratio method needs a target > 0, not {}", t));
      });
      for (std::size_t i = 0; i < m.actuals.size(); ++i)
        if (m.actuals[i].value < 0)
          sink.error(
              Field(Field(Field("actuals"), i), "value"),
              fmt::format("the ratio method needs actuals >= 0, not {}", m.actuals[i].value));
      break;
    case ScoringMethod::band:
      if (!m.band_low) sink.error("band_low", "the band method needs band_low");
      if (!m.band_high) sink.error("band_high", "the band method needs band_high");
      if (!m.band_tolerance) sink.error("band_tolerance", "the band method needs band_tolerance");
      if (m.band_low && m.band_high && *m.band_high < *m.band_low)
        sink.error("band_high",
                   fmt::format("band_high {} is below band_low {}", *m.band_high, *m.band_low));
      if (m.band_tolerance && std::isfinite(*m.band_tolerance) && !(*m.band_tolerance > 0))
        sink.error("band_tolerance", fmt::format("must be > 0, not {}", *m.band_tolerance));
      break;
    case ScoringMethod::thresholds:
      if (!m.red_flag) sink.error("red_flag", "the thresholds method needs red_flag");
      if (!m.goal_value) sink.error("goal", "the thresholds method needs goal");
      if (m.red_flag && m.goal_value) {
        if (*m.red_flag == *m.goal_value)
          sink.error("goal", fmt::format("goal and red_flag must differ (both {})", *m.red_flag));
        else if ((*m.goal_value > *m.red_flag) != up)
          sink.error("polarity",
                     fmt::format("goal {} and red_flag {} make the measure {}, but its polarity "
                                 "is {}",
                                 *m.goal_value, *m.red_flag,
                                 *m.goal_value > *m.red_flag ? "increasing" : "decreasing",
                                 to_string(m.polarity)));
      }
      break;
    case ScoringMethod::binary:
      if (!has_target) sink.error("target", "the binary method needs a target");
      break;
    case ScoringMethod::table:
      if (m.table.empty()) sink.error("table", "the table method needs at least one range");
      break;
  }
  if (m.aggregation == Aggregation::ratio)
    for (std::size_t i = 0; i < m.actuals.size(); ++i)
      if (!m.actuals[i].numerator)
        sink.error(Field(Field("actuals"), i),
                   "a measure aggregated as a ratio needs numerator and denominator");
}

void check_scale(Sink& sink, const RatingScale& s) {
  if (std::isfinite(s.min) && std::isfinite(s.max) && !(s.min < s.max))
    sink.error("scale", fmt::format("scale min {} must be below max {}", s.min, s.max));
}

}  // namespace

template <class T>
void check_entity(const T& e, std::vector<Issue>& out) {
  constexpr EntityKind kind = entity_kind_of<T>::value;
  Sink sink{out, to_string(kind), e.id};
  walk(sink, e);

  if constexpr (requires { e.contributes_to; })
    check_contributions(sink, kind, "contributes_to", e.contributes_to, e.id);
  if constexpr (requires {
                  e.start;
                  e.end;
                })
    check_dates(sink, "start", e.start, "end", e.end);
  if constexpr (requires {
                  e.start;
                  e.due;
                })
    check_dates(sink, "start", e.start, "due", e.due);

  if constexpr (std::is_same_v<T, Measure>) {
    check_measure(sink, e);
  } else if constexpr (std::is_same_v<T, Goal>) {
    for (std::size_t i = 0; i < e.drives.size(); ++i)
      if (e.drives[i] == e.id) sink.error(Field(Field("drives"), i), "a goal cannot drive itself");
  } else if constexpr (std::is_same_v<T, Milestone>) {
    check_percent(sink, "progress", e.progress);
    if (!e.owner.id.empty() && e.owner.kind != EntityKind::unit && e.owner.kind != EntityKind::team)
      sink.error("owner", fmt::format("a milestone is owned by a unit or a team, not a {}",
                                      to_string(e.owner.kind)));
  } else if constexpr (std::is_same_v<T, Action>) {
    check_percent(sink, "percent_complete", e.percent_complete);
  } else if constexpr (std::is_same_v<T, Objective>) {
    check_positive(sink, "weight", e.weight);
    if (e.owner.id.empty())
      sink.error("owner", "an objective must be owned by a unit, a team or an employee");
    else if (e.owner.kind != EntityKind::unit && e.owner.kind != EntityKind::team &&
             e.owner.kind != EntityKind::employee)
      sink.error("owner", fmt::format("an objective is owned by a unit, team or employee, not a "
                                      "{}",
                                      to_string(e.owner.kind)));
    for (std::size_t i = 0; i < e.requires_competencies.size(); ++i) {
      const auto& r = e.requires_competencies[i];
      if (std::isfinite(r.level) && r.level < 0)
        sink.error(Field(Field(Field("requires_competencies"), i), "level"),
                   fmt::format("must be >= 0, not {}", r.level));
      if (r.competency.empty())
        sink.error(Field(Field(Field("requires_competencies"), i), "competency"),
                   "must not be empty");
    }
  } else if constexpr (std::is_same_v<T, Employee>) {
    if (!e.manager.empty() && e.manager == e.id)
      sink.error("manager", "an employee cannot be their own manager (a reporting cycle of 1)");
  } else if constexpr (std::is_same_v<T, Unit>) {
    if (!e.parent.empty() && e.parent == e.id)
      sink.error("parent", "a unit cannot be its own parent");
  } else if constexpr (std::is_same_v<T, Competency>) {
    check_positive(sink, "max_level", e.max_level);
  } else if constexpr (std::is_same_v<T, ReviewCycle>) {
    if (e.last < e.first)
      sink.error("last", fmt::format("last period {} is before first period {}", e.last.to_string(),
                                     e.first.to_string()));
    const auto& w = e.weights;
    const double ws[] = {w.objectives, w.contribution, w.values, w.self, w.feedback};
    const char* wn[] = {"objectives", "contribution", "values", "self", "feedback"};
    double sum = 0;
    for (int i = 0; i < 5; ++i) {
      if (std::isfinite(ws[i]) && ws[i] < 0)
        sink.error(Field(Field("weights"), wn[i]), fmt::format("must be >= 0, not {}", ws[i]));
      sum += ws[i];
    }
    if (std::isfinite(sum) && !(sum > 0))
      sink.error("weights", "at least one component weight must be > 0");
    check_scale(sink, e.scale);
    if (e.check_in_cadence_days < 0)
      sink.error("check_in_cadence_days",
                 fmt::format("must be >= 0 (0: no cadence), not {}", e.check_in_cadence_days));
    const auto& a = e.anonymity;
    const int th[] = {a.manager, a.peer, a.direct_report, a.other, a.self};
    const char* tn[] = {"manager", "peer", "direct_report", "other", "self"};
    for (int i = 0; i < 5; ++i)
      if (th[i] < 1)
        sink.error(Field(Field("anonymity"), tn[i]),
                   fmt::format("must be at least 1, not {}", th[i]));
  } else if constexpr (std::is_same_v<T, Review>) {
    if (!e.employee.empty() && e.employee == e.reviewer)
      sink.error("reviewer", "an employee cannot be their own reviewer (use a self-assessment)");
  } else if constexpr (std::is_same_v<T, Feedback>) {
    if (e.relation == RaterRelation::self && e.rater != e.subject)
      sink.error("relation", "self feedback must have the subject as rater");
    if (e.relation != RaterRelation::self && !e.rater.empty() && e.rater == e.subject)
      sink.error("rater",
                 fmt::format("a rater cannot give themselves {} feedback", to_string(e.relation)));
  } else if constexpr (std::is_same_v<T, CheckIn>) {
    if (!e.employee.empty() && e.employee == e.manager)
      sink.error("manager", "a check-in needs two different people");
  } else if constexpr (std::is_same_v<T, Budget>) {
    if (std::isfinite(e.amount) && e.amount < 0)
      sink.error("amount", fmt::format("must be >= 0, not {}", e.amount));
  }
}

void check_info(const OrganizationInfo& info, std::vector<Issue>& out) {
  Sink sink{out, "organization", info.id};
  FieldWalker w{sink, nullptr};
  describe([&](const char* name, auto member) { w(info, name, member); }, tag<OrganizationInfo>{});
  check_settings(sink, info.settings, "settings");
}

#define SPM_INSTANTIATE(T) template void check_entity<T>(const T&, std::vector<Issue>&);
SPM_INSTANTIATE(Value)
SPM_INSTANTIATE(Perspective)
SPM_INSTANTIATE(Function)
SPM_INSTANTIATE(Division)
SPM_INSTANTIATE(Unit)
SPM_INSTANTIATE(Team)
SPM_INSTANTIATE(Employee)
SPM_INSTANTIATE(Goal)
SPM_INSTANTIATE(Strategy)
SPM_INSTANTIATE(Measure)
SPM_INSTANTIATE(Milestone)
SPM_INSTANTIATE(Action)
SPM_INSTANTIATE(Objective)
SPM_INSTANTIATE(Competency)
SPM_INSTANTIATE(ReviewCycle)
SPM_INSTANTIATE(Review)
SPM_INSTANTIATE(SelfAssessment)
SPM_INSTANTIATE(Feedback)
SPM_INSTANTIATE(CheckIn)
SPM_INSTANTIATE(Budget)
#undef SPM_INSTANTIATE

}  // namespace detail
}  // namespace v1
}  // namespace spm
