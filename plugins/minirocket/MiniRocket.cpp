#include "MiniRocket.h"

#include "RidgeClassifier.h"
#include "common/Errors.h"
#include "nn/RequireValid.h"
#include "nn/SpecCheck.h"
#include "nn/StepMask.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace twb {

Status MiniRocketOptions::validate() const
{
    if (Status s = checkClassifySpec(spec(), QStringLiteral("MiniRocket")); !s)
        return s;
    if (numFeatures() < miniRocketKernelCount)
        return makeError(QStringLiteral("MiniRocket: num_features must be at least %1 (one per "
                                        "kernel), got %2")
                             .arg(miniRocketKernelCount)
                             .arg(numFeatures()));
    if (maxDilations() < 1)
        return makeError(QStringLiteral("MiniRocket: max_dilations must be positive, got %1")
                             .arg(maxDilations()));
    return Status::ok();
}

MiniRocketImpl::MiniRocketImpl(const MiniRocketOptions &options)
    : m_options(options)
{
    requireValid(m_options);
    const ModelSpec &spec = m_options.spec();
    m_layout = miniRocketLayout(spec.lookback, m_options.numFeatures(), m_options.maxDilations());
    const auto dilations = std::int64_t(m_layout.dilations.size());
    const std::int64_t features = m_layout.featureCount;
    m_kernels = register_buffer("kernels", miniRocketKernels());
    m_channelMask = register_buffer(
        "channel_mask", torch::zeros({dilations, miniRocketKernelCount, spec.channels}));
    m_biases = register_buffer("biases", torch::zeros({features}));
    m_featureMean = register_buffer("feature_mean", torch::zeros({features}));
    m_featureScale = register_buffer("feature_scale", torch::ones({features}));
    m_weight = register_buffer("weight", torch::zeros({spec.numClasses, features}));
    m_bias = register_buffer("bias", torch::zeros({spec.numClasses}));
    m_alpha = register_buffer("alpha", torch::zeros({1}, torch::kDouble));
}

torch::Tensor MiniRocketImpl::dilationBiases(std::size_t dilation) const
{
    const std::int64_t n = m_layout.featuresPerDilation[dilation];
    return m_biases.narrow(0, m_layout.offsets[dilation], miniRocketKernelCount * n)
        .view({miniRocketKernelCount, n});
}

torch::Tensor MiniRocketImpl::transform(const torch::Tensor &x, const torch::Tensor &real) const
{
    const torch::Tensor steps =
        real.defined() ? real : torch::ones({x.size(0), x.size(1)}, torch::kBool);
    // Padded steps are zeros, whatever they held: a short case is convolved with the same zero
    // padding at its end as at the series' ends.
    const torch::Tensor series = real.defined() ? x * real.unsqueeze(-1).to(x.dtype()) : x;
    std::vector<torch::Tensor> features;
    for (std::size_t i = 0; i < m_layout.dilations.size(); ++i) {
        const std::int64_t dilation = m_layout.dilations[i];
        const torch::Tensor conv =
            miniRocketConvolve(series, m_kernels, m_channelMask[std::int64_t(i)], dilation);
        const torch::Tensor biases = dilationBiases(i);
        torch::Tensor out = torch::empty({x.size(0), miniRocketKernelCount, biases.size(1)});
        for (const bool padded : {true, false}) {
            std::vector<std::int64_t> kernels;
            for (std::int64_t k = 0; k < miniRocketKernelCount; ++k)
                if (miniRocketPadded(i, k) == padded)
                    kernels.push_back(k);
            const torch::Tensor index = torch::tensor(kernels, torch::kLong);
            out.index_copy_(1, index,
                            proportionPositive(conv.index_select(1, index),
                                               biases.index_select(0, index),
                                               miniRocketSteps(steps, dilation, padded)));
        }
        features.push_back(out.reshape({x.size(0), -1}));
    }
    return torch::cat(features, 1);
}

