#!/usr/bin/env bash
# Fresh machine → installed, built, and the workbench opened on a bundled real sample
# (weekly Mauna Loa CO2, from Debian's python3-statsmodels). Extra arguments go to `twb`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup-debian.sh"
"$root/scripts/build.sh"
build=${TWB_BUILD_DIR:-$root/build}
"$root/scripts/fetch-samples.sh" "$build/samples"
launcher=()
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run: no display found; starting under xvfb-run (set DISPLAY to see the window)"
  launcher=(xvfb-run -a)
fi
exec "${launcher[@]}" "$build/bin/twb" "$build/samples/co2.csv" "$@"
