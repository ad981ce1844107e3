#!/usr/bin/python3
"""PatchTST/42 on ETTh1 in PyTorch eager: the reference speed twb-cli must match or beat.

Usage: /usr/bin/python3 bench/pytorch_eager_patchtst.py [--data ETTh1.csv] [--threads 2]
                                                       [--batches 0 (= a whole epoch)]
Needs Debian's python3-torch and python3-numpy (not part of the project's dependencies).
Same model, batch size and data as `bench/reproduce_etth1.py --models patchtst`: lookback 336,
horizon 96, patch 16 / stride 8, d_model 16, 4 heads, d_ff 128, 3 layers, BatchNorm, residual
attention, RevIN without affine, batch 128, Adam lr 1e-4. Prints training samples (windows) per
second over one epoch, with a shuffled DataLoader-free index gather (the fastest eager loop).
"""
import argparse
import math
import os
import time

import numpy as np
import torch
from torch import nn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Attention(nn.Module):
    def __init__(self, d, h, dropout):
        super().__init__()
        self.h, self.dk = h, d // h
        self.q, self.k, self.v = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)
        self.out = nn.Sequential(nn.Linear(d, d), nn.Dropout(dropout))

    def forward(self, x, prev):
        b, n, _ = x.shape
        q = self.q(x).view(b, n, self.h, self.dk).transpose(1, 2)
        k = self.k(x).view(b, n, self.h, self.dk).permute(0, 2, 3, 1)
        v = self.v(x).view(b, n, self.h, self.dk).transpose(1, 2)
        scores = torch.matmul(q, k) * self.dk ** -0.5
        if prev is not None:
            scores = scores + prev
        w = torch.softmax(scores, dim=-1)
        o = torch.matmul(w, v).transpose(1, 2).reshape(b, n, self.h * self.dk)
        return self.out(o), scores


class BatchNormTokens(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.bn = nn.BatchNorm1d(d)

    def forward(self, x):
        return self.bn(x.transpose(1, 2)).transpose(1, 2)


class Layer(nn.Module):
    def __init__(self, d, h, dff, dropout):
        super().__init__()
        self.attn = Attention(d, h, dropout)
        self.drop1, self.norm1 = nn.Dropout(dropout), BatchNormTokens(d)
        self.ff = nn.Sequential(nn.Linear(d, dff), nn.GELU(), nn.Dropout(dropout), nn.Linear(dff, d))
        self.drop2, self.norm2 = nn.Dropout(dropout), BatchNormTokens(d)

    def forward(self, x, prev):
        a, scores = self.attn(x, prev)
        x = self.norm1(x + self.drop1(a))
        x = self.norm2(x + self.drop2(self.ff(x)))
        return x, scores


class PatchTST(nn.Module):
    def __init__(self, L=336, H=96, P=16, S=8, d=16, h=4, dff=128, layers=3, dropout=0.3):
        super().__init__()
        self.P, self.S = P, S
        self.n = (L - P) // S + 2
        self.embed = nn.Linear(P, d)
        self.pos = nn.Parameter(torch.empty(self.n, d).uniform_(-0.02, 0.02))
        self.drop = nn.Dropout(dropout)
        self.layers = nn.ModuleList([Layer(d, h, dff, dropout) for _ in range(layers)])
        self.head = nn.Linear(d * self.n, H)

    def forward(self, x):                      # [B, L, M]
        mean = x.mean(1, keepdim=True)
        std = torch.sqrt(x.var(1, keepdim=True, unbiased=False) + 1e-5)
        x = ((x - mean) / std).permute(0, 2, 1)  # [B, M, L]
        b, m, L = x.shape
        x = torch.cat([x, x[:, :, -1:].expand(b, m, self.S)], dim=-1)
        p = x.unfold(-1, self.P, self.S).reshape(b * m, self.n, self.P)
        z = self.drop(self.embed(p) + self.pos)
        scores = None
        for layer in self.layers:
            z, scores = layer(z, scores)
        z = z.reshape(b, m, self.n, -1).permute(0, 1, 3, 2).reshape(b, m, -1)
        y = self.head(z).permute(0, 2, 1)      # [B, H, M]
        return y * std + mean


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "ett", "ETTh1.csv"))
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--batches", type=int, default=0)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(2021)
    raw = np.loadtxt(a.data, delimiter=",", skiprows=1, usecols=range(1, 8), dtype=np.float32)
    train = raw[:8640]
    data = (raw - train.mean(0)) / train.std(0)
    series = torch.from_numpy(np.ascontiguousarray(data[:8640]))
    L, H, B = 336, 96, 128
    starts = torch.arange(0, 8640 - L - H + 1)
    offsets_x, offsets_y = torch.arange(L), torch.arange(L, L + H)
    model = PatchTST()
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    model.train()
    order = starts[torch.randperm(len(starts))]
    nb = math.ceil(len(order) / B) if a.batches == 0 else a.batches
    t0 = time.perf_counter()
    seen = 0
    for i in range(nb):
        idx = order[i * B:(i + 1) * B]
        x = series[idx[:, None] + offsets_x]
        y = series[idx[:, None] + offsets_y]
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        seen += len(idx)
    dt = time.perf_counter() - t0
    print(f"pytorch eager {torch.__version__}, {a.threads} threads: {seen} windows in {dt:.2f} s "
          f"= {seen / dt:.0f} samples/s ({dt / nb * 1000:.1f} ms/batch), last loss {loss.item():.4f}")


if __name__ == "__main__":
    main()
