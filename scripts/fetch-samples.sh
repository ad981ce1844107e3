#!/usr/bin/env bash
# Fetches the bundled real sample data into DIR (default: build/samples), idempotently:
#   co2.csv        weekly atmospheric CO2 at Mauna Loa, 1958-2001 (59 empty cells)
#   macrodata.csv  quarterly US macroeconomic series, 1959-2009
#   statsmodels-copyright  the Debian copyright file covering both
# They come from Debian's python3-statsmodels package, downloaded with `apt-get download`
# and unpacked with `dpkg-deb -x` (nothing is installed).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-$root/build/samples}
package=python3-statsmodels
datasets=usr/lib/python3/dist-packages/statsmodels/datasets
declare -A sources=(
  [co2.csv]=$datasets/co2/co2.csv
  [macrodata.csv]=$datasets/macrodata/macrodata.csv
  [statsmodels-copyright]=usr/share/doc/$package/copyright
)

missing=0
for name in "${!sources[@]}"; do
  [ -s "$dest/$name" ] || missing=1
done
if [ "$missing" = 0 ]; then
  echo "fetch-samples: samples already in $dest"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# apt's download sandbox user must be able to write into the download folder.
chmod 755 "$work"
mkdir "$work/download"
if id _apt >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  chown _apt "$work/download"
fi
(cd "$work/download" && apt-get download -q "$package")
deb=$(find "$work/download" -name "${package}_*.deb" | head -n 1)
if [ -z "$deb" ]; then
  echo "fetch-samples: apt-get download $package produced no .deb" >&2
  exit 1
fi
dpkg-deb -x "$deb" "$work/root"

mkdir -p "$dest"
for name in "${!sources[@]}"; do
  src=$work/root/${sources[$name]}
  if [ ! -s "$src" ]; then
    echo "fetch-samples: $package no longer contains ${sources[$name]}" >&2
    exit 1
  fi
  # Copy then rename: a reader never sees a half-written file.
  cp "$src" "$dest/.$name.tmp"
  mv -f "$dest/.$name.tmp" "$dest/$name"
done
echo "fetch-samples: $(basename "$deb") -> $dest (${!sources[*]})"
