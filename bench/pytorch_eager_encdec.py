#!/usr/bin/python3
"""Autoformer and FEDformer in PyTorch eager: the reference speed for twb-bench-encdec.

Usage: /usr/bin/python3 bench/pytorch_eager_encdec.py [--repeats 3] [--threads 1]
                                                     [--models autoformer,fedformer]
Needs Debian's python3-torch and python3-numpy (not part of the project's dependencies).

Same models, sizes and step as build/bin/twb-bench-encdec (bench/bench_encoder_decoder.cpp) at
the ETTh1 settings: 7 channels, lookback 96, horizon 96, label_len 48, 4 calendar features
("timeF"), d_model 512, 8 heads, d_ff 2048, 2 encoder + 1 decoder layers, dropout 0.1,
moving_avg 25, GELU; Autoformer factor 3 (k = int(3 ln L) delays), FEDformer 32 random modes.
Per model: the parameter count, checked against the project's (a WARNING line names the part
that differs), then the median and the minimum milliseconds of one training step's forward +
backward (MSE against a random target, no optimiser step) on a random batch of 32 with random
calendar marks, over --repeats steps after one warm-up step.

The computation follows Time-Series-Library's models (the Python code users run): the
auto-correlation through rfft/irfft and, in training, k rolls of the values; the Fourier blocks
with one complex product per kept mode (real and imaginary parts separately). The architecture
follows the project's (plugins/autoformer/Autoformer.h, plugins/fedformer/FEDformer.h,
core/nn/DecompositionForecaster.h): FEDformer's embeddings have no positional term, every
FEDformer layer has its own Fourier weights and modes, the key and value projections the Fourier
blocks never read are not created, and the Fourier blocks' output is read as [B, L, heads, E]
(Time-Series-Library views its [B, heads, E, L] result as [B, L, d_model] without permuting).
"""
import argparse
import math
import os
import statistics
import time

import torch
import torch.nn.functional as F
from torch import nn

BATCH = 32
LOOKBACK, HORIZON, LABEL_LEN = 96, 96, 48
CHANNELS, MARKS = 7, 4
D_MODEL, HEADS, D_FF = 512, 8, 2048
ENC_LAYERS, DEC_LAYERS = 2, 1
DROPOUT, MOVING_AVG = 0.1, 25
FACTOR, MODES = 3.0, 32

# twb-bench-encdec's parameter counts at these settings.
PROJECT_PARAMS = {"autoformer": 10_535_943, "fedformer": 17_085_959}


# ---------------------------------------------------------------------------------------------
# Shared pieces: decomposition, seasonal layer norm, embedding


class MovingAverageDecomposition(nn.Module):
    """seasonal, trend of x [B, L, C]: trend = mean over a window of k steps, the series
    extended at both ends by repeating its first and last step (k - 1) / 2 times."""

    def __init__(self, k):
        super().__init__()
        self.k = k

    def forward(self, x):
        half = (self.k - 1) // 2
        extended = torch.cat([x[:, :1].expand(-1, half, -1), x, x[:, -1:].expand(-1, half, -1)], 1)
        trend = F.avg_pool1d(extended.transpose(1, 2), self.k, stride=1).transpose(1, 2)
        return x - trend, trend


class SeasonalNorm(nn.Module):
    """LayerNorm over the features, then each feature's mean over time removed."""

    def __init__(self, d):
        super().__init__()
        self.layernorm = nn.LayerNorm(d)

    def forward(self, x):
        y = self.layernorm(x)
        return y - y.mean(1, keepdim=True)


class Embedding(nn.Module):
    """Circular Conv1d(C -> d, kernel 3, no bias) of the values + Linear(marks -> d, no bias) of
    the calendar marks, then dropout; no positional term (Autoformer and the project's
    FEDformer)."""

    def __init__(self, channels, marks, d, dropout):
        super().__init__()
        self.value = nn.Conv1d(channels, d, 3, padding=1, padding_mode="circular", bias=False)
        nn.init.kaiming_normal_(self.value.weight, mode="fan_in", nonlinearity="leaky_relu")
        self.temporal = nn.Linear(marks, d, bias=False)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, marks):
        return self.dropout(self.value(x.transpose(1, 2)).transpose(1, 2) + self.temporal(marks))


