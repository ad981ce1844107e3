#include "ITransformer.h"

#include "nn/RequireValid.h"
#include "nn/SpecCheck.h"

#include <string>

namespace twb {

Status ITransformerOptions::validate() const
{
    if (Status s = checkForecastSpec(spec(), QStringLiteral("iTransformer")); !s)
        return s;
    return checkEncoderSizes(QStringLiteral("iTransformer"), encoder());
}

ITransformerImpl::ITransformerImpl(const ITransformerOptions &options)
    : m_options(options)
{
    reset();
}

void ITransformerImpl::reset()
{
    requireValid(m_options);
    const ModelSpec &spec = m_options.spec();
    const std::int64_t d = m_options.dModel();

    if (m_options.useNorm())
        m_normalization = register_module("normalization", RevIN(RevINOptions(spec.channels)));
    m_embedding = register_module("embedding", torch::nn::Linear(spec.lookback, d));
    m_dropout = register_module("dropout", twb::nn::FastDropout(m_options.dropout()));
    const auto layer = m_options.encoderLayer()
                           .attentionDropout(m_options.dropout())
                           .projectionDropout(0.0)
                           .norm(EncoderNorm::Layer);
    m_encoder = register_module(
        "encoder", TransformerEncoder(
                       TransformerEncoderOptions(layer, m_options.numLayers()).finalNorm(true)));
    m_projection = register_module("projection", torch::nn::Linear(d, spec.horizon));
}

std::vector<TokenInfo> ITransformerImpl::tokens() const
{
    const ModelSpec &spec = m_options.spec();
    std::vector<TokenInfo> result;
    result.reserve(std::size_t(spec.channels));
    for (std::int64_t c = 0; c < spec.channels; ++c) {
        TokenInfo token;
        token.kind = TokenInfo::Kind::Variate;
        token.channel = c;
        token.label = channelName(spec, c);
        token.begin = 0;
        token.end = spec.lookback;
        result.push_back(std::move(token));
    }
    return result;
}

ModelOutput ITransformerImpl::forward(const torch::Tensor &input, const ForwardOptions &options)
{
    const ModelSpec &spec = m_options.spec();
    TORCH_CHECK(input.dim() == 3 && input.size(1) == spec.lookback &&
                    input.size(2) == spec.channels,
                "iTransformer: input must be [B, ", spec.lookback, ", ", spec.channels, "], got ",
                input.sizes());
    const bool keep = options.captureIntermediates;

    ModelOutput out;
    if (keep)
        out.intermediates.push_back({"input", input});
    const torch::Tensor normalized = m_normalization ? m_normalization->normalize(input) : input;
    if (keep)
        out.intermediates.push_back({"normalized", normalized});

    const torch::Tensor tokens = m_dropout(m_embedding(normalized.transpose(1, 2))); // [B, N, d]
    if (keep)
        out.intermediates.push_back({"variate_tokens", tokens});

    EncoderRequest request;
    request.needWeights = options.captureAttention;
    request.needLayerOutputs = keep;
    EncoderOutput encoded = m_encoder->forward(tokens, request);
    out.attention = std::move(encoded.attention);
    if (keep) {
        for (std::size_t i = 0; i < encoded.layerOutputs.size(); ++i)
            out.intermediates.push_back(
                {"encoder_layer_" + std::to_string(i), encoded.layerOutputs[i]});
    }

    const torch::Tensor projection = m_projection(encoded.output); // [B, N, H]
    if (keep)
        out.intermediates.push_back({"projection", projection});
    torch::Tensor prediction = projection.transpose(1, 2); // [B, H, N]
    if (m_normalization)
        prediction = m_normalization->denormalize(prediction);
    out.prediction = prediction;
    if (keep)
        out.intermediates.push_back({"output", prediction});
    return out;
}

} // namespace twb
