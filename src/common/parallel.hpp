// parallel.hpp - splitting a loop between threads, deterministically. Internal to spm.
//
// spm keeps no thread pool (no global state): a parallel loop starts its threads and joins them
// before it returns. Work is split into contiguous ranges, and each item is computed by exactly
// one thread with the same arithmetic as on one thread, so results are the same to the bit
// whatever the number of threads.
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <system_error>
#include <thread>
#include <vector>

namespace spm {
inline namespace v1 {
namespace detail {

/// The number of hardware threads (at least 1, at most 64).
inline int hardware_threads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(std::min(n, 64u));
}

/// The threads an option asks for: 0 means one per hardware thread.
inline int threads_for(int option) {
  return option > 0 ? option : hardware_threads();
}

/// Runs f(from, to) over [0, n) split into at most `threads` contiguous ranges of at least
/// `min_per_thread` items, the first on the calling thread. An exception from the lowest range
/// that threw is rethrown, so a failure is the one a single thread would have met first.
template <class F>
void parallel_for(std::size_t n, int threads, std::size_t min_per_thread, F&& f) {
  const std::size_t most = std::max<std::size_t>(1, n / std::max<std::size_t>(min_per_thread, 1));
  const std::size_t t = std::min(static_cast<std::size_t>(std::max(threads, 1)), most);
  if (t <= 1) {
    f(std::size_t{0}, n);
    return;
  }
  std::vector<std::exception_ptr> failed(t);
  std::vector<std::thread> pool;
  pool.reserve(t - 1);
  auto run = [&](std::size_t k) {
    try {
      f(n * k / t, n * (k + 1) / t);
    } catch (...) {
      failed[k] = std::current_exception();
    }
  };
  try {
    for (std::size_t k = 1; k < t; ++k) pool.emplace_back(run, k);
  } catch (...) {
    for (auto& th : pool) th.join();
    throw;
  }
  run(0);
  for (auto& th : pool) th.join();
  for (auto& e : failed)
    if (e) std::rethrow_exception(e);
}

/// Runs a() on the calling thread and b() on another, side by side, and returns when both have.
/// An exception from a() is rethrown before one from b(), as when a() runs first on one thread.
/// If no thread can be started, b() runs after a() on the calling thread.
template <class A, class B>
void parallel_invoke(A&& a, B&& b) {
  std::exception_ptr failed_a, failed_b;
  std::thread other;
  try {
    other = std::thread([&] {
      try {
        b();
      } catch (...) {
        failed_b = std::current_exception();
      }
    });
  } catch (const std::system_error&) {
    a();
    b();
    return;
  }
  try {
    a();
  } catch (...) {
    failed_a = std::current_exception();
  }
  other.join();
  if (failed_a) std::rethrow_exception(failed_a);
  if (failed_b) std::rethrow_exception(failed_b);
}

/// A pause in a loop that waits for another thread: the processor's spin-wait hint for the
/// first turns, then the rest of the time slice to others (so that a waiting thread never holds
/// up the one it waits for on a machine with fewer cores than threads).
inline void cpu_relax(unsigned spins) noexcept {
  if (spins < 256) {
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
    __builtin_ia32_pause();
#endif
  } else {
    std::this_thread::yield();
  }
}

/// Runs f(k) for every k in [0, t), each on a thread of its own (k = 0 on the calling thread),
/// for work in which part k may wait for parts before it, and never for one after it. A part
/// whose thread cannot be started runs on the calling thread after part 0, in order, and then
/// waits only for parts that are done or running. When a part throws, `stop()` is called at
/// once, so that parts waiting for it can give up; the exception of the lowest part that threw
/// is rethrown.
template <class F, class Stop>
void parallel_chain(std::size_t t, F&& f, Stop&& stop) {
  std::vector<std::exception_ptr> failed(t);
  auto run = [&](std::size_t k) noexcept {
    try {
      f(k);
    } catch (...) {
      failed[k] = std::current_exception();
      stop();
    }
  };
  std::vector<std::thread> pool;
  std::size_t started = 1;
  try {
    pool.reserve(t > 0 ? t - 1 : 0);
    for (; started < t; ++started) pool.emplace_back(run, started);
  } catch (...) {
    // No more threads: the parts not started run below, after part 0.
  }
  if (t > 0) run(0);
  for (std::size_t k = started; k < t; ++k) run(k);
  for (auto& th : pool) th.join();
  for (auto& e : failed)
    if (e) std::rethrow_exception(e);
}

}  // namespace detail
}  // namespace v1
}  // namespace spm
