#pragma once

#include "ExampleSet.h"
#include "nn/MaskingScheme.h"

#include <cstdint>
#include <memory>
#include <optional>

namespace twb {

/// The examples of self-supervised pretraining (masked reconstruction) over windows of a series:
/// x [batch, lookback, channels] the window, y the same window, hidden [batch, lookback,
/// channels] the values the model must reconstruct without seeing them (drawn following the
/// model's MaskingScheme, see MaskGenerator.h).
///
/// Masks are seeded: a training batch's mask depends on (seed, epoch, batch index) alone, so a
/// resumed run draws the same masks; batch() (validation, test) gives every window a fixed mask
/// drawn from (maskSeed, window index), so validation losses of different epochs compare.
///
/// The scheme is shared with the pipeline, which learns it from the model once the model is
/// created, before the first batch; a batch before that throws std::logic_error.
/// Immutable after the scheme is set: any thread may read.
class MaskedWindows : public ExampleSet
{
public:
    /// `windows`: an ExampleSet whose batch x is [batch, lookback, channels] (its y is
    /// ignored). Not owned alone: shared.
    MaskedWindows(std::shared_ptr<const ExampleSet> windows,
                  std::shared_ptr<const std::optional<MaskingScheme>> scheme,
                  std::uint64_t maskSeed);

    std::int64_t size() const override { return m_windows->size(); }
    ExampleBatch batch(const torch::Tensor &indices) const override;
    ExampleBatch trainingBatch(const torch::Tensor &indices, std::uint64_t seed, std::int64_t epoch,
                               std::int64_t batchIndex) const override;

private:
    const MaskingScheme &scheme() const;

    std::shared_ptr<const ExampleSet> m_windows;
    std::shared_ptr<const std::optional<MaskingScheme>> m_scheme;
    std::uint64_t m_maskSeed = 0;
};

} // namespace twb
