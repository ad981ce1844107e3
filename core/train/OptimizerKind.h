#pragma once

#include <QString>

#include <optional>

namespace twb {

/// Which optimizer a run uses, and its settings: plain data, torch-free (TrainConfig keeps
/// them; Optimizer.h builds the torch optimizer from them).
enum class OptimizerKind { Adam, AdamW };

/// "adam", "adamw".
QString optimizerName(OptimizerKind kind);
std::optional<OptimizerKind> optimizerFromName(const QString &name);

struct OptimizerOptions
{
    OptimizerKind kind = OptimizerKind::Adam;
    double lr = 1e-3;
    /// Adam: L2 penalty added to the gradient; AdamW: decoupled weight decay.
    double weightDecay = 0.0;
};

} // namespace twb
