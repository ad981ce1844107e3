#include "SepFormer.h"

#include "nn/DualPathChunking.h"
#include "nn/SpecCheck.h"

#include <algorithm>
#include <cstdio>

namespace twb {

namespace {

/// The inter-chunk transformers' positions cover at least this many chunks, so that a trained
/// model separates recordings longer than its training mixtures (predict): with chunk 100 at
/// 8 kHz and L 16, 2048 chunks are 102 s.
constexpr std::int64_t kMaxChunks = 2048;

} // namespace

Status SepFormerOptions::validate() const
{
    if (Status s = checkSeparateSpec(spec(), QStringLiteral("SepFormer")); !s)
        return s;
    const auto fail = [](const QString &reason) {
        return Status(Error{QStringLiteral("SepFormer: ") + reason, {}, 0});
    };
    if (filters() < 1 || blocks() < 1 || intraLayers() < 1 || interLayers() < 1 || heads() < 1 ||
        dFF() < 1)
        return fail(QStringLiteral("N, blocks, layers, heads and d_ff must be positive"));
    if (filters() % heads() != 0)
        return fail(
            QStringLiteral("N %1 is not divisible by the %2 heads").arg(filters()).arg(heads()));
    if (kernel() < 2 || kernel() % 2 != 0)
        return fail(QStringLiteral("the encoder kernel L must be even and at least 2"));
    if (chunk() < 2 || chunk() % 2 != 0)
        return fail(QStringLiteral("the chunk must be even and at least 2 frames"));
    if (!(dropout() >= 0.0 && dropout() < 1.0))
        return fail(QStringLiteral("dropout must lie in [0, 1)"));
    return Status::ok();
}

std::int64_t SepFormerOptions::frames() const
{
    const std::int64_t stride = kernel() / 2;
    const std::int64_t t = spec().lookback;
    const std::int64_t extra = (stride - t % stride) % stride;
    return (t + extra) / stride + kernel() / stride - 1;
}

std::int64_t SepFormerOptions::chunks() const
{
    return chunkCount(frames(), chunk());
}

SepFormerImpl::SepFormerImpl(const SepFormerOptions &options)
    : m_options(options)
{
    const std::int64_t n = options.filters();
    const std::int64_t sources = options.spec().sources;
    m_codec = register_module("codec", WaveformCodec(WaveformCodecOptions(n, options.kernel())));
    m_norm =
        register_module("norm", torch::nn::GroupNorm(torch::nn::GroupNormOptions(1, n).eps(1e-8)));
    m_convIn = register_module("conv_in",
                               torch::nn::Conv1d(torch::nn::Conv1dOptions(n, n, 1).bias(false)));
    m_blocks = register_module("blocks", torch::nn::ModuleList());
    for (std::int64_t i = 0; i < options.blocks(); ++i)
        m_blocks->push_back(sepformer::DualPathBlock(
            options.transformer(options.intraLayers()), options.transformer(options.interLayers()),
            options.chunk(), std::max(options.chunks(), kMaxChunks)));
    m_prelu = register_module("prelu", torch::nn::PReLU());
    m_convOut =
        register_module("conv_out", torch::nn::Conv2d(torch::nn::Conv2dOptions(n, n * sources, 1)));
    m_output = register_module("output", torch::nn::Conv1d(torch::nn::Conv1dOptions(n, n, 1)));
    m_outputGate =
        register_module("output_gate", torch::nn::Conv1d(torch::nn::Conv1dOptions(n, n, 1)));
    m_endConv = register_module("end_conv",
                                torch::nn::Conv1d(torch::nn::Conv1dOptions(n, n, 1).bias(false)));
}

bool SepFormerImpl::isIntraLayer(std::size_t layer) const
{
    const auto perBlock = std::size_t(m_options.intraLayers() + m_options.interLayers());
    return layer % perBlock < std::size_t(m_options.intraLayers());
}

std::vector<TokenInfo> SepFormerImpl::encoderLayerTokens(std::size_t layer) const
{
    const std::int64_t stride = m_options.kernel() / 2;
    const std::int64_t pad = m_options.kernel() - stride; // codec's front padding (samples)
    const double rate = m_options.spec().sampleRate;
    const std::int64_t samples = m_options.spec().lookback;
    const auto seconds = [rate](std::int64_t sample) {
        return rate > 0.0 ? double(sample) / rate : double(sample);
    };
    std::vector<TokenInfo> out;
    char label[96];
    if (isIntraLayer(layer)) { // frame i of every chunk, offsets from the chunk's start
        for (std::int64_t i = 0; i < m_options.chunk(); ++i) {
            TokenInfo t;
            t.kind = TokenInfo::Kind::TimeRange;
            t.begin = i * stride;
            t.end = i * stride + m_options.kernel();
            std::snprintf(label, sizeof label, "frame %lld of a chunk (+%.1f ms)",
                          static_cast<long long>(i), 1000.0 * seconds(t.begin));
            t.label = label;
            out.push_back(t);
        }
        return out;
    }
    const std::int64_t hop = m_options.chunk() / 2;
    for (std::int64_t s = 0; s < m_options.chunks(); ++s) {
        // Chunk s covers frames [(s − 1)·hop, (s + 1)·hop) of the encoding; frame f covers
        // samples [f·stride − pad, f·stride − pad + L).
        const std::int64_t firstFrame = (s - 1) * hop, lastFrame = (s + 1) * hop;
        TokenInfo t;
        t.kind = TokenInfo::Kind::TimeRange;
        t.begin = std::clamp<std::int64_t>(firstFrame * stride - pad, 0, samples);
        t.end = std::clamp<std::int64_t>(lastFrame * stride - pad + m_options.kernel(), 0, samples);
        std::snprintf(label, sizeof label, "chunk %lld: %.2f-%.2f s", static_cast<long long>(s),
                      seconds(t.begin), seconds(t.end));
        t.label = label;
        out.push_back(t);
    }
    return out;
}

torch::Tensor SepFormerImpl::masks(const torch::Tensor &encoding,
                                   sepformer::DualPathAttention *attention)
{
    const std::int64_t b = encoding.size(0), n = encoding.size(1), frames = encoding.size(2);
    const std::int64_t sources = m_options.spec().sources;
    torch::Tensor x = m_convIn(m_norm(encoding));
    x = chunkFrames(x, m_options.chunk()); // [B, N, K, S]
    for (const auto &block : *m_blocks)
        x = block->as<sepformer::DualPathBlockImpl>()->forward(x, attention);
    x = m_convOut(m_prelu(x)); // [B, C·N, K, S]
    x = x.reshape({b * sources, n, x.size(2), x.size(3)});
    x = overlapAddChunks(x, frames); // [B·C, N, frames], the chunks summed
    x = torch::tanh(m_output(x)) * torch::sigmoid(m_outputGate(x));
    x = torch::relu(m_endConv(x));
    return x.reshape({b, sources, n, frames});
}

ModelOutput SepFormerImpl::forward(const torch::Tensor &input, const ForwardOptions &options)
{
    TORCH_CHECK(input.dim() == 3 && input.size(2) == 1,
                "SepFormer: expected a mixture [batch, samples, 1], got ", input.sizes());
    const std::int64_t samples = input.size(1);
    const torch::Tensor encoding = m_codec->encode(input.squeeze(2)); // [B, N, K]
    sepformer::DualPathAttention attention;
    const torch::Tensor mask = masks(encoding, options.captureAttention ? &attention : nullptr);
    const torch::Tensor masked = encoding.unsqueeze(1) * mask;
    ModelOutput out;
    out.prediction = m_codec->decode(masked, samples);
    if (options.captureAttention) {
        const std::size_t blocks = std::size_t(m_options.blocks());
        const std::size_t intra = std::size_t(m_options.intraLayers());
        const std::size_t inter = std::size_t(m_options.interLayers());
        for (std::size_t blk = 0; blk < blocks; ++blk) {
            for (std::size_t l = 0; l < intra; ++l)
                out.attention.push_back(attention.intra[blk * intra + l]);
            for (std::size_t l = 0; l < inter; ++l)
                out.attention.push_back(attention.inter[blk * inter + l]);
        }
        torch::NoGradGuard noGrad;
        const torch::Tensor energy = encoding.detach().pow(2);
        const torch::Tensor kept = (mask.detach() * energy.unsqueeze(1)).sum(2) /
                                   energy.sum(1).unsqueeze(1).clamp_min(1e-12);
        out.mechanisms.push_back({"encoder/basis", m_codec->encoder->weight.detach().squeeze(1)});
        out.mechanisms.push_back({"separator/mask_energy", kept});
    }
    if (options.captureIntermediates) {
        out.intermediates.push_back({"encoder", encoding.detach()});
        out.intermediates.push_back({"masks", mask.detach()});
        out.intermediates.push_back({"masked", masked.detach()});
        out.intermediates.push_back({"sources", out.prediction.detach()});
    }
    return out;
}

} // namespace twb
