#pragma once

#include "ExampleSet.h"
#include "audio/Mixtures.h"
#include "data/LabelledDataset.h"

#include <QStringList>

#include <cstdint>
#include <memory>
#include <vector>

namespace twb {

/// The mixtures of one part of a separation run as an ExampleSet, float32 (renderMixture):
///   x [batch, length, 1]        the mixture,
///   y [batch, sources, length]  each source as it lies in the mixture (scaled, padded/cut),
/// with x == y.sum(1) to float rounding.
///
/// The set lists size() mixtures, drawn once from its utterances (drawMixtures, options.seed);
/// batch() renders those. With `freshForTraining` (the training part), trainingBatch() instead
/// draws as many new mixtures as the batch asks for, seeded by (the run's seed, epoch,
/// batchIndex): every epoch hears new pairs and levels, a resumed run the same ones as an
/// uninterrupted run.
///
/// Immutable after construction; any thread may read it.
class MixtureExamples : public ExampleSet
{
public:
    /// `utterances` mono with a rate; speakers[i] the speaker of utterance i; `mixtures` drawn
    /// from them (MixtureSpec::length == options.length for every one).
    MixtureExamples(std::shared_ptr<const LabelledDataset> utterances, QStringList speakers,
                    std::vector<MixtureSpec> mixtures, MixtureOptions options,
                    bool freshForTraining);

    std::int64_t size() const override { return std::int64_t(m_mixtures.size()); }
    ExampleBatch batch(const torch::Tensor &indices) const override;
    ExampleBatch trainingBatch(const torch::Tensor &indices, std::uint64_t seed, std::int64_t epoch,
                               std::int64_t batchIndex) const override;

    const std::vector<MixtureSpec> &mixtures() const { return m_mixtures; }
    const LabelledDataset &utterances() const { return *m_utterances; }
    const QStringList &speakers() const { return m_speakers; }
    std::int64_t length() const { return m_options.length; }
    std::int64_t sources() const { return m_options.sources; }

    /// "a.wav + b.wav" (the utterances' paths relative to `root` when below it) of mixture i.
    QString describe(std::int64_t i, const QString &root = {}) const;

    /// The batch of `specs` rendered.
    ExampleBatch render(const std::vector<MixtureSpec> &specs) const;

private:
    std::shared_ptr<const LabelledDataset> m_utterances;
    QStringList m_speakers;
    std::vector<MixtureSpec> m_mixtures;
    MixtureOptions m_options;
    std::vector<std::int64_t> m_candidates; ///< every utterance
    bool m_fresh;
};

/// 64-bit seed of a training batch's fresh mixtures: splitmix64 over (seed, epoch, batchIndex).
std::uint64_t mixtureBatchSeed(std::uint64_t seed, std::int64_t epoch, std::int64_t batchIndex);

} // namespace twb
