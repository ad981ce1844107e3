#include "WaveformCodec.h"

namespace twb {

WaveformCodecImpl::WaveformCodecImpl(const WaveformCodecOptions &options)
    : m_options(options)
{
    TORCH_CHECK(options.filters() > 0 && options.kernel() > 0 && options.stride() > 0,
                "WaveformCodec: filters, kernel and stride must be positive");
    TORCH_CHECK(options.kernel() % options.stride() == 0, "WaveformCodec: the kernel (",
                options.kernel(), ") must be a multiple of the stride (", options.stride(), ")");
    encoder = register_module(
        "encoder",
        torch::nn::Conv1d(torch::nn::Conv1dOptions(1, options.filters(), options.kernel())
                              .stride(options.stride())
                              .bias(false)));
    decoder = register_module(
        "decoder", torch::nn::ConvTranspose1d(
                       torch::nn::ConvTranspose1dOptions(options.filters(), 1, options.kernel())
                           .stride(options.stride())
                           .bias(false)));
}

namespace {

/// Samples that complete the last frame of `length`.
std::int64_t extraSamples(std::int64_t length, std::int64_t stride)
{
    return (stride - length % stride) % stride;
}

} // namespace

std::int64_t WaveformCodecImpl::frames(std::int64_t length) const
{
    const std::int64_t s = m_options.stride(), l = m_options.kernel();
    return (length + extraSamples(length, s)) / s + l / s - 1;
}

torch::Tensor WaveformCodecImpl::encode(const torch::Tensor &waveform)
{
    TORCH_CHECK(waveform.dim() == 2 && waveform.size(1) >= 1,
                "WaveformCodec: the waveform must be [B, T] with T >= 1, got ", waveform.sizes());
    const std::int64_t s = m_options.stride(), l = m_options.kernel();
    const std::int64_t length = waveform.size(1);
    const torch::Tensor padded = torch::constant_pad_nd(
        waveform.unsqueeze(1), {l - s, l - s + extraSamples(length, s)}, 0.0);
    const torch::Tensor encoded = encoder(padded);
    return m_options.rectify() ? torch::relu(encoded) : encoded;
}

torch::Tensor WaveformCodecImpl::decode(const torch::Tensor &representation, std::int64_t length)
{
    const std::int64_t n = m_options.filters();
    TORCH_CHECK((representation.dim() == 3 || representation.dim() == 4) &&
                    representation.size(-2) == n,
                "WaveformCodec: the representation must be [B, ", n, ", K] or [B, C, ", n,
                ", K], got ", representation.sizes());
    TORCH_CHECK(length >= 1 && representation.size(-1) == frames(length),
                "WaveformCodec: ", representation.size(-1), " frames do not make ", length,
                " samples (", frames(length), " frames would)");
    const auto lead = representation.sizes().slice(0, representation.dim() - 2).vec();
    const torch::Tensor flat = representation.reshape({-1, n, representation.size(-1)});
    const torch::Tensor out = decoder(flat).squeeze(1); // [B·C, (K − 1) S + L]
    std::vector<std::int64_t> shape = lead;
    shape.push_back(length);
    return out.narrow(1, m_options.kernel() - m_options.stride(), length).reshape(shape);
}

GlobalLayerNormImpl::GlobalLayerNormImpl(std::int64_t channels, double eps)
    : m_eps(eps)
{
    TORCH_CHECK(channels > 0, "GlobalLayerNorm: channels must be positive");
    gamma = register_parameter("gamma", torch::ones({channels}));
    beta = register_parameter("beta", torch::zeros({channels}));
}

torch::Tensor GlobalLayerNormImpl::forward(const torch::Tensor &x)
{
    TORCH_CHECK(x.dim() == 3 && x.size(1) == gamma.size(0), "GlobalLayerNorm: x must be [B, ",
                gamma.size(0), ", K], got ", x.sizes());
    const torch::Tensor mean = x.mean({1, 2}, /*keepdim=*/true);
    const torch::Tensor var = (x - mean).pow(2).mean({1, 2}, /*keepdim=*/true);
    return (x - mean) / torch::sqrt(var + m_eps) * gamma.view({1, -1, 1}) + beta.view({1, -1, 1});
}

} // namespace twb
