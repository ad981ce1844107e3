#!/usr/bin/env python3
"""Speech separation on FSDD (issue 24): trains Conv-TasNet and/or SepFormer with twb-cli and
prints a table of test SI-SNRi, SI-SNR, SDRi and SDR with the time each run took.

Usage: bench/separation_fsdd.py [--data ../shared/data/fsdd/recordings] [--cli build/bin/twb-cli]
                                [--models convtasnet,sepformer] [--settings takes,speakers]
                                [--epochs 30] [--threads 2] [--out bench-results/separation]
                                [--lr 1e-3] [--schedule constant|plateau] [--step-size 3]
                                [--gamma 0.5] [--patience 5] [--init-from RUN] [--tag NAME]
                                [--quick]

Settings: "takes" tests on mixtures of takes 0-4 of every speaker (the utterances that train
are takes 5-49); "speakers" tests on mixtures of two held-out speakers (george, jackson) and
trains on the other three. Each run is `twb-cli train --task separate` (two sources, levels -5
to 5 dB, 1 s mixtures, 2000 fresh training mixtures per epoch, 500 fixed test mixtures, Adam
1e-3, gradient norm clipped to 5, patience 5), the model's default (small, CPU) size; seconds
per epoch from the JSON-lines progress, peak memory from getrusage, then `twb-cli eval --json`.
The papers' recipe halves the rate on plateaus: `--schedule plateau --step-size 3` (Conv-TasNet;
SepFormer: `--lr 1.5e-4 --step-size 2`). `--init-from RUN` continues from another run's best
weights (a fresh optimizer), e.g. a constant-rate run followed by halving; `--tag` names the
run folders so that such a continuation does not overwrite the run it starts from.
Standard library only.
"""
import argparse
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SETTINGS = {
    "takes": ["--test-glob", "*_[0-4].wav"],
    "speakers": ["--group-by", "speaker", "--test-groups", "george,jackson", "--val-by", "cases"],
}


def run_one(cli, data, model, setting, out, a):
    run_dir = os.path.join(out, f"{model}_{setting}" + (f"_{a.tag}" if a.tag else ""))
    quick = a.quick
    cmd = [cli, "train", "--task", "separate", "--data", data, "--model", model,
           "--run-dir", run_dir, "--progress", "jsonl", "--epochs", str(1 if quick else a.epochs),
           "--batch-size", "8", "--lr", str(a.lr), "--schedule", a.schedule,
           "--step-size", str(a.step_size), "--gamma", str(a.gamma), "--clip-grad", "5",
           "--patience", str(a.patience), "--threads", str(a.threads)] + SETTINGS[setting]
    if a.init_from:
        cmd += ["--init-from", a.init_from]
    if quick:
        cmd += ["--train-mixtures", "80", "--val-mixtures", "16", "--test-mixtures", "16"]
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seconds = []
    for line in proc.stdout:
        try:
            ev = json.loads(line)
        except json.JSONDecodeError:
            continue
        if ev.get("event") == "epoch":
            seconds.append(ev["seconds"])
            print(f"  {model} {setting} epoch {ev['epoch']}: train {ev['train_loss']:.3f} "
                  f"val {ev['val_loss']:.3f} dB (-SI-SNR) ({ev['seconds']:.0f} s)",
                  file=sys.stderr, flush=True)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{err}")
    wall = time.monotonic() - started
    ev = subprocess.run([cli, "eval", run_dir, "--json"], check=True, capture_output=True,
                        text=True)
    m = json.loads(ev.stdout)
    return dict(model=model, setting=setting, si_snri=m["si_snri"], si_snr=m["si_snr"],
                sdri=m["sdri"], sdr=m["sdr"], mixtures=m["mixtures"], epochs=len(seconds),
                sec_per_epoch=sum(seconds) / max(1, len(seconds)),
                peak_mib=usage.ru_maxrss / 1024.0, wall=wall)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "fsdd",
                                                   "recordings"))
    ap.add_argument("--cli", default=os.path.join(ROOT, "build", "bin", "twb-cli"))
    ap.add_argument("--models", default="convtasnet,sepformer")
    ap.add_argument("--settings", default="takes,speakers")
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", default=os.path.join(ROOT, "bench-results", "separation"))
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--schedule", default="constant", help="constant, or plateau (halving)")
    ap.add_argument("--step-size", type=int, default=1,
                    help="plateau: epochs without a better validation loss before halving")
    ap.add_argument("--gamma", type=float, default=0.5)
    ap.add_argument("--patience", type=int, default=5)
    ap.add_argument("--init-from", default="", help="start from this run's best weights")
    ap.add_argument("--tag", default="", help="suffix of the run folders")
    ap.add_argument("--quick", action="store_true", help="one short epoch each (smoke test)")
    a = ap.parse_args()
    if not os.path.isdir(a.data):
        sys.exit(f"data folder not found: {a.data}")
    os.makedirs(a.out, exist_ok=True)
    core = os.environ.get("OPENBLAS_CORETYPE", "as detected (see twb-cli info)")
    rows = [run_one(a.cli, a.data, m, s, a.out, a)
            for m in a.models.split(",") for s in a.settings.split(",")]
    print(f"OpenBLAS core: {core}; threads {a.threads}; lr {a.lr} {a.schedule}"
          + (f" (step {a.step_size}, gamma {a.gamma})" if a.schedule != "constant" else "")
          + (f"; from {a.init_from}" if a.init_from else ""))
    print("| model | test mixtures of | SI-SNRi (dB) | SI-SNR | SDRi | SDR | mixtures | "
          "epochs | s/epoch | wall (min) | peak MiB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        held = "held-out takes" if r["setting"] == "takes" else "held-out speakers"
        print(f"| {r['model']} | {held} | {r['si_snri']:.2f} | {r['si_snr']:.2f} | "
              f"{r['sdri']:.2f} | {r['sdr']:.2f} | {r['mixtures']} | {r['epochs']} | "
              f"{r['sec_per_epoch']:.0f} | {r['wall'] / 60:.1f} | {r['peak_mib']:.0f} |")


if __name__ == "__main__":
    main()
