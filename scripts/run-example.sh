#!/usr/bin/env bash
# Builds spm (Release, into build/) and scores the bundled example organization: the balanced
# scorecard of the City of Riverton for its latest month.
# Usage: bash scripts/run-example.sh   (from any directory)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

bash scripts/setup.sh

jobs=${SPM_JOBS:-2}
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DSPM_BUILD_CLI=ON
cmake --build build --parallel "$jobs" --target spm_cli

echo
echo "$ build/spm score examples/municipality.json"
build/spm score examples/municipality.json
