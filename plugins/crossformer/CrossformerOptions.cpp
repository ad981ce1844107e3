#include "CrossformerOptions.h"

#include "nn/SpecCheck.h"

namespace twb {

Status CrossformerOptions::validate() const
{
    if (Status s = checkForecastSpec(spec(), QStringLiteral("Crossformer")); !s)
        return s;
    const auto fail = [](const QString &reason) {
        return Status(Error{QStringLiteral("Crossformer: ") + reason, {}, 0});
    };
    if (segmentLength() < 1)
        return fail(QStringLiteral("seg_len must be at least 1, got %1").arg(segmentLength()));
    if (mergeWindow() < 1)
        return fail(QStringLiteral("win_size must be at least 1, got %1").arg(mergeWindow()));
    if (factor() < 1)
        return fail(QStringLiteral("factor (routers) must be at least 1, got %1").arg(factor()));
    return checkEncoderSizes(QStringLiteral("Crossformer"), encoder());
}

std::int64_t CrossformerOptions::inputSegments() const
{
    return (spec().lookback + segmentLength() - 1) / segmentLength();
}

std::int64_t CrossformerOptions::outputSegments() const
{
    return (spec().horizon + segmentLength() - 1) / segmentLength();
}

std::int64_t CrossformerOptions::layerSegments(std::int64_t layer) const
{
    std::int64_t n = inputSegments();
    for (std::int64_t i = 0; i < layer; ++i)
        n = (n + mergeWindow() - 1) / mergeWindow();
    return n;
}

} // namespace twb
