#include "T2.h"

#include "nn/RequireValid.h"
#include "nn/SpecCheck.h"
#include "nn/StepMask.h"
#include "nn/TokenLayout.h"

#include <string>

namespace twb {

Status T2Options::validate() const
{
    if (Status s = checkClassifySpec(spec(), QStringLiteral("t2")); !s)
        return s;
    return checkEncoderSizes(QStringLiteral("t2"), encoder());
}

T2Impl::T2Impl(const T2Options &options)
    : m_options(options)
{
    reset();
}

void T2Impl::reset()
{
    requireValid(m_options);
    const ModelSpec &spec = m_options.spec();
    const std::int64_t d = m_options.dModel();

    m_embedding = register_module("embedding", torch::nn::Linear(spec.channels, d));
    m_positions = register_module(
        "positions", SinusoidalPositionalEncoding(PositionalEncodingOptions(spec.lookback, d)));
    m_dropout = register_module("dropout", twb::nn::FastDropout(m_options.dropout()));
    const auto layer = m_options.encoderLayer()
                           .norm(EncoderNorm::Layer)
                           .normEps(1e-6)
                           .activation(FeedForwardActivation::Relu);
    m_encoder = register_module(
        "encoder", TransformerEncoder(TransformerEncoderOptions(layer, m_options.numLayers())));
    m_poolDropout = register_module("pool_dropout", twb::nn::FastDropout(m_options.dropout()));
    m_classifier = register_module("classifier", torch::nn::Linear(d, spec.numClasses));
}

std::vector<TokenInfo> T2Impl::tokens() const
{
    return timeStepTokens(m_options.spec().lookback);
}

ModelOutput T2Impl::forward(const torch::Tensor &input, const ForwardOptions &options)
{
    const ModelSpec &spec = m_options.spec();
    TORCH_CHECK(
        input.dim() == 3 && input.size(1) == spec.lookback && input.size(2) == spec.channels,
        "t2: input must be [B, ", spec.lookback, ", ", spec.channels, "], got ", input.sizes());
    const bool keep = options.captureIntermediates;
    ModelOutput out;
    if (keep)
        out.intermediates.push_back({"input", input});

    const torch::Tensor x = m_dropout(m_positions(torch::relu(m_embedding(input))));
    if (keep)
        out.intermediates.push_back({"embedded", x});

    EncoderRequest request;
    request.needWeights = options.captureAttention;
    request.needLayerOutputs = keep;
    const torch::Tensor real = checkedStepMask(options.stepMask, input, "t2");
    if (real.defined())
        request.keyPaddingMask = real.logical_not();
    EncoderOutput encoded = m_encoder->forward(x, request);
    out.attention = std::move(encoded.attention);
    if (keep)
        for (std::size_t i = 0; i < encoded.layerOutputs.size(); ++i)
            out.intermediates.push_back(
                {"encoder_layer_" + std::to_string(i), encoded.layerOutputs[i]});

    // Mean over the real steps only.
    torch::Tensor pooled;
    if (real.defined()) {
        const torch::Tensor weights = real.unsqueeze(-1).to(encoded.output.dtype());
        pooled = (encoded.output * weights).sum(1) / weights.sum(1).clamp_min(1.0);
    } else {
        pooled = encoded.output.mean(1);
    }
    pooled = m_poolDropout(pooled);
    if (keep)
        out.intermediates.push_back({"pooled", pooled});
    out.prediction = m_classifier(pooled);
    if (keep)
        out.intermediates.push_back({"logits", out.prediction});
    return out;
}

} // namespace twb
