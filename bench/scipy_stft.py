#!/usr/bin/python3
"""STFT and log-mel throughput of SciPy/NumPy: the reference for twb-bench-stft.

Usage: /usr/bin/python3 bench/scipy_stft.py [FILE.wav] [--repeats 5] [--cpp build/bin/twb-bench-stft]
Needs Debian's python3-numpy and python3-scipy (not part of the project's dependencies).
Same work as bench_stft.cpp: ten minutes of seeded white noise at 16 kHz (or a WAV file, mixed
to mono), n_fft 512, hop 160, periodic Hann, centre padding by reflection, one thread (set
OPENBLAS_NUM_THREADS=1 / OMP_NUM_THREADS=1 before NumPy loads). Prints seconds of audio per
second for scipy.signal.stft + |Z|^2, for a NumPy framing + numpy.fft.rfft version, and for a
128-band log-mel (Slaney mel bank, dense matrix product, power_to_db with top_db 80). With
--cpp it runs the C++ benchmark on the same input and prints the speed-up (target: >= 5x).
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import re  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import scipy.io.wavfile  # noqa: E402
import scipy.signal  # noqa: E402

N_FFT, HOP, N_MELS = 512, 160, 128


def slaney_mel_bank(sr, n_fft, n_mels):
    """librosa.filters.mel(sr, n_fft, n_mels) (Slaney scale and area normalisation)."""
    def hz_to_mel(f):
        f = np.asarray(f, dtype=np.float64)
        log_part = 15.0 + np.log(np.maximum(f, 1e-10) / 1000.0) / (np.log(6.4) / 27.0)
        return np.where(f < 1000.0, f / (200.0 / 3.0), log_part)

    def mel_to_hz(m):
        m = np.asarray(m, dtype=np.float64)
        return np.where(m < 15.0, m * 200.0 / 3.0, 1000.0 * np.exp(np.log(6.4) / 27.0 * (m - 15.0)))

    freqs = np.arange(n_fft // 2 + 1) * sr / n_fft
    points = mel_to_hz(np.linspace(hz_to_mel(0.0), hz_to_mel(sr / 2.0), n_mels + 2))
    fdiff = np.diff(points)
    ramps = points[:, None] - freqs[None, :]
    lower = -ramps[:-2] / fdiff[:-1, None]
    upper = ramps[2:] / fdiff[1:, None]
    weights = np.maximum(0.0, np.minimum(lower, upper))
    weights *= (2.0 / (points[2:] - points[:-2]))[:, None]
    return weights.astype(np.float32)


def best(fn, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--cpp", help="path of twb-bench-stft to run on the same input")
    args = parser.parse_args()

    if args.file:
        sr, x = scipy.io.wavfile.read(args.file)
        x = x.astype(np.float32)
        if x.ndim == 2:
            x = x.mean(axis=1)
    else:
        sr = 16000
        x = np.random.default_rng(1).normal(0.0, 0.1, 600 * sr).astype(np.float32)
    seconds = len(x) / sr
    window = scipy.signal.get_window("hann", N_FFT).astype(np.float32)  # periodic
    bank = slaney_mel_bank(sr, N_FFT, N_MELS)
    print(f"input: {args.file or 'white noise'}, {seconds:.1f} s at {sr} Hz; n_fft {N_FFT}, "
          f"hop {HOP}, periodic Hann, center; best of {args.repeats}, one thread; "
          f"NumPy {np.__version__}, SciPy {scipy.__version__}")

    def scipy_power():
        # boundary='even' extends by reflection without repeating the edge (torch's reflect).
        _, _, z = scipy.signal.stft(x, fs=sr, window=window, nperseg=N_FFT,
                                    noverlap=N_FFT - HOP, nfft=N_FFT, boundary="even",
                                    padded=False)
        return np.abs(z) ** 2

    def numpy_power():
        padded = np.pad(x, N_FFT // 2, mode="reflect")
        frames = np.lib.stride_tricks.sliding_window_view(padded, N_FFT)[::HOP]
        spectrum = np.fft.rfft(frames * window, axis=1)
        return (spectrum.real ** 2 + spectrum.imag ** 2).T  # [bins, frames]

    def log_mel():
        mel = bank @ numpy_power()
        db = 10.0 * np.log10(np.maximum(1e-10, mel))
        return np.maximum(db, db.max() - 80.0)

    results = {}
    for name, fn in [("scipy.signal.stft power", scipy_power),
                     ("numpy rfft power", numpy_power),
                     ("numpy log-mel 128 (dB)", log_mel)]:
        t = best(fn, args.repeats)
        results[name] = seconds / t
        print(f"{name:34s} {t:8.4f} s  {seconds / t:10.0f} s of audio per s")

    if args.cpp:
        cmd = [args.cpp] + ([args.file] if args.file else []) + ["--repeats", str(args.repeats)]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        print(out.rstrip())
        found = dict(re.findall(r"(\w+)=(\d+)", out.split("RESULT", 1)[-1]))
        scipy_rate = results["scipy.signal.stft power"]
        mel_rate = results["numpy log-mel 128 (dB)"]
        for label, key, ref in [("STFT power vs scipy.signal.stft", "stft_power", scipy_rate),
                                ("STFT power (fresh memory) vs scipy.signal.stft",
                                 "stft_power_fresh", scipy_rate),
                                ("STFT power (tiles) vs scipy.signal.stft", "stft_power_tiles",
                                 scipy_rate),
                                ("log-mel vs numpy log-mel", "logmel", mel_rate),
                                ("log-mel (tiles) vs numpy log-mel", "logmel_tiles", mel_rate)]:
            if key in found:
                ratio = float(found[key]) / ref
                verdict = "ok" if ratio >= 5.0 else "BELOW 5x"
                print(f"speed-up {label:47s} {ratio:6.1f}x  (target >= 5x: {verdict})")


if __name__ == "__main__":
    main()
