#!/usr/bin/python3
"""Time-Series-Library's own model code trained on ETTh1 with its own protocol, in PyTorch:
the reference that tells whether a gap between the project's result and a published number
lies in the project or in the published number.

Usage: /usr/bin/python3 bench/tslib_reference_etth1.py --tslib DIR [--model TimesNet]
           [--data ../shared/data/ett/ETTh1.csv] [--horizon 96] [--seed 2021] [--threads 2]
Needs Debian's python3-torch and python3-numpy (not part of the project's dependencies) and a
checkout of Time-Series-Library in DIR holding at least models/<MODEL>.py and the layers/ it
imports (for TimesNet: layers/Embed.py and layers/Conv_Blocks.py), e.g.
    git -C <mirror> archive HEAD models/TimesNet.py layers/Embed.py layers/Conv_Blocks.py |
        tar -x -C DIR
Nothing of Time-Series-Library is part of the project: the model is imported from DIR at run
time.

What this script writes itself follows Time-Series-Library's data_provider/data_loader.py
(Dataset_ETT_hour: 12/4/4 months, the scaler fitted on the training months, windows that start
seq_len before each part, "timeF" calendar features at freq h: hour/23, weekday/6,
(day-1)/30, (day of year-1)/365, each minus 0.5), data_factory.py (batch 32; training and
validation loaders shuffled, test not; no batch dropped) and exp/exp_long_term_forecast.py
(Adam, MSE on the last pred_len steps, the validation loss for early stopping with patience 3,
lradj type1: the rate halves after every epoch from the second, the best checkpoint tested;
MSE and MAE over every test window on the scaled data). Seeds as run.py (random, numpy, torch).
Prints one line per epoch and the test MSE/MAE.
"""
import argparse
import datetime
import importlib
import os
import random
import sys
import time

import numpy as np
import torch
from torch import nn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Each model's settings from Time-Series-Library's scripts/long_term_forecast/ETT_script, with
# run.py's defaults for what the script leaves out.
SETTINGS = {
    "TimesNet": dict(e_layers=2, d_layers=1, factor=3, d_model=16, d_ff=32, top_k=5,
                     num_kernels=6, dropout=0.1, lr=1e-4, epochs=10, patience=3, batch=32),
}


class Config:
    def __init__(self, **kw):
        self.__dict__.update(kw)


def load_etth1(path):
    """values [N, 7] float64 (the 7 columns after the date) and the calendar features [N, 4]."""
    with open(path) as f:
        header = f.readline().strip().split(",")
        rows = [line.strip().split(",") for line in f if line.strip()]
    assert header[0] == "date", header
    values = np.array([[float(v) for v in r[1:]] for r in rows], dtype=np.float64)
    marks = []
    for r in rows:
        t = datetime.datetime.strptime(r[0], "%Y-%m-%d %H:%M:%S")
        marks.append([t.hour / 23.0 - 0.5, t.weekday() / 6.0 - 0.5, (t.day - 1) / 30.0 - 0.5,
                      (t.timetuple().tm_yday - 1) / 365.0 - 0.5])
    return values, np.array(marks, dtype=np.float32)


class Part(torch.utils.data.Dataset):
    def __init__(self, data, marks, begin, end, seq_len, label_len, pred_len):
        self.x, self.m = data[begin:end], marks[begin:end]
        self.seq_len, self.label_len, self.pred_len = seq_len, label_len, pred_len

    def __len__(self):
        return len(self.x) - self.seq_len - self.pred_len + 1

    def __getitem__(self, i):
        s_end = i + self.seq_len
        r_begin = s_end - self.label_len
        r_end = r_begin + self.label_len + self.pred_len
        return (torch.from_numpy(self.x[i:s_end]).float(),
                torch.from_numpy(self.x[r_begin:r_end]).float(),
                torch.from_numpy(self.m[i:s_end]), torch.from_numpy(self.m[r_begin:r_end]))


