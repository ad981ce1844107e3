#!/usr/bin/env python3
"""Trains the classification models on the real data sets and prints accuracy next to the
targets of issue 4, with training time and peak memory.

Usage: bench/classify_benchmarks.py [--shared ../shared/data] [--cli build/bin/twb-cli]
                                    [--sets gunpoint,basicmotions,italypowerdemand,fsdd]
                                    [--out bench-results/classify] [--threads 2] [--quick]
                                    [--models own,minirocket,dtw,dtw-raw,timesnet]

Each data set runs `twb-cli train --task classify` as a child process (JSON-lines progress on
stdout), takes the child's peak resident memory from wait4, and reads the test metrics from the
final "done" event. UCR/UEA sets use their own _TEST.ts file; FSDD puts takes 0-4 of each
speaker in the test part (--test-glob '*_[0-4].wav'), as usual. --models runs the rivals of
issue 22 (MiniRocket, 1-NN DTW, TimesNet) on the same sets and splits. Standard library only.
"""
import argparse
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Data set -> (files relative to the shared data folder, model, target accuracy, flags).
SETS = {
    "gunpoint": dict(
        train="ucr/GunPoint/GunPoint_TRAIN.ts", test="ucr/GunPoint/GunPoint_TEST.ts",
        model="tst", target=0.95,
        flags=["--epochs", "100", "--batch-size", "8", "--lr", "0.001", "--patience", "30",
               "--val-fraction", "0.2"],
        sets=["d_model=64", "n_heads=8", "num_layers=2", "d_ff=256", "dropout=0.1"]),
    "basicmotions": dict(
        train="ucr/BasicMotions/BasicMotions_TRAIN.ts",
        test="ucr/BasicMotions/BasicMotions_TEST.ts",
        model="tst", target=0.95,
        flags=["--epochs", "150", "--batch-size", "8", "--lr", "0.001", "--patience", "30",
               "--val-fraction", "0.2"],
        sets=["d_model=64", "n_heads=8", "num_layers=2", "d_ff=256", "dropout=0.1"]),
    "italypowerdemand": dict(
        train="ucr/ItalyPowerDemand/ItalyPowerDemand_TRAIN.ts",
        test="ucr/ItalyPowerDemand/ItalyPowerDemand_TEST.ts",
        model="tst", target=0.95,
        flags=["--epochs", "200", "--batch-size", "8", "--lr", "0.001", "--patience", "40",
               "--val-fraction", "0.2"],
        sets=["d_model=64", "n_heads=8", "num_layers=2", "d_ff=256", "dropout=0.1"]),
    "fsdd": dict(
        train="fsdd/recordings", test=None, glob="*_[0-4].wav", model="ast", target=0.97,
        flags=["--epochs", "60", "--batch-size", "32", "--lr", "0.001", "--patience", "10",
               "--features", "fbank", "--mel-bins", "64", "--frames", "100",
               "--freq-mask", "8", "--time-mask", "12", "--val-fraction", "0.1",
               "--schedule", "cosine", "--weight-decay", "0.01", "--optimizer", "adamw"],
        sets=["d_model=96", "n_heads=4", "num_layers=4", "dropout=0.1"]),
}

# The rivals of the transformers (issue 22), run on the UCR/UEA sets with --models: the set's
# files and split stay, the model and its settings change. The targets are published UCR/UEA
# archive accuracies on the same train/test split where there is one (1-NN DTW with a learned
# window: GunPoint 0.913, ItalyPowerDemand 0.955; BasicMotions 0.975, the dependent DTW of the
# UEA archive paper, Bagnall et al. 2018); None prints "—".
RIVALS = {
    # MiniRocket and DTW are fitted in one pass: epochs do not apply; the fit on the training
    # part gives the validation loss, the kept model is fitted on training + validation.
    "minirocket": dict(flags=["--val-fraction", "0.2"], sets=[],
                       targets={}),
    "dtw": dict(flags=["--val-fraction", "0.2"], sets=[],
                targets={"gunpoint": 0.913, "italypowerdemand": 0.955, "basicmotions": 0.975}),
    # The same on the values as they are (--scale none), as the archives evaluate DTW.
    "dtw-raw": dict(model="dtw", flags=["--val-fraction", "0.2", "--scale", "none"], sets=[],
                    targets={"gunpoint": 0.913, "italypowerdemand": 0.955,
                             "basicmotions": 0.975}),
    # Time-Series-Library's classification settings for TimesNet (its UEA scripts): 2 blocks,
    # d_model 32, d_ff 32, top_k 3, batch 16, lr 0.001, up to 100 epochs, patience 10.
    "timesnet": dict(flags=["--epochs", "100", "--batch-size", "16", "--lr", "0.001",
                            "--patience", "10", "--val-fraction", "0.2"],
                     sets=["e_layers=2", "d_model=32", "d_ff=32", "top_k=3", "dropout=0.1"],
                     targets={}),
}


