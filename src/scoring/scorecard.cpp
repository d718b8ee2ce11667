// The scoring engine: measures to scores per column, roll-up in cascade order, perspectives and
// the organization, explanations, trend, pace, forecast, what-if and incremental update.

#include "spm/scoring.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <mutex>

#include "cascade/cascade_impl.hpp"
#include "common/buffer.hpp"
#include "common/parallel.hpp"
#include "model/check.hpp"

// AVX2 versions of the hottest kernels, chosen at run time (use_avx2()), with GCC or Clang on
// x86.
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define SPM_HAVE_AVX2_KERNELS 1
#endif

namespace spm {
inline namespace v1 {

using detail::none;
using detail::V;

namespace {

constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();

[[noreturn]] void bad_argument(std::string message) {
  throw Error(ErrorCode::invalid_argument, std::move(message));
}

Period month_at(int m) {
  return Period::month(m / 12, m % 12 + 1);
}

/// The finest kind of period present among the actuals contained in a span.
template <class Items, class PeriodOf>
Period::Kind finest_kind_in(const Items& items, const Span& span, PeriodOf period_of) {
  Period::Kind finest = Period::Kind::year;
  bool any = false;
  for (const auto& it : items) {
    const Period p = period_of(it);
    if (!span.contains(p)) continue;
    if (!any || static_cast<int>(p.kind()) < static_cast<int>(finest)) finest = p.kind();
    any = true;
  }
  return finest;
}

/// Least-squares slope of y over x = 0, 1, 2, ... skipping NaN; NaN with fewer than 2 points.
double slope_of(std::span<const double> ys, double* intercept = nullptr) {
  double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < ys.size(); ++i) {
    if (std::isnan(ys[i])) continue;
    const double x = static_cast<double>(i);
    n += 1;
    sx += x;
    sy += ys[i];
    sxx += x * x;
    sxy += x * ys[i];
  }
  const double d = n * sxx - sx * sx;
  if (n < 2 || d == 0) return nan_v;
  const double b = (n * sxy - sx * sy) / d;
  if (intercept) *intercept = (sy - b * sx) / n;
  return b;
}

/// score_actual()'s arithmetic for the linear method (rules.cpp), for an actual that is finite or
/// NaN (no data, which passes through the division and both clamps as NaN): the one spelling of
/// it for the row-at-a-time paths, which the compiler vectorizes.
inline double linear_score(double x, double baseline, double span, double cap) {
  return std::min(std::max((x - baseline) / span, 0.0), cap);
}

/// aggregate(how, {x}) for every aggregation but ratio, to the bit: one value aggregates to
/// itself (an average divides it by 1, which is exact), and NaN to no value.
inline double aggregate_one(double x) {
  return std::isnan(x) ? nan_v : x;
}

}  // namespace

// ---- Span --------------------------------------------------------------------------------------

Span Span::of(Period p) {
  Span s;
  s.first = month_at(p.first_month());
  s.last = month_at(p.last_month());
  s.label = p.to_string();
  return s;
}

Span Span::year_to_date(Period month) {
  if (month.kind() != Period::Kind::month)
    bad_argument(fmt::format("year to date needs a month, not '{}'", month.to_string()));
  Span s;
  s.first = Period::month(month.year_number(), 1);
  s.last = month;
  s.label = fmt::format("{:04}-YTD-{:02}", month.year_number(), month.index());
  return s;
}

Span Span::parse(std::string_view label) {
  if (auto p = Period::parse(label)) return of(*p);
  if (label.size() == 11 && label.substr(4, 5) == "-YTD-") {
    const std::string month = std::string(label.substr(0, 4)) + "-" + std::string(label.substr(9));
    if (auto m = Period::parse(month); m && m->kind() == Period::Kind::month)
      return year_to_date(*m);
  }
  bad_argument(fmt::format(
      "'{}' is not a scorecard column (expected YYYY-MM, YYYY-Qn, YYYY or YYYY-YTD-MM)", label));
}

bool Span::contains(Period p) const noexcept {
  return first.first_month() <= p.first_month() && p.last_month() <= last.last_month();
}

int Span::months() const noexcept {
  return last.last_month() - first.first_month() + 1;
}

std::optional<Period> last_actual_month(const Model& model) {
  int latest = -1;
  for (const Measure& m : model.all<Measure>())
    for (const Actual& a : m.actuals) latest = std::max(latest, a.period.last_month());
  if (latest < 0) return std::nullopt;
  return month_at(latest);
}

std::vector<Span> columns_through(const Model& model, const Span& last) {
  int first = std::numeric_limits<int>::max();
  for (const Measure& m : model.all<Measure>())
    for (const Actual& a : m.actuals) first = std::min(first, a.period.first_month());
  const bool ytd = last.label.find("-YTD-") != std::string::npos;
  // A year to date grows month by month up to its last month; other spans start at `last`.
  const int end = ytd ? last.last.first_month() : last.first.first_month();
  if (first > end) return {last};
  // Start at the beginning of the quarter or year holding the first actual, so that the span
  // it falls in is a column too.
  if (!ytd && last.months() == 12) first -= first % 12;
  if (!ytd && last.months() == 3) first -= first % 3;
  std::vector<Span> cols;
  for (int mo = first; mo <= end; ++mo) {
    const Period month = month_at(mo);
    if (ytd) {
      if (month.year_number() == last.last.year_number() && !(last.last < month))
        cols.push_back(Span::year_to_date(month));
    } else if (last.months() == 12) {
      if (month.index() == 1) cols.push_back(Span::of(Period::year(month.year_number())));
    } else if (last.months() == 3) {
      if ((month.index() - 1) % 3 == 0)
        cols.push_back(Span::of(Period::quarter(month.year_number(), (month.index() - 1) / 3 + 1)));
    } else {
      cols.push_back(Span::of(month));
    }
  }
  if (cols.empty() || !(cols.back() == last)) cols.push_back(last);
  return cols;
}

const char* to_string(Direction d) noexcept {
  switch (d) {
    case Direction::down:
      return "down";
    case Direction::flat:
      return "flat";
    case Direction::up:
      return "up";
    case Direction::unknown:
      return "unknown";
  }
  return "?";
}

const char* arrow(Direction d) noexcept {
  switch (d) {
    case Direction::down:
      return "v";
    case Direction::flat:
      return "=";
    case Direction::up:
      return "^";
    case Direction::unknown:
      return " ";
  }
  return "?";
}

// ---- the engine's storage -----------------------------------------------------------------------

struct Scorecard::Impl {
  std::shared_ptr<const Cascade::Impl> cascade;
  ScoreOptions options;
  std::vector<Span> columns;
  std::size_t P = 0;
  Settings settings;
  Scenario scenario;

  // Measures: their scores by the cascade's measure rows (Cascade::Impl::row_measure: the
  // measures of node 0, then of node 1, ...), each node's scored just before the node rolls
  // them up, so that the roll-up reads them from the cache and writes them as one stream; the
  // model's measure store is laid out in the same order (MeasureStore::relayout).
  /// Per measure row: the weight; the cascade's array, or `own_measure_weights` when the
  /// scenario changes one.
  std::span<const double> m_weight;
  std::vector<double> own_measure_weights;
  detail::DoubleBuffer m_score;  ///< measure rows x P (every cell written by evaluate)
  /// measure_scores(): the scores in model order, copied from m_score on first use (and kept in
  /// step by update()).
  mutable std::once_flag model_order_once;
  mutable detail::DoubleBuffer model_order;
  // Node inputs from other nodes, in compressed rows (a node's measures are its measure rows):
  // the cascade's arrays, with weights of the scenario's in `own_weights`.
  std::span<const std::uint32_t> in_offsets, in_from;
  std::span<const double> in_weight;
  std::vector<double> own_weights;
  std::vector<RollupMethod> rollup;
  std::vector<MissingPolicy> missing;
  detail::DoubleBuffer n_score;  ///< N x P (every cell written by evaluate)
  // Perspectives: the goals of each, as cascade nodes.
  std::vector<std::uint32_t> p_offsets, p_goals;
  std::vector<double> p_score, p_coverage;  ///< K x P
  std::vector<double> o_score, o_coverage;  ///< P
  /// Per column: the month it spans when it spans exactly one (else a year, never matched).
  std::vector<Period> column_month;
  bool all_single_months = false;
  /// Whether the columns are consecutive single months from month number `first_column_month`
  /// (the default columns are): an actual then finds its column by subtraction.
  bool consecutive_months = false;
  int first_column_month = 0;
  /// Per measure row: whether the scenario changes one of its measure's actuals or targets
  /// (such a measure takes the general path). By row, so that evaluation reads it in order.
  std::vector<std::uint8_t> in_scenario;

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() {
    if (cascade) {
      cascade->token->buffers.give(std::move(m_score));
      cascade->token->buffers.give(std::move(n_score));
    }
  }

  const Model::Impl& model() const { return cascade->model(); }
  std::size_t M() const { return cascade->measure_row.size(); }
  std::size_t N() const { return cascade->n(); }
  std::uint32_t row_of(std::uint32_t measure) const { return cascade->measure_row[measure]; }
  std::uint32_t measures_begin(V v) const { return cascade->measure_offsets[v]; }
  std::uint32_t measures_end(V v) const { return cascade->measure_offsets[v + 1]; }

