#pragma once

#include "nn/FastOps.h"
#include "nn/MultiheadAttention.h"

#include <torch/torch.h>

#include <cstdint>

namespace twb {

struct TwoStageAttentionOptions
{
    TwoStageAttentionOptions(std::int64_t dModel, std::int64_t numHeads, std::int64_t dFF,
                             std::int64_t segments, std::int64_t routers)
        : dModel_(dModel)
        , numHeads_(numHeads)
        , dFF_(dFF)
        , segments_(segments)
        , routers_(routers)
    {}

    TORCH_ARG(std::int64_t, dModel);
    TORCH_ARG(std::int64_t, numHeads);
    TORCH_ARG(std::int64_t, dFF);
    /// The segments N of every input (the routers are learned per segment).
    TORCH_ARG(std::int64_t, segments);
    /// factor: router tokens per segment (c).
    TORCH_ARG(std::int64_t, routers);
    /// On the weights of all three attentions and after every residual branch.
    TORCH_ARG(double, dropout) = 0.0;
};

/// What a TwoStageAttention call should keep.
struct TwoStageRequest
{
    bool needWeights = false; ///< fill the three weight tensors
    bool keepStages = false;  ///< fill crossTime
};

struct TwoStageOutput
{
    torch::Tensor output;    ///< [B, D, N, d]
    torch::Tensor crossTime; ///< [B, D, N, d] after the cross-time stage (keepStages)
    /// needWeights, post-softmax before dropout:
    torch::Tensor time;     ///< [B*D, heads, N, N], row b * D + v
    torch::Tensor sender;   ///< [B*N, heads, c, D], row b * N + s: routers attend to variables
    torch::Tensor receiver; ///< [B*N, heads, D, c], row b * N + s: variables attend to routers
};

/// The receiver's result of the cross-dimension exchange (routerExchange).
struct RouterExchange
{
    torch::Tensor output;   ///< [B*N, D, d] what the variables read (before residual and norm)
    torch::Tensor sender;   ///< as TwoStageOutput, when asked
    torch::Tensor receiver; ///< as TwoStageOutput, when asked
};

/// Crossformer's two-stage attention (TSA) layer (Time-Series-Library's
/// TwoStageAttentionLayer; the same in the authors' cross_models/attn.py), on x [B, D, N, d]
/// (D variables, N segments):
///   cross-time, per variable: X = x as [B*D, N, d];
///     Y = norm2(Z + Drop(MLP1(Z))), Z = norm1(X + Drop(MSA_time(X, X, X)))
///   cross-dimension, per segment: S = Y as [B*N, D, d], R = router[s] [c, d] for each row;
///     Buf = MSA_sender(R, S, S) [B*N, c, d] (the routers gather from every variable),
///     Rec = MSA_receiver(S, Buf, Buf) [B*N, D, d] (every variable reads the routers),
///     out = norm4(W + Drop(MLP2(W))), W = norm3(S + Drop(Rec))   -> [B, D, N, d].
/// MLP = Linear(d, d_ff) - GELU - Linear(d_ff, d). The cost is linear in D (2 c D per segment
/// instead of D^2).
/// Children: time_attention, dim_sender, dim_receiver (MultiheadAttention, head-maskable),
/// router [N, c, d] (N(0, 1)), norm1..norm4, mlp1, mlp2, dropout.
/// Threading: one thread at a time per instance.
class TwoStageAttentionImpl : public torch::nn::Module
{
public:
    explicit TwoStageAttentionImpl(const TwoStageAttentionOptions &options);

    void reset();

    TwoStageOutput forward(const torch::Tensor &x, const TwoStageRequest &request = {});

    /// The routers' exchange alone: dimSend [B*N, D, d] (rows b * N + s), routers of segment
    /// row % N.
    RouterExchange routerExchange(const torch::Tensor &dimSend, bool needWeights);

    const TwoStageAttentionOptions &options() const { return m_options; }

private:
    TwoStageAttentionOptions m_options;
    MultiheadAttention m_time{nullptr};
    MultiheadAttention m_sender{nullptr};
    MultiheadAttention m_receiver{nullptr};
    torch::Tensor m_router;
    torch::nn::LayerNorm m_norm1{nullptr};
    torch::nn::LayerNorm m_norm2{nullptr};
    torch::nn::LayerNorm m_norm3{nullptr};
    torch::nn::LayerNorm m_norm4{nullptr};
    torch::nn::Sequential m_mlp1{nullptr};
    torch::nn::Sequential m_mlp2{nullptr};
    twb::nn::FastDropout m_dropout{nullptr};
};

TORCH_MODULE(TwoStageAttention);

} // namespace twb
