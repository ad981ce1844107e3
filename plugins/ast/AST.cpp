#include "AST.h"

#include "nn/RequireValid.h"
#include "nn/SpecCheck.h"
#include "nn/StepMask.h"

#include <cstdio>
#include <string>

namespace twb {

std::int64_t ASTOptions::frequencyPatches() const
{
    return (spec().channels - patchSize()) / frequencyStride() + 1;
}

std::int64_t ASTOptions::timePatches() const
{
    return (spec().lookback - patchSize()) / timeStride() + 1;
}

Status ASTOptions::validate() const
{
    if (Status s = checkClassifySpec(spec(), QStringLiteral("AST")); !s)
        return s;
    const auto fail = [](const QString &reason) {
        return Status(Error{QStringLiteral("AST: ") + reason, {}, 0});
    };
    if (dModel() < 1 || numHeads() < 1 || numLayers() < 1 || mlpRatio() < 1 || patchSize() < 1 ||
        frequencyStride() < 1 || timeStride() < 1)
        return fail(QStringLiteral("sizes, strides and the MLP ratio must be positive"));
    if (spec().channels < patchSize() || spec().lookback < patchSize())
        return fail(QStringLiteral("the spectrogram (%1 frames x %2 mel bins) is smaller than "
                                   "one %3x%3 patch")
                        .arg(spec().lookback)
                        .arg(spec().channels)
                        .arg(patchSize()));
    if (dModel() % numHeads() != 0)
        return fail(QStringLiteral("d_model %1 is not divisible by n_heads %2")
                        .arg(dModel())
                        .arg(numHeads()));
    if (!(dropout() >= 0.0 && dropout() < 1.0))
        return fail(QStringLiteral("dropout must lie in [0, 1), got %1").arg(dropout()));
    return Status::ok();
}

ASTImpl::ASTImpl(const ASTOptions &options)
    : m_options(options)
{
    reset();
}

void ASTImpl::reset()
{
    requireValid(m_options);
    const ModelSpec &spec = m_options.spec();
    const std::int64_t d = m_options.dModel();
    const std::int64_t p = m_options.patchSize();
    const std::int64_t tokens = m_options.frequencyPatches() * m_options.timePatches() + 2;

    m_patchEmbedding = register_module(
        "patch_embedding",
        torch::nn::Conv2d(torch::nn::Conv2dOptions(1, d, {p, p})
                              .stride({m_options.frequencyStride(), m_options.timeStride()})));
    // ViT initialisation: truncated normal (std 0.02) for the special tokens and positions.
    const auto truncatedNormal = [](std::vector<std::int64_t> shape) {
        return torch::randn(shape).mul_(0.02).clamp_(-0.04, 0.04);
    };
    m_clsToken = register_parameter("cls_token", truncatedNormal({1, 1, d}));
    m_distToken = register_parameter("dist_token", truncatedNormal({1, 1, d}));
    m_positions = register_parameter("positions", truncatedNormal({1, tokens, d}));
    m_dropout = register_module("dropout", twb::nn::FastDropout(m_options.dropout()));
    const auto layer =
        TransformerEncoderLayerOptions(d, m_options.numHeads(), d * m_options.mlpRatio())
            .dropout(m_options.dropout())
            .norm(EncoderNorm::Layer)
            .normEps(1e-6)
            .preNorm(true);
    m_encoder = register_module(
        "encoder", TransformerEncoder(
                       TransformerEncoderOptions(layer, m_options.numLayers()).finalNorm(true)));
    m_headNorm = register_module("head_norm",
                                 torch::nn::LayerNorm(torch::nn::LayerNormOptions({d}).eps(1e-5)));
    m_head = register_module("head", torch::nn::Linear(d, spec.numClasses));
}

std::vector<TokenInfo> ASTImpl::tokens() const
{
    const std::int64_t frequencyPatches = m_options.frequencyPatches();
    const std::int64_t timePatches = m_options.timePatches();
    const std::int64_t p = m_options.patchSize();
    std::vector<TokenInfo> result;
    result.reserve(std::size_t(frequencyPatches * timePatches + 2));
    for (const char *name : {"CLS", "DIST"}) {
        TokenInfo token;
        token.kind = TokenInfo::Kind::Special;
        token.label = name;
        result.push_back(std::move(token));
    }
    for (std::int64_t f = 0; f < frequencyPatches; ++f)
        for (std::int64_t t = 0; t < timePatches; ++t) {
            TokenInfo token;
            token.kind = TokenInfo::Kind::Tile;
            token.begin = t * m_options.timeStride();
            token.end = token.begin + p;
            token.freqBegin = f * m_options.frequencyStride();
            token.freqEnd = token.freqBegin + p;
            char label[96];
            std::snprintf(label, sizeof label, "frames [%lld,%lld) x mel [%lld,%lld)",
                          static_cast<long long>(token.begin), static_cast<long long>(token.end),
                          static_cast<long long>(token.freqBegin),
                          static_cast<long long>(token.freqEnd));
            token.label = label;
            result.push_back(std::move(token));
        }
    return result;
}

ModelOutput ASTImpl::forward(const torch::Tensor &input, const ForwardOptions &options)
{
    const ModelSpec &spec = m_options.spec();
    TORCH_CHECK(input.dim() == 3 && input.size(1) == spec.lookback &&
                    input.size(2) == spec.channels,
                "AST: input must be [B, ", spec.lookback, " frames, ", spec.channels,
                " mel bins], got ", input.sizes());
    const bool keep = options.captureIntermediates;
    const std::int64_t batch = input.size(0);
    ModelOutput out;
    if (keep)
        out.intermediates.push_back({"input", input});

    // [B, frames, mels] -> [B, 1, mels, frames] -> [B, d, F, T] -> [B, F*T, d].
    const torch::Tensor patches =
        m_patchEmbedding(input.transpose(1, 2).unsqueeze(1)).flatten(2).transpose(1, 2);
    if (keep)
        out.intermediates.push_back({"patches", patches});
    torch::Tensor x = torch::cat(
        {m_clsToken.expand({batch, -1, -1}), m_distToken.expand({batch, -1, -1}), patches}, 1);
    x = m_dropout(x + m_positions);

    EncoderRequest request;
    request.needWeights = options.captureAttention;
    request.needLayerOutputs = keep;
    const torch::Tensor real = checkedStepMask(options.stepMask, input, "AST");
    if (real.defined()) {
        // A patch is padding when none of its frames is real; CLS and DIST are always real.
        const torch::Tensor realPatches =
            real.unfold(1, m_options.patchSize(), m_options.timeStride()).any(-1); // [B, T]
        const std::int64_t frequencyPatches = m_options.frequencyPatches();
        const torch::Tensor tiles = realPatches.unsqueeze(1)
                                        .expand({batch, frequencyPatches, realPatches.size(1)})
                                        .reshape({batch, -1}); // frequency-major, as the tokens
        request.keyPaddingMask =
            torch::cat({torch::ones({batch, 2}, torch::kBool), tiles}, 1).logical_not();
    }
    EncoderOutput encoded = m_encoder->forward(x, request);
    out.attention = std::move(encoded.attention);
    if (keep)
        for (std::size_t i = 0; i < encoded.layerOutputs.size(); ++i)
            out.intermediates.push_back(
                {"encoder_layer_" + std::to_string(i), encoded.layerOutputs[i]});

    const torch::Tensor pooled = (encoded.output.select(1, 0) + encoded.output.select(1, 1)) / 2.0;
    if (keep)
        out.intermediates.push_back({"pooled", pooled});
    out.prediction = m_head(m_headNorm(pooled));
    if (keep)
        out.intermediates.push_back({"logits", out.prediction});
    return out;
}

} // namespace twb
