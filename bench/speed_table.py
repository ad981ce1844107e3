#!/usr/bin/python3
"""Training speed of twb-cli against the same model in PyTorch eager, run alternately.

Usage: /usr/bin/python3 bench/speed_table.py [--threads 1,2] [--rounds 3] [--models patchtst]
                                             [--cli build/bin/twb-cli] [--baseline-cli DIR/twb-cli]
Needs Debian's python3-torch and python3-numpy for the eager side (not project dependencies).

For every model, thread count and round it runs one epoch of twb-cli's training on the model's
reference data (the paper's settings, as bench/reproduce_etth1.py) and then the PyTorch eager
script of the same model, one after the other so that both meet the same machine. Reported per
run: training windows per second (the training pass of the epoch only: twb-cli's last batch
event, the eager script's own count), and for twb-cli the whole epoch with validation. With
--baseline-cli a second twb-cli (an earlier build) runs in the same rotation, for before/after.
The BLAS library's core is printed first: a figure means nothing without it.

Models with an eager reference: patchtst (bench/pytorch_eager_patchtst.py). The encoder-decoder
forecasters are compared step by step by build/bin/twb-bench-encdec against
bench/pytorch_eager_encdec.py (an epoch of those is 15-25 minutes here).
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "..", "shared", "data", "ett", "ETTh1.csv")

# twb-cli train arguments of one epoch at the paper's settings, and the eager script.
MODELS = {
    "patchtst": dict(
        train=["--data", DATA, "--model", "patchtst", "--task", "forecast", "--lookback", "336",
               "--horizon", "96", "--epochs", "1", "--batch-size", "128", "--lr", "0.0001",
               "--seed", "2021", "--set", "e_layers=3", "--set", "n_heads=4", "--set",
               "d_model=16", "--set", "d_ff=128", "--set", "dropout=0.3", "--set",
               "fc_dropout=0.3", "--set", "head_dropout=0", "--set", "patch_len=16", "--set",
               "stride=8"],
        eager=[os.path.join(ROOT, "bench", "pytorch_eager_patchtst.py"), "--data", DATA]),
}


def cli_env(cli, threads):
    """The environment of one twb-cli: OMP_NUM_THREADS, and a snapshot's own libraries (a copy
    of bin/, lib/ and plugins/ made with an earlier build) ahead of the build's RUNPATH."""
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    lib = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(cli))), "lib")
    if os.path.isdir(lib):
        env["LD_LIBRARY_PATH"] = lib
    return env


def blas_core(cli):
    out = subprocess.run([cli, "info"], capture_output=True, text=True, env=cli_env(cli, 1)).stdout
    core = re.search(r"BLAS core:\s*(\S+)", out)
    return core.group(1).strip() if core else "unknown (twb-cli info printed no core)"


def run_twb(cli, model, threads, workdir):
    run_dir = tempfile.mkdtemp(dir=workdir)
    os.rmdir(run_dir)  # twb-cli creates it
    env = cli_env(cli, threads)
    res = subprocess.run([cli, "train", *MODELS[model]["train"], "--run-dir", run_dir,
                          "--threads", str(threads), "--progress", "jsonl"],
                         capture_output=True, text=True, env=env)
    if res.returncode != 0:
        sys.exit(f"{cli} failed ({res.returncode}): {res.stderr.strip()}")
    events = [json.loads(line) for line in res.stdout.splitlines() if line.startswith("{")]
    last_batch = [e for e in events if e.get("event") == "batch"][-1]
    epoch = [e for e in events if e.get("event") == "epoch"][0]
    return last_batch["samples_per_sec"], epoch["seconds"]


def run_eager(model, threads):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    res = subprocess.run(["/usr/bin/python3", *MODELS[model]["eager"], "--threads", str(threads)],
                         capture_output=True, text=True, env=env)
    if res.returncode != 0:
        sys.exit(f"eager {model} failed ({res.returncode}): {res.stderr.strip()}")
    match = re.search(r"= (\d+) samples/s", res.stdout)
    return float(match.group(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", default="patchtst")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--cli", default=os.path.join(ROOT, "build", "bin", "twb-cli"))
    ap.add_argument("--baseline-cli", default="", help="an earlier twb-cli, for before/after")
    a = ap.parse_args()
    print(f"OpenBLAS: {blas_core(a.cli)}; OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '')}")
    sides = [("twb-cli", a.cli)] + ([("baseline", a.baseline_cli)] if a.baseline_cli else [])
    with tempfile.TemporaryDirectory(prefix="twb-speed-") as workdir:
        for model in a.models.split(","):
            if model not in MODELS:
                sys.exit(f"no eager reference for {model}: one of {', '.join(MODELS)}")
            for threads in [int(t) for t in a.threads.split(",")]:
                got = {name: [] for name, _ in sides}
                epochs = {name: [] for name, _ in sides}
                eager = []
                for r in range(a.rounds):
                    for name, cli in sides:
                        rate, seconds = run_twb(cli, model, threads, workdir)
                        got[name].append(rate)
                        epochs[name].append(seconds)
                        print(f"  {model} threads {threads} round {r + 1} {name}: {rate:.0f} "
                              f"windows/s, epoch with validation {seconds:.1f} s", flush=True)
                    eager.append(run_eager(model, threads))
                    print(f"  {model} threads {threads} round {r + 1} eager: {eager[-1]:.0f} "
                          f"windows/s", flush=True)
                line = [f"{model} threads {threads}:"]
                for name, _ in sides:
                    med = statistics.median(got[name])
                    line.append(f"{name} {med:.0f} windows/s (median of {a.rounds}; epoch "
                                f"{statistics.median(epochs[name]):.1f} s),")
                line.append(f"eager {statistics.median(eager):.0f} windows/s; twb-cli / eager = "
                            f"{statistics.median(got['twb-cli']) / statistics.median(eager):.2f}x")
                print(" ".join(line), flush=True)


if __name__ == "__main__":
    main()
