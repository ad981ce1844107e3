#include "OptimizerKind.h"

namespace twb {

QString optimizerName(OptimizerKind kind)
{
    return kind == OptimizerKind::AdamW ? QStringLiteral("adamw") : QStringLiteral("adam");
}

std::optional<OptimizerKind> optimizerFromName(const QString &name)
{
    if (name == QLatin1String("adam"))
        return OptimizerKind::Adam;
    if (name == QLatin1String("adamw"))
        return OptimizerKind::AdamW;
    return std::nullopt;
}

} // namespace twb
