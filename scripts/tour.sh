#!/usr/bin/env bash
# The scripted tour of the workbench window: builds twb-tour (with twb-cli and the plugins) and
# runs it under Xvfb (or Qt's offscreen platform when xvfb-run is missing) on the bundled sample
# and ETTh1, training a short run in a temporary workspace. Screenshots go to OUTDIR:
#   01-sample.png 02-inspect.png 03-training-live.png 03-training.png 04-forecast.png
#   04b-forecast-beyond.png
#   05-runs.png, 06-explain.png and 07-whatif.png (models with attention: --model patchtst),
#   and the exports forecast.{png,svg,csv} and run-bundle.h5.
# Usage: scripts/tour.sh OUTDIR [twb-tour options, e.g. --model patchtst --epochs 2]
# Environment: TWB_BUILD_DIR (default build/), TWB_ETTH1 (default ../shared/data/ett/ETTh1.csv),
# TWB_TOUR_NO_BUILD=1 (use what is built), TWB_CLI (another twb-cli to train with; its plugins
# must then be on TWB_PLUGIN_PATH as well).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -lt 1 ]; then
  echo "usage: $0 OUTDIR [twb-tour options]" >&2
  exit 2
fi
out=$1
shift
build=${TWB_BUILD_DIR:-$root/build}
etth1=${TWB_ETTH1:-$root/../shared/data/ett/ETTh1.csv}
if [ ! -f "$etth1" ]; then
  echo "tour: $etth1 missing (set TWB_ETTH1)" >&2
  exit 1
fi

export CCACHE_BASEDIR=$root
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
if [ "${TWB_TOUR_NO_BUILD:-0}" != 1 ]; then
  cmake --build "$build" --target twb-tour twb-cli dlinear patchtst -j "${TWB_JOBS:-2}"
fi
"$root/scripts/fetch-samples.sh" "$build/samples"

workspace=$(mktemp -d)
trap 'rm -rf "$workspace"' EXIT
mkdir -p "$out"
launcher=()
platform=()
cli=()
if [ -n "${TWB_CLI:-}" ]; then
  cli=(--cli "$TWB_CLI")
fi
if command -v xvfb-run >/dev/null; then
  # 24-bit screen large enough for the 1400x900 window.
  launcher=(xvfb-run -a -s "-screen 0 1600x1000x24")
else
  echo "tour: xvfb-run not found; using -platform offscreen"
  platform=(-platform offscreen)
fi
"${launcher[@]}" "$build/bin/twb-tour" "${platform[@]}" --out "$out" \
  --workspace "$workspace/runs" --etth1 "$etth1" "${cli[@]}" "$@"
echo "tour: screenshots in $out"
