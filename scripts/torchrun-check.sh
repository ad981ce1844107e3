#!/usr/bin/env bash
# Data-parallel training under the real torchrun (issue 21), outside CI: 2 ranks of twb-cli on
# this machine train DLinear on a slice of ETTh1 for one epoch, then the run is checked
# (finished, "world_size": 2) and resumed for a second epoch in one process.
# Needs Debian's python3-torch (torchrun) and a built tree. Usage: scripts/torchrun-check.sh [BUILD]
set -euo pipefail

build=${1:-build}
cli=$build/bin/twb-cli
data=${TWB_ETTH1:-../shared/data/ett/ETTh1.csv}
[ -x "$cli" ] || { echo "torchrun-check: $cli is not built" >&2; exit 1; }
[ -f "$data" ] || { echo "torchrun-check: $data not found (set TWB_ETTH1)" >&2; exit 1; }
# Debian's python3-torch is for the system Python (a python3 earlier on PATH may lack it).
py=${TWB_PYTHON:-/usr/bin/python3}
"$py" -c 'import torch.distributed.run' 2>/dev/null ||
  { echo "torchrun-check: torchrun missing (apt-get install python3-torch)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -n 2001 "$data" > "$work/etth1.csv"
port=$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

set -x
"$py" -m torch.distributed.run --no_python --nproc_per_node 2 \
  --master_addr 127.0.0.1 --master_port "$port" --redirects 1 --tee 1 \
  "$cli" train --data "$work/etth1.csv" --model dlinear --lookback 96 --horizon 24 \
  --epochs 1 --batch-size 16 --threads 1 --progress none --run-dir "$work/run" --json
set +x

grep -q '"world_size": 2' "$work/run/config.json" ||
  { echo "torchrun-check: config.json lacks world_size 2" >&2; exit 1; }
grep -q '"finished"' "$work/run/status.json" ||
  { echo "torchrun-check: the run did not finish" >&2; cat "$work/run/status.json"; exit 1; }
"$cli" train --run-dir "$work/run" --resume --epochs 2 --progress none --json
echo "torchrun-check: OK (2 ranks under torchrun, resumed in 1 process)"
