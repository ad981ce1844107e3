#pragma once

#include "Checkpoint.h"
#include "common/Expected.h"

#include <torch/torch.h>

#include <QString>
#include <QStringList>

namespace twb {

/// What initialising a model from another run's weights did.
struct InitReport
{
    QStringList loaded;      ///< names copied from the source
    QStringList notInSource; ///< model tensors the source lacks (they keep their fresh values)
    QStringList notInModel;  ///< source tensors the model lacks (ignored)
};

/// Copies every tensor (parameter or buffer) that `source` and `module` share by name. A name
/// present in both with different shapes is an error naming the tensor and both shapes;
/// `sourceName` (the checkpoint path) is the file of the error. Nothing is copied on error.
Expected<InitReport> initializeFrom(torch::nn::Module &module, const TensorDict &source,
                                    const QString &sourceName);

/// Freezes every parameter whose name starts with one of `prefixes` (requires_grad false; the
/// trainer leaves such parameters out of the optimizer). Returns the frozen names. A prefix
/// that matches no parameter is an error naming the prefix (a typo must not go unnoticed).
Expected<QStringList> freezeParameters(torch::nn::Module &module, const QStringList &prefixes);

} // namespace twb
