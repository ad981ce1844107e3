#!/usr/bin/env bash
# Data-parallel training under Slurm's srun, outside CI: a private one-node Slurm cluster
# (its own munged, slurmctld and slurmd, config in a temporary SLURM_CONF, nothing in
# /etc/slurm touched) runs 2 tasks of `twb-cli train` on ETTh1 (DLinear, 2 epochs), then the run
# folder is checked (both ranks exit 0, written once by rank 0, "world_size": 2, finished,
# metrics, checkpoints). The daemons are stopped and the directory removed at exit.
# Needs root (installs slurm-wlm with apt-get if srun/slurmctld/slurmd/munged are missing).
# Usage: scripts/slurm-check.sh [CLI]   (default build/bin/twb-cli of this repository)
# Environment: TWB_ETTH1 = ETTh1.csv (default ../shared/data/ett/ETTh1.csv next to the repo).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cli=${1:-$root/build/bin/twb-cli}
data=${TWB_ETTH1:-$root/../shared/data/ett/ETTh1.csv}

say() { echo "slurm-check: $*"; }
fail() {
  echo "slurm-check: FAIL: $*" >&2
  exit 1
}

[ -x "$cli" ] || fail "$cli is not an executable twb-cli (build it or pass its path)"
cli=$(cd "$(dirname "$cli")" && pwd)/$(basename "$cli")
[ -f "$data" ] || fail "$data not found (set TWB_ETTH1)"
data=$(cd "$(dirname "$data")" && pwd)/$(basename "$data")
# A relocated tree (bin/ next to lib/) needs its libraries on the path; a build tree has RPATHs.
if [ -d "$(dirname "$cli")/../lib" ]; then
  lib=$(cd "$(dirname "$cli")/../lib" && pwd)
  export LD_LIBRARY_PATH=$lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
fi

# (a) Slurm and munge from Debian.
have_slurm() { command -v srun && command -v slurmctld && command -v slurmd && command -v munged; } >/dev/null
if ! have_slurm; then
  [ "$(id -u)" -eq 0 ] || fail "Slurm is not installed and installing it needs root (apt-get install slurm-wlm)"
  say "installing slurm-wlm"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y slurm-wlm >/dev/null ||
    { apt-get update >/dev/null && apt-get install -y slurm-wlm >/dev/null; } ||
    fail "apt-get install slurm-wlm failed"
  have_slurm || fail "slurm-wlm installed but srun/slurmctld/slurmd/munged are still missing"
fi
command -v python3 >/dev/null || fail "python3 is needed to find free ports"

