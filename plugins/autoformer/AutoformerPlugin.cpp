#include "AutoformerPlugin.h"

#include "Autoformer.h"
#include "nn/CreateModel.h"
#include "plugin/EncoderHyperparameters.h"

namespace twb {

QString AutoformerPlugin::description() const
{
    return QStringLiteral(
        "A decomposition encoder-decoder for long-term forecasting. Every layer splits its series "
        "into a slowly varying trend (moving average) and a seasonal rest, and the decoder builds "
        "the forecast from an accumulated trend plus a refined seasonal part. Instead of "
        "attention between single time steps, auto-correlation finds the delays at which the "
        "series resembles itself (periods, through the FFT) and aggregates the whole series "
        "rolled by the strongest delays, so the model's mechanism is a set of periods with "
        "weights rather than an attention map.");
}

QString AutoformerPlugin::paper() const
{
    return QStringLiteral("H. Wu, J. Xu, J. Wang, M. Long: \"Autoformer: Decomposition "
                          "Transformers with Auto-Correlation for Long-Term Series Forecasting\", "
                          "NeurIPS 2021.");
}

namespace {

const EncoderWording encoderWording{
    .token = "time-step",
    .layersKey = "e_layers",
    .dropoutHelp = "Dropout after the embeddings, in the feed-forward blocks and on the residual "
                   "branches.",
    .maxDModel = 8192,
};

} // namespace

HyperparameterSchema AutoformerPlugin::hyperparameters() const
{
    using Spec = HyperparameterSpec;
    return HyperparameterSchema::concat({
        encoderHyperparameters(AutoformerOptions::defaultEncoder, encoderWording),
        encoderDecoderHyperparameters(),
        {
            Spec::integer(QStringLiteral("factor"), QStringLiteral("Delay factor"), 3, 1, 100,
                          QStringLiteral("Auto-correlation aggregates int(factor * ln L) delays "
                                         "of a series of L steps.")),
            Spec::integer(QStringLiteral("moving_avg"), QStringLiteral("Moving-average window"), 25,
                          1, 1001,
                          QStringLiteral("Window of the moving average that splits trend from "
                                         "seasonal part in every layer; must be odd.")),
        },
    });
}

Expected<std::shared_ptr<Model>> AutoformerPlugin::create(const ModelSpec &spec,
                                                          const HyperparameterValues &values) const
{
    AutoformerOptions options(spec);
    const EncoderDecoderSettings shared = encoderDecoderSettings(values);
    options.encoder(encoderSize(values, encoderWording))
        .decoderLayers(shared.decoderLayers)
        .labelLen(shared.labelLen)
        .factor(double(values.integer(QStringLiteral("factor"))))
        .movingAvg(values.integer(QStringLiteral("moving_avg")))
        .activation(shared.reluActivation ? FeedForwardActivation::Relu
                                          : FeedForwardActivation::Gelu)
        .useMarks(shared.useMarks);
    return createValidatedModel<AutoformerImpl>(options, QStringLiteral("Autoformer"));
}

} // namespace twb
