#pragma once

#include <QJsonObject>
#include <torch/torch.h>

#include <cstdint>

namespace twb {

class Model;
class MixtureExamples;
class ProcessGroup;

/// A separation model's results on every mixture of a part, per mixture and source, with the
/// estimates put in the order of the references (the best assignment by SI-SNR, PIT).
struct SeparationEvaluation
{
    torch::Tensor estimates;    ///< [n, S, T] float32, aligned with the references
    torch::Tensor permutation;  ///< [n, S] int64: reference s ← raw estimate permutation[s]
    torch::Tensor siSnr;        ///< [n, S] float64 dB, estimate vs reference
    torch::Tensor siSnrMixture; ///< [n, S] float64 dB, the mixture itself vs each reference
    torch::Tensor sdr;          ///< [n, S] float64 dB (BSS-eval v3); NaN when T < 512
    torch::Tensor sdrMixture;   ///< [n, S] float64 dB, of the mixture (NaN when T < 512)

    /// SI-SNR improvement over the mixture [n, S]: siSnr − siSnrMixture.
    torch::Tensor siSnrImprovement() const { return siSnr - siSnrMixture; }
    torch::Tensor sdrImprovement() const { return sdr - sdrMixture; }

    /// {"si_snr", "si_snri", "sdr", "sdri": means over mixtures and sources (dB), "si_snri_std",
    /// "si_snri_median", "si_snri_per_source" [S], "mixtures", "sources", "samples"}; SDR keys
    /// are null when not computed.
    QJsonObject summary() const;
};

/// One line of a summary() for logs and terminals: "SI-SNRi 8.40 dB (SI-SNR 8.39 dB, median
/// SI-SNRi 8.48 dB), SDRi 8.67 dB (SDR 10.79 dB)"; when SDR was not computed (null) the SDR part
/// says so instead of showing a number.
QString describeSeparationSummary(const QJsonObject &summary);

/// Runs `model` over every mixture of `examples` (predictAll: eval mode, no gradient, batches
/// of `batchSize`; data parallel with a group) and scores it. SDR's projection (512 taps) is
/// computed only when the mixtures have at least 512 samples.
SeparationEvaluation evaluateSeparation(Model &model, const MixtureExamples &examples,
                                        std::int64_t batchSize, ProcessGroup *group = nullptr);

} // namespace twb
