#pragma once

#include "ExampleSet.h"

#include <QStringList>

#include <cstdint>

namespace twb {

/// SpecAugment for spectrogram inputs [time = frames, channels = mel bins]; 0 widths = off.
struct ExampleAugmentation
{
    int freqMaskWidth = 0; ///< F: each of `masks` frequency masks is U{0..F} bins wide
    int timeMaskWidth = 0; ///< T: each of `masks` time masks is U{0..T} frames wide
    int masks = 2;
    bool enabled() const { return freqMaskWidth > 0 || timeMaskWidth > 0; }
};

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
