#!/usr/bin/env bash
# Installs everything spm needs to build and test, on a fresh Debian 12 machine, as root (or
# with sudo). Safe to run again: it only installs what is missing. docs/building.md says why
# each dependency is needed.
set -euo pipefail

APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config git binutils
  libboost-graph-dev libeigen3-dev nlohmann-json3-dev libfmt-dev libcsv-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-format
  abigail-tools
  python3 python3-pip python3-pytest python3-jsonschema
)
# Python modules the tests import; installed with pip when the python3 in use lacks them (for
# example a python3 other than Debian's, which the apt packages above do not reach).
# pip-name:import-name. pytest and jsonschema for the tests; numpy and pandas, the Python
# package's dependencies; scikit-build-core and pybind11 build it; matplotlib, nbclient,
# nbformat, ipykernel and mypy (stubtest) test it; networkx for the benchmark comparison.
PIP_PACKAGES=(pytest:pytest jsonschema:jsonschema numpy:numpy pandas:pandas
  matplotlib:matplotlib nbclient:nbclient nbformat:nbformat ipykernel:ipykernel mypy:mypy
  scikit-build-core:scikit_build_core pybind11:pybind11 networkx:networkx)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
need_pip=()
for p in "${PIP_PACKAGES[@]}"; do
  "$PY" -c "import ${p#*:}" 2>/dev/null || need_pip+=("${p%%:*}")
done
if [ ${#need_pip[@]} -gt 0 ]; then
  echo "setup: pip installing ${need_pip[*]} for $("$PY" -c 'import sys; print(sys.executable)')"
  # Debian's own python3 refuses pip installs (PEP 668) unless told that this machine is a
  # build machine; other interpreters ignore the flag's absence.
  "$PY" -m pip install --quiet --disable-pip-version-check "${need_pip[@]}" 2>/dev/null ||
    "$PY" -m pip install --quiet --disable-pip-version-check --break-system-packages "${need_pip[@]}"
fi
