#include "FeatureFrontEnd.h"
#include "common/Errors.h"
#include "dsp/KaldiFbank.h"
#include "dsp/MelSpectrogram.h"
#include "dsp/Mfcc.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace twb {

namespace {

constexpr double kInt16Power = 32768.0 * 32768.0; // [-1, 1] samples -> the int16 scale

Expected<dsp::FloatMatrix> fbankOf(const std::vector<float> &wave, double rate, int melBins,
                                   double vtlpAlpha)
{
    // The AST front end: mean removed, Hann window, no dither.
    const double mean =
        wave.empty() ? 0.0 : std::accumulate(wave.begin(), wave.end(), 0.0) / double(wave.size());
    std::vector<float> centred(wave.size());
    for (std::size_t i = 0; i < wave.size(); ++i)
        centred[i] = float(wave[i] - mean);
    dsp::KaldiFbankOptions options;
    options.sampleFrequency = rate;
    options.numMelBins = melBins;
    options.window = dsp::WindowType::Hann;
    options.vtlpAlpha = vtlpAlpha;
    return dsp::kaldiFbank(centred, options);
}

/// Log-mel in dB [mels, frames] (not transposed).
Expected<dsp::FloatMatrix> logMelRows(const std::vector<float> &wave, double rate, int melBins,
                                      double vtlpAlpha)
{
    dsp::StftOptions stft;
    stft.winLength = int(std::lround(rate * 0.025));
    stft.hop = int(std::lround(rate * 0.010));
    stft.nFft = 1;
    while (stft.nFft < stft.winLength)
        stft.nFft *= 2;
    dsp::MelOptions mel;
    mel.sampleRate = rate;
    mel.nMels = melBins;
    mel.vtlpAlpha = vtlpAlpha;
    return dsp::logMelSpectrogram(wave, stft, mel);
}

Expected<dsp::FloatMatrix> logMelOf(const std::vector<float> &wave, double rate, int melBins,
                                    double vtlpAlpha)
{
    Expected<dsp::FloatMatrix> logMel = logMelRows(wave, rate, melBins, vtlpAlpha);
    if (!logMel)
        return logMel;
    return dsp::transposed(*logMel);
}

Expected<dsp::FloatMatrix> mfccOf(const std::vector<float> &wave, double rate, int melBins,
                                  int coefficients, double vtlpAlpha)
{
    Expected<dsp::FloatMatrix> logMel = logMelRows(wave, rate, melBins, vtlpAlpha);
    if (!logMel)
        return logMel;
    Expected<dsp::FloatMatrix> mfcc = dsp::mfccFromLogMel(*logMel, coefficients);
    if (!mfcc)
        return mfcc;
    return dsp::transposed(*mfcc);
}

} // namespace

QString featureKindName(FeatureKind kind)
{
    switch (kind) {
    case FeatureKind::Raw:
        return QStringLiteral("raw");
    case FeatureKind::Fbank:
        return QStringLiteral("fbank");
    case FeatureKind::LogMel:
        return QStringLiteral("logmel");
    case FeatureKind::Mfcc:
        return QStringLiteral("mfcc");
    }
    return {};
}

FeatureNorm featureNormFromName(const QString &name)
{
    if (name == QLatin1String("cmvn"))
        return FeatureNorm::Cmvn;
    if (name == QLatin1String("pcen"))
        return FeatureNorm::Pcen;
    return FeatureNorm::None;
}

LevelNorm levelNormFromName(const QString &name)
{
    if (name == QLatin1String("peak"))
        return LevelNorm::Peak;
    if (name == QLatin1String("rms"))
        return LevelNorm::Rms;
    return LevelNorm::None;
}

QString featureNormName(FeatureNorm norm)
{
    switch (norm) {
    case FeatureNorm::Cmvn:
        return QStringLiteral("cmvn");
    case FeatureNorm::Pcen:
        return QStringLiteral("pcen");
    case FeatureNorm::None:
        break;
    }
    return QStringLiteral("none");
}

QString levelNormName(LevelNorm norm)
{
    switch (norm) {
    case LevelNorm::Peak:
        return QStringLiteral("peak");
    case LevelNorm::Rms:
        return QStringLiteral("rms");
    case LevelNorm::None:
        break;
    }
    return QStringLiteral("none");
}

