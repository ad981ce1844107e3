#include "SpecCheck.h"

#include <vector>

namespace twb {

Status checkForecastSpec(const ModelSpec &spec, const QString &model)
{
    const auto fail = [&model](const QString &reason) {
        return Status(Error{model + QLatin1String(": ") + reason, {}, 0});
    };
    if (spec.task != Task::Forecast)
        return fail(QStringLiteral("supports only the task \"forecast\", not \"%1\"")
                        .arg(taskName(spec.task)));
    if (spec.lookback <= 0)
        return fail(QStringLiteral("lookback must be positive, got %1").arg(spec.lookback));
    if (spec.horizon <= 0)
        return fail(QStringLiteral("horizon must be positive, got %1").arg(spec.horizon));
    if (spec.channels <= 0)
        return fail(QStringLiteral("channels must be positive, got %1").arg(spec.channels));
    if (!spec.channelNames.empty() && std::int64_t(spec.channelNames.size()) != spec.channels)
        return fail(QStringLiteral("%1 channel names given for %2 channels")
                        .arg(spec.channelNames.size())
                        .arg(spec.channels));
    return Status::ok();
}

Status checkReconstructSpec(const ModelSpec &spec, const QString &model)
{
    if (spec.task != Task::Reconstruct)
        return Status(Error{model + QStringLiteral(": expected the task \"reconstruct\", not "
                                                   "\"%1\"")
                                        .arg(taskName(spec.task)),
                            {},
                            0});
    ModelSpec asForecast = spec;
    asForecast.task = Task::Forecast;
    asForecast.horizon = 1; // not read: the reconstruction has the input's shape
    return checkForecastSpec(asForecast, model);
}

Status checkClassifySpec(const ModelSpec &spec, const QString &model)
{
    const auto fail = [&model](const QString &reason) {
        return Status(Error{model + QLatin1String(": ") + reason, {}, 0});
    };
    if (spec.task != Task::Classify)
        return fail(QStringLiteral("supports only the task \"classify\", not \"%1\"")
                        .arg(taskName(spec.task)));
    if (spec.lookback <= 0)
        return fail(
            QStringLiteral("the sequence length must be positive, got %1").arg(spec.lookback));
    if (spec.channels <= 0)
        return fail(QStringLiteral("channels must be positive, got %1").arg(spec.channels));
    if (spec.numClasses < 2)
        return fail(QStringLiteral("at least two classes are needed, got %1").arg(spec.numClasses));
    if (!spec.channelNames.empty() && std::int64_t(spec.channelNames.size()) != spec.channels)
        return fail(QStringLiteral("%1 channel names given for %2 channels")
                        .arg(spec.channelNames.size())
                        .arg(spec.channels));
    return Status::ok();
}

Status checkSeparateSpec(const ModelSpec &spec, const QString &model, std::int64_t maxSources)
{
    const auto fail = [&model](const QString &reason) {
        return Status(Error{model + QLatin1String(": ") + reason, {}, 0});
    };
    if (spec.task != Task::Separate)
        return fail(QStringLiteral("supports only the task \"separate\", not \"%1\"")
                        .arg(taskName(spec.task)));
    if (spec.lookback <= 0)
        return fail(QStringLiteral("the mixture length must be positive, got %1 samples")
                        .arg(spec.lookback));
    if (spec.channels != 1)
        return fail(
            QStringLiteral("separates one-channel mixtures, got %1 channels").arg(spec.channels));
    if (spec.sources < 2 || spec.sources > maxSources)
        return fail(
            QStringLiteral("separates 2 to %1 sources, got %2").arg(maxSources).arg(spec.sources));
    return Status::ok();
}

Status checkEncoderSizes(const QString &model, const EncoderSize &size,
                         std::initializer_list<double> otherDropouts)
{
    const auto fail = [&model](const QString &reason) {
        return Status(Error{model + QLatin1String(": ") + reason, {}, 0});
    };
    if (size.dModel < 1 || size.numHeads < 1 || size.dFF < 1 || size.numLayers < 1)
        return fail(QStringLiteral("d_model, n_heads, d_ff and the number of layers must be "
                                   "positive"));
    if (size.dModel % size.numHeads != 0)
        return fail(QStringLiteral("d_model %1 is not divisible by n_heads %2")
                        .arg(size.dModel)
                        .arg(size.numHeads));
    std::vector<double> dropouts{size.dropout};
    dropouts.insert(dropouts.end(), otherDropouts);
    for (double p : dropouts)
        if (!(p >= 0.0 && p < 1.0))
            return fail(QStringLiteral("dropout rates must lie in [0, 1), got %1").arg(p));
    return Status::ok();
}

std::string channelName(const ModelSpec &spec, std::int64_t channel)
{
    if (channel >= 0 && channel < std::int64_t(spec.channelNames.size()))
        return spec.channelNames[std::size_t(channel)];
    return "ch" + std::to_string(channel);
}

} // namespace twb
