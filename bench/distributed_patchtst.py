#!/usr/bin/env python3
"""Data-parallel training on this machine (issue 21): PatchTST/42 on ETTh1, H=96.

Usage: bench/distributed_patchtst.py [--data ../shared/data/ett/ETTh1.csv]
           [--cli build/bin/twb-cli] [--out bench-results/distributed] [--epochs 1]
           [--configs 1x1,1x2,2x1,4x1] [--full-2rank]

One epoch of the paper's ETTh1 setting (lookback 336, d_model 16, 4 heads, d_ff 128, 3 layers,
patches of 16 stride 8, global batch 128, lr 1e-4, seed 2021) in each configuration RANKSxTHREADS:
  1x1  one process, one thread       1x2  one process, two threads
  2x1  two ranks of one thread each (batch 64 per rank: the same global batch of 128)
  4x1  four ranks (batch 32 per rank) on two cores: a correctness run, not a speed one.
The ranks are started here with torchrun's variables (RANK, WORLD_SIZE, MASTER_ADDR,
MASTER_PORT) on loopback. For each it prints seconds per epoch (training and validation),
training windows per second, the gradient all-reduce per step (from the run's log), the
validation loss after the epoch and the test MSE/MAE. --full-2rank also trains the whole
protocol (100 epochs, patience 10) with 2 ranks to compare the final test MSE with the
single-process row of the README (0.379).

Run it alone on the machine: the timings mean nothing beside another job. Standard library only.
"""
import argparse
import json
import os
import re
import socket
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SETS = ["e_layers=3", "n_heads=4", "d_model=16", "d_ff=128", "dropout=0.3", "fc_dropout=0.3",
        "head_dropout=0", "patch_len=16", "stride=8"]
GLOBAL_BATCH = 128


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def train_args(cli, data, run_dir, batch, threads, epochs, patience):
    args = [cli, "train", "--data", data, "--model", "patchtst", "--task", "forecast",
            "--lookback", "336", "--horizon", "96", "--epochs", str(epochs),
            "--batch-size", str(batch), "--lr", "0.0001", "--patience", str(patience),
            "--seed", "2021", "--schedule", "exponential", "--gamma", "0.9", "--hold", "3",
            "--threads", str(threads), "--progress", "none", "--run-dir", run_dir]
    for s in SETS:
        args += ["--set", s]
    return args


def run_config(cli, data, out, ranks, threads, epochs, patience):
    run_dir = os.path.join(out, f"patchtst_{ranks}x{threads}_e{epochs}")
    if os.path.exists(os.path.join(run_dir, "status.json")):
        with open(os.path.join(run_dir, "status.json")) as f:
            if json.load(f).get("state") == "finished":
                return summarise(run_dir, ranks, threads, None)
        raise SystemExit(f"{run_dir} holds an unfinished run: remove it first")
    batch = GLOBAL_BATCH // ranks
    args = train_args(cli, data, run_dir, batch, threads, epochs, patience)
    port = free_port()
    started = time.monotonic()
    procs = []
    for r in range(ranks):
        env = dict(os.environ)
        if ranks > 1:
            env.update(RANK=str(r), LOCAL_RANK=str(r), WORLD_SIZE=str(ranks),
                       MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
        procs.append(subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.PIPE, text=True))
    errors = [p.communicate()[1] for p in procs]
    wall = time.monotonic() - started
    for r, p in enumerate(procs):
        if p.returncode != 0:
            raise SystemExit(f"rank {r} of {ranks}x{threads} exited {p.returncode}:\n{errors[r]}")
    return summarise(run_dir, ranks, threads, wall)


def summarise(run_dir, ranks, threads, wall):
    with open(os.path.join(run_dir, "metrics.jsonl")) as f:
        epochs = [json.loads(line) for line in f if line.strip()]
    with open(os.path.join(run_dir, "status.json")) as f:
        status = json.load(f)
    with open(os.path.join(run_dir, "config.json")) as f:
        config = json.load(f)
    with open(os.path.join(run_dir, "log.txt")) as f:
        log = f.read()
    reduce_ms = [float(m) for m in re.findall(r"gradient all-reduce ([0-9.]+) ms per step", log)]
    train_windows = config["provenance"]["windows"]["train"]
    test = status.get("test", {})
    return {
        "config": f"{ranks}x{threads}", "run_dir": run_dir, "epochs": len(epochs),
        "seconds_per_epoch": epochs[0]["seconds"],
        "windows_per_second": train_windows / epochs[0]["seconds"],
        "allreduce_ms_per_step": reduce_ms[0] if reduce_ms else None,
        "val_loss_epoch1": epochs[0]["val_loss"], "best_epoch": status.get("best_epoch"),
        "test_mse": test.get("mse"), "test_mae": test.get("mae"), "wall_seconds": wall,
        "blas_core": os.environ.get("OPENBLAS_CORETYPE", "(twb's choice, see log.txt)"),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "ett",
                                                   "ETTh1.csv"))
    ap.add_argument("--cli", default=os.path.join(ROOT, "build", "bin", "twb-cli"))
    ap.add_argument("--out", default=os.path.join(ROOT, "bench-results", "distributed"))
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--configs", default="1x1,1x2,2x1,4x1")
    ap.add_argument("--full-2rank", action="store_true")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rows = []
    for c in a.configs.split(","):
        ranks, threads = (int(x) for x in c.split("x"))
        rows.append(run_config(a.cli, a.data, a.out, ranks, threads, a.epochs, 0))
        print(json.dumps(rows[-1]), flush=True)
    if a.full_2rank:
        rows.append(run_config(a.cli, a.data, a.out, 2, 1, 100, 10))
        print(json.dumps(rows[-1]), flush=True)
    print("\n| ranks x threads | s/epoch | windows/s | all-reduce ms/step | val loss (epoch 1) "
          "| test MSE | test MAE |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        reduce_ms = "–" if r["allreduce_ms_per_step"] is None else f"{r['allreduce_ms_per_step']:.2f}"
        print(f"| {r['config']} ({r['epochs']} ep.) | {r['seconds_per_epoch']:.1f} "
              f"| {r['windows_per_second']:.0f} | {reduce_ms} | {r['val_loss_epoch1']:.6f} "
              f"| {r['test_mse']:.4f} | {r['test_mae']:.4f} |")
    with open(os.path.join(a.out, "results.json"), "w") as f:
        json.dump(rows, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
