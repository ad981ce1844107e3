#!/usr/bin/env bash
# Draws the libraries, plugins and programs of the project and their links, as CMake sees them
# (cmake --graphviz, options in cmake/CMakeGraphVizOptions.cmake), into docs/libraries.png.
# Needs Debian's graphviz (not part of the build); configures into a temporary folder only.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
command -v dot >/dev/null || { echo "library-graph: needs graphviz (apt-get install graphviz)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$root/cmake/CMakeGraphVizOptions.cmake" "$work/"
cmake -S "$root" -B "$work" -G Ninja -DBUILD_TESTING=OFF --graphviz="$work/twb.dot" >/dev/null
dot -Grankdir=BT -Gnodesep=0.25 -Granksep=0.6 -Tpng -Gdpi=110 "$work/twb.dot" -o "$root/docs/libraries.png"
echo "library-graph: wrote docs/libraries.png"
