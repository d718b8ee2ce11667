#!/usr/bin/env bash
# Runs every test of spm:
#   1. clang-format check of every tracked C/C++ file (.clang-format)
#   2. Release build with warnings as errors (build/), then ctest
#   3. pytest on tests/python (pytest.ini: strict markers, warnings as errors)
#   4. Debug build with AddressSanitizer and UndefinedBehaviorSanitizer (build-asan/), then ctest
#   5. Debug build of libspm.so and the C tests alone with ThreadSanitizer (build-tsan/), then
#      those tests (tests/c/test_threads.c reads one scorecard from many threads)
#   6. ABI check: a Debug libspm.so (build-abi/) against the baseline abi/libspm.abi (abidiff)
# Every step runs even if an earlier one failed; the script fails if any step failed.
#
# Usage: bash scripts/test.sh   (from any directory)
# Environment: SPM_SKIP_SANITIZERS=1 skips steps 4 and 5; SPM_JOBS sets the parallelism
# (default 2).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

bash scripts/setup.sh

jobs=${SPM_JOBS:-2}
PY=${PYTHON:-python3}
start=$(date +%s)
marker=$(mktemp)
trap 'rm -f "$marker"' EXIT
results=()
failed=0

# step NAME COMMAND...: runs a step, records its result and time.
step() {
  local name=$1
  shift
  local t0=$SECONDS rc=0
  echo
  echo "==== $name"
  "$@" || rc=$?
  local took=$((SECONDS - t0))
  if [ $rc -eq 0 ]; then
    results+=("PASS  $name (${took}s)")
  elif [ $rc -eq 77 ]; then
    results+=("SKIP  $name")
  else
    results+=("FAIL  $name (${took}s, exit $rc)")
    failed=1
  fi
}

format_check() {
  local files=()
  if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    # Tracked files, and new ones not yet added (but not ignored ones such as build trees).
    mapfile -t files < <(git -C "$root" ls-files --cached --others --exclude-standard \
      -- '*.c' '*.h' '*.cpp' '*.hpp' | sort -u)
  else
    mapfile -t files < <(find capi cli include src tests bench examples python \
      \( -name '*.c' -o -name '*.h' -o -name '*.cpp' -o -name '*.hpp' \) 2>/dev/null | sort)
  fi
  local existing=()
  for f in "${files[@]}"; do [ -f "$f" ] && existing+=("$f"); done
  echo "clang-format $(clang-format --version | sed 's/.*version //') on ${#existing[@]} files"
  [ ${#existing[@]} -eq 0 ] || clang-format --dry-run --Werror --style=file "${existing[@]}"
}

build_and_ctest() {
  local dir=$1
  shift
  cmake -S . -B "$dir" -G Ninja "$@" &&
    cmake --build "$dir" --parallel "$jobs" &&
    ctest --test-dir "$dir" --output-on-failure --parallel "$jobs" --timeout 600
}

pytest_run() {
  # The tests find the command-line tool and the build through these.
  local rc=0
  SPM_BUILD_DIR="$root/build" SPM_CLI="$root/build/spm" SPM_SOURCE_DIR="$root" \
    SPM_REQUIRE_PYTHON_PACKAGE=1 \
    "$PY" -m pytest -c "$root/pytest.ini" --rootdir "$root" -p no:cacheprovider tests/python ||
    rc=$?
  if [ $rc -eq 5 ]; then
    echo "no Python tests collected"
    return 77
  fi
  return $rc
}

# The Python package, built by pip through scikit-build-core (pyproject.toml) and installed.
python_package() {
  CMAKE_BUILD_PARALLEL_LEVEL=$jobs "$PY" -m pip install --quiet --disable-pip-version-check \
    "$root" 2>/dev/null ||
    CMAKE_BUILD_PARALLEL_LEVEL=$jobs "$PY" -m pip install --quiet --disable-pip-version-check \
      --break-system-packages "$root"
}

# The benchmarks at small sizes only, so that they cannot rot (docs/performance.md).
bench_small() {
  SPM_BENCH_BUILD="$root/build-bench" SPM_BENCH_SIZES=1000,10000 SPM_COMPARE_SIZES=1000 \
    SPM_BENCH_MIN_TIME=0.05 JOBS="$jobs" bash "$root/bench/run.sh"
}

sanitized_build_and_ctest() (
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  build_and_ctest build-asan -DCMAKE_BUILD_TYPE=Debug -DSPM_WERROR=ON \
    -DSPM_SANITIZE=address,undefined -DSPM_BUILD_CLI=OFF
)

# Only libspm.so and the C tests: the C ABI's thread-safety promises, under ThreadSanitizer.
tsan_c_tests() (
  export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
  cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSPM_WERROR=ON \
    -DSPM_SANITIZE=thread -DSPM_BUILD_CLI=OFF -DSPM_INSTALL=OFF &&
    targets=$(find tests/c -name 'test_*.c' -exec basename {} .c \; | sed 's/^/c_/' | sort) &&
    cmake --build build-tsan --parallel "$jobs" --target spm_capi spm_example_scorecard \
      $targets &&
    ctest --test-dir build-tsan --output-on-failure --parallel "$jobs" --timeout 600 \
      -R '^c\.(test_|example\.c$)'
)

# The exported functions and types of a Debug libspm.so against the committed baseline.
abi_check() {
  cmake -S . -B build-abi -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSPM_SANITIZE= \
    -DSPM_BUILD_TESTS=OFF -DSPM_BUILD_CLI=OFF -DSPM_INSTALL=OFF &&
    cmake --build build-abi --parallel "$jobs" --target spm_capi &&
    bash abi/check.sh build-abi/libspm.so
}

step "clang-format" format_check
step "build (Release, -Werror) and ctest" \
  build_and_ctest build -DCMAKE_BUILD_TYPE=Release -DSPM_WERROR=ON -DSPM_SANITIZE=
step "Python package (pip install .)" python_package
step "pytest tests/python" pytest_run
step "benchmarks at small sizes (bench/run.sh)" bench_small
if [ "${SPM_SKIP_SANITIZERS:-0}" = 1 ]; then
  results+=("SKIP  sanitizers (SPM_SKIP_SANITIZERS=1)")
else
  step "build (Debug, address+undefined sanitizers) and ctest" sanitized_build_and_ctest
  step "C ABI tests under ThreadSanitizer" tsan_c_tests
fi
step "ABI check (abidiff against abi/libspm.abi)" abi_check

echo
echo "==== summary ($(( $(date +%s) - start ))s)"
printf '  %s\n' "${results[@]}"
for dir in build build-asan build-tsan; do
  log=$dir/Testing/Temporary/LastTestsFailed.log
  if [ $failed -ne 0 ] && [ -s "$log" ] && [ "$log" -nt "$marker" ]; then
    echo "  failed tests in $dir/:"
    sed 's/^[0-9]*:/    /' "$log"
  fi
done
if [ $failed -ne 0 ]; then
  echo "FAILED"
  exit 1
fi
echo "all passed"
