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

} // namespace twb
