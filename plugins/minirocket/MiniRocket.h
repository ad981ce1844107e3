#pragma once

#include "MiniRocketTransform.h"
#include "common/Expected.h"
#include "common/ModelSpec.h"
#include "nn/Model.h"
#include "nn/OnePassFit.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace twb {

/// Defaults: the paper's (about 10,000 features, at most 32 dilations per kernel).
struct MiniRocketOptions
{
    explicit MiniRocketOptions(ModelSpec spec)
        : spec_(std::move(spec))
    {}

    /// Errors: an invalid classification spec, fewer than 84 features, no dilation.
    Status validate() const;

    TORCH_ARG(ModelSpec, spec);
    TORCH_ARG(std::int64_t, numFeatures) = 10000; ///< rounded down to a multiple of 84
    TORCH_ARG(std::int64_t, maxDilations) = 32;
};

/// MiniRocket (Dempster, Schmidt, Webb, KDD 2021) for classification, fitted in one pass
/// (OnePassFit) instead of trained by gradients:
///   x [B, T, C] → for each dilation d of the layout and each of the 84 kernels: the
///   convolution summed over the kernel's channels (a random subset per kernel and dilation
///   when C > 1, the multivariate version) → per bias, the proportion of positive values of
///   (conv − bias) over the whole output or its valid part (alternating) → features [B, F] →
///   standardised with the training features' mean and deviation → ridge scores [B, classes].
/// fit(): the channel subsets and, per kernel and dilation, a random training case whose
/// convolution's quantiles at goldenQuantiles() are the biases (all drawn from the seed), then
/// the features of every case and RidgeClassifier's leave-one-out choice of α.
/// Step masks: features of a padded case read its real steps only.
/// Buffers (fixed shapes, zero until fitted): "kernels" [84, 9], "channel_mask" [D, 84, C],
/// "biases" [F], "feature_mean" [F], "feature_scale" [F], "weight" [classes, F],
/// "bias" [classes], "alpha" [1] (float64). No parameters, no attention (tokens() empty).
/// Intermediates: "input" [B,T,C], "features" [B,F] (PPV), "standardized" [B,F], "logits".
/// Mechanisms (with captureAttention): "transform/ppv" [B, D, 84] (mean PPV over each kernel's
/// biases at each dilation: which patterns occur at which scale), "classifier/contribution"
/// [B, D, 84] (each kernel and dilation's share of the predicted class's score) and
/// "transform/dilations" [D] int64.
class MiniRocketImpl : public Model, public OnePassFit
{
public:
    /// Throws c10::Error if options.validate() fails.
    explicit MiniRocketImpl(const MiniRocketOptions &options);

    ModelOutput forward(const torch::Tensor &input, const ForwardOptions &options = {}) override;
    std::vector<TokenInfo> tokens() const override { return {}; }

    Status fit(const torch::Tensor &x, const torch::Tensor &labels, const torch::Tensor &stepMask,
               std::uint64_t seed) override;
    /// The ridge's logits of the last fit's cases (not saved: a loaded model has none).
    torch::Tensor fittedLogits() const override { return m_fittedLogits; }

    /// The PPV features [B, F] of x [B, T, C] (real [B, T] bool or undefined: every step real).
    torch::Tensor transform(const torch::Tensor &x, const torch::Tensor &real) const;

    const MiniRocketOptions &options() const { return m_options; }
    const MiniRocketLayout &layout() const { return m_layout; }
    double alpha() const { return m_alpha.item<double>(); }

private:
    /// transform() of at most a bounded number of cases at a time.
    torch::Tensor transformInChunks(const torch::Tensor &x, const torch::Tensor &real) const;
    /// The biases [84, n] of one dilation, reshaped from the flat buffer.
    torch::Tensor dilationBiases(std::size_t dilation) const;
    /// Draws the channel subsets and the biases from `cases` (real: their real steps).
    void fitBiases(const torch::Tensor &cases, const torch::Tensor &real, std::uint64_t seed);

    MiniRocketOptions m_options;
    MiniRocketLayout m_layout;
    torch::Tensor m_kernels, m_channelMask, m_biases, m_featureMean, m_featureScale, m_weight,
        m_bias, m_alpha;
    torch::Tensor m_fittedLogits; // [N, classes] of the last fit; not a buffer
};

TORCH_MODULE(MiniRocket);

} // namespace twb
