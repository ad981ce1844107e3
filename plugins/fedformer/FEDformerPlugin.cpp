#include "FEDformerPlugin.h"

#include "FEDformer.h"
#include "nn/CreateModel.h"
#include "plugin/EncoderHyperparameters.h"

namespace twb {

QString FEDformerPlugin::description() const
{
    return QStringLiteral(
        "A frequency-enhanced decomposition Transformer for long-term forecasting. Like "
        "Autoformer, every layer splits its series into a moving-average trend and a seasonal "
        "rest, and the decoder accumulates the trend while refining the seasonal part. Instead "
        "of attention, each layer works on a fixed random subset of Fourier modes: the encoder "
        "and decoder blocks multiply the kept frequencies by learned complex weights per head, "
        "and the cross block relates the decoder's modes to the encoder's through a tanh "
        "activation in the frequency domain. The mechanism to inspect is which frequencies are "
        "kept and how strongly each is weighted.");
}

QString FEDformerPlugin::paper() const
{
    return QStringLiteral("T. Zhou, Z. Ma, Q. Wen, X. Wang, L. Sun, R. Jin: \"FEDformer: Frequency "
                          "Enhanced Decomposed Transformer for Long-term Series Forecasting\", "
                          "ICML 2022.");
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

HyperparameterSchema FEDformerPlugin::hyperparameters() const
{
    using Spec = HyperparameterSpec;
    return HyperparameterSchema::concat({
        encoderHyperparameters(FEDformerOptions::defaultEncoder, encoderWording),
        encoderDecoderHyperparameters(),
        {
            Spec::integer(QStringLiteral("moving_avg"), QStringLiteral("Moving-average window"), 25,
                          1, 1001,
                          QStringLiteral("Window of the moving average that splits trend from "
                                         "seasonal part in every layer; must be odd.")),
            Spec::integer(QStringLiteral("modes"), QStringLiteral("Fourier modes"), 32, 1, 10000,
                          QStringLiteral("Frequencies kept by each Fourier block: at most half "
                                         "the length of its series.")),
            Spec::choice(QStringLiteral("mode_select"), QStringLiteral("Mode selection"),
                         {QStringLiteral("random"), QStringLiteral("low")},
                         QStringLiteral("random"),
                         QStringLiteral("random: a random subset of the frequencies, drawn once "
                                        "when the model is created; low: the lowest ones.")),
            Spec::choice(QStringLiteral("layout"), QStringLiteral("Block output layout"),
                         {QStringLiteral("time_first"), QStringLiteral("official")},
                         QStringLiteral("time_first"),
                         QStringLiteral("time_first: each Fourier block's output is passed on "
                                        "step by step; official: as the published code, which "
                                        "reads the [heads, channels, time] output as if it were "
                                        "[time, channels] (use it to reproduce the paper).")),
        },
    });
}

Expected<std::shared_ptr<Model>> FEDformerPlugin::create(const ModelSpec &spec,
                                                         const HyperparameterValues &values) const
{
    FEDformerOptions options(spec);
    const EncoderDecoderSettings shared = encoderDecoderSettings(values);
    options.encoder(encoderSize(values, encoderWording))
        .decoderLayers(shared.decoderLayers)
        .labelLen(shared.labelLen)
        .movingAvg(values.integer(QStringLiteral("moving_avg")))
        .activation(shared.reluActivation ? FeedForwardActivation::Relu
                                          : FeedForwardActivation::Gelu)
        .useMarks(shared.useMarks)
        .modes(values.integer(QStringLiteral("modes")))
        .officialLayout(values.text(QStringLiteral("layout")) == QLatin1String("official"))
        .modeSelect(values.text(QStringLiteral("mode_select")) == QLatin1String("low")
                        ? ModeSelect::Low
                        : ModeSelect::Random);
    return createValidatedModel<FEDformerImpl>(options, QStringLiteral("FEDformer"));
}

} // namespace twb
