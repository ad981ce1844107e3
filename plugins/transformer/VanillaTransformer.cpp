#include "VanillaTransformer.h"

#include "nn/RequireValid.h"
#include "nn/SpecCheck.h"

namespace twb {

namespace {

const QString modelName = QStringLiteral("Transformer");

/// Checked before the base class is built from the config.
const VanillaTransformerOptions &checked(const VanillaTransformerOptions &options)
{
    requireValid(options);
    return options;
}

} // namespace

Status VanillaTransformerOptions::validate() const
{
    if (Status s = checkForecastSpec(spec(), modelName); !s)
        return s;
    if (Status s = checkEncoderSizes(modelName, encoder()); !s)
        return s;
    return checkDecoderSizes(modelName, spec(), labelLen(), decoderLayers());
}

VanillaForecasterConfig VanillaTransformerOptions::config() const
{
    const VanillaLayerOptions layer =
        VanillaLayerOptions(dModel(), dFF()).dropout(dropout()).activation(activation());
    const auto full = SelectableAttentionOptions(AttentionKind::Full, dModel(), numHeads())
                          .attentionDropout(dropout());
    return VanillaForecasterConfig(
               modelName.toStdString(), spec(), VanillaEncoderOptions(layer, full, numLayers()),
               VanillaDecoderOptions(layer, full, full, decoderLayers(), spec().channels))
        .labelLen(labelLen())
        .useMarks(useMarks())
        .dropout(dropout());
}

VanillaTransformerImpl::VanillaTransformerImpl(const VanillaTransformerOptions &options)
    : VanillaForecaster(checked(options).config())
    , m_options(options)
{}

} // namespace twb
