#include "Autoformer.h"

#include "nn/AutoCorrelation.h"
#include "nn/RequireValid.h"

namespace twb {

Status AutoformerOptions::validate() const
{
    if (Status s = checkDecompositionConfig(config(), QStringLiteral("Autoformer")); !s)
        return s;
    if (!(factor() > 0.0))
        return Status(Error{
            QStringLiteral("Autoformer: factor must be positive, got %1").arg(factor()), {}, 0});
    return Status::ok();
}

DecompositionForecasterConfig AutoformerOptions::config() const
{
    DecompositionForecasterConfig c;
    c.spec = spec();
    c.encoder = encoder();
    c.decoderLayers = decoderLayers();
    c.labelLen = labelLen();
    c.movingAvg = movingAvg();
    c.activation = activation();
    c.useMarks = useMarks();
    return c;
}

namespace {

const AutoformerOptions &checked(const AutoformerOptions &options)
{
    requireValid(options);
    return options;
}

} // namespace

AutoformerImpl::AutoformerImpl(const AutoformerOptions &options)
    : DecompositionForecasterImpl(checked(options).config(), "Autoformer",
                                  [&options](CorrelationRole) {
                                      return std::make_shared<AutoCorrelationImpl>(
                                          AutoCorrelationOptions(options.factor()));
                                  })
    , m_options(options)
{}

} // namespace twb
