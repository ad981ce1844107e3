#include "DLinearPlugin.h"

#include "DLinear.h"
#include "nn/CreateModel.h"

namespace twb {

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
    return createValidatedModel<DLinearImpl>(options, QStringLiteral("DLinear"));
}

} // namespace twb
