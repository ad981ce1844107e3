#pragma once

#include "common/Expected.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace twb {

/// The metrics predictions.h5 of a separation run holds per mixture and source (dB).
enum class SeparationMetric {
    SiSnr,  ///< scale-invariant SNR of the estimate against its reference
    SiSnri, ///< its improvement over the mixture's own SI-SNR
    Sdr,    ///< BSS-eval signal-to-distortion ratio (NaN when the mixtures are too short)
    Sdri,   ///< its improvement over the mixture's SDR (NaN likewise)
};

/// One mixture kept as waveforms: the mixture, its references and the model's estimates put in
/// the references' order. Every waveform holds `samples` values at the file's sample rate.
struct SeparationWaveforms
{
    std::vector<float> mixture;                 ///< [T]
    std::vector<std::vector<float>> references; ///< [S][T]
    std::vector<std::vector<float>> estimates;  ///< [S][T]
};

/// What twb-cli's separation pipeline wrote to predictions.h5 (layout:
/// core/train/SeparatePipeline.h), as plain data (no torch). n test mixtures of S sources each;
/// the first m <= n of them are kept as waveforms ("listenable").
struct SeparationResults
{
    QString path;             ///< the predictions.h5 read (absolute)
    double sampleRate = 0.0;  ///< Hz of every waveform
    int sourceCount = 0;      ///< S
    std::int64_t samples = 0; ///< T, samples of each listenable waveform (0 when m = 0)
    /// [n] "0_george_1.wav + 5_jackson_2.wav": each mixture's utterances, relative to the data.
    QStringList mixtureSources;
    /// [n * S] row-major, dB: mixture i, source s at i * S + s.
    std::vector<double> siSnr, siSnri, sdr, sdri, levelsDb;
    std::vector<SeparationWaveforms> listenable; ///< the first m mixtures

    int mixtureCount() const { return int(mixtureSources.size()); }
    int listenableCount() const { return int(listenable.size()); }
    double seconds() const { return sampleRate > 0 ? double(samples) / sampleRate : 0.0; }

    /// The metric of mixture `mixture`, source `source` (dB); NaN when out of range.
    double value(SeparationMetric metric, int mixture, int source) const;
    /// Source `source`'s level in mixture `mixture` over the first source's (dB); NaN when out
    /// of range.
    double levelDb(int mixture, int source) const;
    /// The mean over the sources of one mixture; NaN when any is NaN or out of range.
    double mixtureMean(SeparationMetric metric, int mixture) const;
    /// The mean over every mixture and source: the test result status.json reports; NaN when
    /// any value is NaN (SDR not computed).
    double testMean(SeparationMetric metric) const;
    /// The mean over every mixture of one source (in the references' order).
    double sourceMean(SeparationMetric metric, int source) const;
    /// Each source's utterance in mixture `mixture` ("0_george_1.wav"), from
    /// mixtureSources split at " + "; "source k" (1-based) when the string does not have S parts.
    QStringList sourceNames(int mixture) const;
};

/// Reads the predictions.h5 of a separation run (a file, or a run folder holding one). Errors
/// name the file and the problem: missing (written when a separation run finishes its test), not
/// HDF5, a missing dataset, a dataset of the wrong shape (each named with the shape expected), no
/// mixtures, a missing or non-positive "sample_rate" attribute on /si_snri. Never throws.
/// Threading: any thread (the waveforms of 64 one-second mixtures at 8 kHz are about 6 MB).
Expected<SeparationResults> readSeparationResults(const QString &runDirOrFile);

} // namespace twb
