#!/usr/bin/env python3
"""TST on small UCR/UEA sets with and without series augmentation, several seeds each: the
test accuracy of every run, and the mean and spread per set and setting.

Usage: bench/ucr_augment.py [--shared ../shared/data] [--cli build/bin/twb-cli]
                            [--sets gunpoint,basicmotions,italypowerdemand]
                            [--seeds 1,2,3] [--augment jitter,scale,warp,slice]
                            [--out bench-results/ucr-augment] [--threads 1]

The model and training settings are those of bench/classify_benchmarks.py (each set's own
_TEST.ts file is the test part, 20 % of the training cases validate). Standard library only.
"""
import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from classify_benchmarks import ROOT, SETS, run_one  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared", "data"))
    ap.add_argument("--cli", default=os.path.join(ROOT, "build", "bin", "twb-cli"))
    ap.add_argument("--sets", default="gunpoint,basicmotions,italypowerdemand")
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--augment", default="jitter,scale,warp,slice")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench-results", "ucr-augment"))
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    out_dir = os.path.join(args.out, time.strftime("%Y%m%d-%H%M%S"))
    seeds = [int(s) for s in args.seeds.split(",")]
    table = []
    for name in args.sets.split(","):
        for setting in ("none", args.augment):
            spec = dict(SETS[name])
            if setting != "none":
                spec["flags"] = list(spec["flags"]) + ["--augment", setting]
            accuracies, seconds = [], []
            for seed in seeds:
                label = f"{name}-{'aug' if setting != 'none' else 'plain'}-{seed}"
                print(f"training {label} ...", file=sys.stderr, flush=True)
                row = run_one(args.cli, args.shared, label, spec, out_dir, seed, args.threads,
                              False)
                if row:
                    accuracies.append(row["accuracy"])
                    seconds.append(row["seconds"])
            table.append((name, setting, accuracies, seconds))
    print(f"\n| data set | augmentation | seeds {args.seeds} | mean ± sd | time per run |")
    print("|---|---|---|---|---|")
    for name, setting, acc, secs in table:
        if not acc:
            continue
        each = ", ".join(f"{100 * a:.1f}" for a in acc)
        sd = statistics.stdev(acc) if len(acc) > 1 else 0.0
        print(f"| {name} | {setting} | {each} | {100 * statistics.mean(acc):.1f} % ± "
              f"{100 * sd:.1f} | {statistics.mean(secs):.0f} s |")
    print(f"\nrun folders: {out_dir}")


if __name__ == "__main__":
    main()
