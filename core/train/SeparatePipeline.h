#pragma once

#include "SeparationData.h"
#include "TaskPipeline.h"

#include <optional>

namespace twb {

/// Speech separation (task "separate"): mixtures of utterances of different speakers
/// (SeparationData), loss minus the permutation-invariant SI-SNR, test metrics SI-SNR, SI-SNRi,
/// SDR and SDRi (SeparationEvaluation) and predictions.h5.
///
/// predictions.h5 (h5py-readable), n test mixtures, S sources, T samples:
///   /si_snr, /si_snri, /sdr, /sdri   float64 [n, S]  per mixture and source (dB; the
///                                     estimates in the references' order)
///   /permutation                      int64 [n, S]   reference s ← model output permutation[s]
///   /sources                          strings [n]    "a.wav + b.wav", relative to the data
///   /levels_db                        float64 [n, S] each source's level over the first's
///   /mixture                          float32 [m, T] the first m = min(n, 64) mixtures
///   /references, /estimates           float32 [m, S, T] their sources and the aligned estimates
///   attributes of /si_snri: "split" = "test", "task" = "separate", "sample_rate" (Hz)
class SeparatePipeline : public TaskPipeline
{
public:
    /// `load` replaces twb_audio's loadLabelled (tests); empty = the default.
    explicit SeparatePipeline(LabelledLoadFunction load = {});

    Status prepare(TrainConfig &config, const Note &note) override;
    QString dataFingerprint() const override;
    Expected<CreatedModel> createModel(const ModelPlugin &plugin,
                                       const TrainConfig &config) const override;
    std::shared_ptr<const ExampleSet> trainSet() const override { return m_data->train; }
    std::shared_ptr<const ExampleSet> validationSet() const override { return m_data->validation; }
    std::int64_t testSize() const override { return m_data ? m_data->test->size() : 0; }
    LossKind loss() const override { return LossKind::NegativePitSiSnr; }
    QJsonObject dataProvenance() const override;
    QString describe() const override;
    QJsonObject startSummary() const override;
    Expected<TestOutcome> evaluate(Model &model, const TrainConfig &config, const RunStore &store,
                                   ProcessGroup *group = nullptr) const override;

    /// The mixtures kept as waveforms in predictions.h5.
    static constexpr std::int64_t kListenableMixtures = 64;

private:
    LabelledLoadFunction m_load;
    std::optional<SeparationData> m_data;
    QString m_dataPath;
};

/// The ModelSpec of a separation run: one channel "mixture", lookback = samples per mixture.
ModelSpec separationSpec(std::int64_t samples, std::int64_t sources, double sampleRate);

} // namespace twb
