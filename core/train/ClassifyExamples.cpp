#include "ClassifyExamples.h"

#include "dsp/SpecAugment.h"

#include <random>
#include <span>
#include <stdexcept>

namespace twb {

ClassifyExamples::ClassifyExamples(torch::Tensor x, torch::Tensor labels, QStringList sources,
                                   ExampleAugmentation augmentation, torch::Tensor lengths)
    : m_x(std::move(x))
    , m_labels(std::move(labels))
    , m_lengths(std::move(lengths))
    , m_sources(std::move(sources))
    , m_augmentation(augmentation)
{
    if (m_x.dim() != 3 || m_x.scalar_type() != torch::kFloat)
        throw std::invalid_argument(
            "ClassifyExamples: x must be float32 [cases, length, channels]");
    if (m_labels.dim() != 1 || m_labels.scalar_type() != torch::kLong ||
        m_labels.size(0) != m_x.size(0))
        throw std::invalid_argument("ClassifyExamples: labels must be int64 [cases]");
    if (m_lengths.defined() && (m_lengths.dim() != 1 || m_lengths.scalar_type() != torch::kLong ||
                                m_lengths.size(0) != m_x.size(0)))
        throw std::invalid_argument("ClassifyExamples: lengths must be int64 [cases]");
    if (m_lengths.defined() && m_lengths.ge(m_x.size(1)).all().item<bool>())
        m_lengths = torch::Tensor(); // every case is full length: no masks
    m_x = m_x.contiguous();
}

ExampleBatch ClassifyExamples::batch(const torch::Tensor &indices) const
{
    ExampleBatch b{
        m_x.index_select(0, indices), m_labels.index_select(0, indices), {}, {}, 1.0, {}, {}, {}};
    if (m_lengths.defined()) {
        const torch::Tensor lengths = m_lengths.index_select(0, indices);
        if (lengths.lt(m_x.size(1)).any().item<bool>())
            b.mask = torch::arange(m_x.size(1), torch::kLong).unsqueeze(0) < lengths.unsqueeze(1);
    }
    return b;
}

ExampleBatch ClassifyExamples::trainingBatch(const torch::Tensor &indices, std::uint64_t seed,
                                             std::int64_t epoch, std::int64_t batchIndex) const
{
    ExampleBatch b = batch(indices);
    if (!m_augmentation.enabled())
        return b;
    std::mt19937_64 rng = batchGenerator(seed, epoch, batchIndex, 0x5ec5ec);
    b.x = b.x.contiguous();
    augmentBatch(b.x, m_lengths.defined() ? m_lengths.index_select(0, indices) : torch::Tensor(),
                 m_augmentation, rng);
    if (m_augmentation.series.mixup > 0)
        mixBatch(b, m_augmentation.series.mixup, rng);
    return b;
}

void mixBatch(ExampleBatch &batch, double alpha, std::mt19937_64 &rng)
{
    const std::int64_t n = batch.x.size(0);
    if (n < 2 || alpha <= 0)
        return;
    std::gamma_distribution<double> gamma(alpha, 1.0);
    const double a = gamma(rng), b = gamma(rng);
    const double weight = a + b > 0 ? a / (a + b) : 0.5;
    std::vector<std::int64_t> order(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i)
        order[std::size_t(i)] = i;
    for (std::size_t i = order.size(); i > 1; --i) // Fisher-Yates on raw engine output
        std::swap(order[i - 1], order[std::size_t(rng() % i)]);
    const torch::Tensor other = torch::tensor(order, torch::kLong);
    batch.x = weight * batch.x + (1.0 - weight) * batch.x.index_select(0, other);
    batch.mixTargets = batch.y.index_select(0, other);
    batch.mixWeight = weight;
    if (batch.mask.defined())
        batch.mask = batch.mask.logical_or(batch.mask.index_select(0, other));
}

std::mt19937_64 batchGenerator(std::uint64_t seed, std::int64_t epoch, std::int64_t batchIndex,
                               std::uint64_t tag)
{
    std::seed_seq sequence{std::uint64_t(seed), std::uint64_t(epoch), std::uint64_t(batchIndex),
                           tag};
    return std::mt19937_64(sequence);
}

void augmentBatch(torch::Tensor &x, const torch::Tensor &lengths,
                  const ExampleAugmentation &augmentation, std::mt19937_64 &rng)
{
    const std::int64_t frames = x.size(1);
    const std::int64_t bins = x.size(2);
    float *data = x.data_ptr<float>();
    if (augmentation.series.series())
        for (std::int64_t i = 0; i < x.size(0); ++i) {
            const std::int64_t steps =
                lengths.defined() ? std::min(frames, lengths[i].item<std::int64_t>()) : frames;
            augmentSeries(data + i * frames * bins, steps, bins, augmentation.series, rng);
        }
    if (augmentation.freqMaskWidth <= 0 && augmentation.timeMaskWidth <= 0)
        return;
    dsp::SpecAugmentOptions options;
    options.freqMaskParam = augmentation.freqMaskWidth;
    options.freqMasks = augmentation.freqMaskWidth > 0 ? augmentation.masks : 0;
    options.timeMaskParam = augmentation.timeMaskWidth;
    options.timeMasks = augmentation.timeMaskWidth > 0 ? augmentation.masks : 0;
    options.fill = 0.0f;
    for (std::int64_t i = 0; i < x.size(0); ++i) {
        std::span<float> example(data + i * frames * bins, std::size_t(frames * bins));
        (void)dsp::applySpecAugment(example, bins, frames, dsp::SpectrogramLayout::FramesBins,
                                    options, rng);
    }
}

} // namespace twb
