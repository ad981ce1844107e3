#include "PatchTST.h"

#include "nn/RequireValid.h"
#include "nn/SpecCheck.h"

#include <string>

namespace twb {

Status PatchTSTOptions::validate() const
{
    const bool pretraining = spec().task == Task::Reconstruct;
    if (Status s = pretraining ? checkReconstructSpec(spec(), QStringLiteral("PatchTST"))
                               : checkForecastSpec(spec(), QStringLiteral("PatchTST"));
        !s)
        return s;
    const auto fail = [](const QString &reason) {
        return Status(Error{QStringLiteral("PatchTST: ") + reason, {}, 0});
    };
    if (pretraining && stride() != patchLength())
        return fail(QStringLiteral("pretraining needs non-overlapping patches: stride %1 must "
                                   "equal patch_len %2")
                        .arg(stride())
                        .arg(patchLength()));
    if (pretraining && !(maskRatio() > 0.0 && maskRatio() < 1.0))
        return fail(QStringLiteral("mask_ratio must lie in (0, 1), got %1").arg(maskRatio()));
    if (patchLength() < 1 || stride() < 1)
        return fail(QStringLiteral("patch_len and stride must be positive"));
    if (spec().lookback < patchLength())
        return fail(QStringLiteral("lookback %1 is shorter than patch_len %2")
                        .arg(spec().lookback)
                        .arg(patchLength()));
    return checkEncoderSizes(QStringLiteral("PatchTST"), encoder(),
                             {attentionDropout(), fcDropout(), headDropout()});
}

PatchTSTImpl::PatchTSTImpl(const PatchTSTOptions &options)
    : m_options(options)
{
    reset();
}

void PatchTSTImpl::reset()
{
    requireValid(m_options);
    const ModelSpec &spec = m_options.spec();
    const std::int64_t d = m_options.dModel();

    if (m_options.revin()) {
        m_revin = register_module("revin", RevIN(RevINOptions(spec.channels)
                                                     .affine(m_options.affine())
                                                     .subtractLast(m_options.subtractLast())));
    }
    m_patching = register_module(
        "patching", Patching(PatchingOptions(m_options.patchLength(), m_options.stride())));
    const std::int64_t n = numPatches();
    m_patchEmbedding =
        register_module("patch_embedding", torch::nn::Linear(m_options.patchLength(), d));
    const PositionalEncodingOptions peOptions(n, d);
    if (m_options.positionalEncoding() == PositionalEncodingKind::Learnable) {
        m_learnablePe =
            register_module("positional_encoding", LearnablePositionalEncoding(peOptions));
    } else {
        m_sinusoidalPe = register_module(
            "positional_encoding",
            SinusoidalPositionalEncoding(PositionalEncodingOptions(peOptions).normalize(true)));
    }
    m_dropout = register_module("dropout", twb::nn::FastDropout(m_options.dropout()));
    const auto layer = m_options.encoderLayer()
                           .attentionDropout(m_options.attentionDropout())
                           .projectionDropout(m_options.dropout())
                           .norm(m_options.norm())
                           .residualAttention(m_options.residualAttention());
    m_encoder = register_module(
        "encoder", TransformerEncoder(TransformerEncoderOptions(layer, m_options.numLayers())));
    if (spec.task == Task::Reconstruct) {
        m_pretrainDropout =
            register_module("pretrain_dropout", twb::nn::FastDropout(m_options.fcDropout()));
        m_pretrainHead =
            register_module("pretrain_head", torch::nn::Linear(d, m_options.patchLength()));
        return;
    }
    m_head = register_module("head", torch::nn::Linear(d * n, spec.horizon));
    m_headDropout = register_module("head_dropout", twb::nn::FastDropout(m_options.headDropout()));
}

std::int64_t PatchTSTImpl::numPatches() const
{
    return m_patching->numPatches(m_options.spec().lookback);
}

std::vector<TokenInfo> PatchTSTImpl::tokens() const
{
    return m_patching->tokens(m_options.spec().lookback);
}

torch::Tensor PatchTSTImpl::embed(const torch::Tensor &patches)
{
    const std::int64_t rows = patches.size(0) * patches.size(1);
    torch::Tensor tokens =
        m_patchEmbedding(patches).reshape({rows, patches.size(2), m_options.dModel()});
    tokens = m_learnablePe ? m_learnablePe(tokens) : m_sinusoidalPe(tokens);
    return m_dropout(tokens);
}

ModelOutput PatchTSTImpl::forward(const torch::Tensor &input, const ForwardOptions &options)
{
    const ModelSpec &spec = m_options.spec();
    if (spec.task == Task::Reconstruct)
        return reconstruct(input, options);
    TORCH_CHECK(input.dim() == 3 && input.size(1) == spec.lookback &&
                    input.size(2) == spec.channels,
                "PatchTST: input must be [B, ", spec.lookback, ", ", spec.channels, "], got ",
                input.sizes());
    const std::int64_t batch = input.size(0);
    const std::int64_t channels = spec.channels;
    const std::int64_t n = numPatches();
    const std::int64_t d = m_options.dModel();
    const bool keep = options.captureIntermediates;

    ModelOutput out;
    if (keep)
        out.intermediates.push_back({"input", input});
    const torch::Tensor normalized = m_revin ? m_revin->normalize(input) : input;
    if (keep)
        out.intermediates.push_back({"revin", normalized});

    const torch::Tensor patches = m_patching(normalized.transpose(1, 2)); // [B, M, N, P]
    if (keep)
        out.intermediates.push_back({"patches", patches});

    const torch::Tensor tokens = embed(patches);
    if (keep)
        out.intermediates.push_back({"embedding", tokens});

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

    // [B*M, N, d] -> [B, M, d, N] -> [B, M, d*N]: the official flatten order (d-major).
    const torch::Tensor flat = encoded.output.reshape({batch, channels, n, d})
                                   .transpose(2, 3)
                                   .reshape({batch, channels, d * n});
    const torch::Tensor head = m_headDropout(m_head(flat)); // [B, M, H]
    if (keep)
        out.intermediates.push_back({"head", head});

    torch::Tensor prediction = head.transpose(1, 2); // [B, H, M]
    if (m_revin)
        prediction = m_revin->denormalize(prediction);
    out.prediction = prediction;
    if (keep)
        out.intermediates.push_back({"output", prediction});
    return out;
}

} // namespace twb