  void ensure_current() const {
    if (cascade->token->structure.load() != cascade->revision)
      throw Error(ErrorCode::stale,
                  cascade->token->structure.load() == detail::ModelToken::dead
                      ? "the model this scorecard was computed from no longer exists"
                      : "the model changed since this scorecard was computed: evaluate again");
  }
  void check_column(int c) const {
    if (c < 0 || static_cast<std::size_t>(c) >= P)
      bad_argument(fmt::format("column {} does not exist (the scorecard has {})", c, P));
  }
  std::uint32_t measure_index(std::string_view id) const {
    const auto i = detail::find_index(model(), EntityKind::measure, id);
    if (i < 0)
      throw Error(
          ErrorCode::not_found,
          std::vector<Issue>{Issue{
              Severity::error, "measure", std::string(id), "id", "no measure has this id", {}}});
    return static_cast<std::uint32_t>(i);
  }
  const Measure& measure_at(std::uint32_t i) const { return model().table<Measure>().at(i); }
  std::span<const double> measure_row_scores(std::uint32_t measure) const {
    return {m_score.data() + static_cast<std::size_t>(row_of(measure)) * P, P};
  }
  std::span<const double> node_row_scores(V v) const {
    return {n_score.data() + static_cast<std::size_t>(v) * P, P};
  }

  /// The model's compact copy of what scoring reads of each measure (null when it could not
  /// be kept, and every measure is read from the model's table).
  const detail::MeasureStore* store = nullptr;
  /// Whether the store's slot r is measure row r (MeasureStore::laid_out_for this cascade).
  bool laid_out = false;
  /// Per column: the month number of a single-month column.
  std::vector<int> column_month_number;

