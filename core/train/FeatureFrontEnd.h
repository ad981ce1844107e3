#pragma once

#include "common/Expected.h"
#include "data/LabelledDataset.h"

#include <QString>

#include <vector>

namespace twb {

/// What the model eats, derived from the data and the configuration.
enum class FeatureKind {
    Raw,    ///< the sequences as they are: [time, channels]
    Fbank,  ///< audio -> Kaldi fbank [frames, mel bins] (the AST front end, Hann window)
    LogMel, ///< audio -> log-mel in dB [frames, mel bins] (25 ms Hann window, 10 ms hop)
    /// audio -> MFCCs [frames, coefficients]: the orthonormal DCT-II of that log-mel, its first
    /// coefficients (the spectral envelope without the pitch harmonics)
    Mfcc,
};
QString featureKindName(FeatureKind kind);

/// Per-case normalisation of the features (`--feature-norm`), applied before the scaler that
/// is fitted on the training part.
enum class FeatureNorm {
    None,
    /// Cepstral mean and variance normalisation, per utterance: each channel (mel bin) of a case
    /// minus its mean over the case's steps, divided by its population standard deviation
    /// (left unscaled when that is below 1e-6). Removes what is constant over a recording: the
    /// microphone's response, the room, much of a speaker's timbre.
    Cmvn,
    /// Per-channel energy normalisation (Wang et al. 2017, librosa's defaults for 10 ms hops):
    /// the mel energies E (at the int16 scale) divided by a smoothed E (IIR, s = 0.025) raised
    /// to alpha = 0.98, plus delta = 2, to the power r = 0.5, minus delta^r. Spectrograms only.
    Pcen,
};
/// Level normalisation of audio before the features (`--level-norm`).
enum class LevelNorm {
    None,
    Peak, ///< the largest |sample| to 1
    Rms,  ///< the RMS to 0.1 (-20 dBFS)
};

/// "none"/"cmvn"/"pcen" and "none"/"peak"/"rms" (validated by TrainConfig); other text -> None.
FeatureNorm featureNormFromName(const QString &name);
LevelNorm levelNormFromName(const QString &name);
QString featureNormName(FeatureNorm norm);
QString levelNormName(LevelNorm norm);

/// Turns one case as loaded (a mono waveform at `sampleRate`, or a series) into what the model
/// reads, before scaling: level normalisation (audio), the features, then the per-case feature
/// normalisation. Immutable; any thread may use it.
struct FeatureFrontEnd
{
    FeatureKind kind = FeatureKind::Raw;
    int melBins = 64;
    int mfccCoefficients = 20; ///< Mfcc: coefficients kept (1..melBins)
    double sampleRate = 0.0;
    FeatureNorm featureNorm = FeatureNorm::None;
    LevelNorm levelNorm = LevelNorm::None;
    std::int64_t channels = 1; ///< of Raw cases (the features' channels are melBins)

    /// Channels of the features: melBins for Fbank/LogMel, mfccCoefficients for Mfcc,
    /// `channels` for Raw.
    std::int64_t featureChannels() const;

    /// Replaces c.values / c.length by the case's features ([frames, melBins] for spectrograms;
    /// the same shape for Raw). Errors name the case's source. `vtlpAlpha` warps the mel
    /// filters' frequencies (vocal tract length perturbation, see dsp::vtlpWarpHz; training
    /// augmentation only); 1 = none. Raw cases ignore it.
    Status apply(LabelledCase &c, double vtlpAlpha = 1.0) const;
    /// apply() on every case; then data.channelNames become "mel0", ... for spectrograms
    /// ("mfcc0", ... for MFCCs).
    /// Errors name data.sourcePath.
    Status apply(LabelledDataset &data) const;
};

/// Level normalisation of a waveform in place (see LevelNorm); silence stays silence.
void normaliseLevel(std::vector<float> &wave, LevelNorm norm);
/// CMVN in place over `steps` rows of a [steps, channels] row-major block (see FeatureNorm).
void normaliseMeanVariance(float *values, std::int64_t steps, std::int64_t channels);
/// PCEN in place over [frames, bins] row-major mel energies (linear power, not log).
void perChannelEnergyNormalise(float *energies, std::int64_t frames, std::int64_t bins);

} // namespace twb
