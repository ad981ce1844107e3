#include "DLinearPlugin.h"

#include "DLinear.h"

namespace twb {

QString DLinearPlugin::id() const
{
    return QStringLiteral("dlinear");
}

QString DLinearPlugin::displayName() const
{
    return QStringLiteral("DLinear / NLinear");
}

QString DLinearPlugin::description() const
{
    return QStringLiteral(
        "Embarrassingly simple linear forecasters that map the lookback window straight to the "
        "horizon along time. DLinear splits each channel into a trend (moving average with "
        "replicated edges) and a seasonal remainder and applies one linear layer to each; "
        "NLinear subtracts the last observed value, applies one linear layer and adds it back, "
        "which helps under distribution shift. The weights are shared by all channels or, with "
        "'individual', learned per channel. There is no attention to inspect, but the weights "
        "themselves show which lags matter.");
}

QString DLinearPlugin::paper() const
{
    return QStringLiteral("A. Zeng, M. Chen, L. Zhang, Q. Xu: \"Are Transformers Effective for "
                          "Time Series Forecasting?\", AAAI 2023.");
}

QList<Task> DLinearPlugin::tasks() const
{
    return {Task::Forecast};
}

HyperparameterSchema DLinearPlugin::hyperparameters() const
{
    using Spec = HyperparameterSpec;
    return HyperparameterSchema({
        Spec::choice(QStringLiteral("variant"), QStringLiteral("Variant"),
                     {QStringLiteral("dlinear"), QStringLiteral("nlinear")},
                     QStringLiteral("dlinear"),
                     QStringLiteral("dlinear: trend/seasonal decomposition with one linear map "
                                    "each; nlinear: subtract the last value, one linear map.")),
        Spec::boolean(QStringLiteral("individual"), QStringLiteral("Per-channel weights"), false,
                      QStringLiteral("Learn one linear map per channel instead of one shared by "
                                     "all channels.")),
        Spec::integer(QStringLiteral("kernel_size"), QStringLiteral("Moving-average kernel"), 25, 1,
                      1001,
                      QStringLiteral("Window of the moving average that extracts the trend "
                                     "(DLinear only); must be odd.")),
    });
}

Expected<std::shared_ptr<Model>> DLinearPlugin::create(const ModelSpec &spec,
                                                       const HyperparameterValues &values) const
{
    DLinearOptions options(spec);
    options
        .variant(values.text(QStringLiteral("variant")) == QLatin1String("nlinear")
                     ? LinearVariant::NLinear
                     : LinearVariant::DLinear)
        .individual(values.boolean(QStringLiteral("individual")))
        .kernelSize(values.integer(QStringLiteral("kernel_size")));
    if (Status valid = options.validate(); !valid)
        return valid.error();
    try {
        return std::shared_ptr<Model>(std::make_shared<DLinearImpl>(options));
    } catch (const std::exception &e) {
        return Error{
            QStringLiteral("DLinear: cannot create the model: %1").arg(QString::fromUtf8(e.what())),
            {},
            0};
    }
}

} // namespace twb
