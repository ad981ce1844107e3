#pragma once

#include "SMambaLayer.h"

#include "common/Expected.h"
#include "common/ModelSpec.h"
#include "nn/FastOps.h"
#include "nn/Model.h"
#include "nn/RevIN.h"
#include "nn/TransformerEncoderLayer.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace twb {

/// Defaults: the official ETTh1 settings (scripts/multivariate_forecasting/ETT/S_Mamba_ETTh1.sh
/// and run.py of github:wzhwzhwzh0921/S-D-Mamba): d_model 256, d_ff 256, d_state 2, e_layers 2,
/// dropout 0.1, GELU, and the blocks as model/S_Mamba.py builds them: d_conv 2, expand 1
/// (not mamba_ssm's 4 and 2), dt_rank ceil(d_model / 16).
struct SMambaOptions
{
    explicit SMambaOptions(ModelSpec spec)
        : spec_(std::move(spec))
    {}

    /// Errors: an invalid forecast spec, a non-positive size, dropout outside [0, 1).
    Status validate() const;

    smamba::MambaOptions mamba() const
    {
        return smamba::MambaOptions(dModel()).dState(dState()).dConv(dConv()).expand(expand());
    }
    /// Tokens the encoder sees for this spec: channels, plus markFeatures when useMarks.
    std::int64_t tokenCount() const
    {
        return spec().channels + (useMarks() ? spec().markFeatures : 0);
    }

    TORCH_ARG(ModelSpec, spec);
    TORCH_ARG(std::int64_t, dModel) = 256;
    TORCH_ARG(std::int64_t, dFF) = 256;
    TORCH_ARG(std::int64_t, dState) = 2;
    TORCH_ARG(std::int64_t, dConv) = 2;
    TORCH_ARG(std::int64_t, expand) = 1;
    TORCH_ARG(std::int64_t, numLayers) = 2;
    /// After the token embedding and in the feed-forward blocks.
    TORCH_ARG(double, dropout) = 0.1;
    TORCH_ARG(FeedForwardActivation, activation) = FeedForwardActivation::Gelu;
    /// Normalise each variate of each window (mean, biased std, eps 1e-5) and undo it.
    TORCH_ARG(bool, useNorm) = true;
    /// Embed the calendar features (ForwardOptions::historyMarks) as extra tokens, one per
    /// feature, as the official code does with "timeF" marks.
    TORCH_ARG(bool, useMarks) = true;
};

/// S-Mamba (Wang et al. 2024, "Is Mamba Effective for Time Series Forecasting?"), following
/// model/S_Mamba.py and layers/Mamba_EncDec.py of github:wzhwzhwzh0921/S-D-Mamba:
///   x [B, L, C] -> per-variate normalisation -> [B, C, L], with the calendar marks [B, L, F]
///   appended as F more rows when useMarks and ForwardOptions::historyMarks is given
///   -> Linear(L -> d) -> Dropout -> N = C (+ F) tokens -> e_layers SMambaLayer (bidirectional
///   Mamba + residual + LayerNorm + feed-forward + LayerNorm) -> final LayerNorm
///   -> Linear(d -> H) -> the C variate tokens' rows -> [B, H, C] -> denormalisation.
/// Marks: read when useMarks, spec.markFeatures > 0 and historyMarks is defined ([B, L,
/// markFeatures]); futureMarks is never read. Without marks the model runs on the C variates
/// only (then the maps are [.., C, C] while tokens() describes C + F tokens).
/// Children: normalization (RevIN without affine, when useNorm), embedding, dropout,
/// layers.<i> (SMambaLayer), norm, projection.
///
/// Attention (captureAttention), one entry per layer: the implicit attention of the layer's
/// selective scans (Ali et al. 2024). For channel d of the inner width, the forward block's
/// alpha_f[d][i, j] = C_i . prod_{k=j+1..i} exp(delta_k A_d) . delta_j B_j (j <= i) and the
/// reverse block's alpha_r[d] (j >= i, in token order) give alpha = alpha_f + alpha_r with
/// ssm_out_dir(i, d) = sum_j alpha_dir[d][i, j] u_dir(j, d) + D_d u_dir(i, d) per direction (u:
/// the direction's conv + SiLU output). The map drawn is
///   attention[l] [B, 1, N, N] = P[b, i, j] / sum_j' P[b, i, j'],  P = mean over d of |alpha[d]|,
/// one "head", each row summing to 1 (row-stochastic, as rollout and the what-if tools assume).
/// It ignores the gate SiLU(z), the projections and the residual path: it shows how the SSMs mix
/// tokens, not a full input attribution.
/// Mechanisms (captureAttention), per layer l, stage "encoder_layer_<l>":
///   "encoder_layer_<l>/implicit_attention" [B, d_inner, N, N]  alpha = alpha_f + alpha_r, signed;
///   "encoder_layer_<l>/delta"              [B, N, d_inner]     forward block's delta;
///   "encoder_layer_<l>/delta_reverse"      [B, N, d_inner]     reverse block's, token order.
/// Intermediates: "input" [B,L,C], "normalized" [B,L,C], "variate_tokens" [B,N,d],
/// "encoder_layer_<l>" [B,N,d], "encoder_output" [B,N,d] (after the final LayerNorm),
/// "projection" [B,N,H], "output" [B,H,C].
/// Threading: one thread at a time per instance.
class SMambaImpl : public Model
{
public:
    /// Throws c10::Error if options.validate() fails.
    explicit SMambaImpl(const SMambaOptions &options);

    void reset();

    /// input [B, L, C] float; see the class comment for options.historyMarks.
    ModelOutput forward(const torch::Tensor &input, const ForwardOptions &options = {}) override;
    /// The C variates (Variate, covering [0, L) of their channel), then, when useMarks and
    /// spec.markFeatures > 0, one Special token per calendar feature ("calendar feature f",
    /// covering no input value).
    std::vector<TokenInfo> tokens() const override;

    const SMambaOptions &options() const { return m_options; }
    smamba::SMambaLayer layer(std::size_t i) const { return m_layers.at(i); }

private:
    SMambaOptions m_options;
    RevIN m_normalization{nullptr};
    torch::nn::Linear m_embedding{nullptr};
    twb::nn::FastDropout m_dropout{nullptr};
    torch::nn::ModuleList m_layerList{nullptr};
    std::vector<smamba::SMambaLayer> m_layers; ///< the layers of m_layerList, typed
    torch::nn::LayerNorm m_norm{nullptr};
    torch::nn::Linear m_projection{nullptr};
};

TORCH_MODULE(SMamba);

/// The map drawn for one layer: alpha [B, d_inner, N, N] -> [B, 1, N, N], the mean over the
/// channels of |alpha|, each row divided by its sum (a zero row stays zero).
torch::Tensor implicitAttentionMap(const torch::Tensor &alpha);

} // namespace twb
