#include "TST.h"

#include "nn/RequireValid.h"
#include "nn/SpecCheck.h"
#include "nn/StepMask.h"
#include "nn/TokenLayout.h"

#include <cmath>
#include <string>

namespace twb {

Status TSTOptions::validate() const
{
    const bool pretraining = spec().task == Task::Reconstruct;
    if (Status s = pretraining ? checkReconstructSpec(spec(), QStringLiteral("TST"))
                               : checkClassifySpec(spec(), QStringLiteral("TST"));
        !s)
        return s;
    if (pretraining && !(maskRatio() > 0.0 && maskRatio() < 1.0))
        return Status(Error{
            QStringLiteral("TST: mask_ratio must lie in (0, 1), got %1").arg(maskRatio()), {}, 0});
    if (pretraining && !(meanSpan() >= 1.0))
        return Status(
            Error{QStringLiteral("TST: mask_span must be at least 1 step, got %1").arg(meanSpan()),
                  {},
                  0});
    return checkEncoderSizes(QStringLiteral("TST"), encoder());
}

TSTImpl::TSTImpl(const TSTOptions &options)
    : m_options(options)
{
    reset();
}

void TSTImpl::reset()
{
    requireValid(m_options);
    const ModelSpec &spec = m_options.spec();
    const std::int64_t d = m_options.dModel();

    m_inputProjection = register_module("input_projection", torch::nn::Linear(spec.channels, d));
    const PositionalEncodingOptions positions(spec.lookback, d);
    if (m_options.learnablePositions())
        m_learnedPositions = register_module("positions", LearnablePositionalEncoding(positions));
    else
        m_fixedPositions = register_module("positions", SinusoidalPositionalEncoding(positions));
    m_dropout = register_module("dropout", twb::nn::FastDropout(m_options.dropout()));
    const auto layer = m_options.encoderLayer().norm(m_options.norm());
    m_encoder = register_module(
        "encoder", TransformerEncoder(TransformerEncoderOptions(layer, m_options.numLayers())));
    m_outputDropout = register_module("output_dropout", twb::nn::FastDropout(m_options.dropout()));
    if (spec.task == Task::Reconstruct)
        m_pretrainHead = register_module("pretrain_head", torch::nn::Linear(d, spec.channels));
    else
        m_classifier =
            register_module("classifier", torch::nn::Linear(spec.lookback * d, spec.numClasses));
}

std::optional<MaskingScheme> TSTImpl::maskingScheme() const
{
    if (m_options.spec().task != Task::Reconstruct)
        return std::nullopt;
    MaskingScheme scheme;
    scheme.kind = MaskingScheme::Kind::GeometricSpans;
    scheme.ratio = m_options.maskRatio();
    scheme.meanSpan = m_options.meanSpan();
    return scheme;
}

std::vector<TokenInfo> TSTImpl::tokens() const
{
    return timeStepTokens(m_options.spec().lookback);
}

ModelOutput TSTImpl::forward(const torch::Tensor &input, const ForwardOptions &options)
{
    const ModelSpec &spec = m_options.spec();
    TORCH_CHECK(
        input.dim() == 3 && input.size(1) == spec.lookback && input.size(2) == spec.channels,
        "TST: input must be [B, ", spec.lookback, ", ", spec.channels, "], got ", input.sizes());
    const bool keep = options.captureIntermediates;
    ModelOutput out;
    if (keep)
        out.intermediates.push_back({"input", input});

    const bool pretraining = spec.task == Task::Reconstruct;
    TORCH_CHECK(!options.hidden.defined() || options.hidden.sizes() == input.sizes(),
                "TST: the hidden mask must be shaped like the input ", input.sizes());
    const torch::Tensor seen =
        pretraining && options.hidden.defined() ? input.masked_fill(options.hidden, 0.0) : input;
    torch::Tensor x = m_inputProjection(seen) * std::sqrt(double(m_options.dModel()));
    x = m_learnedPositions ? m_learnedPositions(x) : m_fixedPositions(x);
    x = m_dropout(x);
    if (keep)
        out.intermediates.push_back({"embedded", x});

    EncoderRequest request;
    request.needWeights = options.captureAttention;
    request.needLayerOutputs = keep;
    const torch::Tensor real = checkedStepMask(options.stepMask, input, "TST");
    if (real.defined())
        request.keyPaddingMask = real.logical_not();
    EncoderOutput encoded = m_encoder->forward(x, request);
    out.attention = std::move(encoded.attention);
    if (keep)
        for (std::size_t i = 0; i < encoded.layerOutputs.size(); ++i)
            out.intermediates.push_back(
                {"encoder_layer_" + std::to_string(i), encoded.layerOutputs[i]});

    // Zerveas et al.: the outputs of padded steps are zeroed before the flattening head.
    torch::Tensor activated = torch::gelu(encoded.output);
    if (real.defined())
        activated = activated * real.unsqueeze(-1).to(activated.dtype());
    if (pretraining) {
        out.prediction = m_pretrainHead(m_outputDropout(activated)); // [B, T, C]
        if (keep)
            out.intermediates.push_back({"reconstruction", out.prediction});
        return out;
    }
    const torch::Tensor features = m_outputDropout(activated).reshape({input.size(0), -1});
    if (keep)
        out.intermediates.push_back({"features", features});
    out.prediction = m_classifier(features);
    if (keep)
        out.intermediates.push_back({"logits", out.prediction});
    return out;
}

} // namespace twb
