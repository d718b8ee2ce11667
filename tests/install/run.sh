#!/usr/bin/env bash
# run.sh - the install test: installs a build tree into a fresh prefix, then builds and runs
# tests/install (find_package(spm) with spm::core and spm::capi) and a pkg-config build of
# consumer.c against that prefix.
#
# Usage: run.sh BUILD_DIR WORK_DIR
# Environment: CC, CXX (compilers), SPM_SANITIZE (the sanitizers spm was built with, which the
# consumer must link too), SPM_EXAMPLE (a model to load, if the file exists).
set -euo pipefail

build_dir=$1
work_dir=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
prefix=$work_dir/prefix

rm -rf "$work_dir"
mkdir -p "$work_dir"

echo "== cmake --install $build_dir --prefix $prefix"
cmake --install "$build_dir" --prefix "$prefix" >"$work_dir/install.log"

flags=()
san_flags=""
if [ -n "${SPM_SANITIZE:-}" ]; then
  san_flags="-fsanitize=$SPM_SANITIZE -fno-omit-frame-pointer"
  flags+=("-DCMAKE_C_FLAGS=$san_flags" "-DCMAKE_CXX_FLAGS=$san_flags")
fi
args=()
if [ -n "${SPM_EXAMPLE:-}" ] && [ -f "$SPM_EXAMPLE" ]; then
  args+=("$SPM_EXAMPLE")
fi

echo "== configure and build the consumer with find_package(spm)"
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
cmake -S "$here" -B "$work_dir/build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_COMPILER="${CC:-cc}" -DCMAKE_CXX_COMPILER="${CXX:-c++}" \
  "${flags[@]}" >"$work_dir/configure.log" || { cat "$work_dir/configure.log"; exit 1; }
cmake --build "$work_dir/build" >"$work_dir/build.log" 2>&1 || { cat "$work_dir/build.log"; exit 1; }

echo "== run the consumers"
"$work_dir/build/consumer_cpp" "${args[@]}"
"$work_dir/build/consumer_c" "${args[@]}"

echo "== build consumer.c with pkg-config"
pcdir=$(dirname "$(find "$prefix" -name spm.pc -print -quit)")
export PKG_CONFIG_PATH=$pcdir
test "$(pkg-config --modversion spm)" = "$(sed -n 's/^Version: //p' "$pcdir/spm.pc")"
# shellcheck disable=SC2046,SC2086
"${CC:-cc}" -std=c99 -Wall -Wextra -pedantic -Werror $san_flags -o "$work_dir/consumer_pc" \
  "$here/consumer.c" $(pkg-config --cflags --libs spm)
LD_LIBRARY_PATH="$(pkg-config --variable=libdir spm)" "$work_dir/consumer_pc" "${args[@]}"

echo "install test passed"
