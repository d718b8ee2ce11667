#!/usr/bin/env bash
# abi/check.sh - compares libspm.so's exported functions and types with the committed baseline
# abi/libspm.abi, using abidiff from Debian's abigail-tools (docs/api-stability.md).
#
#   bash abi/check.sh path/to/libspm.so            check; fails on an incompatible change
#   bash abi/check.sh --update path/to/libspm.so   write a new baseline
#
# Both need a Debug build (-g, no sanitizers) of libspm.so. Only the exported functions and the
# types of the public header (capi/) count; the handles are opaque (incomplete) types in the
# library's debug information too. Locations and paths are left out of the baseline so that it
# does not depend on where the tree was built.
#
# An incompatible change (a function removed, a parameter or struct layout changed) fails unless
# SPM_SOVERSION in capi/spm.h was bumped and the baseline regenerated in the same commit. A
# compatible change (a function added) passes with a note to refresh the baseline.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
baseline=$root/abi/libspm.abi
update=0
if [ "${1:-}" = "--update" ]; then
  update=1
  shift
fi
lib=${1:?usage: check.sh [--update] path/to/libspm.so}
for tool in abidw abidiff readelf; do
  if ! command -v $tool >/dev/null; then
    echo "abi/check.sh: $tool is missing (apt-get install abigail-tools binutils)" >&2
    exit 1
  fi
done

soname() { readelf -d "$1" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p'; }

if [ $update -eq 1 ]; then
  abidw --headers-dir "$root/capi" --drop-private-types --exported-interfaces-only \
    --no-corpus-path --no-comp-dir-path --short-locs --out-file "$baseline.tmp" "$lib"
  # Keep the baseline free of this machine's paths (--short-locs leaves file names only).
  sed "s|path='[^']*/capi/|path='capi/|" "$baseline.tmp" >"$baseline"
  rm -f "$baseline.tmp"
  echo "abi/check.sh: wrote abi/libspm.abi for $(soname "$lib")"
  exit 0
fi

[ -f "$baseline" ] || { echo "abi/check.sh: $baseline is missing" >&2; exit 1; }
want=$(sed -n "s/.*soname='\([^']*\)'.*/\1/p" "$baseline" | head -n1)
have=$(soname "$lib")
if [ "$want" != "$have" ]; then
  echo "abi/check.sh: the library is $have but the baseline is of $want." >&2
  echo "  After a SOVERSION bump, regenerate the baseline in the same commit:" >&2
  echo "  bash abi/check.sh --update $lib" >&2
  exit 1
fi

rc=0
report=$(abidiff --headers-dir2 "$root/capi" --drop-private-types --exported-interfaces-only \
  "$baseline" "$lib") || rc=$?
echo "$report"
# abidiff's exit status is a bit field: 1 error, 2 usage error, 4 ABI change, 8 incompatible.
if [ $((rc & 3)) -ne 0 ]; then
  echo "abi/check.sh: abidiff failed (exit $rc)" >&2
  exit 1
fi
# Anything removed or changed breaks hosts built against the baseline (abidiff calls a changed
# struct layout an "ABI change", not "incompatible": both fail here). Only additions pass.
removed_or_changed() {
  echo "$report" | sed -n 's/.*changes summary: \([0-9]*\) Removed[^,]*, \([0-9]*\) Changed.*/\1 \2/p' |
    awk '$1 > 0 || $2 > 0 { bad = 1 } END { exit bad ? 0 : 1 }'
}
if [ $((rc & 8)) -ne 0 ] || { [ $((rc & 4)) -ne 0 ] && removed_or_changed; }; then
  echo "abi/check.sh: the ABI changed incompatibly against abi/libspm.abi ($want)." >&2
  echo "  Keep the ABI; or, for a break on purpose, bump SPM_SOVERSION in capi/spm.h and" >&2
  echo "  regenerate the baseline in the same commit (docs/api-stability.md). A field appended" >&2
  echo "  to a versioned or library-allocated struct is allowed: regenerate the baseline" >&2
  echo "  in the same commit, without a SOVERSION bump." >&2
  exit 1
fi
if [ $((rc & 4)) -ne 0 ]; then
  echo "abi/check.sh: compatible additions only; refresh the baseline with" \
    "'bash abi/check.sh --update $lib' in the commit that adds them."
  exit 0
fi
echo "abi/check.sh: $have matches abi/libspm.abi"
