// huge.hpp - an allocator for large arrays that asks for huge pages. Internal to spm.
//
// The model's id indexes, its resolved references and the compact store of measures take
// gigabytes at a million employees, and compile, validate and scoring read them at random (a
// link's target, an id's slot). With 4 KiB pages nearly every such read also misses the TLB,
// and the page walks, not the memory, set the pace. Arrays of 4 MiB or more are therefore
// aligned to 2 MiB and marked MADV_HUGEPAGE (a hint: the kernel may decline, and nothing else
// changes); smaller ones come from malloc as usual. Stateless: containers with it copy, move and
// swap as with std::allocator.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace spm {
inline namespace v1 {
namespace detail {

/// The size of a huge page on x86-64 and of the blocks allocate_maybe_huge() rounds up to.
inline constexpr std::size_t huge_page_bytes = std::size_t{2} << 20;

/// `usable`, when given, receives the bytes the block can hold: `bytes` rounded up to whole huge
/// pages for a large block (the rest of the last page is mapped anyway, and costs nothing until
/// written), else `bytes`.
inline void* allocate_maybe_huge(std::size_t bytes, std::size_t* usable = nullptr) {
  constexpr std::size_t huge = huge_page_bytes;
  void* p = nullptr;
  if (bytes >= 2 * huge) {
    const std::size_t rounded = (bytes + huge - 1) / huge * huge;
    if (rounded < bytes || posix_memalign(&p, huge, rounded) != 0) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    (void)madvise(p, rounded, MADV_HUGEPAGE);
#endif
    if (usable) *usable = rounded;
    return p;
  }
  p = std::malloc(bytes ? bytes : 1);
  if (!p) throw std::bad_alloc();
  if (usable) *usable = bytes;
  return p;
}

/// Marks the whole huge pages within [p, p + bytes) MADV_HUGEPAGE (a hint, as above), for a
/// large buffer that is not a HugeVector's (a std::vector that Boost's graph takes over, the
/// cascade's arrays): done before the buffer is first written, its pages then come as huge
/// pages, a fault each 2 MiB instead of each 4 KiB. First writes into fresh memory are much of
/// compile's time on machines whose page faults are slow (virtual machines).
inline void advise_huge(void* p, std::size_t bytes) noexcept {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (bytes < 2 * huge_page_bytes) return;
  const auto at = reinterpret_cast<std::uintptr_t>(p);
  const std::uintptr_t from = (at + huge_page_bytes - 1) / huge_page_bytes * huge_page_bytes;
  const std::uintptr_t to = (at + bytes) / huge_page_bytes * huge_page_bytes;
  if (to > from) (void)madvise(reinterpret_cast<void*>(from), to - from, MADV_HUGEPAGE);
#else
  (void)p;
  (void)bytes;
#endif
}

/// v.assign(n, value), with room for n advised to take huge pages first (advise_huge).
template <class T, class A>
void assign_huge(std::vector<T, A>& v, std::size_t n, const T& value = T()) {
  v.clear();
  v.reserve(n);
  advise_huge(v.data(), n * sizeof(T));
  v.assign(n, value);
}

template <class T>
struct HugeAllocator {
  using value_type = T;
  HugeAllocator() noexcept = default;
  template <class U>
  HugeAllocator(const HugeAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_alloc();
    return static_cast<T*>(allocate_maybe_huge(n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t) noexcept { std::free(p); }
  template <class U>
  bool operator==(const HugeAllocator<U>&) const noexcept {
    return true;
  }
};

/// A std::vector whose large buffers ask for huge pages.
template <class T>
using HugeVector = std::vector<T, HugeAllocator<T>>;

}  // namespace detail
}  // namespace v1
}  // namespace spm
