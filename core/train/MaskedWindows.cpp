#include "MaskedWindows.h"
#include "ClassifyExamples.h"
#include "MaskGenerator.h"

#include <stdexcept>
#include <vector>

namespace twb {

namespace {

constexpr std::uint64_t maskTag = 0x6d61736b; // "mask": apart from the augmentations' draws

ExampleBatch reconstruction(ExampleBatch batch, torch::Tensor hidden)
{
    batch.y = batch.x;
    batch.hidden = std::move(hidden);
    return batch;
}

} // namespace

MaskedWindows::MaskedWindows(std::shared_ptr<const ExampleSet> windows,
                             std::shared_ptr<const std::optional<MaskingScheme>> scheme,
                             std::uint64_t maskSeed)
    : m_windows(std::move(windows))
    , m_scheme(std::move(scheme))
    , m_maskSeed(maskSeed)
{}

const MaskingScheme &MaskedWindows::scheme() const
{
    if (!m_scheme || !m_scheme->has_value())
        throw std::logic_error("MaskedWindows: no masking scheme yet (create the model first)");
    return **m_scheme;
}

ExampleBatch MaskedWindows::batch(const torch::Tensor &indices) const
{
    ExampleBatch batch = m_windows->batch(indices);
    const std::int64_t n = batch.x.size(0), length = batch.x.size(1), channels = batch.x.size(2);
    const torch::Tensor idx = indices.to(torch::kLong).contiguous();
    std::vector<torch::Tensor> masks;
    masks.reserve(std::size_t(n));
    for (std::int64_t i = 0; i < n; ++i) {
        std::seed_seq seq{std::uint64_t(m_maskSeed), std::uint64_t(m_maskSeed >> 32),
                          std::uint64_t(idx.data_ptr<std::int64_t>()[i]), maskTag};
        std::mt19937_64 rng(seq);
        masks.push_back(drawMask(scheme(), 1, length, channels, rng));
    }
    return reconstruction(std::move(batch),
                          n > 0 ? torch::cat(masks)
                                : torch::zeros({0, length, channels}, torch::kBool));
}

ExampleBatch MaskedWindows::trainingBatch(const torch::Tensor &indices, std::uint64_t seed,
                                          std::int64_t epoch, std::int64_t batchIndex) const
{
    ExampleBatch batch = m_windows->trainingBatch(indices, seed, epoch, batchIndex);
    std::mt19937_64 rng = batchGenerator(seed, epoch, batchIndex, maskTag);
    torch::Tensor hidden =
        drawMask(scheme(), batch.x.size(0), batch.x.size(1), batch.x.size(2), rng);
    return reconstruction(std::move(batch), std::move(hidden));
}

} // namespace twb
