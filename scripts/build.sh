#!/usr/bin/env bash
# Configures and builds the project into build/ (Release, Ninja, ccache).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TWB_BUILD_DIR:-$root/build}
export CCACHE_BASEDIR=$root
# ccache may reuse objects built with the precompiled torch header (CMake passes it with -include).
export CCACHE_SLOPPINESS=${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j "$(nproc)"
