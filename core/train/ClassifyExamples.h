#pragma once

#include "Augmentation.h"
#include "ExampleSet.h"

#include <QStringList>

#include <cstdint>

namespace twb {

/// Training-time augmentation of fixed-length cases: SpecAugment for spectrogram inputs [time =
/// frames, channels = mel bins] (0 widths = off) and the series augmentations of `series`
/// (jitter, scale, warp, slice; its waveform items are not used here).
struct ExampleAugmentation
{
    int freqMaskWidth = 0; ///< F: each of `masks` frequency masks is U{0..F} bins wide
    int timeMaskWidth = 0; ///< T: each of `masks` time masks is U{0..T} frames wide
    int masks = 2;
    AugmentSpec series; ///< its series items and mixup
    bool enabled() const
    {
        return freqMaskWidth > 0 || timeMaskWidth > 0 || series.series() || series.mixup > 0;
    }
};

/// Applies `augmentation` in place to a batch x [batch, frames, channels] (float32,
/// contiguous): the series augmentations on each case's first lengths[i] steps (all steps when
/// `lengths` is undefined), then SpecAugment (masks filled with 0 = the normalised mean).
void augmentBatch(torch::Tensor &x, const torch::Tensor &lengths,
                  const ExampleAugmentation &augmentation, std::mt19937_64 &rng);

/// Mixup of a whole batch (AugmentSpec::mixup > 0): the cases mixed with a seeded permutation
/// of themselves, weight drawn from Beta(alpha, alpha); the step mask becomes the union of both
/// cases' masks. Sets batch.mixTargets and mixWeight. Nothing for batches of one case.
void mixBatch(ExampleBatch &batch, double alpha, std::mt19937_64 &rng);

/// The generator of a training batch, seeded from its position so that a resumed run draws
/// the same augmentations: (seed, epoch, batchIndex, tag).
std::mt19937_64 batchGenerator(std::uint64_t seed, std::int64_t epoch, std::int64_t batchIndex,
                               std::uint64_t tag);

/// Labelled fixed-length cases as one tensor: x [cases, length, channels] float32 on the
/// normalised scale (padded steps are 0), y [cases] int64 class indices; a batch carries the
/// step mask of its padded cases (ExampleBatch::mask). Immutable; any
/// thread may read. Training batches may be augmented (SpecAugment, masks filled with 0 = the
/// normalised mean), deterministically in (seed, epoch, batch).
class ClassifyExamples : public ExampleSet
{
public:
    ClassifyExamples() = default;
    /// x: [cases, length, channels] float32; labels: [cases] int64; lengths: [cases] int64,
    /// the real steps of each case (the rest of its row is padding), or undefined when every
    /// case is full length. Throws std::invalid_argument on other shapes.
    ClassifyExamples(torch::Tensor x, torch::Tensor labels, QStringList sources,
                     ExampleAugmentation augmentation = {}, torch::Tensor lengths = {});

    std::int64_t size() const override { return m_labels.defined() ? m_labels.size(0) : 0; }
    ExampleBatch batch(const torch::Tensor &indices) const override;
    ExampleBatch trainingBatch(const torch::Tensor &indices, std::uint64_t seed, std::int64_t epoch,
                               std::int64_t batchIndex) const override;

    const torch::Tensor &inputs() const { return m_x; }
    const torch::Tensor &labels() const { return m_labels; }
    /// [cases] int64 real steps per case, or undefined (all full length).
    const torch::Tensor &lengths() const { return m_lengths; }
    /// Where each case came from (file or file:line), size == size().
    const QStringList &sources() const { return m_sources; }

private:
    torch::Tensor m_x;
    torch::Tensor m_labels;
    torch::Tensor m_lengths;
    QStringList m_sources;
    ExampleAugmentation m_augmentation;
};

} // namespace twb
