#!/usr/bin/python3
"""Puts a workbench run's trained weights into Time-Series-Library's own model code and checks
that both compute the same thing: the validation and test MSE/MAE of the official code with the
workbench's weights (to be compared with the run's own figures in its log.txt), and optionally
one batch's gradients of every parameter from both (relative differences).

Usage: /usr/bin/python3 bench/tslib_crosscheck.py --tslib DIR --run RUN_DIR
           [--gradients build/bin/twb-bench-run-gradients] [--data ../shared/data/ett/ETTh1.csv]
The run must be an ETTh1 forecast run of a model named in NAME_MAPS (TimesNet so far), at
lookback 96. DIR as for bench/tslib_reference_etth1.py (its data handling is reused). Needs
Debian's python3-torch and python3-numpy.

What it told (2026-12-07): the workbench's TimesNet, seed 2021, 3 epochs, gives test MSE
0.42039 in the official code as in its own log (0.420388), and one batch's gradients agree with
the official code's to 1e-6 relative on every parameter: the two compute the same function and
the same gradients, so the gap to the official code's own training (0.391 after 3 epochs) lies
in what is drawn at random (initial weights, window order, dropout masks), not in the model.
"""
import argparse
import importlib
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import tslib_reference_etth1 as ref  # noqa: E402


def timesnet_name(ours):
    """The official state_dict name of a workbench TimesNet parameter or buffer."""
    name = ours.replace("enc_embedding.value.weight",
                        "enc_embedding.value_embedding.tokenConv.weight")
    name = name.replace("enc_embedding.temporal.weight",
                        "enc_embedding.temporal_embedding.embed.weight")
    name = name.replace("enc_embedding.position.pe", "enc_embedding.position_embedding.pe")
    return name.replace("blocks.", "model.").replace("inception_in", "conv.0") \
        .replace("inception_out", "conv.2")


# workbench model id -> (official module, name map, tensor adapter for shapes that differ)
NAME_MAPS = {
    "timesnet": ("TimesNet", timesnet_name,
                 lambda name, t: t.unsqueeze(0) if name.endswith("position_embedding.pe") else t),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tslib", required=True)
    ap.add_argument("--run", required=True)
    ap.add_argument("--gradients", help="the twb-bench-run-gradients executable")
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "ett",
                                                   "ETTh1.csv"))
    args = ap.parse_args()
    sys.path.insert(0, os.path.abspath(args.tslib))
    import json
    config = json.load(open(os.path.join(args.run, "config.json")))
    model_id, horizon = config["model"], config["horizon"]
    if model_id not in NAME_MAPS or config["lookback"] != 96:
        sys.exit(f"tslib_crosscheck: {model_id} at lookback {config['lookback']} is not mapped")
    module, rename, adapt = NAME_MAPS[model_id]
    ours = torch.load(os.path.join(args.run, "checkpoints", "best.pt"))["model"]
    state = {rename(k): adapt(rename(k), v) for k, v in ours.items()}
    hp = dict(config["hyperparameters"])
    settings = dict(ref.SETTINGS[module])
    settings.update({k: hp[k] for k in ("d_model", "d_ff", "top_k", "num_kernels", "e_layers",
                                        "dropout") if k in hp})
    cfg = ref.Config(task_name="long_term_forecast", seq_len=96, label_len=48, pred_len=horizon,
                     enc_in=7, dec_in=7, c_out=7, embed="timeF", freq="h", n_heads=8,
                     activation="gelu", moving_avg=25, distil=True, output_attention=False,
                     **{k: v for k, v in settings.items()
                        if k not in ("lr", "epochs", "patience", "batch")})
    model = importlib.import_module(f"models.{module}").Model(cfg).float()
    model.load_state_dict(state, strict=True)
    model.eval()

    values, marks = ref.load_etth1(args.data)
    month = 30 * 24
    train_end, val_end, test_end = 12 * month, 16 * month, 20 * month
    data = (values - values[:train_end].mean(0)) / values[:train_end].std(0)
    parts = {"val": (train_end - 96, val_end), "test": (val_end - 96, test_end)}
    for name, (b, e) in parts.items():
        loader = torch.utils.data.DataLoader(ref.Part(data, marks, b, e, 96, 48, horizon),
                                             batch_size=32, shuffle=False)
        _, preds, trues = ref.run(model, loader, horizon, 48)
        p, t = np.concatenate(preds), np.concatenate(trues)
        print(f"official code, workbench weights: {name} mse {np.mean((p - t) ** 2):.6f} "
              f"mae {np.mean(np.abs(p - t)):.6f} ({len(p)} windows)", flush=True)

    if not args.gradients:
        return
    train = ref.Part(data, marks, 0, train_end, 96, 48, horizon)
    picks = range(0, 32 * 97, 97)  # 32 windows spread over the training months
    x, y, xm, ym = (torch.stack([train[i][j] for i in picks]) for j in range(4))
    dec = torch.cat([y[:, :48], torch.zeros_like(y[:, -horizon:])], 1)
    loss = torch.nn.functional.mse_loss(model(x, xm, dec, ym)[:, -horizon:], y[:, -horizon:])
    loss.backward()
    with tempfile.TemporaryDirectory() as tmp:
        batch, out = os.path.join(tmp, "batch.pt"), os.path.join(tmp, "grads.pt")
        torch.save({"x": x, "y": y[:, -horizon:].contiguous(), "xm": xm,
                    "ym": ym[:, -horizon:].contiguous()}, batch)
        printed = subprocess.run([args.gradients, args.run, batch, out], check=True,
                                 capture_output=True, text=True).stdout.strip()
        theirs = torch.load(out)
    print(f"one batch: official loss {loss.item():.9g}, workbench {printed}")
    worst = 0.0
    for ours_name in theirs:
        a = dict(model.named_parameters())[rename(ours_name)].grad
        rel = ((a - theirs[ours_name]).norm() / (a.norm() + 1e-30)).item()
        worst = max(worst, rel)
        print(f"  {ours_name:45s} |g| {a.norm().item():.4e}  relative difference {rel:.1e}")
    print(f"largest relative gradient difference: {worst:.1e} over {len(theirs)} parameters")


if __name__ == "__main__":
    main()
