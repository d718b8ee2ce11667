// measure_store.hpp - what scoring reads of every measure, kept compact beside the measures.
// Internal to spm.
//
// A Measure is about 500 bytes and its actuals a separate allocation of 16 bytes each: a full
// evaluation that read them would read about a kilobyte per measure, scattered, for a result
// of one double per column. The model therefore keeps, beside its table of measures, a head of
// 56 bytes per measure and its monthly actuals as one dense run of doubles in a shared pool
// (NaN for a month without one). Every edit of a measure or of its actuals goes through
// Table<Measure>, which keeps this store in step, so that it is never stale; a full evaluation
// then streams through the heads and the pool, laid out in its cascade's order (the layout,
// below).
//
// The store is made by the model's first evaluation (activate()), not while the model is
// built: a model that is loaded, checked, edited or compiled, and not scored, never holds it
// (at a million employees it is 1.7 GB of a model of 12.8 GB, which a load used to write only
// for the first evaluation to copy it into the cascade's order).
//
// Only what the common case needs is kept: a measure scored by the linear method with its
// default target, no per-period targets and no ratio aggregation (`fast`). Any other measure
// is scored from the Measure itself, as before, and only its month range is kept.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>
#include <limits>
#include <span>
#include <utility>
#include <vector>

#include "common/huge.hpp"
#include "common/prefetch.hpp"
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

  MeasureStore() = default;
  // A copy (a copied model) or a moved store is laid out for no cascade until it is laid out
  // again: the layout's key names the model it was made for.
  MeasureStore(const MeasureStore& o)
      : heads_(o.heads_),
        slot_of_(o.slot_of_),
        pool_(o.pool_),
        garbage_(o.garbage_),
        moved_(o.moved_),
        compactions_(o.compactions_),
        los_(o.los_),
        his_(o.his_),
        active_(o.active_),
        broken_(o.broken_) {}
  MeasureStore& operator=(const MeasureStore& o) {
    if (this != &o) *this = MeasureStore(o);
    return *this;
  }
  MeasureStore(MeasureStore&& o) noexcept
      : heads_(std::move(o.heads_)),
        slot_of_(std::move(o.slot_of_)),
        pool_(std::move(o.pool_)),
        spare_heads_(std::move(o.spare_heads_)),
        spare_pool_(std::move(o.spare_pool_)),
        garbage_(o.garbage_),
        moved_(o.moved_),
        compactions_(o.compactions_),
        los_(std::move(o.los_)),
        his_(std::move(o.his_)),
        active_(std::exchange(o.active_, false)),
        broken_(o.broken_) {
    o.layout_owner_ = nullptr;
  }
  MeasureStore& operator=(MeasureStore&& o) noexcept {
    heads_ = std::move(o.heads_);
    slot_of_ = std::move(o.slot_of_);
    pool_ = std::move(o.pool_);
    spare_heads_ = std::move(o.spare_heads_);
    spare_pool_ = std::move(o.spare_pool_);
    garbage_ = o.garbage_;
    moved_ = o.moved_;
    compactions_ = o.compactions_;
    los_ = std::move(o.los_);
    his_ = std::move(o.his_);
    active_ = std::exchange(o.active_, false);
    broken_ = o.broken_;
    layout_owner_ = o.layout_owner_ = nullptr;
    return *this;
  }

  /// The head of measure `i` (model order).
  const MeasureHead& head(std::uint32_t i) const noexcept { return heads_[slot_of_[i]]; }
  /// The head in slot `r`: once laid out for a cascade (laid_out_for()), the head of the
  /// measure in that cascade's measure row `r`.
  const MeasureHead& head_at_slot(std::uint32_t r) const noexcept { return heads_[r]; }
  const double* values(const MeasureHead& h) const noexcept { return pool_.data() + h.offset; }
  std::size_t size() const noexcept { return heads_.size(); }
  /// How many times the pool was compacted, and laid out (for tests).
  std::size_t compactions() const noexcept { return compactions_; }
  /// The months the pool holds, and has room for (for tests).
  std::size_t values_held() const noexcept { return pool_.size(); }
  std::size_t values_capacity() const noexcept { return pool_.capacity(); }
  std::size_t layouts() const noexcept { return layouts_; }

  /// Bytes of the arrays kept for the next layout (relayout()), and freeing them.
  std::size_t spare_bytes() const noexcept {
    return spare_heads_.capacity() * sizeof(MeasureHead) + spare_pool_.capacity() * sizeof(double);
  }
  void release_spares() noexcept {
    HugeVector<MeasureHead>().swap(spare_heads_);
    HugeVector<double>().swap(spare_pool_);
  }

  /// The first and last month of every actual of every measure; false when there is none.
  bool month_range(int& lo, int& hi) const noexcept {
    if (los_.empty()) return false;
    lo = los_.front().first;
    hi = his_.back().first;
    return true;
  }

  /// True once made (activate()), until an edit could not be kept (no memory): scoring then
  /// reads every Measure, as it would without a store. The table itself is never left
  /// half-edited by the store.
  bool usable() const noexcept { return active_ && !broken_; }
  /// Whether the store is made and kept in step with the measures (from activate() on).
  bool active() const noexcept { return active_; }

  /// Makes the store from the model's measures (`items`, the table's), in model order, unless
  /// it is made already or could not be kept; from then on every edit keeps it in step. The
  /// pool is taken once, for every measure's run. The measures are read as a stream: making it
  /// in a cascade's order at once, which reads them at random, took 2.5 times as long at a
  /// million employees (a TLB miss or two a measure) as this and relayout() after it. On
  /// failure (no memory) the store is unusable and scoring reads the measures.
  void activate(std::span<const Measure> items) noexcept {
    if (active_ || broken_) return;
    active_ = true;
    guarded([&] {
      // Of each Measure (520 bytes) only a line or two are read: the hardware prefetchers,
      // which follow dense streams, leave each a miss, so they are asked for a few ahead.
      constexpr std::size_t ahead = 8;
      const std::size_t n = items.size();
      auto touch = [&](std::size_t i) {
        if (i + ahead < n) prefetch_line(&items[i + ahead].actuals);
      };
      std::size_t values = 0;
      for (std::size_t i = 0; i < n; ++i) {
        touch(i);
        values += month_run(items[i]);
      }
      heads_.reserve(n);
      slot_of_.reserve(n);
      pool_.reserve(values);
      for (std::size_t i = 0; i < n; ++i) {
        touch(i);
        heads_.emplace_back();
        slot_of_.push_back(static_cast<std::uint32_t>(i));
        set(heads_.back(), items[i], true);
      }
    });
  }

  // ---- the layout
  // The heads are kept in slots, and the runs in the pool, in the order of one compiled
  // cascade's measure rows, so that an evaluation, which scores the measures node by node in
  // cascade order, reads the store as two streams and writes the measures' scores as a third
  // (reading them at random had been most of an evaluation). The model does not know that order:
  // the first evaluation of a cascade lays the store out for it (relayout()), under the model's
  // lock, and the layout holds until a measure is added or removed (the model's structure
  // revision moves). Edits of actuals keep the slots; a run that grows moves to the end of the
  // pool, and once many have moved the next evaluation lays the pool out again.

  /// Whether slot r holds the measure `order[r]` of the cascade compiled from the model of
  /// `owner` at structure revision `revision`.
  bool laid_out_for(const void* owner, std::uint64_t revision) const noexcept {
    return !broken_ && owner != nullptr && layout_owner_ == owner && layout_revision_ == revision;
  }
  /// laid_out_for(), with no more than an eighth of the runs moved out of slot order since.
  bool in_order_for(const void* owner, std::uint64_t revision) const noexcept {
    return laid_out_for(owner, revision) && moved_ * 8 <= heads_.size();
  }
  /// Puts measure order[r] into slot r and the runs of the pool in slot order; `order` is a
  /// permutation of the measures (a cascade's row_measure). On failure (no memory, or `order`
  /// no permutation) the store is as it was, and false comes back.
  bool relayout(std::span<const std::uint32_t> order, const void* owner,
                std::uint64_t revision) noexcept {
    const std::size_t n = heads_.size();
    if (!active_ || broken_ || order.size() != n) return false;
    try {
      {
        // `order` must be a permutation of the measures, or slots would be lost.
        std::vector<std::uint8_t> seen(n, 0);
        for (const std::uint32_t i : order) {
          if (i >= n || seen[i]) return false;
          seen[i] = 1;
        }
      }
      // A gather into other arrays: independent random reads, which overlap. (Following the
      // permutation's cycles in place would spare the heads' fresh memory, but each step of a
      // cycle waits for the one before: three dependent cache misses a measure.) As much room
      // as before: a layout changes where things are, not what the model holds. The arrays are
      // those the layout before left (spare_heads_, spare_pool_), when there was one: a layout
      // after each structural edit (a host that edits, recompiles and evaluates) then writes
      // into memory the process holds, not fresh pages (see BufferPool for what those cost).
      // The first layout frees the arrays in model order instead: the first evaluation's score
      // arrays, which it asks for next, then get the pages just freed, which cost much less on
      // some machines than pages the system has not held lately (at 300k employees the first
      // evaluation took twice as long when they were kept).
      HugeVector<MeasureHead> heads = std::move(spare_heads_);
      HugeVector<double> pool = std::move(spare_pool_);
      heads.clear();
      pool.clear();
      heads.reserve(heads_.capacity());
      pool.reserve(pool_.capacity());
      for (const std::uint32_t i : order) {
        MeasureHead h = heads_[slot_of_[i]];
        if (h.capacity != 0) {
          const double* const run = pool_.data() + h.offset;
          pool.insert(pool.end(), run, run + h.count);
          h.capacity = h.count;
        }
        h.offset = pool.size() - h.capacity;
        heads.push_back(h);
      }
      for (std::uint32_t r = 0; r < n; ++r) slot_of_[order[r]] = r;
      spare_heads_ = std::exchange(heads_, std::move(heads));
      spare_pool_ = std::exchange(pool_, std::move(pool));
      if (layouts_ == 0) release_spares();
    } catch (...) {
      return false;
    }
    garbage_ = 0;
    moved_ = 0;
    layout_owner_ = owner;
    layout_revision_ = revision;
    ++layouts_;
    return true;
  }

  /// Room for `n` measures (nothing until the store is made).
  void reserve(std::size_t n) {
    guarded([&] {
      heads_.reserve(n);
      slot_of_.reserve(n);
    });
  }
  /// The months from a measure's first monthly actual to its last, both in: the most of the
  /// pool that set() gives it (none when it is not `fast`), for activate() to count.
  static std::size_t month_run(const Measure& m) noexcept {
    int lo = std::numeric_limits<int>::max(), hi = std::numeric_limits<int>::min();
    for (std::size_t k = 0; k < m.actuals.size(); ++k)
      if (const Period p = m.actuals.period(k); p.kind() == Period::Kind::month) {
        lo = std::min(lo, p.first_month());
        hi = std::max(hi, p.first_month());
      }
    return lo <= hi ? static_cast<std::size_t>(std::int64_t{hi} - lo + 1) : 0;
  }
  void push(const Measure& m) {
    guarded([&] {
      heads_.emplace_back();
      slot_of_.push_back(static_cast<std::uint32_t>(heads_.size() - 1));
      set(heads_.back(), m, true);
    });
  }
  void replace(std::uint32_t i, const Measure& m) {
    guarded([&] { set(heads_[slot_of_[i]], m, false); });
  }
  void erase(std::uint32_t i) {
    guarded([&] {
      const std::uint32_t slot = slot_of_[i];
      forget(heads_[slot]);
      heads_.erase(heads_.begin() + slot);
      slot_of_.erase(slot_of_.begin() + i);
      for (std::uint32_t& s : slot_of_) s -= s > slot ? 1 : 0;
      compact_if_sparse();
    });
  }

 private:
  /// Runs an edit of the store, if it is kept: on failure (no memory) the store is dropped and
  /// marked unusable.
  template <class F>
  void guarded(F&& f) noexcept {
    if (!active_ || broken_) return;
    try {
      f();
    } catch (...) {
      broken_ = true;
      HugeVector<MeasureHead>().swap(heads_);
      HugeVector<std::uint32_t>().swap(slot_of_);
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
    const Actuals& actuals = m.actuals;
    for (std::size_t k = 0; k < actuals.size(); ++k) {
      const Period p = actuals.period(k);
      lo = std::min(lo, p.first_month());
      hi = std::max(hi, p.last_month());
      if (p.kind() != Period::Kind::month) continue;
      const int mo = p.first_month();
      mlo = std::min(mlo, mo);
      mhi = std::max(mhi, mo);
      ++months;
      finite = finite && std::isfinite(actuals.value(k));
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
        ++moved_;
      }
      double* const out = pool_.data() + n.offset;
      std::fill(out, out + run, nan_v);
      for (std::size_t k = 0; k < actuals.size(); ++k)
        if (const Period p = actuals.period(k); p.kind() == Period::Kind::month)
          out[p.first_month() - mlo] = actuals.value(k);
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
  /// runs move together, in slot order (the order scoring reads them in once laid out).
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
    moved_ = 0;
    ++compactions_;
  }

  HugeVector<MeasureHead> heads_;      ///< by slot
  HugeVector<std::uint32_t> slot_of_;  ///< per measure (model order): its slot
  HugeVector<double> pool_;
  /// The arrays of the layout before, kept for the next layout to write into (a copy of the
  /// store starts without them).
  HugeVector<MeasureHead> spare_heads_;
  HugeVector<double> spare_pool_;
  std::size_t garbage_ = 0;  ///< doubles of the pool no head uses
  std::size_t moved_ = 0;    ///< runs moved to the end of the pool since it was in slot order
  std::size_t compactions_ = 0, layouts_ = 0;
  Counts los_, his_;
  bool active_ = false;  ///< made (activate()) and kept in step since
  bool broken_ = false;
  const void* layout_owner_ = nullptr;  ///< see laid_out_for()
  std::uint64_t layout_revision_ = 0;
};

}  // namespace detail
}  // namespace v1
}  // namespace spm