# (b) A private cluster in a temporary directory.
work=$(mktemp -d)
chmod 711 "$work" # munged insists that every directory above its socket is searchable
pids=()
cleanup() {
  local rc=$?
  set +e
  if [ -n "${SLURM_CONF:-}" ] && [ -f "$SLURM_CONF" ] && [ ${#pids[@]} -gt 0 ]; then
    scancel --quiet --full --user "$(id -un)" 2>/dev/null # jobs of this private cluster only
  fi
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do # slurmd, slurmctld, then munged
    kill "${pids[i]}" 2>/dev/null
    for _ in $(seq 50); do kill -0 "${pids[i]}" 2>/dev/null || break; sleep 0.1; done
    kill -9 "${pids[i]}" 2>/dev/null
    wait "${pids[i]}" 2>/dev/null
  done
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
host=$(hostname -s)
ctld_port=$(free_port)
slurmd_port=$(free_port)
master_port=$(free_port)
user=$(id -un)
# The node as slurmd sees it (CPUs, sockets, cores, memory): "NodeName=host CPUs=2 ... RealMemory=N".
node=$(slurmd -C | head -n 1)
case $node in NodeName=*) ;; *) fail "slurmd -C printed no node line: $node" ;; esac
cpus=$(sed -n 's/.*CPUs=\([0-9]*\).*/\1/p' <<<"$node")
[ "${cpus:-0}" -ge 2 ] || fail "this machine has ${cpus:-?} CPU(s); 2 tasks need 2"

mkdir -m 700 "$work/munge" "$work/ctld" "$work/slurmd"
mkdir -m 755 "$work/munge-run"
mungekey -c -k "$work/munge/munge.key" || fail "mungekey could not create a key"
cat >"$work/slurm.conf" <<EOF
ClusterName=twbcheck
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$work/munge-run/munge.socket
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
StateSaveLocation=$work/ctld
SlurmdSpoolDir=$work/slurmd
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
PlugStackConfig=$work/plugstack.conf
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
$node NodeAddr=127.0.0.1
PartitionName=check Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
: >"$work/plugstack.conf"
export SLURM_CONF=$work/slurm.conf
# Slurm variables of an enclosing allocation must not leak into this cluster's commands.
unset SLURM_JOB_ID SLURM_JOBID SLURM_PROCID SLURM_NTASKS SLURM_LOCALID SLURM_STEP_ID SLURM_STEP_NUM_TASKS 2>/dev/null || true

say "private cluster in $work (slurmctld :$ctld_port, slurmd :$slurmd_port)"
munged -F --socket="$work/munge-run/munge.socket" --key-file="$work/munge/munge.key" \
  --pid-file="$work/munge-run/munged.pid" --log-file="$work/munge/munged.log" \
  --seed-file="$work/munge/munged.seed" 2>"$work/munged.err" &
pids+=($!)
for _ in $(seq 50); do [ -S "$work/munge-run/munge.socket" ] && break; sleep 0.1; done
[ -S "$work/munge-run/munge.socket" ] || fail "munged did not start: $(tail -n 3 "$work/munged.err")"
slurmctld -D -f "$SLURM_CONF" >"$work/slurmctld.out" 2>&1 &
pids+=($!)
sleep 1
slurmd -D -f "$SLURM_CONF" >"$work/slurmd.out" 2>&1 &
pids+=($!)
state=
for _ in $(seq 60); do
  state=$(sinfo -h -o %T 2>/dev/null || true)
  [ "$state" = idle ] && break
  sleep 0.5
done
[ "$state" = idle ] ||
  fail "the node is not idle after 30 s (sinfo: '${state:-no answer}'); slurmctld.log ends: $(tail -n 3 "$work/slurmctld.log" 2>/dev/null)"
say "node $host idle"

# (c) 2 tasks of twb-cli train under srun. Slurm sets SLURM_PROCID/SLURM_STEP_NUM_TASKS/SLURM_LOCALID (and SLURM_STEP_ID);
# the rendezvous address is not a Slurm variable, so MASTER_ADDR/MASTER_PORT are exported to the
# tasks. Each task records its exit code.
mkdir "$work/out"
cd "$work/out"
start=$(date +%s%N)
set +e
set -x
# shellcheck disable=SC2016 # the bash -c text is expanded by each task's shell
srun --nodes=1 --ntasks=2 --time=15 --label --kill-on-bad-exit=1 \
  --export=ALL,MASTER_ADDR=127.0.0.1,MASTER_PORT="$master_port" \
  bash -c '"$@"; rc=$?; echo "$rc" >"rank-$SLURM_PROCID.rc"; exit "$rc"' rank \
  "$cli" train --data "$data" --model dlinear --lookback 96 --horizon 24 --epochs 2 \
  --batch-size 32 --threads 1 --progress none --dist-timeout 120 --run-dir "$work/out/run" --json \
  2>&1 | tee "$work/srun.log"
srun_rc=${PIPESTATUS[0]}
{ set +x; } 2>/dev/null
set -e
ms=$((($(date +%s%N) - start) / 1000000))

# (d) The checks.
[ "$srun_rc" -eq 0 ] || fail "srun exited with $srun_rc"
for r in 0 1; do
  [ -f "rank-$r.rc" ] || fail "rank $r did not run (no exit code recorded)"
  [ "$(cat "rank-$r.rc")" = 0 ] || fail "rank $r exited with $(cat "rank-$r.rc")"
done
run=$work/out/run
for f in config.json status.json metrics.csv log.txt predictions.h5 checkpoints/last.pt checkpoints/best.pt; do
  [ -s "$run/$f" ] || fail "the run folder lacks $f"
done
[ "$(find "$work/out" -name config.json | wc -l)" -eq 1 ] || fail "more than one run folder was written"
grep -q '"world_size": 2' "$run/config.json" || fail "config.json lacks \"world_size\": 2"
grep -q '"state": "finished"' "$run/status.json" ||
  fail "the run did not finish: $(tr -d '\n' <"$run/status.json")"
[ "$(grep -c '^[0-9]' "$run/metrics.csv")" -eq 2 ] ||
  fail "metrics.csv should have 2 epoch rows (one writer), has $(grep -c '^[0-9]' "$run/metrics.csv")"
[ "$(grep -c 'Z training ' "$run/log.txt")" -eq 1 ] || fail "log.txt was written by more than one rank"
grep -q 'gradient all-reduce' "$run/log.txt" || fail "log.txt shows no gradient all-reduce (not data parallel?)"
grep -q '^0: {.*"outcome":"finished"' "$work/srun.log" || fail "rank 0 printed no finished result"
result=$(grep ' finished; ' "$run/log.txt" | sed 's/^[^ ]* //' || true)

say "2-rank result: $result"
say "PASS (2 tasks under srun on $host in $((ms / 1000)).$((ms % 1000 / 100)) s, world_size 2, run folder complete and finished)"
