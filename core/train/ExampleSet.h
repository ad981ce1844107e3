#pragma once

#include "nn/Model.h"

#include <torch/torch.h>

#include <cstdint>

namespace twb {

/// One supervised batch, float32 inputs on the normalised scale:
///   forecasting:    x [batch, lookback, channels], y [batch, horizon, channels] float32
///   classification: x [batch, time, channels],     y [batch] int64 class indices
///   separation:     x [batch, samples, 1] mixtures, y [batch, sources, samples] the sources
struct ExampleBatch
{
    torch::Tensor x;
    torch::Tensor y;
    /// Classification: [batch, time] bool, true = a real step (ForwardOptions::stepMask);
    /// undefined when every step of the batch is real (and always for forecasting).
    torch::Tensor mask;
    /// Mixup (classification training batches only): x is mixWeight * x_a + (1 - mixWeight) *
    /// x_b, y the labels of the a cases and mixTargets those of the b cases; the loss is then
    /// mixWeight * CE(y) + (1 - mixWeight) * CE(mixTargets). Undefined = no mixing.
    torch::Tensor mixTargets;
    double mixWeight = 1.0;
    /// Forecasting with dates: the calendar features of x's steps [batch, lookback, F] and of
    /// y's steps [batch, horizon, F] (ForwardOptions::historyMarks / futureMarks); undefined
    /// when the series has no time column.
    torch::Tensor historyMarks;
    torch::Tensor futureMarks;
    /// Pretraining (masked reconstruction): [batch, lookback, channels] bool, true = hidden
    /// from the model (ForwardOptions::hidden); y is then the unmasked x and the loss counts
    /// the hidden values alone (LossKind::MaskedMeanSquaredError). Undefined otherwise.
    torch::Tensor hidden;
};

/// The options of a forward pass over `batch`: its step mask and calendar marks, and the
/// captures asked for.
inline ForwardOptions batchForwardOptions(const ExampleBatch &batch, bool captureAttention = false,
                                          bool captureIntermediates = false)
{
    ForwardOptions options(captureAttention, captureIntermediates, batch.mask);
    options.historyMarks = batch.historyMarks;
    options.futureMarks = batch.futureMarks;
    options.hidden = batch.hidden;
    return options;
}

/// The examples of one part (train, validation, test) that the Trainer draws batches from.
/// Implementations are immutable after construction, so any thread may read them.
class ExampleSet
{
public:
    virtual ~ExampleSet() = default;

    virtual std::int64_t size() const = 0;
    bool empty() const { return size() == 0; }

    /// The examples listed in `indices` (int64 [batch], values in [0, size())).
    virtual ExampleBatch batch(const torch::Tensor &indices) const = 0;
    /// Examples [begin, end) in order.
    ExampleBatch range(std::int64_t begin, std::int64_t end) const
    {
        return batch(torch::arange(begin, end, torch::kLong));
    }

    /// The batch used for a training step: batch(indices) with the set's training-time
    /// augmentation applied (SpecAugment for spectrograms). Deterministic in (seed, epoch,
    /// batchIndex) so that a resumed run sees the same augmented batches. Default: none.
    virtual ExampleBatch trainingBatch(const torch::Tensor &indices, std::uint64_t seed,
                                       std::int64_t epoch, std::int64_t batchIndex) const
    {
        (void)seed;
        (void)epoch;
        (void)batchIndex;
        return batch(indices);
    }
};

/// What the Trainer minimises.
enum class LossKind {
    MeanSquaredError, ///< forecasting: mean over every element
    CrossEntropy,     ///< classification: mean over examples of -log softmax(logits)[label]
    /// pretraining: mean squared error over the values the batch hid (ExampleBatch::hidden)
    MaskedMeanSquaredError,
    /// separation: mean over examples of minus the SI-SNR (dB) of the best assignment of
    /// estimated to reference sources (permutation-invariant training)
    NegativePitSiSnr,
};

} // namespace twb