torch::Tensor MiniRocketImpl::transformInChunks(const torch::Tensor &x,
                                                const torch::Tensor &real) const
{
    // The convolution of a chunk holds cases × channels × 84 × steps floats: at most 64 Mi.
    const std::int64_t perCase =
        std::max<std::int64_t>(1, x.size(2) * miniRocketKernelCount * x.size(1));
    const std::int64_t chunk = std::max<std::int64_t>(1, (std::int64_t(64) << 20) / perCase);
    if (x.size(0) <= chunk)
        return transform(x, real);
    std::vector<torch::Tensor> parts;
    for (std::int64_t begin = 0; begin < x.size(0); begin += chunk) {
        const std::int64_t n = std::min(chunk, x.size(0) - begin);
        parts.push_back(transform(x.narrow(0, begin, n),
                                  real.defined() ? real.narrow(0, begin, n) : torch::Tensor()));
    }
    return torch::cat(parts, 0);
}

void MiniRocketImpl::fitBiases(const torch::Tensor &cases, const torch::Tensor &real,
                               std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    const std::int64_t channels = cases.size(2);
    const std::int64_t most = std::min<std::int64_t>(channels, miniRocketKernelLength);
    std::vector<std::int64_t> order(static_cast<std::size_t>(channels));
    m_channelMask.zero_();
    auto mask = m_channelMask.accessor<float, 3>();
    for (std::int64_t i = 0; i < m_channelMask.size(0); ++i)
        for (std::int64_t k = 0; k < miniRocketKernelCount; ++k) {
            // The multivariate version: 2^u channels (rounded down), u uniform in
            // [0, log2(most + 1)), chosen without replacement.
            std::uniform_real_distribution<double> exponent(0.0, std::log2(double(most) + 1.0));
            const std::int64_t count =
                std::clamp<std::int64_t>(std::int64_t(std::exp2(exponent(rng))), 1, most);
            std::iota(order.begin(), order.end(), 0);
            std::shuffle(order.begin(), order.end(), rng);
            for (std::int64_t c = 0; c < count; ++c)
                mask[i][k][order[std::size_t(c)]] = 1.0f;
        }
    const std::vector<double> quantiles = goldenQuantiles(m_layout.featureCount);
    std::uniform_int_distribution<std::int64_t> pick(0, cases.size(0) - 1);
    for (std::size_t i = 0; i < m_layout.dilations.size(); ++i) {
        const std::int64_t n = m_layout.featuresPerDilation[i];
        for (std::int64_t k = 0; k < miniRocketKernelCount; ++k) {
            const std::int64_t e = pick(rng);
            const torch::Tensor conv = miniRocketConvolve(
                cases.narrow(0, e, 1), m_kernels.narrow(0, k, 1),
                m_channelMask[std::int64_t(i)].narrow(0, k, 1), m_layout.dilations[i]);
            const torch::Tensor values = conv.view({-1}).masked_select(real[e]);
            const std::int64_t first = m_layout.feature(i, k, 0);
            const torch::Tensor levels = torch::tensor(
                std::vector<double>(quantiles.begin() + first, quantiles.begin() + first + n),
                torch::kDouble);
            m_biases.narrow(0, first, n)
                .copy_(torch::quantile(values.to(torch::kDouble), levels).to(torch::kFloat));
        }
    }
}

