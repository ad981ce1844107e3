#pragma once

#include "Augmentation.h"
#include "ClassifyExamples.h"
#include "FeatureFrontEnd.h"
#include "data/LabelledDataset.h"
#include "data/StandardScaler.h"

#include <memory>

namespace twb {

/// The training part of an audio classification run whose augmentations act on the waveform
/// (shift, gain, speed, noise, silence): every training batch takes its clips as loaded, augments
/// each (drawn from the batch's own generator, so a resumed run sees the same batches), computes
/// its features with the run's front end, scales them with the run's scaler, pads or cuts them
/// to the run's length and then applies the feature augmentations (series items, SpecAugment).
/// batch() (no augmentation) returns the precomputed features of `plain`. `silence` draws from
/// a NoiseBank of the training clips' quiet frames, built once here. Immutable after
/// construction; any thread may read it.
class AugmentedAudioExamples : public ExampleSet
{
public:
    /// `waves`: the training cases as loaded (mono waveforms at frontEnd.sampleRate), in the
    /// order of `plain`'s cases; `plain`: their features as training sees them unaugmented.
    AugmentedAudioExamples(LabelledDataset waves, std::shared_ptr<const ClassifyExamples> plain,
                           FeatureFrontEnd frontEnd, StandardScaler scaler, AugmentSpec waveform,
                           ExampleAugmentation features);

    std::int64_t size() const override { return m_plain->size(); }
    ExampleBatch batch(const torch::Tensor &indices) const override
    {
        return m_plain->batch(indices);
    }
    /// Throws std::runtime_error if the resampler of a speed change fails (it cannot for the
    /// rates a run allows).
    ExampleBatch trainingBatch(const torch::Tensor &indices, std::uint64_t seed, std::int64_t epoch,
                               std::int64_t batchIndex) const override;
    /// Seconds of background noise `silence` draws from (0 when it is off).
    double noiseBankSeconds() const
    {
        return double(m_noiseBank.samples.size()) / m_frontEnd.sampleRate;
    }

private:
    LabelledDataset m_waves;
    std::shared_ptr<const ClassifyExamples> m_plain;
    FeatureFrontEnd m_frontEnd;
    StandardScaler m_scaler;
    AugmentSpec m_waveform;
    ExampleAugmentation m_features;
    NoiseBank m_noiseBank; ///< empty unless `silence` is on
};

} // namespace twb
