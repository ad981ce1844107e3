#include "FEDformer.h"
#include "nn/RequireValid.h"

namespace twb {

Status FEDformerOptions::validate() const
{
    if (Status s = checkDecompositionConfig(config(), QStringLiteral("FEDformer")); !s)
        return s;
    const auto fail = [](const QString &reason) {
        return Status(Error{QStringLiteral("FEDformer: ") + reason, {}, 0});
    };
    if (modes() < 1)
        return fail(QStringLiteral("modes must be at least 1, got %1").arg(modes()));
    if (labelLen() + spec().horizon < 2)
        return fail(QStringLiteral("label_len + horizon must be at least 2 steps, got %1")
                        .arg(labelLen() + spec().horizon));
    return Status::ok();
}

DecompositionForecasterConfig FEDformerOptions::config() const
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

const FEDformerOptions &checked(const FEDformerOptions &options)
{
    requireValid(options);
    return options;
}

std::shared_ptr<CorrelationMechanism> makeMechanism(const FEDformerOptions &o, CorrelationRole role)
{
    const std::int64_t decoderLength = o.labelLen() + o.spec().horizon;
    switch (role) {
    case CorrelationRole::EncoderSelf:
    case CorrelationRole::DecoderSelf:
        return std::make_shared<FourierBlockImpl>(
            FourierBlockOptions(o.dModel(), o.numHeads(),
                                role == CorrelationRole::EncoderSelf ? o.spec().lookback
                                                                     : decoderLength)
                .modes(o.modes())
                .modeSelect(o.modeSelect())
                .officialLayout(o.officialLayout()));
    case CorrelationRole::DecoderCross:
        return std::make_shared<FourierCrossAttentionImpl>(
            FourierCrossAttentionOptions(o.dModel(), o.numHeads(), decoderLength, o.spec().lookback)
                .modes(o.modes())
                .modeSelect(o.modeSelect())
                .officialLayout(o.officialLayout()));
    }
    return nullptr;
}

} // namespace

FEDformerImpl::FEDformerImpl(const FEDformerOptions &options)
    : DecompositionForecasterImpl(
          checked(options).config(), "FEDformer",
          [&options](CorrelationRole role) { return makeMechanism(options, role); })
    , m_options(options)
{}

} // namespace twb
