#!/usr/bin/env bash
# Synthetic spoken digits from Debian's espeak-ng, named as FSDD names its recordings:
# OUT/{digit}_{voice}_{take}.wav (8 kHz, mono, 16-bit, silence trimmed at both ends).
# Every "voice" is an accent × a voice variant × a pitch (seeded choice, so the set is the
# same on every machine with the same espeak-ng); each says every digit at TAKES speeds.
#   bench/synth_digits.sh OUT [VOICES] [TAKES] [SEED]
# Needs: espeak-ng, sox (apt-get install espeak-ng sox).
set -euo pipefail
out=${1:?usage: synth_digits.sh OUT [VOICES] [TAKES] [SEED]}
voices=${2:-100}
takes=${3:-2}
seed=${4:-1}
command -v espeak-ng >/dev/null && command -v sox >/dev/null ||
  { echo "synth_digits: needs espeak-ng and sox (apt-get install espeak-ng sox)" >&2; exit 2; }
mkdir -p "$out"
words=(zero one two three four five six seven eight nine)
accents=(en-us en-gb en-gb-scotland en-gb-x-rp en-029 en-gb-x-gbclan en-gb-x-gbcwmd)
variants=(m1 m2 m3 m4 m5 m6 m7 m8 f1 f2 f3 f4 f5 klatt klatt2 klatt3 klatt4 adam andy
  annie antonio aunty belinda benjamin boris caleb david edward iven john linda max michel
  norbert paul pedro quincy rob robert steph travis victor)
RANDOM=$seed
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for ((v = 0; v < voices; v++)); do
  accent=${accents[RANDOM % ${#accents[@]}]}
  variant=${variants[RANDOM % ${#variants[@]}]}
  pitch=$((20 + RANDOM % 60))
  name="espeak${v}"
  for ((d = 0; d < 10; d++)); do
    for ((t = 0; t < takes; t++)); do
      speed=$((120 + RANDOM % 80))
      espeak-ng -v "$accent+$variant" -p "$pitch" -s "$speed" -w "$tmp/raw.wav" "${words[d]}" 2>/dev/null
      sox -V1 "$tmp/raw.wav" -r 8000 -c 1 -b 16 "$out/${d}_${name}_${t}.wav" \
        gain -n -3 silence 1 0.01 0.5% reverse silence 1 0.01 0.5% reverse
    done
  done
done
echo "synth_digits: $((voices * 10 * takes)) clips in $out"
