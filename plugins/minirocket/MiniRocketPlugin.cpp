#include "MiniRocketPlugin.h"

#include "MiniRocket.h"
#include "nn/CreateModel.h"

namespace twb {

QString MiniRocketPlugin::description() const
{
    return QStringLiteral(
        "A strong simple baseline for classifying series, fitted in one pass instead of trained "
        "by gradients: 84 fixed convolution kernels of length 9 (weights -1 and 2) at dilations "
        "spread up to the series length, each followed by the proportion of positive values "
        "above biases taken from quantiles of training cases, give about 10,000 features; a "
        "ridge classifier with its regularisation chosen by leave-one-out reads them. Epochs, "
        "batches and the learning rate do not apply: the run fits once on the training part "
        "(to measure the validation loss), then on training and validation together. The "
        "scores are the ridge's decision values. The forward-pass view shows which kernels fire "
        "at which dilation and which of them made the prediction.");
}

QString MiniRocketPlugin::paper() const
{
    return QStringLiteral("A. Dempster, D. F. Schmidt, G. I. Webb: \"MINIROCKET: A Very Fast "
                          "(Almost) Deterministic Transform for Time Series Classification\", "
                          "KDD 2021.");
}

HyperparameterSchema MiniRocketPlugin::hyperparameters() const
{
    using Spec = HyperparameterSpec;
    const MiniRocketOptions defaults{ModelSpec{}};
    return HyperparameterSchema({
        Spec::integer(QStringLiteral("num_features"), QStringLiteral("Features"),
                      int(defaults.numFeatures()), 84, 100000,
                      QStringLiteral("How many features the transform makes (rounded down to a "
                                     "multiple of the 84 kernels; the paper uses 10,000).")),
        Spec::integer(QStringLiteral("max_dilations"), QStringLiteral("Dilations per kernel"),
                      int(defaults.maxDilations()), 1, 64,
                      QStringLiteral("At most this many dilations per kernel, spread "
                                     "exponentially up to the series length (the paper: 32).")),
    });
}

Expected<std::shared_ptr<Model>> MiniRocketPlugin::create(const ModelSpec &spec,
                                                          const HyperparameterValues &values) const
{
    MiniRocketOptions options(spec);
    options.numFeatures(values.integer(QStringLiteral("num_features")))
        .maxDilations(values.integer(QStringLiteral("max_dilations")));
    return createValidatedModel<MiniRocketImpl>(options, QStringLiteral("MiniRocket"));
}

} // namespace twb
