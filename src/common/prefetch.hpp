// prefetch.hpp - a software prefetch that the optimizer keeps. Internal to spm.
//
// GCC counts __builtin_prefetch as no effect at all: a function whose only effect is a
// prefetch (IdIndex::prefetch_slot, or a lambda that prefetches a reference) is found to be
// pure, and a call of a pure function whose result goes unused is removed as dead code (GCC 12,
// once the function is not inlined early). The look-ups of compile, validate and load lost every
// prefetch this way. An empty volatile asm statement is an effect that no optimization removes,
// and it costs no instruction; it is no barrier to moving memory accesses (no "memory" clobber).
#pragma once

namespace spm {
inline namespace v1 {
namespace detail {

/// Starts loading the cache line at `p` (any address: a prefetch never faults).
[[gnu::always_inline]] inline void prefetch_line(const void* p) noexcept {
  __builtin_prefetch(p);
  asm volatile("");
}

}  // namespace detail
}  // namespace v1
}  // namespace spm
