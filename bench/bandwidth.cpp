// bandwidth.cpp - single-core memory bandwidth, STREAM style: copy (a = b), read-only sum and
// triad (a = b + s * c) over arrays far larger than the caches, best of several passes.
// Prints one JSON object: {"copy_gbs": ..., "read_gbs": ..., "triad_gbs": ...} in 1e9 bytes/s,
// counting the bytes a kernel reads and writes (not the write-allocate traffic).
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

template <class F>
double best_seconds(F&& f, int passes) {
  double best = 1e300;
  for (int i = 0; i < passes; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    const auto t1 = std::chrono::steady_clock::now();
    best = std::min(best, std::chrono::duration<double>(t1 - t0).count());
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t mib = argc > 1 ? static_cast<std::size_t>(std::atol(argv[1])) : 256;
  const std::size_t n = mib * 1024 * 1024 / sizeof(double);
  std::vector<double> a(n, 1.0), b(n, 2.0), c(n, 3.0);
  const double s = 3.0;
  double sink = 0;
  const int passes = 7;
  const double copy = best_seconds(
      [&] {
        double* __restrict pa = a.data();
        const double* __restrict pb = b.data();
        for (std::size_t i = 0; i < n; ++i) pa[i] = pb[i];
      },
      passes);
  const double read = best_seconds(
      [&] {
        const double* __restrict pb = b.data();
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (std::size_t i = 0; i + 3 < n; i += 4) {
          s0 += pb[i];
          s1 += pb[i + 1];
          s2 += pb[i + 2];
          s3 += pb[i + 3];
        }
        sink += s0 + s1 + s2 + s3;
      },
      passes);
  const double triad = best_seconds(
      [&] {
        double* __restrict pa = a.data();
        const double* __restrict pb = b.data();
        const double* __restrict pc = c.data();
        for (std::size_t i = 0; i < n; ++i) pa[i] = pb[i] + s * pc[i];
      },
      passes);
  const double bytes = static_cast<double>(n * sizeof(double));
  std::printf("{\"copy_gbs\": %.3f, \"read_gbs\": %.3f, \"triad_gbs\": %.3f, \"check\": %g}\n",
              2 * bytes / copy / 1e9, bytes / read / 1e9, 3 * bytes / triad / 1e9, sink + a[n / 2]);
  return 0;
}