# ---------------------------------------------------------------------------------------------
# Mechanisms: each maps queries [B, L, H, E], keys and values [B, S, H, E] to [B, L, H, E]


class AutoCorrelation(nn.Module):
    """Autoformer's auto-correlation: R(tau) by FFT, averaged over heads and width; the top
    int(factor ln L) delays (in training shared by the batch, chosen on its mean R), softmax of
    their R, the values rolled back by each delay and summed with those weights."""

    uses_keys = uses_values = True

    def __init__(self, factor):
        super().__init__()
        self.factor = factor

    def forward(self, q, k, v):
        B, L, H, E = q.shape
        S = k.shape[1]
        if S < L:
            pad = q.new_zeros(B, L - S, H, E)
            k, v = torch.cat([k, pad], 1), torch.cat([v, pad], 1)
        else:
            k, v = k[:, :L], v[:, :L]
        qf = torch.fft.rfft(q.permute(0, 2, 3, 1).contiguous(), dim=-1)  # [B, H, E, F]
        kf = torch.fft.rfft(k.permute(0, 2, 3, 1).contiguous(), dim=-1)
        corr = torch.fft.irfft(qf * kf.conj(), n=L, dim=-1)               # [B, H, E, L]
        r = corr.mean(dim=(1, 2))                                        # [B, L]
        top = max(1, min(L, int(self.factor * math.log(L))))
        values = v.permute(0, 2, 3, 1).contiguous()                      # [B, H, E, L]
        out = torch.zeros_like(values)
        if self.training:
            delays = torch.topk(r.mean(0), top).indices
            w = torch.softmax(r[:, delays], dim=-1)                      # [B, top]
            for i in range(top):
                shifted = torch.roll(values, -int(delays[i]), dims=-1)
                out = out + shifted * w[:, i].view(B, 1, 1, 1)
        else:
            scores, delays = torch.topk(r, top, dim=-1)                  # per sample
            w = torch.softmax(scores, dim=-1)
            doubled = torch.cat([values, values], -1)
            steps = torch.arange(L, device=values.device)
            for i in range(top):
                index = (steps.view(1, L) + delays[:, i:i + 1]).view(B, 1, 1, L)
                shifted = torch.gather(doubled, -1, index.expand(B, H, E, L))
                out = out + shifted * w[:, i].view(B, 1, 1, 1)
        return out.permute(0, 3, 1, 2)


def random_modes(length, modes):
    """min(modes, length // 2) of the rfft bins 0 .. length//2 - 1, random, sorted."""
    available = length // 2
    return torch.sort(torch.randperm(available)[:min(modes, available)]).values


def complex_product(spec, x_re, x_im, w_re, w_im):
    """(x_re + i x_im) (w_re + i w_im) contracted by the einsum spec, as two real results."""
    re = torch.einsum(spec, x_re, w_re) - torch.einsum(spec, x_im, w_im)
    im = torch.einsum(spec, x_re, w_im) + torch.einsum(spec, x_im, w_re)
    return re, im


def complex_weights(heads, e, m, d):
    """The real and imaginary parts of one complex E x E matrix per head and kept mode,
    U(0, 1) / d^2 as the official code initialises them: two parameters [heads, E, E, M]."""
    return (nn.Parameter(torch.rand(heads, e, e, m) / (d * d)),
            nn.Parameter(torch.rand(heads, e, e, m) / (d * d)))


