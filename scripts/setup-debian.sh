#!/usr/bin/env bash
# Installs the Debian 12 packages Transformer Workbench needs to build, test and run.
# Idempotent: does nothing when everything is already installed.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config ccache clang-format
  qt6-base-dev qt6-charts-dev qt6-svg-dev libqt6svg6 qt6-multimedia-dev
  libqt6opengl6-dev                         # Qt Charts needs Qt6OpenGL at configure time
  libtorch-dev libopenblas0-openmp          # OpenBLAS: ~20x faster matmul than reference BLAS
  libgloo-dev                               # c10d's Gloo headers: data-parallel training
  libfftw3-dev libhdf5-dev libsndfile1-dev libsoxr-dev libcli11-dev
  xvfb xauth                                 # headless GUI runs and screenshots
  python3-h5py                               # tests check that exported HDF5 opens in h5py
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
echo "setup: all packages present"
