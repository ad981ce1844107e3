#pragma once

#include "common/Expected.h"

#include <QString>

#include <cstdint>
#include <random>
#include <vector>

namespace twb {

/// Training-time augmentations of a classification run (`--augment`), comma-separated
/// NAME[:VALUE]; a missing VALUE takes the default in brackets.
///
/// On the waveform of audio cases (before the features; each drawn per case and batch):
///   shift[:0.1]   delay or advance the clip by up to VALUE seconds (zeros fill the gap)
///   gain[:6]      change the level by a uniform draw in +-VALUE dB
///   speed[:0.1]   play at a speed factor uniform in [1-VALUE, 1+VALUE] (pitch and tempo
///                 together, the Kaldi speed perturbation; libsoxr HQ)
///   noise[:20]    add white noise at an SNR uniform in [VALUE, VALUE+20] dB
///   silence[:10]  add noise cut from the training clips' own quiet parts (NoiseBank): the
///                 rooms, microphones and hum of the data set instead of white noise, at an
///                 SNR uniform in [VALUE, VALUE+20] dB
/// On the mel filters of audio features (log-mel, MFCC, fbank; drawn per case and batch):
///   vtlp[:0.1]    vocal tract length perturbation (Jaitly & Hinton 2013): the filters'
///                 frequencies warped by a factor uniform in [1-VALUE, 1+VALUE] (see
///                 dsp::vtlpWarpHz), so that one speaker's formants sound like another's
/// On series cases and feature frames (after scaling, on the real steps of each case):
///   jitter[:0.03] add Gaussian noise of standard deviation VALUE (normalised units)
///   scale[:0.1]   multiply each channel by a factor drawn from N(1, VALUE)
///   warp[:0.1]    window warping: a window of VALUE x length steps is stretched x2 or
///                 squeezed x0.5 (at random) and the whole case resampled to its length
///   slice[:0.9]   window slicing: a random VALUE x length slice stretched to the length
/// On whole training batches of classification:
///   mixup[:0.2]   each batch mixed with itself in a shuffled order: x = l x_a + (1-l) x_b and
///                 the loss l CE(a) + (1-l) CE(b), l ~ Beta(VALUE, VALUE) once per batch
/// Every draw comes from the generator the caller passes, so a seed fixes them all.
struct AugmentSpec
{
    double shiftSeconds = 0.0;
    double gainDb = 0.0;
    double speed = 0.0;
    double noiseSnrDb = -1.0;   ///< < 0 = off
    double silenceSnrDb = -1.0; ///< < 0 = off
    double vtlp = 0.0;
    double jitter = 0.0;
    double scale = 0.0;
    double warp = 0.0;
    double slice = 0.0;
    double mixup = 0.0; ///< Beta alpha, 0 = off

    bool waveform() const
    {
        return shiftSeconds > 0 || gainDb > 0 || speed > 0 || noiseSnrDb >= 0 ||
               silenceSnrDb >= 0 || vtlp > 0;
    }
    bool series() const { return jitter > 0 || scale > 0 || warp > 0 || slice > 0; }
    bool any() const { return waveform() || series() || mixup > 0; }

    /// Parses the text above ("" = none). Errors name the item and the allowed range.
    static Expected<AugmentSpec> parse(const QString &text);
};

/// Background noise of a data set: the quietest frames of its clips, one after another.
struct NoiseBank
{
    std::vector<float> samples; ///< at the clips' rate
    bool empty() const { return samples.empty(); }
};

/// Builds the bank of `silence`: every clip is cut into 25 ms frames, and the frames whose mean
/// square is at most the clip's `quietFraction` quantile (and not digital silence) are appended,
/// each cross-faded over 5 ms into the one before, so that no click marks a seam. Every clip
/// gives about an equal share of `maxSeconds` (at least one frame, at most one frame more), so
/// that all of them (all speakers, all rooms) are heard. Only training clips may go in: the bank is
/// part of what the run learns from.
NoiseBank buildNoiseBank(const std::vector<const std::vector<float> *> &clips, double sampleRate,
                         double quietFraction = 0.1, double maxSeconds = 120.0);

/// Applies the waveform augmentations of `spec` to one mono clip at `sampleRate` Hz; the
/// result may be longer or shorter (speed). `silence` takes its noise from `bank` (a piece of
/// the clip's length from a random place, wrapping around); without a bank it does nothing.
/// Errors only from the resampler.
Expected<std::vector<float>> augmentWaveform(const std::vector<float> &wave, double sampleRate,
                                             const AugmentSpec &spec, std::mt19937_64 &rng,
                                             const NoiseBank *bank = nullptr);

/// The VTLP warp factor of one case: uniform in [1 - spec.vtlp, 1 + spec.vtlp], drawn from
/// `rng`; 1 without a draw when vtlp is off (so other augmentations' draws do not move).
double drawVtlpAlpha(const AugmentSpec &spec, std::mt19937_64 &rng);

/// Applies the series augmentations of `spec` in place to the first `steps` rows of a
/// [rows, channels] row-major case (the rest, its padding, is left alone).
void augmentSeries(float *values, std::int64_t steps, std::int64_t channels,
                   const AugmentSpec &spec, std::mt19937_64 &rng);

} // namespace twb
