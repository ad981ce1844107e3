#pragma once

#include <torch/torch.h>

namespace twb {

/// ForwardOptions::stepMask checked against a classifier's input [batch, time, channels]:
/// the mask as bool [batch, time] (true = a real step), or an undefined tensor when none is
/// given. Another shape throws (TORCH_CHECK) with the model's name and both shapes.
torch::Tensor checkedStepMask(const torch::Tensor &mask, const torch::Tensor &input,
                              const char *model);

} // namespace twb