void normaliseLevel(std::vector<float> &wave, LevelNorm norm)
{
    if (norm == LevelNorm::None || wave.empty())
        return;
    double measure = 0.0;
    if (norm == LevelNorm::Peak) {
        for (float v : wave)
            measure = std::max(measure, double(std::abs(v)));
    } else {
        for (float v : wave)
            measure += double(v) * v;
        measure = std::sqrt(measure / double(wave.size())) / 0.1;
    }
    if (!(measure > 1e-9) || !std::isfinite(measure))
        return;
    for (float &v : wave)
        v = float(v / measure);
}

void normaliseMeanVariance(float *values, std::int64_t steps, std::int64_t channels)
{
    if (steps < 1)
        return;
    for (std::int64_t c = 0; c < channels; ++c) {
        double sum = 0.0;
        for (std::int64_t t = 0; t < steps; ++t)
            sum += values[t * channels + c];
        const double mean = sum / double(steps);
        double squares = 0.0;
        for (std::int64_t t = 0; t < steps; ++t) {
            const double d = values[t * channels + c] - mean;
            squares += d * d;
        }
        const double sd = std::sqrt(squares / double(steps));
        const double scale = sd >= 1e-6 ? 1.0 / sd : 1.0;
        for (std::int64_t t = 0; t < steps; ++t)
            values[t * channels + c] = float((values[t * channels + c] - mean) * scale);
    }
}

void perChannelEnergyNormalise(float *energies, std::int64_t frames, std::int64_t bins)
{
    constexpr double s = 0.025, alpha = 0.98, delta = 2.0, r = 0.5, eps = 1e-6;
    const double offset = std::pow(delta, r);
    for (std::int64_t b = 0; b < bins; ++b) {
        double smooth = frames > 0 ? energies[b] : 0.0; // the IIR starts at steady state
        for (std::int64_t t = 0; t < frames; ++t) {
            const double e = energies[t * bins + b];
            smooth = (1.0 - s) * smooth + s * e;
            energies[t * bins + b] =
                float(std::pow(e / std::pow(eps + smooth, alpha) + delta, r) - offset);
        }
    }
}

std::int64_t FeatureFrontEnd::featureChannels() const
{
    switch (kind) {
    case FeatureKind::Raw:
        return channels;
    case FeatureKind::Mfcc:
        return mfccCoefficients;
    case FeatureKind::Fbank:
    case FeatureKind::LogMel:
        break;
    }
    return melBins;
}

Status FeatureFrontEnd::apply(LabelledCase &c, double vtlpAlpha) const
{
    if (kind == FeatureKind::Raw) {
        if (featureNorm == FeatureNorm::Cmvn)
            normaliseMeanVariance(c.values.data(), c.length, channels);
        return {};
    }
    std::vector<float> wave = std::move(c.values);
    normaliseLevel(wave, levelNorm);
    Expected<dsp::FloatMatrix> features =
        kind == FeatureKind::Fbank ? fbankOf(wave, sampleRate, melBins, vtlpAlpha)
        : kind == FeatureKind::LogMel
            ? logMelOf(wave, sampleRate, melBins, vtlpAlpha)
            : mfccOf(wave, sampleRate, melBins, mfccCoefficients, vtlpAlpha);
    if (!features)
        return makeError(QStringLiteral("%1 of %2: %3")
                             .arg(featureKindName(kind), c.source, features.error().reason),
                         c.source);
    c.length = features->rows;
    c.values.assign(features->data.begin(), features->data.end());
    if (featureNorm == FeatureNorm::Cmvn) {
        normaliseMeanVariance(c.values.data(), c.length, featureChannels());
    } else if (featureNorm == FeatureNorm::Pcen && kind != FeatureKind::Mfcc) {
        // Back from the log scale to mel power at the int16 scale, where PCEN's delta fits.
        for (float &v : c.values)
            v = float((kind == FeatureKind::Fbank ? std::exp(double(v))
                                                  : std::pow(10.0, double(v) / 10.0)) *
                      kInt16Power);
        perChannelEnergyNormalise(c.values.data(), c.length, melBins);
    }
    return {};
}

Status FeatureFrontEnd::apply(LabelledDataset &data) const
{
    for (LabelledCase &c : data.cases)
        if (Status s = apply(c); !s)
            return Error{s.error().reason, data.sourcePath, 0};
    if (kind != FeatureKind::Raw) {
        data.channelNames.clear();
        const QString prefix =
            kind == FeatureKind::Mfcc ? QStringLiteral("mfcc") : QStringLiteral("mel");
        for (std::int64_t m = 0; m < featureChannels(); ++m)
            data.channelNames << prefix + QString::number(m);
    }
    return {};
}

} // namespace twb
