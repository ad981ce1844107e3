#include "MixerBlock.h"

#include "nn/FusedRowMlp.h"

namespace twb {

namespace {
const char *const normNames[2] = {"time_norm", "feature_norm"};
} // namespace

MixerBlockImpl::MixerBlockImpl(const MixerBlockOptions &options)
    : m_options(options)
{
    const std::int64_t length = options.length();
    const std::int64_t channels = options.channels();
    const std::int64_t hidden = options.hidden();
    TORCH_CHECK(length > 0 && channels > 0 && hidden > 0,
                "TSMixer block: length, channels and hidden width must be positive");
    for (int stage = Time; stage <= Feature; ++stage) {
        if (options.norm() == MixerNorm::Batch) {
            // Keras' BatchNormalization defaults: eps 1e-3, moving averages with momentum 0.99.
            m_batchNorm[stage] = register_module(
                normNames[stage],
                torch::nn::BatchNorm1d(
                    torch::nn::BatchNormOptions(length * channels).eps(1e-3).momentum(0.01)));
        } else if (options.norm() == MixerNorm::Layer) {
            m_layerNorm[stage] = register_module(
                normNames[stage],
                torch::nn::LayerNorm(torch::nn::LayerNormOptions({length, channels}).eps(1e-3)));
        }
    }
    if (options.timeMixing() == TimeMixing::Single) {
        m_timeIn = register_module("time_in", torch::nn::Linear(length, length));
    } else {
        m_timeIn = register_module("time_in", torch::nn::Linear(length, hidden));
        m_timeOut = register_module("time_out", torch::nn::Linear(hidden, length));
    }
    m_featureIn = register_module("feature_in", torch::nn::Linear(channels, hidden));
    m_featureOut = register_module("feature_out", torch::nn::Linear(hidden, channels));
    m_dropout = register_module("dropout", twb::nn::FastDropout(options.dropout()));
}

torch::Tensor MixerBlockImpl::normalize(Stage stage, const torch::Tensor &x)
{
    if (m_layerNorm[stage])
        return m_layerNorm[stage](x);
    if (!m_batchNorm[stage])
        return x;
    const std::int64_t batch = x.size(0);
    const torch::Tensor flat = x.reshape({batch, -1});
    torch::nn::BatchNorm1dImpl &norm = *m_batchNorm[stage];
    // A batch of one has no batch statistics: normalise it with the running ones.
    const bool batchStatistics = is_training() && batch > 1;
    const torch::Tensor y = torch::batch_norm(
        flat, norm.weight, norm.bias, norm.running_mean, norm.running_var, batchStatistics,
        norm.options.momentum().value(), norm.options.eps(), false);
    return y.view(x.sizes());
}

torch::Tensor MixerBlockImpl::activate(const torch::Tensor &x) const
{
    return m_options.gelu() ? torch::gelu(x) : torch::relu(x);
}

torch::Tensor MixerBlockImpl::forward(const torch::Tensor &x)
{
    TORCH_CHECK(x.dim() == 3 && x.size(1) == m_options.length() &&
                    x.size(2) == m_options.channels(),
                "TSMixer block: input must be [B, ", m_options.length(), ", ", m_options.channels(),
                "], got ", x.sizes());
    // Time mixing along L, shared by the channels.
    const torch::Tensor alongTime = normalize(Time, x).transpose(1, 2); // [B, C, L]
    torch::Tensor mixed =
        m_timeOut ? m_timeOut(torch::relu(m_timeIn(alongTime))) : activate(m_timeIn(alongTime));
    const torch::Tensor afterTime = x + m_dropout(mixed.transpose(1, 2));

    // Feature mixing along C, shared by the time steps.
    // (Time-Series-Library's channel MLP has its one dropout at the end only.)
    const torch::Tensor normed = normalize(Feature, afterTime);
    const double innerDropout =
        m_options.timeMixing() == TimeMixing::Single ? m_options.dropout() : 0.0;
    if (!m_options.gelu() &&
        twb::nn::fusedRowMlpServes(normed, m_featureIn->weight, m_featureIn->bias,
                                   m_featureOut->weight, m_featureOut->bias))
        return afterTime + m_dropout(twb::nn::fusedRowMlp(
                               normed, m_featureIn->weight, m_featureIn->bias, m_featureOut->weight,
                               m_featureOut->bias, innerDropout, is_training()));
    torch::Tensor features = activate(m_featureIn(normed));
    if (innerDropout > 0.0)
        features = m_dropout(features);
    return afterTime + m_dropout(m_featureOut(features));
}

torch::Tensor MixerBlockImpl::timeMixingWeights() const
{
    torch::NoGradGuard noGrad;
    if (m_timeOut)
        return torch::matmul(m_timeOut->weight, m_timeIn->weight);
    return m_timeIn->weight.clone();
}

} // namespace twb
