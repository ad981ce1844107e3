#!/usr/bin/env python3
"""Leave-one-speaker-out on FSDD: trains one run per held-out speaker and prints each
speaker's test accuracy, the mean and the spread.

Usage: bench/fsdd_loso.py [--shared ../shared/data] [--cli build/bin/twb-cli]
                          [--model ast|tst] [--speakers george,jackson,...]
                          [--out bench-results/loso] [--threads 1] [--quick]
                          [--extra "--cmvn utterance --augment shift,gain"]

Each fold holds out every recording of one speaker with --test-glob '*_{speaker}_*.wav' and
takes the validation part from the other speakers' recordings (a stratified 10 %), which is all
the workbench could do before issue 17. `--extra` appends flags to every fold (the front-end
normalisation, augmentation and validation settings of issue 17). The model settings are those
of bench/classify_benchmarks.py (AST) or a small TST on 40-band log-mel. Standard library only.
"""
import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from classify_benchmarks import ROOT, SETS, run_one  # noqa: E402

SPEAKERS = ["george", "jackson", "nicolas", "theo", "yweweler"]

TST_FSDD = dict(
    train="fsdd/recordings", test=None, model="tst", target=0.90,
    flags=["--epochs", "40", "--batch-size", "32", "--lr", "0.001", "--patience", "10",
           "--features", "logmel", "--mel-bins", "40", "--frames", "100",
           "--freq-mask", "6", "--time-mask", "12", "--val-fraction", "0.1",
           "--schedule", "cosine", "--weight-decay", "0.01", "--optimizer", "adamw"],
    sets=["d_model=64", "n_heads=4", "num_layers=2", "d_ff=128", "dropout=0.1"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared", "data"))
    ap.add_argument("--cli", default=os.path.join(ROOT, "build", "bin", "twb-cli"))
    ap.add_argument("--model", default="ast", choices=["ast", "tst"])
    ap.add_argument("--speakers", default=",".join(SPEAKERS))
    ap.add_argument("--out", default=os.path.join(ROOT, "bench-results", "loso"))
    ap.add_argument("--seed", type=int, default=2021)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--extra", default="", help="flags appended to every fold")
    ap.add_argument("--quick", action="store_true", help="2 epochs each (smoke test)")
    args = ap.parse_args()
    base = dict(SETS["fsdd"]) if args.model == "ast" else dict(TST_FSDD)
    base["flags"] = list(base["flags"]) + args.extra.split()
    out_dir = os.path.join(args.out, f"{args.model}-{time.strftime('%Y%m%d-%H%M%S')}")
    rows = []
    for speaker in args.speakers.split(","):
        spec = dict(base, glob=f"*_{speaker}_*.wav")
        print(f"holding out {speaker} ...", file=sys.stderr, flush=True)
        row = run_one(args.cli, args.shared, speaker, spec, out_dir, args.seed, args.threads,
                      args.quick)
        if row:
            rows.append(row)
            print(f"  {speaker}: {100 * row['accuracy']:.1f} % in {row['seconds']:.0f} s",
                  file=sys.stderr, flush=True)
    print(f"\nFSDD leave-one-speaker-out, {args.model}, flags: {' '.join(base['flags'])}")
    print("| held-out speaker | test cases | accuracy | macro-F1 | epochs (best) | time |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['name']} | {r['cases']} | {100 * r['accuracy']:.1f} % | {r['f1']:.3f} | "
              f"{r['epochs']} ({r['best_epoch']}) | {r['seconds']:.0f} s |")
    accuracies = [r["accuracy"] for r in rows]
    if accuracies:
        spread = statistics.stdev(accuracies) if len(accuracies) > 1 else 0.0
        print(f"| mean ± sd | | {100 * statistics.mean(accuracies):.1f} % ± "
              f"{100 * spread:.1f} | | | {sum(r['seconds'] for r in rows):.0f} s |")
    print(f"\nrun folders: {out_dir}")


if __name__ == "__main__":
    main()
