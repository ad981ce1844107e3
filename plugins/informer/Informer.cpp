#include "Informer.h"

#include "nn/RequireValid.h"
#include "nn/SpecCheck.h"

namespace twb {

namespace {

const QString modelName = QStringLiteral("Informer");

/// Checked before the base class is built from the config.
const InformerOptions &checked(const InformerOptions &options)
{
    requireValid(options);
    return options;
}

} // namespace

Status InformerOptions::validate() const
{
    if (Status s = checkForecastSpec(spec(), modelName); !s)
        return s;
    if (Status s = checkEncoderSizes(modelName, encoder()); !s)
        return s;
    if (factor() < 1)
        return Status(Error{
            QStringLiteral("Informer: factor must be at least 1, got %1").arg(factor()), {}, 0});
    return checkDecoderSizes(modelName, spec(), labelLen(), decoderLayers());
}

VanillaForecasterConfig InformerOptions::config() const
{
    const bool tslib = variant() == InformerVariant::TimeSeriesLibrary;
    const VanillaLayerOptions layer =
        VanillaLayerOptions(dModel(), dFF()).dropout(dropout()).activation(activation());
    const auto probSparse = [&](bool mix) {
        return SelectableAttentionOptions(AttentionKind::ProbSparse, dModel(), numHeads())
            .factor(factor())
            .mixHeads(mix);
    };
    const SelectableAttentionOptions cross =
        tslib ? probSparse(true)
              : SelectableAttentionOptions(AttentionKind::Full, dModel(), numHeads())
                    .attentionDropout(dropout());
    return VanillaForecasterConfig(modelName.toStdString(), spec(),
                                   VanillaEncoderOptions(layer, probSparse(tslib), numLayers())
                                       .distil(distil())
                                       .distilPadding(tslib ? 2 : 1),
                                   VanillaDecoderOptions(layer, probSparse(true), cross,
                                                         decoderLayers(), spec().channels))
        .labelLen(labelLen())
        .useMarks(useMarks())
        .dropout(dropout());
}

InformerImpl::InformerImpl(const InformerOptions &options)
    : VanillaForecaster(checked(options).config())
    , m_options(options)
{}

} // namespace twb
