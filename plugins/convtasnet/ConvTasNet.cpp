#include "ConvTasNet.h"

#include "nn/SpecCheck.h"

namespace twb {

Status ConvTasNetOptions::validate() const
{
    if (Status s = checkSeparateSpec(spec(), QStringLiteral("Conv-TasNet")); !s)
        return s;
    const auto fail = [](const QString &reason) {
        return Status(Error{QStringLiteral("Conv-TasNet: ") + reason, {}, 0});
    };
    if (filters() < 1 || bottleneck() < 1 || hidden() < 1 || skip() < 1 || convKernel() < 1 ||
        blocksPerRepeat() < 1 || repeats() < 1)
        return fail(QStringLiteral("N, B, H, Sc, P, X and R must be positive"));
    if (kernel() < 2 || kernel() % 2 != 0)
        return fail(QStringLiteral("the encoder kernel L must be even and at least 2, got %1")
                        .arg(kernel()));
    return Status::ok();
}

ConvTasNetImpl::ConvTasNetImpl(const ConvTasNetOptions &options)
    : m_options(options)
{
    m_codec = register_module(
        "codec", WaveformCodec(WaveformCodecOptions(options.filters(), options.kernel())
                                   .rectify(options.encoderRelu())));
    m_separator = register_module(
        "separator",
        TemporalConvNet(TemporalConvNetOptions(options.filters(), options.spec().sources)
                            .bottleneck(options.bottleneck())
                            .skip(options.skip())
                            .hidden(options.hidden())
                            .kernel(options.convKernel())
                            .blocksPerRepeat(options.blocksPerRepeat())
                            .repeats(options.repeats())));
}

double ConvTasNetImpl::frameRate() const
{
    return m_options.spec().sampleRate / double(m_codec->options().stride());
}

ModelOutput ConvTasNetImpl::forward(const torch::Tensor &input, const ForwardOptions &options)
{
    TORCH_CHECK(input.dim() == 3 && input.size(2) == 1,
                "Conv-TasNet: expected a mixture [batch, samples, 1], got ", input.sizes());
    const std::int64_t samples = input.size(1);
    const torch::Tensor wave = input.squeeze(2);
    const torch::Tensor encoding = m_codec->encode(wave);       // [B, N, K]
    const torch::Tensor masks = m_separator->forward(encoding); // [B, C, N, K]
    const torch::Tensor masked = encoding.unsqueeze(1) * masks;
    ModelOutput out;
    out.prediction = m_codec->decode(masked, samples); // [B, C, T]
    if (options.captureAttention) {
        torch::NoGradGuard noGrad;
        const torch::Tensor basis = m_codec->encoder->weight.detach().squeeze(1);     // [N, L]
        const torch::Tensor synthesis = m_codec->decoder->weight.detach().squeeze(1); // [N, L]
        const torch::Tensor energy = encoding.detach().pow(2);                        // [B, N, K]
        const torch::Tensor kept = (masks.detach() * energy.unsqueeze(1)).sum(2) /
                                   energy.sum(1).unsqueeze(1).clamp_min(1e-12); // [B, C, K]
        out.mechanisms.push_back({"encoder/basis", basis.clone()});
        out.mechanisms.push_back({"encoder/decoder_basis", synthesis.clone()});
        out.mechanisms.push_back({"separator/mask_energy", kept});
    }
    if (options.captureIntermediates) {
        out.intermediates.push_back({"encoder", encoding.detach()});
        out.intermediates.push_back({"masks", masks.detach()});
        out.intermediates.push_back({"masked", masked.detach()});
        out.intermediates.push_back({"sources", out.prediction.detach()});
    }
    return out;
}

} // namespace twb
