#!/usr/bin/env bash
# bench/run.sh - build spm's benchmarks (Release), measure this machine's single-core memory
# bandwidth, run the benchmark suite one process per size (so that each size's peak memory is
# its own), run the NetworkX and pandas comparison, and write a Markdown report.
#
#   bash bench/run.sh                      # sizes 1k, 10k, 100k; comparison up to 100k
#   SPM_BENCH_SIZES=1000,10000 SPM_COMPARE_SIZES=1000 bash bench/run.sh     # what CI runs
#   SPM_BENCH_SIZES=1000,10000,100000,1000000 bash bench/run.sh             # the full run
#
# Environment: SPM_BENCH_SIZES (employee counts), SPM_COMPARE_SIZES (sizes for NetworkX and
# pandas, empty to skip), SPM_FILE_SIZES (sizes at which `spm validate FILE` is timed on its
# own, bench/file_load.py; default: the benchmark sizes the comparison does not run, where
# compare.py times it), SPM_BENCH_IO_MAX (largest size for load, save and validate, which
# hold the file text and a second model in memory; default 300000), SPM_BENCH_BUILD (build
# directory, default build-bench), SPM_BENCH_OUT (report, default <build>/bench-report.md),
# SPM_BENCH_MIN_TIME (Google Benchmark's min time per benchmark, seconds, default 0.5),
# JOBS (parallel build jobs, default 2), SPM_BENCH_SKIP_BUILD=1 (use the binaries already in the
# build directory: a standalone build of bench/, or a top-level build with -DSPM_BUILD_BENCHMARKS=ON).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
build="${SPM_BENCH_BUILD:-$root/build-bench}"
sizes="${SPM_BENCH_SIZES:-1000,10000,100000}"
compare="${SPM_COMPARE_SIZES-1000,10000,100000}"
if [ -n "${SPM_FILE_SIZES+set}" ]; then
  file_sizes=$SPM_FILE_SIZES
else
  file_sizes=""
  IFS=',' read -r -a _all <<<"$sizes"
  for n in "${_all[@]}"; do
    case ",$compare," in *",$n,"*) ;; *) file_sizes="${file_sizes:+$file_sizes,}$n" ;; esac
  done
fi
io_max="${SPM_BENCH_IO_MAX:-300000}"
out="${SPM_BENCH_OUT:-$build/bench-report.md}"
min_time="${SPM_BENCH_MIN_TIME:-0.5}"

if [ "${SPM_BENCH_SKIP_BUILD:-0}" != 1 ]; then
  cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" -j "${JOBS:-2}" --target spm_bench spm_rollup spm_bandwidth spm_cli
fi
# Standalone build: everything in $build, the tool in $build/spm; top-level build: the tool in
# $build, the benchmarks in $build/bench.
bin="$build"
[ -x "$bin/spm_bench" ] || bin="$build/bench"
spm_tool="$build/spm/spm"
[ -f "$spm_tool" ] || spm_tool="$build/spm"

results="$build/results"
mkdir -p "$results"
echo "== single-core memory bandwidth"
"$bin/spm_bandwidth" 512 | tee "$results/bandwidth.json"

IFS=',' read -r -a size_list <<<"$sizes"
for n in "${size_list[@]}"; do
  filter='.'
  if [ "$n" -gt "$io_max" ]; then filter='^BM_(compile|align|score|update|whatif|attrib|footprint)'; fi
  echo "== spm_bench, $n employees"
  python3 "$here/peak.py" "$results/peak-$n.json" \
    env SPM_BENCH_SIZES="$n" "$bin/spm_bench" --benchmark_filter="$filter" \
    --benchmark_min_time="$min_time" --benchmark_out="$results/bench-$n.json" \
    --benchmark_out_format=json
done

if [ -n "$compare" ]; then
  echo "== NetworkX and pandas against spm"
  python3 "$here/compare.py" --spm "$spm_tool" --rollup "$bin/spm_rollup" \
    --sizes "$compare" --work "$build/work" --out "$results/compare.json"
else
  rm -f "$results/compare.json"
fi

if [ -n "$file_sizes" ]; then
  echo "== spm validate FILE, a process of its own"
  python3 "$here/file_load.py" --spm "$spm_tool" --sizes "$file_sizes" --work "$build/work" \
    --out "$results/file-load.json"
else
  rm -f "$results/file-load.json"
fi

python3 "$here/report.py" --results "$results" --sizes "$sizes" --out "$out"
echo "== report: $out"