def run(model, loader, pred_len, label_len, optimizer=None):
    """Mean MSE over the batches (the training step when an optimizer is given); with no
    optimizer, also the predictions and targets."""
    losses, preds, trues = [], [], []
    mse = nn.MSELoss()
    for x, y, xm, ym in loader:
        dec = torch.cat([y[:, :label_len, :], torch.zeros_like(y[:, -pred_len:, :])], 1)
        if optimizer:
            optimizer.zero_grad()
            out = model(x, xm, dec, ym)[:, -pred_len:, :]
            loss = mse(out, y[:, -pred_len:, :])
            loss.backward()
            optimizer.step()
        else:
            with torch.no_grad():
                out = model(x, xm, dec, ym)[:, -pred_len:, :]
                loss = mse(out, y[:, -pred_len:, :])
            preds.append(out.numpy())
            trues.append(y[:, -pred_len:, :].numpy())
        losses.append(loss.item())
    return float(np.average(losses)), preds, trues


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tslib", required=True, help="folder with models/ and layers/")
    ap.add_argument("--model", default="TimesNet", choices=sorted(SETTINGS))
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "ett",
                                                   "ETTh1.csv"))
    ap.add_argument("--horizon", type=int, default=96)
    ap.add_argument("--seed", type=int, default=2021)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    sys.path.insert(0, os.path.abspath(args.tslib))
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)

    s = SETTINGS[args.model]
    seq_len, label_len, pred_len = 96, 48, args.horizon
    cfg = Config(task_name="long_term_forecast", seq_len=seq_len, label_len=label_len,
                 pred_len=pred_len, enc_in=7, dec_in=7, c_out=7, embed="timeF", freq="h",
                 n_heads=8, activation="gelu", moving_avg=25, distil=True, output_attention=False,
                 **{k: v for k, v in s.items() if k not in ("lr", "epochs", "patience", "batch")})
    model = importlib.import_module(f"models.{args.model}").Model(cfg).float()

    values, marks = load_etth1(args.data)
    month = 30 * 24
    train_end, val_end, test_end = 12 * month, 16 * month, 20 * month
    mean, std = values[:train_end].mean(0), values[:train_end].std(0)  # sklearn's StandardScaler
    data = (values - mean) / std
    parts = {"train": (0, train_end), "val": (train_end - seq_len, val_end),
             "test": (val_end - seq_len, test_end)}
    loaders = {name: torch.utils.data.DataLoader(
        Part(data, marks, b, e, seq_len, label_len, pred_len), batch_size=s["batch"],
        shuffle=name != "test", drop_last=False) for name, (b, e) in parts.items()}

    optimizer = torch.optim.Adam(model.parameters(), lr=s["lr"])
    best, best_state, bad = float("inf"), None, 0
    print(f"{args.model} ETTh1 H={pred_len} seed {args.seed}, {args.threads} threads, "
          f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}, "
          f"{sum(p.numel() for p in model.parameters())} parameters", flush=True)
    for epoch in range(s["epochs"]):
        t0 = time.monotonic()
        model.train()
        train_loss, _, _ = run(model, loaders["train"], pred_len, label_len, optimizer)
        seconds = time.monotonic() - t0
        model.eval()
        val_loss, _, _ = run(model, loaders["val"], pred_len, label_len)
        test_loss, _, _ = run(model, loaders["test"], pred_len, label_len)
        print(f"epoch {epoch + 1}: train {train_loss:.4f} val {val_loss:.4f} test {test_loss:.4f}"
              f" ({seconds:.0f} s training, lr {optimizer.param_groups[0]['lr']:.2e})",
              flush=True)
        if val_loss < best:
            best, bad = val_loss, 0
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
        else:
            bad += 1
            if bad >= s["patience"]:
                print("early stopping", flush=True)
                break
        lr = s["lr"] * 0.5 ** epoch  # type1 after epoch + 1 epochs
        for group in optimizer.param_groups:
            group["lr"] = lr
    model.load_state_dict(best_state)
    model.eval()
    _, preds, trues = run(model, loaders["test"], pred_len, label_len)
    p, t = np.concatenate(preds), np.concatenate(trues)
    print(f"test: mse {np.mean((p - t) ** 2):.4f} mae {np.mean(np.abs(p - t)):.4f} "
          f"({len(p)} windows)", flush=True)


if __name__ == "__main__":
    main()
