// buffer.hpp - a large array of doubles that is not zero-filled and, on Linux, asks for huge
// pages. Internal to spm.
//
// The score arrays of a million-employee organization take about a gigabyte and are written
// in full before they are read: zero-filling them first (std::vector) touches every page twice,
// and 4 KiB pages make the roll-up's reads miss the TLB. Huge pages are a hint (MADV_HUGEPAGE);
// the kernel may decline, and nothing else changes.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <mutex>
#include <new>
#include <span>
#include <utility>

#include "common/huge.hpp"

namespace spm {
inline namespace v1 {
namespace detail {

class DoubleBuffer {
 public:
  DoubleBuffer() = default;
  DoubleBuffer(DoubleBuffer&& o) noexcept
      : p_(std::exchange(o.p_, nullptr)),
        n_(std::exchange(o.n_, 0)),
        capacity_(std::exchange(o.capacity_, 0)) {}
  DoubleBuffer& operator=(DoubleBuffer&& o) noexcept {
    if (this != &o) {
      std::free(p_);
      p_ = std::exchange(o.p_, nullptr);
      n_ = std::exchange(o.n_, 0);
      capacity_ = std::exchange(o.capacity_, 0);
    }
    return *this;
  }
  DoubleBuffer(const DoubleBuffer&) = delete;
  DoubleBuffer& operator=(const DoubleBuffer&) = delete;
  ~DoubleBuffer() { std::free(p_); }

  /// n doubles with unspecified contents (the previous ones are gone). Throws std::bad_alloc.
  void allocate(std::size_t n) {
    std::free(p_);
    p_ = nullptr;
    n_ = capacity_ = 0;
    if (n == 0) return;
    if (n > static_cast<std::size_t>(-1) / sizeof(double)) throw std::bad_alloc();
    std::size_t usable = 0;
    void* const p = allocate_maybe_huge(n * sizeof(double), &usable);
    p_ = static_cast<double*>(p);
    n_ = n;
    capacity_ = usable / sizeof(double);  // a later, slightly larger request may fit in it
  }

  /// n doubles with unspecified contents, in the memory it holds when that is enough and not
  /// much more (then no page is mapped and cleared again), else newly allocated.
  void reuse_or_allocate(std::size_t n) {
    if (fits(n)) {
      n_ = n;
      return;
    }
    allocate(n);
  }
  std::size_t capacity() const noexcept { return capacity_; }
  /// Whether n doubles fit in the memory held, with not much to spare: a quarter, plus the rest
  /// of a huge page for a request large enough to take whole huge pages itself (allocate()
  /// rounds those up), so that a small request never holds a large block.
  bool fits(std::size_t n) const noexcept {
    constexpr std::size_t page = huge_page_bytes / sizeof(double);
    const std::size_t spare = capacity_ / 4 + (n >= 2 * page ? page : 0);
    return p_ && n <= capacity_ && capacity_ - n <= spare;
  }

  double* data() noexcept { return p_; }
  const double* data() const noexcept { return p_; }
  std::size_t size() const noexcept { return n_; }
  double& operator[](std::size_t i) noexcept { return p_[i]; }
  const double& operator[](std::size_t i) const noexcept { return p_[i]; }
  operator std::span<const double>() const noexcept { return {p_, n_}; }

 private:
  double* p_ = nullptr;
  std::size_t n_ = 0;
  std::size_t capacity_ = 0;
};

/// A few large buffers kept for reuse by the next computation of about the same shape: a
/// scorecard gives its score arrays back to its model when it goes, and the next evaluation of
/// any cascade of that model (after a recompile too) takes them instead of asking the system
/// for fresh pages, which the kernel clears first (at a million employees that clearing alone
/// costs about as much as the scoring's own writes). Small buffers are not kept. Thread-safe; a
/// copy starts empty.
class BufferPool {
 public:
  static constexpr std::size_t slots = 2;
  static constexpr std::size_t min_bytes = std::size_t{1} << 20;

  BufferPool() = default;
  BufferPool(const BufferPool&) : BufferPool() {}
  BufferPool& operator=(const BufferPool&) { return *this; }

  /// A buffer of n doubles: a kept one that fits, else a new one. Throws std::bad_alloc.
  DoubleBuffer take(std::size_t n) {
    DoubleBuffer out;
    {
      std::lock_guard lock(mutex_);
      for (auto& b : kept_)
        if (b.fits(n)) {
          out = std::move(b);
          break;
        }
    }
    out.reuse_or_allocate(n);
    return out;
  }
  /// Keeps `b` for a later take() if it is large and a slot is free; else frees it.
  void give(DoubleBuffer&& b) noexcept {
    if (b.capacity() * sizeof(double) < min_bytes) return;
    DoubleBuffer gone;  // freed outside the lock
    std::lock_guard lock(mutex_);
    for (auto& k : kept_)
      if (!k.data()) {
        k = std::move(b);
        return;
      }
    gone = std::move(b);
  }

 private:
  std::mutex mutex_;
  DoubleBuffer kept_[slots];
};

}  // namespace detail
}  // namespace v1
}  // namespace spm
