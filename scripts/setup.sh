#!/usr/bin/env bash
# One-time, idempotent set-up for a fresh Debian 12 machine (run as root, or with sudo available).
#  1. installs the Debian packages wfm builds against (skipped when all are present);
#  2. creates the virtual environment .venv with the Python build and test tools from PyPI;
#  3. installs the wfm Python package into it (pip install .).
# Environment: WFM_SKIP_PIP_INSTALL=1 skips step 3 (used by scripts that build C++ only).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"

apt_packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  python3 python3-venv python3-dev
  libboost-math-dev libeigen3-dev libfmt-dev catch2 libbenchmark-dev
  coinor-libclp-dev coinor-libcbc-dev libnlopt-cxx-dev libcli11-dev nlohmann-json3-dev
  libpcg-cpp-dev libtbb-dev tzdata
  chromium
  clang libclang-rt-14-dev  # fuzz targets (libFuzzer, preset fuzz), see fuzz/CMakeLists.txt
)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "[wfm setup] installing Debian packages: ${missing[*]}" >&2
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

venv="$here/.venv"
if [[ ! -x $venv/bin/python ]]; then
  echo "[wfm setup] creating $venv" >&2
  /usr/bin/python3 -m venv "$venv"
fi
stamp="$venv/.wfm-requirements"
if ! cmp -s "$here/scripts/requirements.txt" "$stamp"; then
  echo "[wfm setup] installing Python requirements" >&2
  "$venv/bin/python" -m pip install -q --upgrade pip
  "$venv/bin/python" -m pip install -q -r "$here/scripts/requirements.txt"
  cp "$here/scripts/requirements.txt" "$stamp"
fi
if [[ ${WFM_SKIP_PIP_INSTALL:-0} != 1 ]]; then
  echo "[wfm setup] building and installing the wfm Python package" >&2
  "$venv/bin/python" -m pip install -q --no-build-isolation "$here"
fi
