#pragma once

#include <torch/torch.h>

namespace twb {

/// The squared error of `prediction` against `target` over the values `hidden` marks, and only
/// those: the pretraining loss of PatchTST and TST (values the model saw do not count).
/// prediction, target: float [batch, lookback, channels]; hidden: bool of the same shape.
/// Mean: sum over hidden values / their count (0 when nothing is hidden); Sum: the plain sum.
/// Gradients flow through the hidden values of `prediction` only.
torch::Tensor maskedMseLoss(const torch::Tensor &prediction, const torch::Tensor &target,
                            const torch::Tensor &hidden,
                            torch::Reduction::Reduction reduction = torch::Reduction::Mean);

} // namespace twb
