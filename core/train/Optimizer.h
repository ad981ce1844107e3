#pragma once

#include "OptimizerKind.h"
#include "common/Expected.h"

#include <torch/torch.h>

#include <QString>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace twb {

/// Parameters with their state_dict names ("encoder.layers.0.attention.weight").
using NamedParameters = std::vector<std::pair<std::string, torch::Tensor>>;

/// The parameters of `module` that require a gradient, in registration order. Frozen
/// parameters (requires_grad false) are left out of the optimizer.
NamedParameters trainableParameters(const torch::nn::Module &module);

/// A torch::optim::Adam or AdamW over `parameters`. Ownership: the caller owns the result.
std::unique_ptr<torch::optim::Optimizer> makeOptimizer(const OptimizerOptions &options,
                                                       const NamedParameters &parameters);

/// Sets the learning rate of every parameter group.
void setLearningRate(torch::optim::Optimizer &optimizer, double lr);

/// The per-parameter state of an Adam/AdamW optimizer keyed by parameter name, so that it
/// survives a new optimizer instance (resume): "<name>:step", "<name>:exp_avg",
/// "<name>:exp_avg_sq" and "<name>:max_exp_avg_sq" (amsgrad only).
c10::Dict<std::string, torch::Tensor> optimizerState(const torch::optim::Optimizer &optimizer,
                                                     OptimizerKind kind,
                                                     const NamedParameters &parameters);

/// Restores what optimizerState() saved into an optimizer over the same named parameters.
/// Errors: a parameter missing from the state or a tensor of another shape.
Status restoreOptimizerState(torch::optim::Optimizer &optimizer, OptimizerKind kind,
                             const NamedParameters &parameters,
                             const c10::Dict<std::string, torch::Tensor> &state);

} // namespace twb
