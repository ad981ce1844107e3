#!/usr/bin/env bash
# Installs the Debian 12 packages of the fuzz build (fuzz/, scripts/fuzz.sh): clang 14 with
# libFuzzer and the sanitizers, on top of what scripts/setup-debian.sh installs (Qt, HDF5,
# libsndfile, libsoxr, ccache). Kept apart from setup-debian.sh: the normal build and CI use gcc
# and do not need these. Idempotent: does nothing when everything is already installed.
set -euo pipefail

"$(dirname "$0")/setup-debian.sh"

packages=(clang-14 libfuzzer-14-dev)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup-fuzz: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
echo "setup-fuzz: all packages present"