  std::vector<Actual> actuals_of(std::uint32_t i) const;
  double target_of(const Measure& m, std::uint32_t i, const Span& span) const;
  double actual_in(const Measure& m, const std::vector<Actual>& actuals, const Span& span) const;
  /// Scores measure i into its row r of m_score.
  void score_measure(std::uint32_t i) { score_measure(i, row_of(i)); }
  void score_measure(std::uint32_t i, std::uint32_t r);
  /// The measures of node v, into their rows.
  void score_measures_of(V v);
  /// score_measure() for a measure the store does not take: read from its `Measure`.
  void score_measure_from_model(std::uint32_t i, std::uint32_t r);
  bool score_measure_stored(std::uint32_t i, std::uint32_t r);
  bool score_measure_by_month(std::uint32_t i, std::uint32_t r);
  void roll_up(V v);
  static constexpr std::uint32_t prefetch_distance = 8;
  template <std::size_t PP, bool Mean, std::size_t W>
  void roll_up_columns(V v);  ///< PP columns, or P when PP is 0; W lanes
  template <std::size_t W>
  void roll_up_with(V v);
  /// evaluate() on several threads: the cascade order cut into consecutive parts of about
  /// equal work, one per thread, each scoring its nodes in order as one thread does. A node
  /// with an input that an earlier part has not scored yet, or that its own part put off, is
  /// put off to the end of its part, and then waits for that input.
  struct Pipeline {
    std::vector<std::size_t> bounds;  ///< part k is the nodes [bounds[k], bounds[k + 1])
    /// Per part: the part's nodes before this one are scored (release; read with acquire). A
    /// cache line each, so that one thread's progress does not slow the others' reads.
    struct alignas(64) Progress {
      std::atomic<std::size_t> done{0};
    };
    std::unique_ptr<Progress[]> progress;
    /// Set when a part throws: the parts waiting for it give up.
    std::atomic<bool> stop{false};
  };
  /// Nodes [from, to) in cascade order: each node's measures, then its roll-up; with the AVX2
  /// kernels when `avx2`. As part `part` of `pipeline`, when one is given.
  void score_nodes(std::size_t from, std::size_t to, Pipeline* pipeline = nullptr,
                   std::size_t part = 0);
  void score_nodes_avx2(std::size_t from, std::size_t to, Pipeline* pipeline, std::size_t part);
  /// score_nodes() with the AVX2 roll-up (`Wide`) or the portable one.
  template <bool Wide>
  void score_part(std::size_t from, std::size_t to, Pipeline* pipeline, std::size_t part);
  /// Whether every input of node v, in part [from, ...) of `pipeline`, is scored: those in
  /// earlier parts by their progress, those in this one by not being put off (or no longer).
  bool inputs_scored(V v, std::size_t from, const Pipeline& pipeline,
                     const std::vector<std::uint8_t>& put_off) const;
  /// Where evaluate() on `parts` threads cuts the cascade order (Pipeline::bounds).
  std::vector<std::size_t> split_points(std::size_t parts) const;
  /// Whether this machine runs AVX2 and the portable kernels were not asked for (SPM_KERNELS).
  bool avx2 = false;
  void roll_up_general(V v);
  double roll_up_column(V v, std::size_t p) const;
  void roll_up_perspectives();
  /// The share of a node's input weight that has a score in column p (not counting carried
  /// scores): the inputs' weights summed in roll-up order, so the same number as a roll-up that
  /// kept it.
  double coverage(V v, std::size_t p) const;
  StatusResult measure_status(std::uint32_t i, double s) const;
  Direction direction(double slope) const {
    if (std::isnan(slope)) return Direction::unknown;
    if (slope > options.trend_dead_band) return Direction::up;
    if (slope < -options.trend_dead_band) return Direction::down;
    return Direction::flat;
  }
  ScoreResult result(std::span<const double> scores, double coverage, std::size_t p,
                     StatusResult status) const {
    ScoreResult r;
    r.score = scores[p];
    r.coverage = coverage;
    r.status = status.status;
    r.reason = status.reason;
    const std::size_t k = static_cast<std::size_t>(std::max(options.trend_periods, 2));
    const std::size_t first = p + 1 >= k ? p + 1 - k : 0;
    r.slope = slope_of(scores.subspan(first, p + 1 - first));
    r.trend = direction(r.slope);
    return r;
  }
};

/// A measure's actuals with the scenario's changes applied.
std::vector<Actual> Scorecard::Impl::actuals_of(std::uint32_t i) const {
  const Measure& m = measure_at(i);
  std::vector<Actual> out = m.actuals.to_vector();
  for (const auto& ch : scenario.actuals) {
    if (ch.measure != m.id) continue;
    auto it = std::lower_bound(out.begin(), out.end(), ch.period,
                               [](const Actual& a, Period p) { return a.period < p; });
    const bool exists = it != out.end() && it->period == ch.period;
    if (std::isnan(ch.value)) {
      if (exists) out.erase(it);
    } else if (exists) {
      *it = Actual{ch.period, ch.value, {}, {}};
    } else {
      out.insert(it, Actual{ch.period, ch.value, {}, {}});
    }
  }
  return out;
}

/// DOMAIN.md section 3, "over periods": a target given for the span itself; else the targets of
/// the periods inside it, combined as the actuals are; else a target of a period containing the
/// span (a sum prorated by months); else the default target, which is per month and combines
/// over the span as the actuals do. NaN when there is none.
double Scorecard::Impl::target_of(const Measure& m, std::uint32_t, const Span& span) const {
  std::vector<PeriodTarget> targets = m.targets;
  std::optional<double> fallback = m.target;
  for (const auto& ch : scenario.targets) {
    if (ch.measure != m.id) continue;
    if (!ch.period) {
      fallback = ch.value;
      continue;
    }
    auto it = std::find_if(targets.begin(), targets.end(),
                           [&](const PeriodTarget& t) { return t.period == *ch.period; });
    if (it != targets.end())
      it->value = ch.value;
    else
      targets.push_back(PeriodTarget{*ch.period, ch.value});
  }
  const bool sum = m.aggregation == Aggregation::sum;
  // The span itself.
  for (const auto& t : targets)
    if (t.period.first_month() == span.first.first_month() &&
        t.period.last_month() == span.last.last_month())
      return t.value;
  // Periods inside the span, of the finest kind given.
  const Period::Kind finest =
      finest_kind_in(targets, span, [](const PeriodTarget& t) { return t.period; });
  std::vector<std::pair<Period, double>> inside;
  for (const auto& t : targets)
    if (span.contains(t.period) && t.period.kind() == finest)
      inside.emplace_back(t.period, t.value);
  if (!inside.empty()) {
    std::sort(inside.begin(), inside.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<double> values;
    for (const auto& [p, v] : inside) values.push_back(v);
    return aggregate(m.aggregation, values);
  }
  // The smallest period containing the span.
  const PeriodTarget* container = nullptr;
  for (const auto& t : targets) {
    const bool contains = t.period.first_month() <= span.first.first_month() &&
                          span.last.last_month() <= t.period.last_month();
    if (contains &&
        (!container || t.period.last_month() - t.period.first_month() <
                           container->period.last_month() - container->period.first_month()))
      container = &t;
  }
  if (container) {
    if (!sum) return container->value;
    const double months = container->period.last_month() - container->period.first_month() + 1;
    return container->value * span.months() / months;
  }
  if (fallback) return sum ? *fallback * span.months() : *fallback;
  return nan_v;
}

/// The common case from the model's MeasureStore alone: the linear method with the default
/// target, every column one month and no scenario change. The arithmetic is that of
/// score_measure_by_month() below, to the bit: the store's run holds each month's actual (NaN
/// for none), and its baseline and span are rule_for()'s baseline and target - baseline.
[[gnu::always_inline]] inline bool Scorecard::Impl::score_measure_stored(std::uint32_t i,
                                                                         std::uint32_t r) {
  if (!store || !all_single_months || (!in_scenario.empty() && in_scenario[r])) return false;
  const detail::MeasureHead& h = laid_out ? store->head_at_slot(r) : store->head(i);
  if (!h.fast) return false;
  const double* const x = store->values(h);
  const double b = h.baseline, span = h.span, cap = h.own_cap ? h.cap : settings.cap;
  const std::int64_t n = h.count;
  double* const score_row = m_score.data() + static_cast<std::size_t>(r) * P;
  if (consecutive_months) {
    // Columns [c0, c1) have a month of the run (column c holds month c + shift of it); the
    // others have no actual, and NaN passes through the arithmetic as NaN.
    const std::int64_t shift = std::int64_t{first_column_month} - h.first;
    const auto np = static_cast<std::int64_t>(P);
    const std::int64_t c0 = std::clamp<std::int64_t>(-shift, 0, np);
    const std::int64_t c1 = std::clamp<std::int64_t>(n - shift, c0, np);
    for (std::int64_t c = 0; c < c0; ++c) score_row[c] = nan_v;
    for (std::int64_t c = c0; c < c1; ++c) score_row[c] = linear_score(x[c + shift], b, span, cap);
    for (std::int64_t c = c1; c < np; ++c) score_row[c] = nan_v;
  } else {
    for (std::size_t c = 0; c < P; ++c) {
      const std::int64_t k = std::int64_t{column_month_number[c]} - h.first;
      const double v = k >= 0 && k < n ? x[k] : nan_v;
      score_row[c] = linear_score(v, b, span, cap);
    }
  }
  return true;
}

/// The common case, without a copy or an allocation: every column one month, no per-period
/// targets, no scenario change and no ratio aggregation. The numbers are those of the general
/// path to the bit: a month column holds at most the one actual of that month (a quarter or a
/// year never lies inside a month), aggregating one value gives the value itself (the average
/// divides by 1), and the target is the default one (times one month for sums).
bool Scorecard::Impl::score_measure_by_month(std::uint32_t i, std::uint32_t r) {
  const Measure& m = measure_at(i);
  if (!all_single_months || (!in_scenario.empty() && in_scenario[r]) || !m.targets.empty() ||
      m.aggregation == Aggregation::ratio)
    return false;
  const double t =
      m.target ? (m.aggregation == Aggregation::sum ? *m.target * 1 : *m.target) : nan_v;
  const ScoreRule rule = rule_for(m, t, m.cap.value_or(settings.cap));
  const Actuals& actuals = m.actuals;
  const std::size_t na = actuals.size();
  double* const score_row = m_score.data() + static_cast<std::size_t>(r) * P;
  // The row holds the actuals first, then is scored in place.
  if (consecutive_months) {
    // One pass over the actuals: a month's column is its distance from the first column.
    for (std::size_t c = 0; c < P; ++c) score_row[c] = nan_v;
    for (std::size_t k = 0; k < na; ++k) {
      const Period p = actuals.period(k);
      if (p.kind() != Period::Kind::month) continue;
      const int col = p.year_number() * 12 + p.index() - 1 - first_column_month;
      if (col >= 0 && static_cast<std::size_t>(col) < P)
        score_row[col] = aggregate_one(actuals.value(k));
    }
  } else {
    for (std::size_t c = 0; c < P; ++c) {
      const Period month = column_month[c];
      std::size_t lo = 0, hi = na;  // the first actual not before the month
      while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (actuals.period(mid) < month)
          lo = mid + 1;
        else
          hi = mid;
      }
      score_row[c] =
          lo != na && actuals.period(lo) == month ? aggregate_one(actuals.value(lo)) : nan_v;
    }
  }
  if (rule.method == ScoringMethod::linear && !std::isnan(rule.target) &&
      rule.baseline != rule.target) {
    // score_actual()'s arithmetic for the linear method, on the whole row at once (NaN, no
    // data, passes through the division and the clamps as it does there), once the row is
    // known to hold no infinite actual (an input error, reported by the general loop below).
    bool finite = true;
    for (std::size_t c = 0; c < P; ++c) finite = finite && !std::isinf(score_row[c]);
    if (finite) {
      const double b = rule.baseline, span = rule.target - rule.baseline, cap = rule.cap;
      for (std::size_t c = 0; c < P; ++c) score_row[c] = linear_score(score_row[c], b, span, cap);
      return true;
    }
  }
  for (std::size_t c = 0; c < P; ++c) {
    try {
      score_row[c] = score_actual(rule, score_row[c]);
    } catch (const Error& e) {
      throw Error(ErrorCode::invalid_argument,
                  std::vector<Issue>{Issue{Severity::error,
                                           "measure",
                                           m.id,
                                           "actuals",
                                           fmt::format("{}: {}", columns[c].label, e.what()),
                                           {}}});
    }
  }
  return true;
}

/// DOMAIN.md section 3, "over periods": the actuals of the finest kind of period inside the
/// span (months if there are any), aggregated as the measure says. NaN when there is none.
double Scorecard::Impl::actual_in(const Measure& m, const std::vector<Actual>& actuals,
                                  const Span& span) const {
  const Period::Kind finest =
      finest_kind_in(actuals, span, [](const Actual& a) { return a.period; });
  std::vector<double> values, nums, dens;
  for (const auto& a : actuals) {
    if (!span.contains(a.period) || a.period.kind() != finest) continue;
    values.push_back(a.value);
    nums.push_back(a.numerator.value_or(nan_v));
    dens.push_back(a.denominator.value_or(nan_v));
  }
  return m.aggregation == Aggregation::ratio ? aggregate_ratio(nums, dens)
                                             : aggregate(m.aggregation, values);
}

/// Always inlined (and score_measures_of() too), so that the stored measures' arithmetic takes
/// the AVX2 instructions in the functions compiled for it (four columns at a time; the same IEEE
/// operations, lane by lane, as two at a time).
[[gnu::always_inline]] inline void Scorecard::Impl::score_measure(std::uint32_t i,
                                                                  std::uint32_t r) {
  if (!score_measure_stored(i, r)) score_measure_from_model(i, r);
}

[[gnu::always_inline]] inline void Scorecard::Impl::score_measures_of(V v) {
  const V* const row_measure = cascade->row_measure.data();
  for (std::uint32_t r = measures_begin(v), e = measures_end(v); r < e; ++r)
    score_measure(row_measure[r], r);
}

void Scorecard::Impl::score_measure_from_model(std::uint32_t i, std::uint32_t r) {
  if (score_measure_by_month(i, r)) return;
  const Measure& m = measure_at(i);
  const std::vector<Actual> actuals = actuals_of(i);
  const double cap = m.cap.value_or(settings.cap);
  double* const score_row = m_score.data() + static_cast<std::size_t>(r) * P;
  for (std::size_t c = 0; c < P; ++c) {
    const Span& span = columns[c];
    const double x = actual_in(m, actuals, span);
    const double t = target_of(m, i, span);
    try {
      score_row[c] = score_actual(rule_for(m, t, cap), x);
    } catch (const Error& e) {
      throw Error(ErrorCode::invalid_argument,
                  std::vector<Issue>{Issue{Severity::error,
                                           "measure",
                                           m.id,
                                           "actuals",
                                           fmt::format("{}: {}", span.label, e.what()),
                                           {}}});
    }
  }
}

#if defined(__GNUC__)
/// W doubles, and the mask of a comparison of W doubles (GCC and Clang vector extensions: the
/// operations are the scalar IEEE operations, lane by lane, so that a kernel gives the same bits
/// whatever its width). Two lanes are SSE2 (every x86-64) or NEON; four are AVX2, used only in
/// the functions compiled for it (score_nodes_avx2()) and never passed
/// by value to or from a function that is not, whose calling convention would differ.
template <std::size_t W>
struct Lanes;
template <>
struct Lanes<2> {
  using d = double __attribute__((vector_size(16)));
  using m = std::int64_t __attribute__((vector_size(16)));
};
template <>
struct Lanes<4> {
  using d = double __attribute__((vector_size(32)));
  using m = std::int64_t __attribute__((vector_size(32)));
};

/// The roll-up of one node over a multiple of W columns (DOMAIN.md section 5), input by input
/// with W columns per vector operation. GCC 12 does not vectorize the plain loop (its
/// if-conversion gives up on the several selects on one condition), hence the explicit vectors.
/// Each column's sums take the inputs in the same order as roll_up_general(), so the numbers are
/// the same to the bit: an input left out adds +0.0 instead (the sums start at +0.0 and so never
/// become -0.0, and x + 0.0 == x otherwise), and enters min and max as +inf and -inf, which
/// `y < lo ? y : lo` (std::min) and `hi < y ? y : hi` (std::max) ignore. The zero policy
/// counts a missing input as 0.0 exactly as the general loop does. The carry policy looks back
/// across columns and keeps the general loop. `Mean`: the weighted mean (the default method,
/// and status counts, which score as the mean) alone, without the minimum and maximum it does
/// not need, and its division W columns at a time (IEEE division lane by lane is the scalar
/// division). Always inlined, into the portable loop and into the AVX2 one, whose code it then
/// takes (its lambdas too).
template <std::size_t PP, bool Mean, std::size_t W>
[[gnu::always_inline]] inline void Scorecard::Impl::roll_up_columns(V v) {
  using vd = typename Lanes<W>::d;
  using vm = typename Lanes<W>::m;
  const std::size_t np = PP ? PP : P;
  const std::size_t nv = np / W;
  const MissingPolicy policy = missing[v];
  const RollupMethod how = rollup[v];
  const bool zero = policy == MissingPolicy::zero;
  constexpr double inf = std::numeric_limits<double>::infinity();
  const vd zeros = vd{} + 0.0;
  const vd lo_fill = zero ? zeros : zeros + inf;
  const vd hi_fill = zero ? zeros : zeros - inf;
  const vm propagate = vm{} + (policy == MissingPolicy::propagate ? -1 : 0);
  const std::uint32_t mb = measures_begin(v), me = measures_end(v);
  const std::uint32_t b = in_offsets[v], e = in_offsets[v + 1];
  const double* const ms = m_score.data();
  const double* const ns = n_score.data();
  double* const score_row = n_score.data() + static_cast<std::size_t>(v) * np;
  // A row's first and last cache lines, to be read soon: into L2, not L1 (locality 1). A
  // prefetch into L1 holds one of its few miss buffers until the line arrives, and with two
  // lines a row, 16 rows ahead, they ran out: the prefetches themselves stalled. Into L2 a
  // fifth to a quarter of an evaluation went at 100k and 300k employees.
  auto prefetch_row = [np](const double* row) __attribute__((always_inline)) {
    __builtin_prefetch(row, 0, 1);
    __builtin_prefetch(row + np - 1, 0, 1);
  };
  // Q vectors (Q W columns from column W j0) at a time, so that the sums stay in registers;
  // the inputs' rows are read once per block, from L1 after the first.
  // `Track`: whether the missing inputs are tracked (the propagate policy and the minimum and
  // maximum need them; the mean with the skip or zero policy does not, and takes more columns
  // per block in the registers that frees).
  auto block = [&]<std::size_t Q, bool Track>(
      std::size_t j0, std::integral_constant<std::size_t, Q>, std::bool_constant<Track>)
      __attribute__((always_inline)) {
    vd num[Q], den[Q], lo[Q], hi[Q];
    vm missed[Q];
    for (std::size_t q = 0; q < Q; ++q) {
      num[q] = den[q] = zeros;
      if constexpr (Track) missed[q] = vm{};
      if constexpr (!Mean) {
        lo[q] = zeros + inf;
        hi[q] = zeros - inf;
      }
    }
    auto add = [&](const double* in, double wk) __attribute__((always_inline)) {
      const vd w = zeros + wk;
      const vd w_if_missing = zero ? w : zeros;
      for (std::size_t q = 0; q < Q; ++q) {
        vd x;
        std::memcpy(&x, in + W * (j0 + q), sizeof x);
        const vm miss = x != x;
        const vd sv = miss ? zeros : x;
        if constexpr (Track) missed[q] |= miss;
        num[q] += w * sv;
        den[q] += miss ? w_if_missing : w;
        if constexpr (!Mean) {
          const vd y_lo = miss ? lo_fill : sv;
          const vd y_hi = miss ? hi_fill : sv;
          lo[q] = y_lo < lo[q] ? y_lo : lo[q];
          hi[q] = hi[q] < y_hi ? y_hi : hi[q];
        }
      }
    };
    // The node's measures: consecutive measure rows, just scored (in the cache).
    for (std::uint32_t r = mb; r < me; ++r) add(ms + static_cast<std::size_t>(r) * np, m_weight[r]);
    // The contributing nodes: just before this one in cascade order, mostly.
    for (std::uint32_t k = b; k < e; ++k) {
      if (j0 == 0 && k + prefetch_distance < e)
        prefetch_row(ns + static_cast<std::size_t>(in_from[k + prefetch_distance]) * np);
      add(ns + static_cast<std::size_t>(in_from[k]) * np, in_weight[k]);
    }
    if constexpr (Mean) {
      const vd nans = zeros + nan_v;
      for (std::size_t q = 0; q < Q; ++q) {
        vm ok = den[q] > zeros;
        if constexpr (Track) ok &= ~(propagate & missed[q]);
        const vd score = ok ? num[q] / den[q] : nans;
        std::memcpy(score_row + W * (j0 + q), &score, sizeof score);
      }
    } else {
      for (std::size_t q = 0; q < Q; ++q)
        for (std::size_t l = 0; l < W; ++l) {
          double score = nan_v;
          if (den[q][l] > 0 && !(policy == MissingPolicy::propagate && missed[q][l] != 0)) {
            switch (how) {
              case RollupMethod::mean:
              case RollupMethod::status_counts:
                score = num[q][l] / den[q][l];
                break;
              case RollupMethod::min:
                score = lo[q][l];
                break;
              case RollupMethod::max:
                score = hi[q][l];
                break;
            }
          }
          score_row[W * (j0 + q) + l] = score;
        }
    }
  };
  std::size_t j0 = 0;
  if (Mean && policy != MissingPolicy::propagate) {
    // Two vectors of sums per block vector: 12 of the 16 registers.
    constexpr std::size_t wide = 12 / W;
    for (; j0 + wide <= nv; j0 += wide)
      block(j0, std::integral_constant<std::size_t, wide>{}, std::false_type{});
    for (; j0 < nv; ++j0) block(j0, std::integral_constant<std::size_t, 1>{}, std::false_type{});
    return;
  }
  for (; j0 + 2 <= nv; j0 += 2)
    block(j0, std::integral_constant<std::size_t, 2>{}, std::true_type{});
  if (j0 < nv) block(j0, std::integral_constant<std::size_t, 1>{}, std::true_type{});
}

/// A node's roll-up with the widest kernel of W lanes or fewer that its columns allow.
template <std::size_t W>
[[gnu::always_inline]] inline void Scorecard::Impl::roll_up_with(V v) {
  if (missing[v] == MissingPolicy::carry || P % 2 != 0) {
    roll_up_general(v);
    return;
  }
  const bool mean = rollup[v] == RollupMethod::mean || rollup[v] == RollupMethod::status_counts;
  if constexpr (W == 4) {
    if (P % 4 == 0) {
      if (P == 12)
        mean ? roll_up_columns<12, true, 4>(v) : roll_up_columns<12, false, 4>(v);
      else
        mean ? roll_up_columns<0, true, 4>(v) : roll_up_columns<0, false, 4>(v);
      return;
    }
  }
  if (P == 12)
    mean ? roll_up_columns<12, true, 2>(v) : roll_up_columns<12, false, 2>(v);
  else
    mean ? roll_up_columns<0, true, 2>(v) : roll_up_columns<0, false, 2>(v);
}
#endif

void Scorecard::Impl::roll_up(V v) {
#if defined(__GNUC__)
  roll_up_with<2>(v);
#else
  roll_up_general(v);
#endif
}

void Scorecard::Impl::score_nodes(std::size_t from, std::size_t to, Pipeline* pipeline,
                                  std::size_t part) {
#if defined(SPM_HAVE_AVX2_KERNELS)
  if (avx2) {
    score_nodes_avx2(from, to, pipeline, part);
    return;
  }
#endif
  score_part<false>(from, to, pipeline, part);
}

/// Always inlined, into score_nodes() and into score_nodes_avx2(), whose roll-up it then takes.
template <bool Wide>
[[gnu::always_inline]] inline void Scorecard::Impl::score_part(std::size_t from, std::size_t to,
                                                               Pipeline* pipeline,
                                                               std::size_t part) {
  auto score = [this](std::size_t v) __attribute__((always_inline)) {
    score_measures_of(static_cast<V>(v));
#if defined(SPM_HAVE_AVX2_KERNELS)
    if constexpr (Wide) {
      roll_up_with<4>(static_cast<V>(v));
      return;
    }
#endif
    roll_up(static_cast<V>(v));
  };
  // The nodes whose inputs are all scored, in order; in a part after the first, the others
  // are put off to the end. In a post-order the nodes that depend on an earlier part are those
  // above the cut, which the part meets first: waiting for them there would wait for most of
  // the earlier part.
  const bool check = pipeline != nullptr && part > 0;
  std::vector<std::uint8_t> put_off;
  if (check) put_off.assign(to - from, 0);
  std::size_t first_put_off = to;
  for (std::size_t v = from; v < to; ++v) {
    if (check && !inputs_scored(static_cast<V>(v), from, *pipeline, put_off)) {
      put_off[v - from] = 1;
      first_put_off = std::min(first_put_off, v);
      continue;
    }
    score(v);
    if (pipeline && first_put_off == to)
      pipeline->progress[part].done.store(v + 1, std::memory_order_release);
  }
  // Then those put off, in order: their inputs in this part are scored by now (each is
  // taken off the list once scored), and those in earlier parts are waited for.
  for (std::size_t v = first_put_off; v < to; ++v) {
    if (!put_off[v - from]) continue;
    for (unsigned spins = 0; !inputs_scored(static_cast<V>(v), from, *pipeline, put_off); ++spins) {
      if (pipeline->stop.load(std::memory_order_relaxed)) return;
      detail::cpu_relax(spins);
    }
    score(v);
    put_off[v - from] = 0;
  }
  if (pipeline) pipeline->progress[part].done.store(to, std::memory_order_release);
}

namespace {
/// The part of `bounds` that holds node u (parts are few: a scan).
std::size_t part_of(const std::vector<std::size_t>& bounds, std::size_t u) {
  std::size_t q = 0;
  while (bounds[q + 1] <= u) ++q;
  return q;
}
}  // namespace

bool Scorecard::Impl::inputs_scored(V v, std::size_t from, const Pipeline& pipeline,
                                    const std::vector<std::uint8_t>& put_off) const {
  for (std::uint32_t k = in_offsets[v], e = in_offsets[v + 1]; k < e; ++k) {
    const std::size_t u = in_from[k];
    if (u >= from ? put_off[u - from] != 0
                  : pipeline.progress[part_of(pipeline.bounds, u)].done.load(
                        std::memory_order_acquire) <= u)
      return false;
  }
  return true;
}

/// Cuts [0, N) into `parts` consecutive parts of about equal work, counting a measure row as
/// one unit and a node's roll-up as half a unit and half for each contributor (a rough share
/// of the bytes each reads and writes): the work before node k is a sum that the offsets arrays
/// give at any k, so a binary search finds each cut.
std::vector<std::size_t> Scorecard::Impl::split_points(std::size_t parts) const {
  const std::size_t N = this->N();
  auto work = [&](std::size_t k) {
    return 2.0 * cascade->measure_offsets[k] + static_cast<double>(k) + in_offsets[k];
  };
  const double total = work(N);
  std::vector<std::size_t> bounds(parts + 1, N);
  bounds[0] = 0;
  for (std::size_t j = 1; j < parts; ++j) {
    const double goal = total * static_cast<double>(j) / static_cast<double>(parts);
    std::size_t lo = bounds[j - 1], hi = N;
    while (lo < hi) {
      const std::size_t mid = lo + (hi - lo) / 2;
      if (work(mid) < goal)
        lo = mid + 1;
      else
        hi = mid;
    }
    bounds[j] = lo;
  }
  return bounds;
}

namespace {
/// Whether evaluate() takes the AVX2 kernels: the processor and the operating system run AVX2,
/// and the environment variable SPM_KERNELS, read once, is not `portable`. Either kernel gives
/// the same bits; the variable is there to check that, and to take a machine's baseline.
bool use_avx2() {
#if defined(SPM_HAVE_AVX2_KERNELS)
  static const bool yes = [] {
    const char* const asked = std::getenv("SPM_KERNELS");
    if (asked != nullptr && std::string_view(asked) == "portable") return false;
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
  }();
  return yes;
#else
  return false;
#endif
}
}  // namespace

#if defined(SPM_HAVE_AVX2_KERNELS)
__attribute__((target("avx2"))) void Scorecard::Impl::score_nodes_avx2(std::size_t from,
                                                                       std::size_t to,
                                                                       Pipeline* pipeline,
                                                                       std::size_t part) {
  score_part<true>(from, to, pipeline, part);
}
#endif

/// The roll-up of one node over every column, column by column: any policy.
void Scorecard::Impl::roll_up_general(V v) {
  for (std::size_t p = 0; p < P; ++p) n_score[std::size_t{v} * P + p] = roll_up_column(v, p);
}

/// The roll-up of one node in one column, any policy (DOMAIN.md section 5).
double Scorecard::Impl::roll_up_column(V v, std::size_t p) const {
  const std::uint32_t mb = measures_begin(v), me = measures_end(v);
  const std::uint32_t b = in_offsets[v], e = in_offsets[v + 1];
  const RollupMethod how = rollup[v];
  const MissingPolicy policy = missing[v];
  double num = 0, den = 0;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  bool any_missing = false;
  auto add = [&](const double* row, double w) {
    double s = row[p];
    if (std::isnan(s)) {
      any_missing = true;
      if (policy == MissingPolicy::zero) {
        s = 0.0;
      } else if (policy == MissingPolicy::carry) {
        for (std::size_t q = p; q-- > 0 && std::isnan(s);) s = row[q];
        if (std::isnan(s)) return;
      } else {
        return;
      }
    }
    num += w * s;
    den += w;
    lo = std::min(lo, s);
    hi = std::max(hi, s);
  };
  for (std::uint32_t r = mb; r < me; ++r) add(m_score.data() + std::size_t{r} * P, m_weight[r]);
  for (std::uint32_t k = b; k < e; ++k)
    add(n_score.data() + std::size_t{in_from[k]} * P, in_weight[k]);
  if (!(den > 0) || (policy == MissingPolicy::propagate && any_missing)) return nan_v;
  switch (how) {
    case RollupMethod::mean:
    case RollupMethod::status_counts:
      return num / den;
    case RollupMethod::min:
      return lo;
    case RollupMethod::max:
      return hi;
  }
  return nan_v;
}

double Scorecard::Impl::coverage(V v, std::size_t p) const {
  double with_data = 0, total = 0;
  for (std::uint32_t r = measures_begin(v); r < measures_end(v); ++r) {
    total += m_weight[r];
    if (!std::isnan(m_score[std::size_t{r} * P + p])) with_data += m_weight[r];
  }
  for (std::uint32_t k = in_offsets[v]; k < in_offsets[v + 1]; ++k) {
    total += in_weight[k];
    if (!std::isnan(n_score[std::size_t{in_from[k]} * P + p])) with_data += in_weight[k];
  }
  return total > 0 ? with_data / total : 0.0;
}

void Scorecard::Impl::roll_up_perspectives() {
  const std::size_t K = p_offsets.size() - 1;
  for (std::size_t p = 0; p < P; ++p) {
    double o_sum = 0, o_n = 0;
    for (std::size_t k = 0; k < K; ++k) {
      double sum = 0, n = 0, total = 0;
      for (std::uint32_t i = p_offsets[k]; i < p_offsets[k + 1]; ++i) {
        const double s = n_score[p_goals[i] * P + p];
        total += 1;
        if (std::isnan(s)) continue;
        sum += s;
        n += 1;
      }
      p_score[k * P + p] = n > 0 ? sum / n : nan_v;
      p_coverage[k * P + p] = total > 0 ? n / total : 0.0;
      if (total > 0) {
        if (n > 0) {
          o_sum += p_score[k * P + p];
          o_n += 1;
        }
      }
    }
    std::size_t with_goals = 0;
    for (std::size_t k = 0; k < K; ++k) with_goals += p_offsets[k + 1] > p_offsets[k];
    o_score[p] = o_n > 0 ? o_sum / o_n : nan_v;
    o_coverage[p] = with_goals > 0 ? o_n / static_cast<double>(with_goals) : 0.0;
  }
}

StatusResult Scorecard::Impl::measure_status(std::uint32_t i, double s) const {
  const Measure& m = measure_at(i);
  if (m.method == ScoringMethod::thresholds) return status_by_thresholds(s);
  if (!m.status_bands.empty())
    return status_by_bands(s, m.status_bands, StatusReason::Source::measure_bands);
  return status_by_bands(s, settings.status_bands);
}

// ---- evaluate
// ------------------------------------------------------------------------------------

Scorecard::Scorecard(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Scorecard::Scorecard(Scorecard&&) noexcept = default;
Scorecard& Scorecard::operator=(Scorecard&&) noexcept = default;
Scorecard::~Scorecard() = default;

Scorecard Scorecard::evaluate(const Cascade& cascade, const ScoreOptions& options,
                              const Scenario& scenario) {
  cascade.ensure_current();
  auto impl = std::make_unique<Impl>();
  Impl& s = *impl;
  s.cascade = detail::CascadeAccess::impl(cascade);
  const Cascade::Impl& c = *s.cascade;
  const Model::Impl& m = c.model();
  s.options = options;
  s.settings = m.info.settings;
  s.scenario = scenario;
  s.avx2 = use_avx2();
  if (options.trend_periods < 2) bad_argument("trend_periods must be at least 2");
  if (!std::isfinite(options.trend_dead_band) || options.trend_dead_band < 0)
    bad_argument("trend_dead_band must be a finite number >= 0");
  if (!std::isfinite(options.on_track_share) || options.on_track_share <= 0)
    bad_argument("on_track_share must be a finite number > 0");
  if (options.threads < 0) bad_argument("threads must be 0 (every core) or more");
  {
    // The model's first evaluation, once its options are known to be good, makes the store (the
    // model is const here, but its Impl, on the heap, is not: the lock keeps the other
    // evaluations and updates out meanwhile).
    std::lock_guard<std::mutex> lock(c.token->store_mutex);
    const auto& table = m.table<Measure>();
    auto& st = const_cast<detail::MeasureStore&>(table.store());
    st.activate(table.items());
    if (st.usable()) s.store = &st;
  }

  // Columns: given, or every month from the first to the last actual.
  s.columns = options.columns;
  if (s.columns.empty()) {
    // The store counts the months in which actuals start and end; without it, every measure's
    // (actuals are sorted by period, by start then by length, so the first starts first).
    int lo = std::numeric_limits<int>::max(), hi = std::numeric_limits<int>::min();
    if (s.store) {
      (void)s.store->month_range(lo, hi);  // untouched when there is no actual
    } else {
      for (const Measure& ms : m.table<Measure>().items()) {
        if (ms.actuals.empty()) continue;
        lo = std::min(lo, ms.actuals.front().period.first_month());
        for (const Actual& a : ms.actuals) hi = std::max(hi, a.period.last_month());
      }
    }
    for (const auto& ch : scenario.actuals) {
      lo = std::min(lo, ch.period.first_month());
      hi = std::max(hi, ch.period.last_month());
    }
    for (int mo = lo; mo <= hi; ++mo) s.columns.push_back(Span::of(month_at(mo)));
  }
  for (const auto& col : s.columns)
    if (col.first.kind() != Period::Kind::month || col.last.kind() != Period::Kind::month ||
        col.last < col.first)
      bad_argument(fmt::format("column '{}' must run from a month to a later month", col.label));
  s.P = s.columns.size();
  s.all_single_months = true;
  for (const auto& col : s.columns) {
    const bool one = col.first == col.last;
    s.all_single_months = s.all_single_months && one;
    s.column_month.push_back(one ? col.first : Period::year(1));
    s.column_month_number.push_back(col.first.first_month());
  }
  s.consecutive_months = s.all_single_months && s.P > 0;
  if (s.consecutive_months) {
    s.first_column_month = s.column_month[0].first_month();
    for (std::size_t col = 0; col < s.P; ++col)
      s.consecutive_months =
          s.consecutive_months &&
          s.column_month[col].first_month() == s.first_column_month + static_cast<int>(col);
  }

  // The scenario names real entities and gives finite values.
  for (const auto& ch : scenario.actuals) {
    if (detail::find_index(m, EntityKind::measure, ch.measure) < 0)
      bad_argument(fmt::format("what-if: unknown measure '{}'", ch.measure));
    if (std::isinf(ch.value))
      bad_argument(fmt::format("what-if: measure '{}': an actual must be finite", ch.measure));
  }
  for (const auto& ch : scenario.targets) {
    if (detail::find_index(m, EntityKind::measure, ch.measure) < 0)
      bad_argument(fmt::format("what-if: unknown measure '{}'", ch.measure));
    if (!std::isfinite(ch.value))
      bad_argument(fmt::format("what-if: measure '{}': a target must be finite", ch.measure));
  }
  if (!scenario.actuals.empty() || !scenario.targets.empty()) {
    s.in_scenario.assign(m.table<Measure>().size(), 0);
    auto mark = [&](const std::string& id) {
      s.in_scenario[c.measure_row[static_cast<std::size_t>(
          detail::find_index(m, EntityKind::measure, id))]] = 1;
    };
    for (const auto& ch : scenario.actuals) mark(ch.measure);
    for (const auto& ch : scenario.targets) mark(ch.measure);
  }
  for (const auto& ch : scenario.weights)
    if (!std::isfinite(ch.weight) || !(ch.weight > 0))
      bad_argument(fmt::format("what-if: {} '{}': a weight must be finite and > 0",
                               to_string(ch.from.kind), ch.from.id));

  // Node inputs: measures (their rows), then contributing nodes (in edge order).
  const std::size_t N = c.n();
  const auto measures = m.table<Measure>().items();
  const auto M = measures.size();
  s.m_weight = c.row_weight;
  for (const auto& ch : scenario.weights)
    if (ch.from.kind == EntityKind::measure) {
      const auto i = detail::find_index(m, EntityKind::measure, ch.from.id);
      if (i < 0) bad_argument(fmt::format("what-if: unknown measure '{}'", ch.from.id));
      if (s.own_measure_weights.empty())
        s.own_measure_weights.assign(c.row_weight.begin(), c.row_weight.end());
      s.own_measure_weights[c.measure_row[static_cast<std::size_t>(i)]] = ch.weight;
      s.m_weight = s.own_measure_weights;
    }
  std::map<std::pair<V, V>, double> edge_weight_change;
  for (const auto& ch : scenario.weights) {
    if (ch.from.kind == EntityKind::measure) continue;
    const V from = c.node(ch.from.kind, ch.from.id), to = c.node(ch.to.kind, ch.to.id);
    if (from == none || to == none)
      bad_argument(fmt::format("what-if: no contribution from {} '{}' to {} '{}'",
                               to_string(ch.from.kind), ch.from.id, to_string(ch.to.kind),
                               ch.to.id));
    edge_weight_change[{from, to}] = ch.weight;
  }
  // Contributors: the cascade's own arrays, unless the scenario changes a link's weight.
  s.in_offsets = c.in_offsets;
  s.in_from = c.in_from;
  s.in_weight = c.in_weight;
  if (!edge_weight_change.empty()) {
    s.own_weights.assign(c.in_weight.begin(), c.in_weight.end());
    std::size_t applied = 0;
    for (V v = 0; v < N; ++v)
      for (std::uint32_t k = c.in_offsets[v]; k < c.in_offsets[v + 1]; ++k)
        if (auto it = edge_weight_change.find({c.in_from[k], v}); it != edge_weight_change.end()) {
          s.own_weights[k] = it->second;
          ++applied;
        }
    if (applied != edge_weight_change.size())
      bad_argument("what-if: a weight change names two nodes with no contribution between them");
    s.in_weight = s.own_weights;
  }
  s.rollup.resize(N);
  s.missing.resize(N);
  for (V v = 0; v < N; ++v) {
    // Per-node policy: the node's own, else the organization's.
    const std::uint8_t r = c.own_rollup[v], mp = c.own_missing[v];
    s.rollup[v] = r == Cascade::Impl::unset ? s.settings.rollup : static_cast<RollupMethod>(r);
    s.missing[v] = mp == Cascade::Impl::unset ? s.settings.missing : static_cast<MissingPolicy>(mp);
  }

  // Perspectives and their goals.
  const auto perspectives = m.table<Perspective>().items();
  s.p_offsets.assign(perspectives.size() + 1, 0);
  for (std::size_t k = 0; k < perspectives.size(); ++k) {
    const auto goals = m.table<Goal>().items();
    for (std::uint32_t g = 0; g < goals.size(); ++g)
      if (goals[g].perspective == perspectives[k].id)
        s.p_goals.push_back(c.node_of[detail::s_goal][g]);
    s.p_offsets[k + 1] = static_cast<std::uint32_t>(s.p_goals.size());
  }

  // The store in the order of this cascade's measure rows, so that it is read as a stream: laid
  // out by the first evaluation of a cascade of this structure, and again once many runs have
  // moved (the model is const here, but its Impl, on the heap, is not: the lock keeps the
  // other evaluations and updates out meanwhile). Only the single-month columns read it.
  if (s.store && s.all_single_months && s.P > 0) {
    std::lock_guard<std::mutex> lock(c.token->store_mutex);
    const void* const owner = c.token.get();
    if (!s.store->in_order_for(owner, c.revision))
      (void)const_cast<detail::MeasureStore*>(s.store)->relayout(c.row_measure, owner, c.revision);
    s.laid_out = s.store->laid_out_for(owner, c.revision);
  }

  // Score node by node in cascade order (every node after what contributes to it): a node's
  // measures into their rows, then its roll-up. With threads, the cascade order is cut into
  // consecutive parts of about equal work, one per thread, each scored in order as on one
  // thread (score_part()). In a post-order few nodes need an earlier part (those above a cut:
  // most of a part is whole subtrees); a part puts them off to its end, by when the earlier
  // parts are mostly done, and waits for them there. Each thread reads and writes in order,
  // and every row's arithmetic is the same whatever the split.
  s.m_score = c.token->buffers.take_doubles(M * s.P);
  s.n_score = c.token->buffers.take_doubles(N * s.P);
  s.p_score.assign(perspectives.size() * s.P, nan_v);
  s.p_coverage.assign(perspectives.size() * s.P, 0.0);
  s.o_score.assign(s.P, nan_v);
  s.o_coverage.assign(s.P, 0.0);
  const int threads = detail::threads_for(options.threads);
  // Below this many rows of work a thread costs more than it saves.
  constexpr std::size_t min_rows_per_thread = 4096, max_parts = 64;
  try {
    if (threads <= 1 || N < 2 * min_rows_per_thread) {
      s.score_nodes(0, N);
    } else {
      // A part per thread asked for, up to 64 (a part that waits spins, then yields).
      const std::size_t parts =
          std::min({static_cast<std::size_t>(threads), N / min_rows_per_thread, max_parts});
      Impl::Pipeline pipeline;
      pipeline.bounds = s.split_points(parts);
      pipeline.progress = std::make_unique<Impl::Pipeline::Progress[]>(parts);
      for (std::size_t k = 0; k < parts; ++k)
        pipeline.progress[k].done.store(pipeline.bounds[k], std::memory_order_relaxed);
      detail::parallel_chain(
          parts,
          [&](std::size_t k) {
            s.score_nodes(pipeline.bounds[k], pipeline.bounds[k + 1], &pipeline, k);
          },
          [&] { pipeline.stop.store(true, std::memory_order_relaxed); });
    }
  } catch (const Error&) {
    // A measure that cannot be scored (an out-of-domain actual): report the first in model
    // order, as every order and thread count must, by scoring them in that order (this throws
    // at that measure, never later than the one met).
    for (std::uint32_t i = 0; i < M; ++i) s.score_measure(i);
    throw;
  }
  s.roll_up_perspectives();
  return Scorecard(std::move(impl));
}

// ---- queries
// ---------------------------------------------------------------------------------------

bool Scorecard::is_current() const noexcept {
  return impl_ && impl_->cascade->token->structure.load() == impl_->cascade->revision;
}
const std::vector<Span>& Scorecard::columns() const noexcept {
  return impl_->columns;
}
int Scorecard::column(std::string_view label) const noexcept {
  for (std::size_t c = 0; c < impl_->columns.size(); ++c)
    if (impl_->columns[c].label == label) return static_cast<int>(c);
  return -1;
}

ScoreResult Scorecard::measure(std::string_view measure_id, int column) const {
  const Impl& s = *impl_;
  s.ensure_current();
  s.check_column(column);
  const auto i = s.measure_index(measure_id);
  const auto p = static_cast<std::size_t>(column);
  const auto row = s.measure_row_scores(i);
  return s.result(row, std::isnan(row[p]) ? 0.0 : 1.0, p, s.measure_status(i, row[p]));
}

ScoreResult Scorecard::node(EntityKind kind, std::string_view id, int column) const {
  const Impl& s = *impl_;
  s.ensure_current();
  s.check_column(column);
  const V v = s.cascade->require_node(kind, id);
  const auto p = static_cast<std::size_t>(column);
  const auto row = s.node_row_scores(v);
  return s.result(row, s.coverage(v, p), p, status_by_bands(row[p], s.settings.status_bands));
}

ScoreResult Scorecard::perspective(std::string_view perspective_id, int column) const {
  const Impl& s = *impl_;
  s.ensure_current();
  s.check_column(column);
  const auto k = detail::find_index(s.model(), EntityKind::perspective, perspective_id);
  if (k < 0)
    throw Error(ErrorCode::not_found, std::vector<Issue>{Issue{Severity::error,
                                                               "perspective",
                                                               std::string(perspective_id),
                                                               "id",
                                                               "no perspective has this id",
                                                               {}}});
  const auto p = static_cast<std::size_t>(column);
  std::span<const double> row(s.p_score.data() + static_cast<std::size_t>(k) * s.P, s.P);
  return s.result(row, s.p_coverage[static_cast<std::size_t>(k) * s.P + p], p,
                  status_by_bands(row[p], s.settings.status_bands));
}

ScoreResult Scorecard::organization(int column) const {
  const Impl& s = *impl_;
  s.ensure_current();
  s.check_column(column);
  const auto p = static_cast<std::size_t>(column);
  return s.result(s.o_score, s.o_coverage[p], p,
                  status_by_bands(s.o_score[p], s.settings.status_bands));
}

double Scorecard::actual(std::string_view measure_id, int column) const {
  const Impl& s = *impl_;
  s.ensure_current();
  s.check_column(column);
  const auto i = s.measure_index(measure_id);
  return s.actual_in(s.measure_at(i), s.actuals_of(i), s.columns[static_cast<std::size_t>(column)]);
}

double Scorecard::target(std::string_view measure_id, int column) const {
  const Impl& s = *impl_;
  s.ensure_current();
  s.check_column(column);
  const auto i = s.measure_index(measure_id);
  return s.target_of(s.measure_at(i), i, s.columns[static_cast<std::size_t>(column)]);
}

Explanation Scorecard::explain(EntityKind kind, std::string_view id, int column) const {
  const Impl& s = *impl_;
  s.ensure_current();
  s.check_column(column);
  const V v = s.cascade->require_node(kind, id);
  const auto p = static_cast<std::size_t>(column);
  Explanation out;
  out.node = s.cascade->ref(v);
  out.column = s.columns[p].label;
  out.score = s.n_score[v * s.P + p];
  out.coverage = s.coverage(v, p);
  out.rollup = s.rollup[v];
  out.missing = s.missing[v];
  double den = 0;
  auto add = [&](Ref input, std::span<const double> row, double weight, StatusResult st) {
    InputExplanation in;
    in.input = std::move(input);
    in.weight = weight;
    in.score = row[p];
    if (std::isnan(in.score)) {
      if (out.missing == MissingPolicy::zero) {
        in.score = 0.0;
      } else if (out.missing == MissingPolicy::carry) {
        for (std::size_t q = p; q-- > 0 && std::isnan(in.score);) in.score = row[q];
        in.carried = !std::isnan(in.score);
      }
    }
    ++out.status_counts[static_cast<std::size_t>(st.status)];
    if (!std::isnan(in.score)) den += in.weight;
    out.inputs.push_back(std::move(in));
  };
  const auto& rows = s.cascade->row_measure;
  for (std::uint32_t r = s.measures_begin(v); r < s.measures_end(v); ++r) {
    const std::uint32_t i = rows[r];
    const auto row = s.measure_row_scores(i);
    add(Ref{EntityKind::measure, s.measure_at(i).id}, row, s.m_weight[r],
        s.measure_status(i, row[p]));
  }
  for (std::uint32_t k = s.in_offsets[v]; k < s.in_offsets[v + 1]; ++k) {
    const auto row = s.node_row_scores(s.in_from[k]);
    add(s.cascade->ref(s.in_from[k]), row, s.in_weight[k],
        status_by_bands(row[p], s.settings.status_bands));
  }
  const bool counted = !std::isnan(out.score);
  for (auto& in : out.inputs) {
    if (std::isnan(in.score) || !counted || den == 0) continue;
    in.normalized = in.weight / den;
    in.contribution = out.rollup == RollupMethod::mean || out.rollup == RollupMethod::status_counts
                          ? in.normalized * in.score
                          : 0.0;
  }
  return out;
}

std::string Explanation::text() const {
  std::string out = fmt::format("{} '{}' in {}: ", to_string(node.kind), node.id, column);
  out += std::isnan(score) ? std::string("no score") : fmt::format("score {:.4f}", score);
  out += fmt::format(", coverage {:.0f}%, {} of inputs, missing data: {}\n", coverage * 100,
                     to_string(rollup), to_string(missing));
  for (const auto& in : inputs) {
    out += fmt::format("  {:<10} {:<24} weight {:<8g}", to_string(in.input.kind), in.input.id,
                       in.weight);
    if (std::isnan(in.score))
      out += "  no data\n";
    else
      out += fmt::format("  score {:.4f}{}  x {:.4f} = {:+.4f}\n", in.score,
                         in.carried ? " (carried)" : "", in.normalized, in.contribution);
  }
  if (rollup == RollupMethod::status_counts)
    out += fmt::format("  green {}, amber {}, red {}, no data {}\n", status_counts[0],
                       status_counts[1], status_counts[2], status_counts[3]);
  return out;
}

Pace Scorecard::pace(std::string_view measure_id, Period as_of) const {
  const Impl& s = *impl_;
  s.ensure_current();
  if (as_of.kind() != Period::Kind::month)
    bad_argument(fmt::format("pace is measured as of a month, not '{}'", as_of.to_string()));
  const auto i = s.measure_index(measure_id);
  const Measure& m = s.measure_at(i);
  Pace out;
  out.measure = m.id;
  out.span = Span::of(Period::year(as_of.year_number()));
  out.as_of = as_of;
  out.elapsed = static_cast<double>(as_of.index()) / 12.0;
  const Span to_date = Span::year_to_date(as_of);
  const auto actuals = s.actuals_of(i);
  std::vector<double> values, nums, dens;
  for (const auto& a : actuals)
    if (to_date.contains(a.period) && a.period.kind() == Period::Kind::month) {
      values.push_back(a.value);
      nums.push_back(a.numerator.value_or(nan_v));
      dens.push_back(a.denominator.value_or(nan_v));
    }
  out.actual = m.aggregation == Aggregation::ratio ? aggregate_ratio(nums, dens)
                                                   : aggregate(m.aggregation, values);
  const double target = s.target_of(m, i, out.span);
  const double base = m.aggregation == Aggregation::sum ? 0.0 : m.baseline.value_or(0.0);
  out.expected = base + out.elapsed * (target - base);
  out.ratio =
      m.polarity == Polarity::increasing ? out.actual / out.expected : out.expected / out.actual;
  out.on_track = !std::isnan(out.ratio) && out.ratio >= s.options.on_track_share;
  return out;
}

Forecast Scorecard::forecast(std::string_view measure_id, const Span& span) const {
  const Impl& s = *impl_;
  s.ensure_current();
  const auto i = s.measure_index(measure_id);
  const Measure& m = s.measure_at(i);
  Forecast out;
  out.measure = m.id;
  out.span = span;
  out.value = nan_v;
  out.score = nan_v;
  // Monthly series inside the span so far, and the trend of the last k months with data.
  const auto actuals = s.actuals_of(i);
  const int first = span.first.first_month(), last = span.last.last_month();
  const auto n = static_cast<std::size_t>(last - first + 1);
  std::vector<double> value(n, nan_v), num(n, nan_v), den(n, nan_v);
  int latest = -1;
  for (const auto& a : actuals)
    if (a.period.kind() == Period::Kind::month && span.contains(a.period)) {
      const auto k = static_cast<std::size_t>(a.period.first_month() - first);
      value[k] = a.value;
      num[k] = a.numerator.value_or(nan_v);
      den[k] = a.denominator.value_or(nan_v);
      latest = std::max(latest, static_cast<int>(k));
    }
  if (latest < 0) return out;
  const auto k = static_cast<std::size_t>(std::max(s.options.trend_periods, 2));
  const std::size_t from =
      static_cast<std::size_t>(latest) + 1 >= k ? static_cast<std::size_t>(latest) + 1 - k : 0;
  auto project = [&](std::vector<double>& series) {
    double intercept = 0;
    const double b = slope_of(
        std::span<const double>(series).subspan(from, static_cast<std::size_t>(latest) + 1 - from),
        &intercept);
    if (std::isnan(b)) return false;
    for (std::size_t j = static_cast<std::size_t>(latest) + 1; j < n; ++j)
      series[j] = intercept + b * static_cast<double>(j - from);
    return true;
  };
  if (m.aggregation == Aggregation::ratio) {
    if (!project(num) || !project(den)) return out;
    out.value = aggregate_ratio(num, den);
  } else {
    if (!project(value)) return out;
    out.value = aggregate(m.aggregation, value);
  }
  const double t = s.target_of(m, i, span);
  try {
    out.score = score_actual(rule_for(m, t, m.cap.value_or(s.settings.cap)), out.value);
  } catch (const Error&) {
    out.score = nan_v;  // a projection outside the measure's domain has no score
  }
  out.status = s.measure_status(i, out.score).status;
  return out;
}

double Scorecard::sensitivity(std::string_view goal_id, std::string_view measure_id) const {
  const Impl& s = *impl_;
  s.ensure_current();
  const V g = s.cascade->require_node(EntityKind::goal, goal_id);
  const auto i = s.measure_index(measure_id);
  const V v = s.cascade->measure_node[i];
  double total = 0;
  const double own = s.m_weight[s.row_of(i)];
  for (std::uint32_t r = s.measures_begin(v); r < s.measures_end(v); ++r) total += s.m_weight[r];
  for (std::uint32_t k = s.in_offsets[v]; k < s.in_offsets[v + 1]; ++k) total += s.in_weight[k];
  if (total == 0) return 0.0;
  for (const auto& [node, a] : s.cascade->propagate_down(g))
    if (node == v) return own / total * a;
  return 0.0;
}

void Scorecard::update(const Model& model, std::span<const std::string> measure_ids) {
  Impl& s = *impl_;
  s.ensure_current();
  if (detail::ModelAccess::impl(model).token != s.cascade->token)
    bad_argument("update() needs the model this scorecard was computed from");
  std::vector<std::uint32_t> ids;
  ids.reserve(measure_ids.size());
  for (const auto& id : measure_ids) ids.push_back(s.measure_index(id));
  // Rescore the measures, noting which columns of each changed (to the bit). The store is read
  // under the model's lock, which an evaluation on another thread may be laying it out under.
  const std::size_t P = s.P;
  const bool masks = P <= 64;
  std::vector<std::uint64_t> measure_mask(masks ? ids.size() : 0);
  std::vector<double> before(P);
  {
    std::lock_guard<std::mutex> lock(s.cascade->token->store_mutex);
    // The store as it is now: an edit since the evaluation may have found no memory for it.
    const auto& store = s.model().table<Measure>().store();
    s.store = store.usable() ? &store : nullptr;
    s.laid_out = s.store && s.store->laid_out_for(s.cascade->token.get(), s.cascade->revision);
    for (std::size_t j = 0; j < ids.size(); ++j) {
      double* const row = s.m_score.data() + std::size_t{s.row_of(ids[j])} * P;
      std::copy(row, row + P, before.begin());
      s.score_measure(ids[j]);
      if (s.model_order.data() != nullptr)
        std::copy(row, row + P, s.model_order.data() + std::size_t{ids[j]} * P);
      if (masks)
        for (std::size_t p = 0; p < P; ++p)
          if (std::memcmp(&row[p], &before[p], sizeof(double)) != 0) measure_mask[j] |= 1ull << p;
    }
  }
  // Every node above the measures' nodes, in cascade order. A few measures reach a few dozen
  // nodes: a sorted vector keeps them; many take a mark per node.
  const auto& g = s.cascade->graph;
  std::vector<V> affected;
  if (ids.size() <= 64) {
    auto add = [&](V v) {
      auto it = std::lower_bound(affected.begin(), affected.end(), v);
      if (it == affected.end() || *it != v) affected.insert(it, v);
    };
    for (std::uint32_t i : ids) add(s.cascade->measure_node[i]);
    // Ancestors have higher indices: walking the sorted set upward reaches every one of them.
    for (std::size_t k = 0; k < affected.size(); ++k)
      for (auto [e, end] = out_edges(affected[k], g); e != end; ++e)
        add(static_cast<V>(detail::target(*e, g)));
  } else {
    std::vector<std::uint8_t> mark(s.N(), 0);
    for (std::uint32_t i : ids) mark[s.cascade->measure_node[i]] = 1;
    for (V v = 0; v < s.N(); ++v) {
      if (!mark[v]) continue;
      affected.push_back(v);
      for (auto [e, end] = out_edges(v, g); e != end; ++e) mark[detail::target(*e, g)] = 1;
    }
  }
  if (!masks) {
    for (V v : affected) s.roll_up(v);
  } else {
    // Each node recomputes only the columns in which an input changed, and passes on the
    // columns in which its own score changed: the same numbers as a full roll-up (one column
    // of roll_up_column() is what roll_up() computes there), for a fraction of the work when
    // one actual moved one month.
    std::vector<std::uint64_t> changed(affected.size(), 0);
    auto slot_of_node = [&](V v) {
      return static_cast<std::size_t>(std::lower_bound(affected.begin(), affected.end(), v) -
                                      affected.begin());
    };
    for (std::size_t j = 0; j < ids.size(); ++j)
      changed[slot_of_node(s.cascade->measure_node[ids[j]])] |= measure_mask[j];
    for (std::size_t k = 0; k < affected.size(); ++k) {
      const V v = affected[k];
      std::uint64_t redo = changed[k];
      if (redo == 0) continue;
      // With carry, a change in one column reaches every later one.
      if (s.missing[v] == MissingPolicy::carry) redo |= ~((1ull << std::countr_zero(redo)) - 1);
      if (P < 64) redo &= (1ull << P) - 1;
      std::uint64_t out = 0;
      double* const row = s.n_score.data() + std::size_t{v} * P;
      for (std::uint64_t bits = redo; bits; bits &= bits - 1) {
        const auto p = static_cast<std::size_t>(std::countr_zero(bits));
        const double x = s.roll_up_column(v, p);
        if (std::memcmp(&x, &row[p], sizeof x) != 0) out |= 1ull << p;
        row[p] = x;
      }
      if (out == 0) continue;
      for (auto [e, end] = out_edges(v, g); e != end; ++e)
        changed[slot_of_node(static_cast<V>(detail::target(*e, g)))] |= out;
    }
  }
  s.roll_up_perspectives();
}

std::span<const double> Scorecard::node_scores() const noexcept {
  return impl_->n_score;
}
std::span<const double> Scorecard::measure_scores() const {
  const Impl& s = *impl_;
  // The engine keeps them by measure row; the first call copies them into model order (on
  // many threads at once, one of them does it and the others wait).
  std::call_once(s.model_order_once, [&s] {
    const std::size_t M = s.M(), P = s.P;
    detail::DoubleBuffer out;
    out.allocate(M * P);
    const V* const row_measure = s.cascade->row_measure.data();
    for (std::uint32_t r = 0; r < M; ++r)
      std::memcpy(out.data() + std::size_t{row_measure[r]} * P,
                  s.m_score.data() + std::size_t{r} * P, P * sizeof(double));
    s.model_order = std::move(out);
  });
  return {s.model_order.data(), s.M() * s.P};
}

}  // namespace v1
}  // namespace spm
