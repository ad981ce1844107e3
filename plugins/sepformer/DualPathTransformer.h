#pragma once

#include "nn/PositionalEncoding.h"
#include "nn/TransformerEncoderLayer.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace twb::sepformer {

/// Sizes of one SepFormer transformer (the paper's "IntraTransformer"/"InterTransformer").
struct TransformerSize
{
    std::int64_t dModel = 256;
    std::int64_t heads = 8;
    std::int64_t dFF = 1024;
    std::int64_t layers = 8;
    double dropout = 0.0;
};

/// One SepFormer transformer as SpeechBrain's SBTransformerBlock builds it for the paper:
/// x [batch, tokens, d] → x + sinusoidal positions → `layers` pre-norm encoder layers
/// (x + MHA(LN(x)), x + FFN(LN(x)), ReLU, LayerNorm eps 1e-6) → a final LayerNorm (eps 1e-6).
/// forward() returns [batch, tokens, d]; with `weights`, each layer's attention
/// [batch, heads, tokens, tokens] is appended. Children: positions, layers.<i>, norm.
class DualPathTransformerImpl : public torch::nn::Module
{
public:
    DualPathTransformerImpl(const TransformerSize &size, std::int64_t maxTokens);
    torch::Tensor forward(const torch::Tensor &x, std::vector<torch::Tensor> *weights = nullptr);

private:
    SinusoidalPositionalEncoding m_positions{nullptr};
    torch::nn::ModuleList m_layers{nullptr};
    torch::nn::LayerNorm m_norm{nullptr};
};
TORCH_MODULE(DualPathTransformer);

/// What a dual-path block's attention keeps for the explorer: the intra transformers' maps
/// averaged over the chunks ([batch, heads, chunk, chunk] per layer) and the inter
/// transformers' maps averaged over the positions within the chunks ([batch, heads, chunks,
/// chunks] per layer).
struct DualPathAttention
{
    std::vector<torch::Tensor> intra;
    std::vector<torch::Tensor> inter;
};

/// SpeechBrain's Dual_Computation_Block as SepFormer uses it (no linear layer after the
/// transformers, skip around intra, GroupNorm(1, N, eps 1e-8) = global layer norm):
///   x [B, N, K, S] (K frames per chunk, S chunks)
///   intra = GN(IntraTransformer(x as [B·S, K, N])) + x
///   out   = GN(InterTransformer(intra as [B·K, S, N])) + intra
/// Children: intra, inter, intra_norm, inter_norm.
class DualPathBlockImpl : public torch::nn::Module
{
public:
    DualPathBlockImpl(const TransformerSize &intra, const TransformerSize &inter,
                      std::int64_t chunk, std::int64_t maxChunks);
    torch::Tensor forward(const torch::Tensor &x, DualPathAttention *attention = nullptr);

private:
    DualPathTransformer m_intra{nullptr}, m_inter{nullptr};
    torch::nn::GroupNorm m_intraNorm{nullptr}, m_interNorm{nullptr};
};
TORCH_MODULE(DualPathBlock);

} // namespace twb::sepformer
