#include "EncoderHyperparameters.h"

namespace twb {

std::vector<HyperparameterSpec> encoderHyperparameters(const EncoderSize &defaults,
                                                       const EncoderWording &wording)
{
    using Spec = HyperparameterSpec;
    const QLatin1String layer(wording.layer);
    QString layers = QString(layer) + QLatin1Char('s');
    layers[0] = layers[0].toUpper();
    return {
        Spec::integer(QStringLiteral("d_model"), QStringLiteral("Model width"), defaults.dModel, 1,
                      wording.maxDModel,
                      QStringLiteral("Size of each %1 token; must be divisible by the number of "
                                     "heads.")
                          .arg(QLatin1String(wording.token))),
        Spec::integer(QStringLiteral("n_heads"), QStringLiteral("Attention heads"),
                      defaults.numHeads, 1, 256,
                      QStringLiteral("Number of attention heads per %1.").arg(layer)),
        Spec::integer(QStringLiteral("d_ff"), QStringLiteral("Feed-forward width"), defaults.dFF, 1,
                      65536,
                      QStringLiteral("Hidden size of the %1 of each %2.")
                          .arg(QLatin1String(wording.feedForward), layer)),
        Spec::integer(QLatin1String(wording.layersKey), layers, defaults.numLayers, 1, 64,
                      QStringLiteral("Number of Transformer %1s.").arg(layer)),
        Spec::real(QStringLiteral("dropout"), QStringLiteral("Dropout"), defaults.dropout, 0.0,
                   0.99, QLatin1String(wording.dropoutHelp)),
    };
}

EncoderSize encoderSize(const HyperparameterValues &values, const EncoderWording &wording)
{
    return EncoderSize{
        .dModel = values.integer(QStringLiteral("d_model")),
        .numHeads = values.integer(QStringLiteral("n_heads")),
        .dFF = values.integer(QStringLiteral("d_ff")),
        .numLayers = values.integer(QLatin1String(wording.layersKey)),
        .dropout = values.real(QStringLiteral("dropout")),
    };
}

std::vector<HyperparameterSpec> encoderDecoderHyperparameters()
{
    using Spec = HyperparameterSpec;
    return {
        Spec::integer(QStringLiteral("d_layers"), QStringLiteral("Decoder layers"), 1, 1, 64,
                      QStringLiteral("Number of decoder layers.")),
        Spec::integer(QStringLiteral("label_len"), QStringLiteral("Label length"), 48, 0, 100000,
                      QStringLiteral("Known steps at the end of the lookback window the decoder "
                                     "starts from, before the horizon; at most the lookback.")),
        Spec::choice(QStringLiteral("activation"), QStringLiteral("Activation"),
                     {QStringLiteral("gelu"), QStringLiteral("relu")}, QStringLiteral("gelu"),
                     QStringLiteral("Activation of the feed-forward blocks.")),
        Spec::choice(QStringLiteral("embed"), QStringLiteral("Calendar embedding"),
                     {QStringLiteral("timeF"), QStringLiteral("none")}, QStringLiteral("timeF"),
                     QStringLiteral("timeF: add a linear embedding of the calendar features "
                                    "(hour of day, day of week ...) when the data has dates; "
                                    "none: never read them.")),
    };
}

EncoderDecoderSettings encoderDecoderSettings(const HyperparameterValues &values)
{
    EncoderDecoderSettings s;
    s.decoderLayers = values.integer(QStringLiteral("d_layers"));
    s.labelLen = values.integer(QStringLiteral("label_len"));
    s.reluActivation = values.text(QStringLiteral("activation")) == QLatin1String("relu");
    s.useMarks = values.text(QStringLiteral("embed")) == QLatin1String("timeF");
    return s;
}

} // namespace twb
