// measure_store.hpp - what scoring reads of every measure, kept compact beside the measures.
// Internal to spm.
//
// A Measure is about 500 bytes and its actuals a separate allocation of 48 bytes each: a full
// evaluation that read them would read about a kilobyte per measure, scattered, for a result
// of one double per column. The model therefore keeps, beside its table of measures and in
// the same order, a head of 56 bytes per measure and its monthly actuals as one dense run of
// doubles in a shared pool (NaN for a month without one). Every edit of a measure or of its
// actuals goes through Table<Measure>, which keeps this store in step, so that it is never
// stale; a full evaluation then streams through the heads and the pool in model order.
//
// Only what the common case needs is kept: a measure scored by the linear method with its
// default target, no per-period targets and no ratio aggregation (`fast`). Any other measure
// is scored from the Measure itself, as before, and only its month range is kept.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <utility>
#include <vector>

#include "common/huge.hpp"
#include "spm/model.hpp"

namespace spm {
inline namespace v1 {
namespace detail {

struct MeasureHead {
  double baseline = 0.0;         ///< fast: the baseline (0 when the measure has none)
  double span = 0.0;             ///< fast: target - baseline, never 0
  double cap = 0.0;              ///< fast: the measure's cap, when `own_cap`
  std::uint64_t offset = 0;      ///< fast: the first value in the pool
  std::int32_t first = 0;        ///< fast: month number (year * 12 + month - 1) of `offset`
  std::int32_t lo = 0, hi = -1;  ///< first and last month of any actual; hi < lo: none
  std::uint16_t count = 0;       ///< fast: months in the run
  std::uint16_t capacity = 0;    ///< fast: room in the pool at `offset`
  bool fast = false;
  bool own_cap = false;  ///< fast: false when the organization's cap applies
};

class MeasureStore {
 public:
  static constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();

  const MeasureHead& head(std::uint32_t i) const noexcept { return heads_[i]; }
  const double* values(const MeasureHead& h) const noexcept { return pool_.data() + h.offset; }
  std::size_t size() const noexcept { return heads_.size(); }
  /// How many times the pool was compacted (for tests).
  std::size_t compactions() const noexcept { return compactions_; }

  /// The first and last month of every actual of every measure; false when there is none.
  bool month_range(int& lo, int& hi) const noexcept {
    if (los_.empty()) return false;
    lo = los_.front().first;
    hi = his_.back().first;
    return true;
  }

  /// False once an edit could not be kept (no memory): scoring then reads every Measure, as
  /// it would without a store. The table itself is never left half-edited by the store.
  bool usable() const noexcept { return !broken_; }

  void reserve(std::size_t n) {
    guarded([&] { heads_.reserve(n); });
  }
  void push(const Measure& m) {
    guarded([&] {
      heads_.emplace_back();
      set(heads_.back(), m, true);
    });
  }
  void replace(std::uint32_t i, const Measure& m) {
    guarded([&] { set(heads_[i], m, false); });
  }
  void erase(std::uint32_t i) {
    guarded([&] {
      forget(heads_[i]);
      heads_.erase(heads_.begin() + i);
      compact_if_sparse();
    });
  }

 private:
  template <class F>
  void guarded(F&& f) noexcept {
    if (broken_) return;
    try {
      f();
    } catch (...) {
      broken_ = true;
      HugeVector<MeasureHead>().swap(heads_);
      HugeVector<double>().swap(pool_);
      los_.clear();
      his_.clear();
    }
  }

  /// Counts of the measures whose actuals start (end) in a month, sorted by month: a handful
  /// of entries, so that the range of every actual is known without reading the measures.
  using Counts = std::vector<std::pair<int, std::uint64_t>>;
  static void count(Counts& c, int month, int delta) {
    auto it = std::lower_bound(c.begin(), c.end(), month,
                               [](const auto& e, int m) { return e.first < m; });
    if (it == c.end() || it->first != month) it = c.insert(it, {month, 0});
    it->second += static_cast<std::uint64_t>(static_cast<std::int64_t>(delta));
    if (it->second == 0) c.erase(it);
  }

  void forget(MeasureHead& h) {
    if (h.lo <= h.hi) {
      count(los_, h.lo, -1);
      count(his_, h.hi, -1);
    }
    garbage_ += h.capacity;
    h.capacity = 0;
    h.count = 0;
    h.fast = false;
  }

  /// Makes `h` the head of `m` (`fresh`: a new head, holding nothing yet).
  void set(MeasureHead& h, const Measure& m, bool fresh) {
    MeasureHead n;
    // Month range of every actual, and of the monthly ones.
    int lo = std::numeric_limits<int>::max(), hi = std::numeric_limits<int>::min();
    int mlo = lo, mhi = hi;
    std::size_t months = 0;
    bool finite = true;
    for (const Actual& a : m.actuals) {
      lo = std::min(lo, a.period.first_month());
      hi = std::max(hi, a.period.last_month());
      if (a.period.kind() != Period::Kind::month) continue;
      const int mo = a.period.first_month();
      mlo = std::min(mlo, mo);
      mhi = std::max(mhi, mo);
      ++months;
      finite = finite && std::isfinite(a.value);
    }
    if (!m.actuals.empty()) {
      n.lo = lo;
      n.hi = hi;
    }
    const double baseline = m.baseline.value_or(0.0);
    const std::int64_t run = months ? std::int64_t{mhi} - mlo + 1 : 0;
    // A sparse history (a few months years apart) is scored from the Measure rather than
    // stored as a long run of gaps.
    const bool dense = run <= std::numeric_limits<std::uint16_t>::max() &&
                       run <= 2 * static_cast<std::int64_t>(months) + 24;
    n.fast = m.method == ScoringMethod::linear && m.targets.empty() &&
             m.aggregation != Aggregation::ratio && m.target.has_value() && baseline != *m.target &&
             finite && dense;
    const std::uint16_t old_capacity = fresh ? 0 : h.capacity;
    if (n.fast) {
      n.baseline = baseline;
      n.span = *m.target - baseline;
      n.cap = m.cap.value_or(0.0);
      n.own_cap = m.cap.has_value();
      n.first = months ? mlo : 0;
      n.count = static_cast<std::uint16_t>(run);
      if (run <= old_capacity) {
        n.offset = h.offset;
        n.capacity = old_capacity;
      } else {
        pool_.resize(pool_.size() + static_cast<std::size_t>(run));  // may throw: nothing done
        n.offset = pool_.size() - static_cast<std::size_t>(run);
        n.capacity = static_cast<std::uint16_t>(run);
      }
      double* const out = pool_.data() + n.offset;
      std::fill(out, out + run, nan_v);
      for (const Actual& a : m.actuals)
        if (a.period.kind() == Period::Kind::month) out[a.period.first_month() - mlo] = a.value;
    }
    if (n.capacity != old_capacity || n.offset != h.offset) garbage_ += old_capacity;
    if (!fresh && h.lo <= h.hi) {
      count(los_, h.lo, -1);
      count(his_, h.hi, -1);
    }
    if (n.lo <= n.hi) {
      count(los_, n.lo, +1);
      count(his_, n.hi, +1);
    }
    h = n;
    compact_if_sparse();
  }

  /// After many edits the pool holds runs nobody uses: when they are most of it, the live
  /// runs move together (in model order, which is the order scoring reads them in).
  void compact_if_sparse() {
    if (garbage_ < 4096 || garbage_ * 2 < pool_.size()) return;
    HugeVector<double> pool;
    pool.reserve(pool_.size() - garbage_);
    for (MeasureHead& h : heads_) {
      if (!h.fast) continue;
      const std::uint64_t at = pool.size();
      pool.insert(pool.end(), pool_.begin() + static_cast<std::ptrdiff_t>(h.offset),
                  pool_.begin() + static_cast<std::ptrdiff_t>(h.offset + h.count));
      h.offset = at;
      h.capacity = h.count;
    }
    pool_ = std::move(pool);
    garbage_ = 0;
    ++compactions_;
  }

  HugeVector<MeasureHead> heads_;
  HugeVector<double> pool_;
  std::size_t garbage_ = 0;  ///< doubles of the pool no head uses
  std::size_t compactions_ = 0;
  Counts los_, his_;
  bool broken_ = false;
};

}  // namespace detail
}  // namespace v1
}  // namespace spm