Status MiniRocketImpl::fit(const torch::Tensor &x, const torch::Tensor &labels,
                           const torch::Tensor &stepMask, std::uint64_t seed)
{
    const ModelSpec &spec = m_options.spec();
    if (x.dim() != 3 || x.size(1) != spec.lookback || x.size(2) != spec.channels)
        return makeError(QStringLiteral("MiniRocket: the cases must be [N, %1, %2], got %3")
                             .arg(spec.lookback)
                             .arg(spec.channels)
                             .arg(QString::fromStdString(c10::str(x.sizes()))));
    if (labels.dim() != 1 || labels.size(0) != x.size(0))
        return makeError(QStringLiteral("MiniRocket: one label per case is needed"));
    if (x.size(0) < 2)
        return makeError(QStringLiteral("MiniRocket: at least two training cases are needed"));
    torch::NoGradGuard noGrad;
    const torch::Tensor cases = x.to(torch::kFloat).contiguous();
    const torch::Tensor real = stepMask.defined()
                                   ? checkedStepMask(stepMask, cases, "MiniRocket")
                                   : torch::ones({cases.size(0), cases.size(1)}, torch::kBool);
    fitBiases(cases, real, seed);
    const torch::Tensor features = transformInChunks(cases, real);
    const torch::Tensor mean = features.mean(0);
    torch::Tensor scale = features.std(0, /*unbiased=*/false);
    scale = torch::where(scale > 1e-8, scale, torch::ones_like(scale));
    const torch::Tensor standardized = (features - mean) / scale;
    Expected<RidgeSolution> ridge =
        fitRidgeClassifier(standardized, labels, spec.numClasses, miniRocketAlphas());
    if (!ridge)
        return makeError(QStringLiteral("MiniRocket: ") + ridge.error().reason);
    m_featureMean.copy_(mean);
    m_featureScale.copy_(scale);
    m_weight.copy_(ridge->weight);
    m_bias.copy_(ridge->bias);
    m_alpha.fill_(ridge->alpha);
    m_fittedLogits = standardized.matmul(m_weight.t()) + m_bias; // as forward() computes them
    return Status::ok();
}

ModelOutput MiniRocketImpl::forward(const torch::Tensor &input, const ForwardOptions &options)
{
    const ModelSpec &spec = m_options.spec();
    TORCH_CHECK(input.dim() == 3 && input.size(1) == spec.lookback &&
                    input.size(2) == spec.channels,
                "MiniRocket: input must be [B, ", spec.lookback, ", ", spec.channels, "], got ",
                input.sizes());
    const torch::Tensor real = checkedStepMask(options.stepMask, input, "MiniRocket");
    ModelOutput out;
    const bool keep = options.captureIntermediates;
    if (keep)
        out.intermediates.push_back({"input", input});
    const torch::Tensor features = transformInChunks(input.contiguous(), real);
    const torch::Tensor standardized = (features - m_featureMean) / m_featureScale;
    out.prediction = standardized.matmul(m_weight.t()) + m_bias;
    if (keep) {
        out.intermediates.push_back({"features", features});
        out.intermediates.push_back({"standardized", standardized});
        out.intermediates.push_back({"logits", out.prediction});
    }
    if (options.captureAttention) {
        torch::NoGradGuard noGrad;
        const std::int64_t batch = input.size(0);
        const torch::Tensor predicted = out.prediction.argmax(1);
        const torch::Tensor contribution = standardized * m_weight.index_select(0, predicted);
        std::vector<torch::Tensor> ppv, share;
        for (std::size_t i = 0; i < m_layout.dilations.size(); ++i) {
            const std::int64_t n = m_layout.featuresPerDilation[i];
            const std::int64_t width = miniRocketKernelCount * n;
            ppv.push_back(features.narrow(1, m_layout.offsets[i], width)
                              .view({batch, miniRocketKernelCount, n})
                              .mean(-1));
            share.push_back(contribution.narrow(1, m_layout.offsets[i], width)
                                .view({batch, miniRocketKernelCount, n})
                                .sum(-1));
        }
        out.mechanisms.push_back({"transform/ppv", torch::stack(ppv, 1)});
        out.mechanisms.push_back({"classifier/contribution", torch::stack(share, 1)});
        out.mechanisms.push_back(
            {"transform/dilations", torch::tensor(m_layout.dilations, torch::kLong)});
    }
    return out;
}

} // namespace twb
