#pragma once

#include <torch/torch.h>

#include <cstdint>

namespace twb::smamba {

/// Options of one Mamba block, named as mamba_ssm's Mamba constructor. mamba_ssm's own defaults
/// are d_state 16, d_conv 4, expand 2; S-Mamba builds its blocks with d_conv 2, expand 1 and
/// d_state from its scripts (SMambaOptions sets those).
struct MambaOptions
{
    explicit MambaOptions(std::int64_t dModel)
        : dModel_(dModel)
    {}

    std::int64_t dInner() const { return expand() * dModel(); }
    /// dtRank(), or ceil(d_model / 16) when it is 0.
    std::int64_t resolvedDtRank() const { return dtRank() > 0 ? dtRank() : (dModel() + 15) / 16; }

    TORCH_ARG(std::int64_t, dModel);
    TORCH_ARG(std::int64_t, dState) = 16;
    /// Width of the depthwise causal convolution over the tokens.
    TORCH_ARG(std::int64_t, dConv) = 4;
    /// d_inner = expand * d_model.
    TORCH_ARG(std::int64_t, expand) = 2;
    /// Rank of the step projection; 0 = "auto" = ceil(d_model / 16).
    TORCH_ARG(std::int64_t, dtRank) = 0;
    /// The initial steps softplus(dt_proj.bias) are log-uniform in [dtMin, dtMax], at least
    /// dtInitFloor; dt_proj.weight is U(-dtScale / sqrt(dt_rank), dtScale / sqrt(dt_rank)).
    TORCH_ARG(double, dtMin) = 0.001;
    TORCH_ARG(double, dtMax) = 0.1;
    TORCH_ARG(double, dtInitFloor) = 1e-4;
    TORCH_ARG(double, dtScale) = 1.0;
    /// Bias of in_proj and out_proj (mamba_ssm: none), of the convolution (mamba_ssm: yes).
    TORCH_ARG(bool, bias) = false;
    TORCH_ARG(bool, convBias) = true;
};

/// The named result of Mamba::forward. Besides the output, what the block computed inside is
/// returned only when asked (trace = true), else undefined.
struct MambaOutput
{
    torch::Tensor output;            ///< [B, L, d_model]
    torch::Tensor u;                 ///< SSM input: SiLU(causal conv(x branch)) [B, L, d_inner]
    torch::Tensor delta;             ///< the selective step softplus(dt_proj(.)) [B, L, d_inner]
    torch::Tensor ssm;               ///< SSM output y before the SiLU(z) gate [B, L, d_inner]
    torch::Tensor implicitAttention; ///< [B, d_inner, L, L], lower-triangular (SelectiveScan.h)
};

/// One Mamba block as mamba_ssm's Mamba (modules/mamba_simple.py, its reference path without
/// the fused kernels; checked in github:state-spaces/mamba), over a token sequence x [B, L, d]:
///   [x_in, z] = in_proj(x)                                   (d -> 2 d_inner, no bias)
///   u = SiLU(conv1d(x_in))       depthwise over the tokens, width d_conv, padded on the left
///                                 only, so token t sees tokens t - d_conv + 1 .. t
///   [dt, B, C] = x_proj(u)                                   (d_inner -> dt_rank + 2 d_state)
///   delta = softplus(dt_proj(dt))                            (dt_rank -> d_inner, with bias)
///   A = -exp(A_log),  A_log[d, n] initialised to log(n + 1)  (S4D-real)
///   y = selectiveScan(u, delta, A, B, C, D),  D initialised to 1
///   output = out_proj(y * SiLU(z))                           (d_inner -> d, no bias)
/// Children and parameters have mamba_ssm's names: in_proj, conv1d, x_proj, dt_proj, A_log
/// [d_inner, d_state], D [d_inner], out_proj. Initialisation as mamba_ssm (default Linear / Conv1d
/// init, then dt_proj's weight and bias as in MambaOptions). Threading: one thread at a time per
/// instance.
class MambaImpl : public torch::nn::Module
{
public:
    /// Throws c10::Error when a size is not positive or dtMin > dtMax.
    explicit MambaImpl(const MambaOptions &options);

    void reset();

    /// x: [B, L, d_model] -> MambaOutput; trace fills u, delta, ssm and implicitAttention.
    MambaOutput forward(const torch::Tensor &x, bool trace = false);

    const MambaOptions &options() const { return m_options; }

private:
    MambaOptions m_options;
    torch::nn::Linear m_inProj{nullptr};
    torch::nn::Conv1d m_conv{nullptr};
    torch::nn::Linear m_xProj{nullptr};
    torch::nn::Linear m_dtProj{nullptr};
    torch::Tensor m_ALog;
    torch::Tensor m_D;
    torch::nn::Linear m_outProj{nullptr};
};

TORCH_MODULE(Mamba);

} // namespace twb::smamba