def with_model(spec, set_name, model):
    """The data set's spec with `model` (a RIVALS key) in place of its own."""
    rival = RIVALS[model]
    out = dict(spec, model=rival.get("model", model), label=model, flags=rival["flags"],
               sets=rival["sets"], target=rival["targets"].get(set_name))
    return out


def run_one(cli, shared, name, spec, out_dir, seed, threads, quick):
    run_dir = os.path.join(out_dir, f"{name}-{spec.get('label', spec['model'])}")
    cmd = [cli, "train", "--task", "classify", "--data", os.path.join(shared, spec["train"]),
           "--model", spec["model"], "--seed", str(seed), "--run-dir", run_dir,
           "--progress", "jsonl"]
    if spec.get("test"):
        cmd += ["--test-data", os.path.join(shared, spec["test"])]
    if spec.get("glob"):
        cmd += ["--test-glob", spec["glob"]]
    flags = list(spec["flags"])
    if quick and "--epochs" in flags:
        flags[flags.index("--epochs") + 1] = "2"
    cmd += flags
    if threads:
        cmd += ["--threads", str(threads)]
    for s in spec["sets"]:
        cmd += ["--set", s]
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    test, epochs, best = None, 0, None
    for line in proc.stdout:
        try:
            ev = json.loads(line)
        except json.JSONDecodeError:
            continue
        if ev.get("event") == "epoch":
            epochs = ev["epoch"]
            if ev["epoch"] % 10 == 0:
                print(f"  {name} epoch {ev['epoch']}: train {ev['train_loss']:.4f} "
                      f"val {ev['val_loss']:.4f}", file=sys.stderr, flush=True)
        elif ev.get("event") == "done":
            test, best = ev.get("test"), ev.get("best_epoch")
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    if code != 0 or test is None:
        print(f"{name}: twb-cli failed ({code}): {err.strip()[-500:]}", file=sys.stderr)
        return None
    return dict(name=name, model=spec.get("label", spec["model"]), accuracy=test["accuracy"],
                balanced=test["balanced_accuracy"], f1=test["macro_f1"],
                log_loss=test["log_loss"], cases=test["examples"], target=spec["target"],
                epochs=epochs, best_epoch=best, seconds=seconds,
                peak_mib=usage.ru_maxrss / 1024.0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared", "data"))
    ap.add_argument("--cli", default=os.path.join(ROOT, "build", "bin", "twb-cli"))
    ap.add_argument("--sets", default="gunpoint,basicmotions,italypowerdemand,fsdd")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench-results", "classify"))
    ap.add_argument("--seed", type=int, default=2021)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--quick", action="store_true", help="2 epochs each (smoke test)")
    ap.add_argument("--models", default="",
                    help="comma list of rivals to run on each set instead of the set's own "
                         f"model ({', '.join(RIVALS)}; 'own' = the set's own)")
    args = ap.parse_args()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    out_dir = os.path.join(args.out, stamp)
    rows = []
    for name in args.sets.split(","):
        if name not in SETS:
            sys.exit(f"unknown data set {name}; known: {', '.join(SETS)}")
        for model in (args.models.split(",") if args.models else ["own"]):
            if model != "own" and model not in RIVALS:
                sys.exit(f"unknown model {model}; known: own, {', '.join(RIVALS)}")
            spec = SETS[name] if model == "own" else with_model(SETS[name], name, model)
            print(f"training {name} with {spec['model']} ...", file=sys.stderr, flush=True)
            row = run_one(args.cli, args.shared, name, spec, out_dir, args.seed,
                          args.threads, args.quick)
            if row:
                rows.append(row)
    print(f"\n| data set | model | test cases | accuracy | target | met | balanced acc. | "
          f"macro-F1 | log-loss | epochs (best) | train time | peak memory |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        if r["target"] is None:
            met, target = "—", "—"
        else:
            met = "yes" if r["accuracy"] >= r["target"] - 1e-9 else "NO"
            target = f"≥ {100 * r['target']:.1f} %"
        print(f"| {r['name']} | {r['model']} | {r['cases']} | {100 * r['accuracy']:.1f} % | "
              f"{target} | {met} | {100 * r['balanced']:.1f} % | "
              f"{r['f1']:.3f} | {r['log_loss']:.3f} | {r['epochs']} ({r['best_epoch']}) | "
              f"{r['seconds']:.0f} s | {r['peak_mib']:.0f} MiB |")
    print(f"\nrun folders: {out_dir}")


if __name__ == "__main__":
    main()
