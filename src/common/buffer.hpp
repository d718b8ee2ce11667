// buffer.hpp - a large array of doubles that is not zero-filled and, on Linux, asks for huge
// pages; and the pool of large blocks that a model keeps for its next compile or evaluation.
// Internal to spm.
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
#include <type_traits>
#include <utility>
#include <vector>

#include "common/huge.hpp"

namespace spm {
inline namespace v1 {
namespace detail {

/// Whether a block of `capacity` bytes suits a request of `bytes`: it holds them, with not much
/// to spare (a quarter, plus the rest of a huge page for a request large enough to take whole
/// huge pages itself, which allocate_maybe_huge() rounds up), so that a small request never
/// holds a large block.
inline bool block_fits(std::size_t capacity, std::size_t bytes) noexcept {
  const std::size_t spare = capacity / 4 + (bytes >= 2 * huge_page_bytes ? huge_page_bytes : 0);
  return bytes <= capacity && capacity - bytes <= spare;
}

class DoubleBuffer {
 public:
  DoubleBuffer() = default;
  /// Takes over `p` (from allocate_maybe_huge), holding `capacity` doubles, of which n are used.
  DoubleBuffer(double* p, std::size_t n, std::size_t capacity) noexcept
      : p_(p), n_(n), capacity_(capacity) {}
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

  std::size_t capacity() const noexcept { return capacity_; }
  /// Gives up the memory (for std::free, or a BufferPool) and is empty after.
  double* release() noexcept {
    n_ = capacity_ = 0;
    return std::exchange(p_, nullptr);
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

/// Large blocks of memory kept for reuse by the next computation of about the same shape, one
/// pool per model (detail::ModelToken::buffers): the arrays of a compile (its scratch, and the
/// cascade's own arrays when that cascade goes) and of an evaluation (the score arrays of a
/// scorecard gone) come back here, and the next compile or evaluation of that model takes them
/// instead of asking the system for fresh pages.
///
/// Fresh pages are costly: the kernel clears each one first, and on a virtual machine whose
/// host takes freed memory back (free page reporting), the host has to find and clear it again
/// too. At a million employees a compile maps about 1.4 GB and an evaluation 1.6 GB; on such a
/// machine first writes to fresh memory ran at 0.1-0.8 GB/s, against 4-5 GB/s into memory the
/// process already held.
///
/// Blocks under min_bytes are not kept (malloc serves them well); at most `slots` blocks are,
/// and the best fitting one (block_fits) is taken. Thread-safe: a model's cascades and
/// scorecards may be computed on several threads at once. A copy starts empty.
class BufferPool {
 public:
  static constexpr std::size_t slots = 64;
  static constexpr std::size_t min_bytes = std::size_t{1} << 20;

  struct Block {
    void* p = nullptr;
    std::size_t bytes = 0;  ///< what it holds
  };

  BufferPool() = default;
  BufferPool(const BufferPool&) : BufferPool() {}
  BufferPool& operator=(const BufferPool&) { return *this; }
  ~BufferPool() { release(); }

  /// A block of at least `bytes`: the kept one that fits best, else a new one. Throws
  /// std::bad_alloc.
  Block take(std::size_t bytes) {
    {
      std::lock_guard lock(mutex_);
      Block* best = nullptr;
      for (auto& b : kept_)
        if (b.p && block_fits(b.bytes, bytes) && (!best || b.bytes < best->bytes)) best = &b;
      if (best) {
        kept_bytes_ -= best->bytes;
        return std::exchange(*best, Block{});
      }
    }
    Block out;
    out.p = allocate_maybe_huge(bytes, &out.bytes);
    return out;
  }
  /// Keeps `b` for a later take() if it is large and a slot is free; else frees it.
  void give(Block b) noexcept {
    if (!b.p) return;
    if (b.bytes >= min_bytes) {
      std::lock_guard lock(mutex_);
      for (auto& k : kept_)
        if (!k.p) {
          k = b;
          kept_bytes_ += b.bytes;
          return;
        }
    }
    std::free(b.p);
  }

  /// take() for an allocator, which knows only the pointer when it gives the memory back
  /// (deallocate()): the pool remembers the block's size meanwhile.
  void* allocate(std::size_t bytes) {
    const Block b = take(bytes);
    try {
      std::lock_guard lock(mutex_);
      lent_.push_back(b);
    } catch (...) {  // no room to remember it: not lent, then
      std::free(b.p);
      throw;
    }
    return b.p;
  }
  /// Gives back what allocate() returned.
  void deallocate(void* p) noexcept {
    Block b;
    {
      std::lock_guard lock(mutex_);
      for (auto it = lent_.begin(); it != lent_.end(); ++it)
        if (it->p == p) {
          b = *it;
          *it = lent_.back();
          lent_.pop_back();
          break;
        }
    }
    if (b.p) {
      give(b);
    } else {
      std::free(p);  // not lent by this pool (cannot happen through PoolAllocator)
    }
  }

  /// DoubleBuffer versions of take() and give().
  DoubleBuffer take_doubles(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(double)) throw std::bad_alloc();
    if (n == 0) return DoubleBuffer{};
    const Block b = take(n * sizeof(double));
    return DoubleBuffer(static_cast<double*>(b.p), n, b.bytes / sizeof(double));
  }
  void give(DoubleBuffer&& d) noexcept {
    const std::size_t capacity = d.capacity();
    give(Block{d.release(), capacity * sizeof(double)});
  }

  /// The bytes kept for reuse (not those lent out).
  std::size_t kept_bytes() const noexcept {
    std::lock_guard lock(mutex_);
    return kept_bytes_;
  }
  /// Frees every kept block (those lent out come back later as usual).
  void release() noexcept {
    Block gone[slots];
    {
      std::lock_guard lock(mutex_);
      for (std::size_t i = 0; i < slots; ++i) gone[i] = std::exchange(kept_[i], Block{});
      kept_bytes_ = 0;
    }
    for (const Block& b : gone) std::free(b.p);
  }

 private:
  mutable std::mutex mutex_;
  Block kept_[slots];
  std::size_t kept_bytes_ = 0;
  std::vector<Block> lent_;
};

/// An allocator whose large blocks come from, and go back to, a BufferPool; without a pool,
/// or for a small block, it allocates as HugeAllocator does. Containers with it copy, move and
/// swap their pool along with their elements.
template <class T>
struct PoolAllocator {
  using value_type = T;
  using propagate_on_container_copy_assignment = std::true_type;
  using propagate_on_container_move_assignment = std::true_type;
  using propagate_on_container_swap = std::true_type;

  BufferPool* pool = nullptr;

  PoolAllocator() noexcept = default;
  explicit PoolAllocator(BufferPool* p) noexcept : pool(p) {}
  template <class U>
  PoolAllocator(const PoolAllocator<U>& o) noexcept : pool(o.pool) {}

  T* allocate(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_alloc();
    const std::size_t bytes = n * sizeof(T);
    if (pool && bytes >= BufferPool::min_bytes) return static_cast<T*>(pool->allocate(bytes));
    return static_cast<T*>(allocate_maybe_huge(bytes));
  }
  void deallocate(T* p, std::size_t n) noexcept {
    if (pool && n * sizeof(T) >= BufferPool::min_bytes) {
      pool->deallocate(p);
    } else {
      std::free(p);
    }
  }
  template <class U>
  bool operator==(const PoolAllocator<U>& o) const noexcept {
    return pool == o.pool;
  }
};

/// A std::vector whose large buffers come from a BufferPool (see PoolAllocator).
template <class T>
using PoolVector = std::vector<T, PoolAllocator<T>>;

}  // namespace detail
}  // namespace v1
}  // namespace spm
