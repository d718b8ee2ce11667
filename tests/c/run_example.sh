#!/usr/bin/env bash
# run_example.sh - runs the scorecard example of one language and compares its output, byte
# for byte, with the C program's (examples/c/scorecard.c).
# Usage: run_example.sh c|python|go SOURCE_DIR LIBRARY C_PROGRAM WORK_DIR
# Exits 77 (skipped) when the language's toolchain is missing.
set -euo pipefail
lang=$1 src=$2 lib=$3 cprog=$4 work=$5
example=$src/examples/municipality.json
libdir=$(dirname "$lib")
mkdir -p "$work"
expected=$work/scorecard.c.txt
"$cprog" "$example" >"$expected"
if [ "$(head -c 10 "$expected")" != "scorecard	" ] || [ "$(wc -l <"$expected")" -lt 10 ]; then
  echo "the C program printed too little:" >&2
  cat "$expected" >&2
  exit 1
fi
actual=$work/scorecard.$lang.txt
case $lang in
  c)
    cat "$expected"
    exit 0
    ;;
  python)
    py=${PYTHON:-python3}
    command -v "$py" >/dev/null || exit 77
    SPM_LIBRARY=$lib "$py" "$src/examples/python/scorecard.py" "$example" >"$actual"
    ;;
  go)
    command -v go >/dev/null || exit 77
    # Offline and self-contained: no module downloads, a cache inside the build tree.
    export GOCACHE=$work/go-cache GOPATH=$work/go-path GOFLAGS=-mod=mod GOPROXY=off \
      GOTOOLCHAIN=local CGO_ENABLED=1
    export CGO_CFLAGS="-I$src/capi" CGO_LDFLAGS="-L$libdir -lspm -Wl,-rpath,$libdir"
    (cd "$src/examples/go" && go build -o "$work/scorecard-go" .)
    "$work/scorecard-go" "$example" >"$actual"
    ;;
  *)
    echo "unknown language $lang" >&2
    exit 2
    ;;
esac
if ! cmp -s "$expected" "$actual"; then
  echo "the $lang example's output differs from the C program's:" >&2
  diff "$expected" "$actual" >&2 || true
  exit 1
fi
echo "the $lang example prints the same $(wc -c <"$actual") bytes as the C program"
