#pragma once

#include "ExampleSet.h"

#include <QString>
#include <torch/torch.h>

#include <cstdint>

namespace twb {

/// The loss of `prediction` against `target`, reduced as asked (mean by default): MSE, over
/// channel `scored` of the last axis alone when it is >= 0; cross-entropy of logits
/// [batch, classes] against int64 labels [batch]; masked MSE over the values `hidden` marks;
/// minus the permutation-invariant SI-SNR (dB) per example of sources [batch, sources, samples].
torch::Tensor computeLoss(const torch::Tensor &prediction, const torch::Tensor &target,
                          LossKind kind, std::int64_t scored,
                          torch::Reduction::Reduction reduction = torch::Reduction::Mean,
                          const torch::Tensor &hidden = {});

/// Forecast and reconstruction: prediction and target have the same shape. Classify: logits
/// [batch, classes] for int64 targets [batch]. Separate: both [batch, sources, samples].
bool predictionFits(const torch::Tensor &prediction, const torch::Tensor &target, LossKind kind);

/// "NaN" or "Inf", for the messages about a loss that is not finite.
QString nonFiniteName(double v);

} // namespace twb
