#!/usr/bin/env bash
# Installs everything spm needs to build and test, on a fresh Debian 12 machine, as root.
# Safe to run again: it only installs what is missing.
set -euo pipefail

APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libboost-graph-dev libeigen3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  nlohmann-json3-dev libfmt-dev libcli11-dev libcsv-dev
  clang-format binutils
)
PIP_PACKAGES=(pytest jsonschema)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

PY=${PYTHON:-python3}
need_pip=0
for p in "${PIP_PACKAGES[@]}"; do
  "$PY" -c "import $p" 2>/dev/null || need_pip=1
done
if [ "$need_pip" = 1 ]; then
  "$PY" -m pip install --quiet --disable-pip-version-check "${PIP_PACKAGES[@]}"
fi
