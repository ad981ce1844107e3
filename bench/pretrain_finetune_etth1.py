#!/usr/bin/env python3
"""ETTh1, PatchTST: self-supervised pretraining, then fine-tuning at H=96 (issue 19).

Usage: bench/pretrain_finetune_etth1.py [--data ../shared/data/ett/ETTh1.csv]
           [--cli build/bin/twb-cli] [--out bench-results/pretrain] [--seeds 2021,2022,2023]
           [--fractions 0.1,0.25] [--threads 2] [--reduced | --tiny]
           [--ft-epochs N] [--ft-patience P] [--pretrained RUN] [--low-labels-only]

What it runs (every run is an ordinary twb-cli run folder under --out; a run that already
finished is reused, an interrupted one is resumed):
  1. pretrain: --task pretrain on the training part of ETTh1 (12 months; the rows a fine-tuned
     forecaster is validated and tested on are never seen), the paper's self-supervised
     setting: lookback 512, patches P = S = 12, 40 % of the patches masked, d_model 128,
     16 heads, 3 layers, d_ff 512, dropout 0.2, 100 epochs (lr 1e-4);
  2. fine-tune at H = 96 from it, lookback 512: full ("head-first:10" is the paper's recipe: the
     head alone for 10 epochs, then everything) and a linear probe (the head alone);
  3. low labels: --train-fraction F (the first F of the training windows, in time order) for
     every F of --fractions and every seed of --seeds, pretrain + fine-tune (head-first)
     against the same model from scratch with the same windows.
It prints a table of test MSE / MAE (normalised scale) per setting, with mean and standard
deviation over the seeds, and writes it to OUT/results.json. The supervised PatchTST/42 row
measured on this machine is 0.379 (README).

--reduced is what fits in an hour on this machine: the supervised PatchTST/42 model
(d_model 16, 4 heads, 3 layers, d_ff 128, dropout 0.3, lookback 336) with P = S = 12,
30 pretraining epochs and 15 fine-tuning epochs (head first for 5), batch 128.

--ft-epochs and --ft-patience override the fine-tuning epochs and early-stopping patience (0 =
off); --pretrained reuses a finished pretraining run instead of OUT/pretrain;
--low-labels-only skips the full fine-tune and the linear probe (step 2).

--tiny shrinks everything (lookback 96, d_model 16, 1 epoch, stride 48) to check the script
runs in a few minutes; its numbers mean nothing. Standard library only.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def model_args(tiny, reduced):
    if reduced:
        return ["--model", "patchtst", "--set", "d_model=16", "--set", "n_heads=4",
                "--set", "d_ff=128", "--set", "e_layers=3", "--set", "dropout=0.3",
                "--set", "fc_dropout=0.3", "--set", "head_dropout=0"]
    if tiny:
        return ["--model", "patchtst", "--set", "d_model=16", "--set", "n_heads=2",
                "--set", "d_ff=32", "--set", "e_layers=1"]
    return ["--model", "patchtst", "--set", "d_model=128", "--set", "n_heads=16",
            "--set", "d_ff=512", "--set", "e_layers=3", "--set", "dropout=0.2",
            "--set", "head_dropout=0.2"]


def sizes(tiny, reduced):
    if reduced:
        return {"lookback": "336", "pre_epochs": "30", "ft_epochs": "15", "head_first": "5",
                "stride": "1", "batch": "128"}
    if tiny:
        return {"lookback": "96", "pre_epochs": "1", "ft_epochs": "2", "head_first": "1",
                "stride": "48", "batch": "64"}
    return {"lookback": "512", "pre_epochs": "100", "ft_epochs": "20", "head_first": "10",
            "stride": "1", "batch": "64"}


def status(run_dir):
    try:
        with open(os.path.join(run_dir, "status.json")) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def train(cli, run_dir, args, threads):
    """Runs (or resumes, or reuses) one training run; returns its status.json."""
    done = status(run_dir)
    if done.get("state") == "finished":
        return done
    if os.path.exists(os.path.join(run_dir, "config.json")):
        cmd = [cli, "train", "--run-dir", run_dir, "--resume"]
    else:
        cmd = [cli, "train", "--run-dir", run_dir] + args
    cmd += ["--threads", str(threads), "--progress", "none"]
    print("$", " ".join(cmd), flush=True)
    result = subprocess.run(cmd, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        sys.exit(f"{run_dir}: twb-cli train failed ({result.returncode}): {result.stderr}")
    return status(run_dir)


def test_metrics(st):
    t = st.get("test", {})
    return t.get("mse", float("nan")), t.get("mae", float("nan"))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "ett",
                                                  "ETTh1.csv"))
    p.add_argument("--cli", default=os.path.join(ROOT, "build", "bin", "twb-cli"))
    p.add_argument("--out", default=os.path.join(ROOT, "bench-results", "pretrain"))
    p.add_argument("--seeds", default="2021,2022,2023")
    p.add_argument("--fractions", default="0.1,0.25")
    p.add_argument("--threads", type=int, default=2)
    size = p.add_mutually_exclusive_group()
    size.add_argument("--tiny", action="store_true")
    size.add_argument("--reduced", action="store_true")
    p.add_argument("--ft-epochs", type=int)
    p.add_argument("--ft-patience", type=int, default=0)
    p.add_argument("--pretrained")
    p.add_argument("--low-labels-only", action="store_true")
    a = p.parse_args()
    s = sizes(a.tiny, a.reduced)
    if a.ft_epochs:
        s["ft_epochs"] = str(a.ft_epochs)
    seeds = [int(x) for x in a.seeds.split(",") if x]
    fractions = [float(x) for x in a.fractions.split(",") if x]
    os.makedirs(a.out, exist_ok=True)
    data = ["--data", os.path.abspath(a.data)]
    common = data + ["--lookback", s["lookback"], "--batch-size", s["batch"], "--stride",
                     s["stride"]] + model_args(a.tiny, a.reduced)
    forecast = ["--task", "forecast", "--horizon", "96", "--epochs", s["ft_epochs"],
                "--lr", "1e-4", "--patience", str(a.ft_patience)]

    pre_dir = os.path.abspath(a.pretrained) if a.pretrained else os.path.join(a.out, "pretrain")
    pre = train(a.cli, pre_dir, common + ["--task", "pretrain", "--epochs", s["pre_epochs"],
                                          "--lr", "1e-4", "--patience", "0",
                                          "--seed", str(seeds[0])], a.threads)
    rows = [("pretrain (test masked MSE)", [pre.get("test", {}).get("masked_mse")], [None])]

    def finetune(name, recipe, seed, fraction=1.0, scratch=False):
        args = common + forecast + ["--seed", str(seed), "--train-fraction", str(fraction)]
        if not scratch:
            args += ["--init-from", pre_dir, "--finetune", recipe]
        else:
            args += ["--set", "patch_len=12", "--set", "stride=12"]
        return test_metrics(train(a.cli, os.path.join(a.out, name), args, a.threads))

    for recipe, label in (() if a.low_labels_only else
                          ((f"head-first:{s['head_first']}", "fine-tune full (head first)"),
                           ("linear-probe", "linear probe"))):
        mse, mae = finetune(label.split(" (")[0].replace(" ", "-"), recipe, seeds[0])
        rows.append((label + ", H=96", [mse], [mae]))
    for fraction in fractions:
        for scratch in (False, True):
            results = [finetune(f"{'scratch' if scratch else 'ft'}-f{fraction}-s{seed}",
                                f"head-first:{s['head_first']}", seed, fraction, scratch)
                       for seed in seeds]
            label = f"{int(fraction * 100)} % labels, {'from scratch' if scratch else 'pretrained'}"
            rows.append((label, [r[0] for r in results], [r[1] for r in results]))

    def fmt(values):
        v = [x for x in values if x is not None]
        if not v:
            return "-"
        if len(v) == 1:
            return f"{v[0]:.3f}"
        return f"{statistics.mean(v):.3f} ± {statistics.stdev(v):.3f}"

    print(f"\n| setting (ETTh1, PatchTST, lookback {s['lookback']}) | test MSE | test MAE |")
    print("|---|---|---|")
    for label, mse, mae in rows:
        print(f"| {label} | {fmt(mse)} | {fmt(mae)} |")
    with open(os.path.join(a.out, "results.json"), "w") as f:
        json.dump([{"setting": l, "mse": m, "mae": e} for l, m, e in rows], f, indent=1)


if __name__ == "__main__":
    main()
