#!/usr/bin/env bash
# Fuzzes several harnesses one after another (scripts/fuzz.sh) and keeps one line per run in
# build-fuzz/campaign.tsv: when it ended, harness, seconds it ran (with the build), executions, coverage, features and
# whether it stopped on a finding. Each harness's corpus in build-fuzz/work/NAME/corpus grows
# from run to run, so campaigns over several sessions add up; sum the seconds per harness
# with `awk -F'\t' '{s[$2]+=$3} END {for (h in s) print h, s[h]}' build-fuzz/campaign.tsv`.
#
#   scripts/fuzz-campaign.sh SECONDS              every harness for SECONDS each
#   scripts/fuzz-campaign.sh SECONDS csv ts ...   these harnesses
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${TWB_FUZZ_BUILD:-$root/build-fuzz}"
[ $# -ge 1 ] && [[ "$1" =~ ^[0-9]+$ ]] || {
  echo "usage: scripts/fuzz-campaign.sh SECONDS [harness ...]" >&2
  exit 2
}
seconds="$1"
shift
if [ $# -gt 0 ]; then names=("$@"); else mapfile -t names < <("$root/scripts/fuzz.sh" --list); fi
mkdir -p "$build"
for name in "${names[@]}"; do
  start=$(date +%s)
  out="$("$root/scripts/fuzz.sh" "$name" "$seconds" 2>&1)"
  status=$?
  elapsed=$(($(date +%s) - start))
  echo "$out" | grep '^fuzz.sh:'
  execs="$(sed -n 's/.*executions \([0-9]*\).*/\1/p' <<<"$out" | tail -n 1)"
  cov="$(sed -n 's/.*cov: \([0-9]*\) ft: \([0-9]*\).*/\1\t\2/p' <<<"$out" | tail -n 1)"
  finding=none
  if grep -q 'FINDING' <<<"$out" || [ "$status" -ne 0 ]; then finding="finding (exit $status)"; fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$name" "$elapsed" "${execs:-?}" \
    "${cov:-?	?}" "$finding" >>"$build/campaign.tsv"
done
