#pragma once

#include "MambaLayer.h"

#include "nn/FastOps.h"
#include "nn/TransformerEncoderLayer.h"

#include <torch/torch.h>

#include <cstdint>

namespace twb::smamba {

struct SMambaLayerOptions
{
    SMambaLayerOptions(MambaOptions mamba, std::int64_t dFF)
        : mamba_(std::move(mamba))
        , dFF_(dFF)
    {}

    /// Both directions' blocks (their d_model is the layer's).
    TORCH_ARG(MambaOptions, mamba);
    TORCH_ARG(std::int64_t, dFF);
    /// Inside the feed-forward block after the activation and after its second projection.
    TORCH_ARG(double, dropout) = 0.1;
    TORCH_ARG(FeedForwardActivation, activation) = FeedForwardActivation::Gelu;
};

/// The named result of SMambaLayer::forward / mix. The traces are filled only when asked.
struct SMambaLayerOutput
{
    torch::Tensor output; ///< [B, N, d_model]
    /// The forward block over tokens 0 .. N-1 (MambaOutput's traces).
    MambaOutput forward;
    /// The reverse block, which reads the tokens N-1 .. 0, with every trace put back in token
    /// order: u, delta, ssm flipped along the tokens, implicitAttention flipped along both token
    /// axes (so it is upper-triangular: token i mixes tokens j >= i). output is undefined.
    MambaOutput reverse;
    /// forward.implicitAttention + reverse.implicitAttention [B, d_inner, N, N].
    torch::Tensor implicitAttention;
};

/// One encoder layer of S-Mamba (layers/Mamba_EncDec.py EncoderLayer of
/// github:wzhwzhwzh0921/S-D-Mamba), over tokens x [B, N, d]:
///   m = mamba(x) + flip(mamba_reverse(flip(x)))     flip = reverse the token order (mix())
///   h = norm1(x + m)                                 (no dropout on m, as the official code)
///   out = norm2(h + Dropout(Linear2(Dropout(Act(Linear1(h))))))
/// The official 1x1 convolutions of the feed-forward block are the linear layers here.
/// Children: mamba, mamba_reverse, norm1, feed_forward (Linear-Act-Dropout-Linear), dropout,
/// norm2. Threading: one thread at a time per instance.
class SMambaLayerImpl : public torch::nn::Module
{
public:
    explicit SMambaLayerImpl(const SMambaLayerOptions &options);

    void reset();

    /// x: [B, N, d_model]. trace fills the directions' traces and implicitAttention.
    SMambaLayerOutput forward(const torch::Tensor &x, bool trace = false);
    /// The bidirectional mixing m alone (output = m), with the same traces.
    SMambaLayerOutput mix(const torch::Tensor &x, bool trace = false);

    Mamba mamba() const { return m_mamba; }
    Mamba mambaReverse() const { return m_mambaReverse; }
    const SMambaLayerOptions &options() const { return m_options; }

private:
    SMambaLayerOptions m_options;
    Mamba m_mamba{nullptr};
    Mamba m_mambaReverse{nullptr};
    torch::nn::LayerNorm m_norm1{nullptr};
    torch::nn::Sequential m_feedForward{nullptr};
    twb::nn::FastDropout m_dropout{nullptr};
    torch::nn::LayerNorm m_norm2{nullptr};
};

TORCH_MODULE(SMambaLayer);

} // namespace twb::smamba
