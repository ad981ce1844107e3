#include "AugmentedAudioExamples.h"

#include <stdexcept>

namespace twb {

AugmentedAudioExamples::AugmentedAudioExamples(LabelledDataset waves,
                                               std::shared_ptr<const ClassifyExamples> plain,
                                               FeatureFrontEnd frontEnd, StandardScaler scaler,
                                               AugmentSpec waveform, ExampleAugmentation features)
    : m_waves(std::move(waves))
    , m_plain(std::move(plain))
    , m_frontEnd(frontEnd)
    , m_scaler(std::move(scaler))
    , m_waveform(waveform)
    , m_features(features)
{
    if (m_waves.size() != m_plain->size())
        throw std::invalid_argument("AugmentedAudioExamples: waves and features differ in size");
    if (m_waveform.silenceSnrDb >= 0) {
        std::vector<const std::vector<float> *> clips;
        clips.reserve(m_waves.cases.size());
        for (const LabelledCase &c : m_waves.cases)
            clips.push_back(&c.values);
        m_noiseBank = buildNoiseBank(clips, m_frontEnd.sampleRate);
    }
}

ExampleBatch AugmentedAudioExamples::trainingBatch(const torch::Tensor &indices, std::uint64_t seed,
                                                   std::int64_t epoch,
                                                   std::int64_t batchIndex) const
{
    std::mt19937_64 rng = batchGenerator(seed, epoch, batchIndex, 0xa0d10);
    const torch::Tensor order = indices.to(torch::kLong).contiguous();
    const std::int64_t count = order.size(0);
    const std::int64_t length = m_plain->inputs().size(1);
    const std::int64_t channels = m_plain->inputs().size(2);
    torch::Tensor x = torch::zeros({count, length, channels}, torch::kFloat);
    std::vector<std::int64_t> lengths(static_cast<std::size_t>(count), 0);
    float *out = x.data_ptr<float>();
    for (std::int64_t b = 0; b < count; ++b) {
        const LabelledCase &source = m_waves.cases[std::size_t(order[b].item<std::int64_t>())];
        Expected<std::vector<float>> wave =
            augmentWaveform(source.values, m_frontEnd.sampleRate, m_waveform, rng, &m_noiseBank);
        if (!wave)
            throw std::runtime_error(wave.error().toString().toStdString());
        LabelledCase c;
        c.source = source.source;
        c.length = std::int64_t(wave->size());
        c.values = std::move(*wave);
        if (Status s = m_frontEnd.apply(c, drawVtlpAlpha(m_waveform, rng)); !s)
            throw std::runtime_error(s.error().toString().toStdString());
        m_scaler.transform(c.values.data(), c.length, channels);
        const std::int64_t steps = std::min(c.length, length);
        std::copy(c.values.begin(), c.values.begin() + steps * channels,
                  out + b * length * channels);
        lengths[std::size_t(b)] = std::max<std::int64_t>(steps, 1);
    }
    ExampleBatch batch{x, m_plain->labels().index_select(0, order), {}, {}, 1.0, {}, {}, {}};
    const torch::Tensor lengthTensor = torch::tensor(lengths, torch::kLong);
    if (m_plain->lengths().defined() && lengthTensor.lt(length).any().item<bool>())
        batch.mask = torch::arange(length, torch::kLong).unsqueeze(0) < lengthTensor.unsqueeze(1);
    augmentBatch(batch.x, lengthTensor, m_features, rng);
    if (m_waveform.mixup > 0)
        mixBatch(batch, m_waveform.mixup, rng);
    return batch;
}

} // namespace twb