class FourierBlock(nn.Module):
    """FEDformer's frequency-enhanced block (reads the queries only): the j-th kept mode of
    rfft(q) times a complex E x E matrix per head, written to bin j, irfft."""

    uses_keys = uses_values = False

    def __init__(self, d, heads, length, modes):
        super().__init__()
        e = d // heads
        self.register_buffer("modes", random_modes(length, modes))
        self.weight_real, self.weight_imag = complex_weights(heads, e, len(self.modes), d)

    def forward(self, q, k, v):
        B, L, H, E = q.shape
        spectrum = torch.fft.rfft(q.permute(0, 2, 3, 1), dim=-1)         # [B, H, E, F]
        out = torch.zeros(B, H, E, L // 2 + 1, dtype=torch.cfloat)
        for j, mode in enumerate(self.modes.tolist()):
            x = spectrum[..., mode]
            re, im = complex_product("bhi,hio->bho", x.real, x.imag,
                                     self.weight_real[..., j], self.weight_imag[..., j])
            out[..., j] = torch.complex(re, im)
        return torch.fft.irfft(out, n=L, dim=-1).permute(0, 3, 1, 2)      # [B, L, H, E]


class FourierCrossAttention(nn.Module):
    """FEDformer's frequency-enhanced cross attention (queries and keys; the keys serve as the
    values): tanh attention between the kept modes of rfft(q) and rfft(k), a complex E x E
    matrix per head and query mode, the result at the query modes' bins / d^2, irfft."""

    uses_keys, uses_values = True, False

    def __init__(self, d, heads, q_length, k_length, modes):
        super().__init__()
        e = d // heads
        self.d = d
        self.register_buffer("query_modes", random_modes(q_length, modes))
        self.register_buffer("key_modes", random_modes(k_length, modes))
        self.weight_real, self.weight_imag = complex_weights(heads, e, len(self.query_modes), d)

    def forward(self, q, k, v):
        B, L, H, E = q.shape
        qf = torch.fft.rfft(q.permute(0, 2, 3, 1), dim=-1)                # [B, H, E, Fq]
        kf = torch.fft.rfft(k.permute(0, 2, 3, 1), dim=-1)                # [B, H, E, Fk]
        qm = torch.zeros(B, H, E, len(self.query_modes), dtype=torch.cfloat)
        for i, mode in enumerate(self.query_modes.tolist()):
            qm[..., i] = qf[..., mode]
        km = torch.zeros(B, H, E, len(self.key_modes), dtype=torch.cfloat)
        for i, mode in enumerate(self.key_modes.tolist()):
            km[..., i] = kf[..., mode]
        s_re, s_im = complex_product("bhex,bhey->bhxy", qm.real, qm.imag, km.real, km.imag)
        a_re, a_im = s_re.tanh(), s_im.tanh()                            # [B, H, Mq, Mk]
        c_re, c_im = complex_product("bhxy,bhey->bhex", a_re, a_im, km.real, km.imag)
        y_re, y_im = complex_product("bhex,heox->bhox", c_re, c_im,
                                     self.weight_real, self.weight_imag)  # [B, H, E, Mq]
        y = torch.complex(y_re, y_im)
        out = torch.zeros(B, H, E, L // 2 + 1, dtype=torch.cfloat)
        for i, mode in enumerate(self.query_modes.tolist()):
            out[..., mode] = y[..., i]
        out = torch.fft.irfft(out / (self.d * self.d), n=L, dim=-1)
        return out.permute(0, 3, 1, 2)                                   # [B, L, H, E]


# ---------------------------------------------------------------------------------------------
# Layers and the decomposition encoder-decoder


class CorrelationLayer(nn.Module):
    """Query, key and value projections (only those the mechanism reads), heads, mechanism,
    output projection."""

    def __init__(self, mechanism, d, heads):
        super().__init__()
        self.heads = heads
        self.query_projection = nn.Linear(d, d)
        self.key_projection = nn.Linear(d, d) if mechanism.uses_keys else None
        self.value_projection = nn.Linear(d, d) if mechanism.uses_values else None
        self.out_projection = nn.Linear(d, d)
        self.inner = mechanism

    def forward(self, queries, keys, values):
        B, L, _ = queries.shape
        S, H = keys.shape[1], self.heads
        q = self.query_projection(queries).view(B, L, H, -1)
        k = v = None
        if self.key_projection is not None:
            k = self.key_projection(keys).view(B, S, H, -1)
        if self.value_projection is not None:
            v = self.value_projection(values).view(B, S, H, -1)
        return self.out_projection(self.inner(q, k, v).reshape(B, L, -1))


class FeedForward(nn.Module):
    """The official 1x1 convolutions without bias, as linear maps: d -> d_ff -> d."""

    def __init__(self, d, d_ff, dropout):
        super().__init__()
        self.inp = nn.Linear(d, d_ff, bias=False)
        self.out = nn.Linear(d_ff, d, bias=False)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        return self.dropout(self.out(self.dropout(F.gelu(self.inp(x)))))


class EncoderLayer(nn.Module):
    def __init__(self, attention, d, d_ff, moving_avg, dropout):
        super().__init__()
        self.attention = attention
        self.feed_forward = FeedForward(d, d_ff, dropout)
        self.decomp1 = MovingAverageDecomposition(moving_avg)
        self.decomp2 = MovingAverageDecomposition(moving_avg)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        x, _ = self.decomp1(x + self.dropout(self.attention(x, x, x)))
        x, _ = self.decomp2(x + self.feed_forward(x))
        return x


class DecoderLayer(nn.Module):
    def __init__(self, self_attention, cross_attention, d, c_out, d_ff, moving_avg, dropout):
        super().__init__()
        self.self_attention = self_attention
        self.cross_attention = cross_attention
        self.feed_forward = FeedForward(d, d_ff, dropout)
        self.decomp1 = MovingAverageDecomposition(moving_avg)
        self.decomp2 = MovingAverageDecomposition(moving_avg)
        self.decomp3 = MovingAverageDecomposition(moving_avg)
        self.dropout = nn.Dropout(dropout)
        self.projection = nn.Conv1d(d, c_out, 3, padding=1, padding_mode="circular", bias=False)

    def forward(self, x, encoded):
        x, t1 = self.decomp1(x + self.dropout(self.self_attention(x, x, x)))
        x, t2 = self.decomp2(x + self.dropout(self.cross_attention(x, encoded, encoded)))
        x, t3 = self.decomp3(x + self.feed_forward(x))
        trend = self.projection((t1 + t2 + t3).transpose(1, 2)).transpose(1, 2)
        return x, trend


class DecompositionForecaster(nn.Module):
    """Autoformer's encoder-decoder with progressive decomposition; `mechanism(role)` makes each
    layer's correlation ("encoder", "decoder_self", "decoder_cross")."""

    def __init__(self, mechanism):
        super().__init__()
        self.decomp = MovingAverageDecomposition(MOVING_AVG)
        self.enc_embedding = Embedding(CHANNELS, MARKS, D_MODEL, DROPOUT)
        self.dec_embedding = Embedding(CHANNELS, MARKS, D_MODEL, DROPOUT)
        self.encoder_layers = nn.ModuleList([
            EncoderLayer(CorrelationLayer(mechanism("encoder"), D_MODEL, HEADS), D_MODEL, D_FF,
                         MOVING_AVG, DROPOUT) for _ in range(ENC_LAYERS)])
        self.encoder_norm = SeasonalNorm(D_MODEL)
        self.decoder_layers = nn.ModuleList([
            DecoderLayer(CorrelationLayer(mechanism("decoder_self"), D_MODEL, HEADS),
                         CorrelationLayer(mechanism("decoder_cross"), D_MODEL, HEADS),
                         D_MODEL, CHANNELS, D_FF, MOVING_AVG, DROPOUT)
            for _ in range(DEC_LAYERS)])
        self.decoder_norm = SeasonalNorm(D_MODEL)
        self.projection = nn.Linear(D_MODEL, CHANNELS)

    def forward(self, x, history_marks, future_marks):        # [B, L, C], [B, L, 4], [B, H, 4]
        B = x.shape[0]
        seasonal, trend = self.decomp(x)
        mean = x.mean(1, keepdim=True).expand(B, HORIZON, -1)
        trend = torch.cat([trend[:, -LABEL_LEN:], mean], 1)
        seasonal = torch.cat([seasonal[:, -LABEL_LEN:], x.new_zeros(B, HORIZON, x.shape[2])], 1)
        decoder_marks = torch.cat([history_marks[:, -LABEL_LEN:], future_marks], 1)

        encoded = self.enc_embedding(x, history_marks)
        for layer in self.encoder_layers:
            encoded = layer(encoded)
        encoded = self.encoder_norm(encoded)

        y = self.dec_embedding(seasonal, decoder_marks)
        for layer in self.decoder_layers:
            y, residual_trend = layer(y, encoded)
            trend = trend + residual_trend
        y = self.projection(self.decoder_norm(y))
        return (trend + y)[:, -HORIZON:]


def autoformer():
    return DecompositionForecaster(lambda role: AutoCorrelation(FACTOR))


def fedformer():
    decoder_length = LABEL_LEN + HORIZON

    def mechanism(role):
        if role == "encoder":
            return FourierBlock(D_MODEL, HEADS, LOOKBACK, MODES)
        if role == "decoder_self":
            return FourierBlock(D_MODEL, HEADS, decoder_length, MODES)
        return FourierCrossAttention(D_MODEL, HEADS, decoder_length, LOOKBACK, MODES)

    return DecompositionForecaster(mechanism)


# ---------------------------------------------------------------------------------------------
# Parameter check against the project's architecture


def project_parts(name):
    """The project's parameter count per top-level part, from its headers at these settings."""
    d, e, c = D_MODEL, D_MODEL // HEADS, CHANNELS
    linear = d * d + d                                 # a d -> d projection with bias
    def fourier(length):                               # real and imaginary [H, E, E, modes]
        return 2 * HEADS * e * e * min(MODES, length // 2)
    feed_forward = 2 * d * D_FF                        # two maps without bias
    if name == "autoformer":
        encoder_attention = 4 * linear
        decoder_attention = 4 * linear + 4 * linear
    else:                                              # only the projections a block reads
        decoder_length = LABEL_LEN + HORIZON
        encoder_attention = 2 * linear + fourier(LOOKBACK)
        decoder_attention = (2 * linear + fourier(decoder_length)      # self: query, out
                             + 3 * linear + fourier(decoder_length))   # cross: + key
    return {
        "enc_embedding": 3 * c * d + MARKS * d,
        "dec_embedding": 3 * c * d + MARKS * d,
        "encoder_layers": ENC_LAYERS * (encoder_attention + feed_forward),
        "encoder_norm": 2 * d,
        "decoder_layers": DEC_LAYERS * (decoder_attention + feed_forward + 3 * d * c),
        "decoder_norm": 2 * d,
        "projection": d * c + c,
    }


def check_parameters(name, model):
    total = sum(p.numel() for p in model.parameters())
    expected = PROJECT_PARAMS[name]
    if total != expected:
        print(f"WARNING: {name} has {total} parameters, the project's has {expected} "
              f"(difference {total - expected:+d}); not a like-for-like comparison")
        ours = {part: sum(p.numel() for p in module.parameters())
                for part, module in model.named_children()}
        for part, count in project_parts(name).items():
            if ours.get(part, 0) != count:
                print(f"WARNING:   {part}: {ours.get(part, 0)} here, {count} in the project "
                      f"(difference {ours.get(part, 0) - count:+d})")
        for part in ours.keys() - project_parts(name).keys():
            if ours[part]:
                print(f"WARNING:   {part}: {ours[part]} here, not in the project")
    return total


# ---------------------------------------------------------------------------------------------


def step_times(model, repeats):
    """Milliseconds of `repeats` training steps' forward + backward after one warm-up step."""
    model.train()
    x = torch.randn(BATCH, LOOKBACK, CHANNELS)
    y = torch.randn(BATCH, HORIZON, CHANNELS)
    history_marks = torch.rand(BATCH, LOOKBACK, MARKS) - 0.5
    future_marks = torch.rand(BATCH, HORIZON, MARKS) - 0.5
    times = []
    for step in range(repeats + 1):
        model.zero_grad(set_to_none=True)
        start = time.perf_counter()
        F.mse_loss(model(x, history_marks, future_marks), y).backward()
        ms = (time.perf_counter() - start) * 1000.0
        if step > 0:
            times.append(ms)
    return times


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--models", default="autoformer,fedformer")
    a = ap.parse_args()
    builders = {"autoformer": autoformer, "fedformer": fedformer}
    names = [n for n in a.models.split(",") if n]
    for n in names:
        if n not in builders:
            ap.error(f'unknown model "{n}" (autoformer, fedformer)')
    repeats = max(1, a.repeats)

    torch.set_num_threads(max(1, a.threads))
    torch.manual_seed(0)
    threads = torch.get_num_threads()
    core = os.environ.get("OPENBLAS_CORETYPE") or "unset"
    context = (f"{threads} thread{'' if threads == 1 else 's'}, torch {torch.__version__}, "
               f"OPENBLAS_CORETYPE={core}")
    print(f"PyTorch eager {torch.__version__}, {context}", flush=True)
    for name in names:
        model = builders[name]()
        params = check_parameters(name, model)
        times = step_times(model, repeats)
        print(f"{name:<11} params {params}  fwd+bwd batch {BATCH}: median "
              f"{statistics.median(times):.0f} ms, min {min(times):.0f} ms "
              f"({repeats} step{'' if repeats == 1 else 's'}, {context})", flush=True)


if __name__ == "__main__":
    main()
