#pragma once

#include "TimesBlock.h"
#include "common/Expected.h"
#include "common/ModelSpec.h"
#include "nn/DataEmbedding.h"
#include "nn/FastOps.h"
#include "nn/Model.h"

#include <torch/torch.h>

#include <cstdint>

namespace twb {

/// Defaults: Time-Series-Library's ETTh1 script (scripts/long_term_forecast/ETT_script/
/// TimesNet_ETTh1.sh: d_model 16, d_ff 32, e_layers 2, top_k 5) over run.py's defaults
/// (num_kernels 6, dropout 0.1, embed "timeF"). Its classification script
/// (scripts/classification/TimesNet.sh) mostly uses top_k 3 (the plugin's default for the task
/// classify) and a d_model of 16 to 64 by data set.
struct TimesNetOptions
{
    explicit TimesNetOptions(ModelSpec spec)
        : spec_(std::move(spec))
    {}

    /// Errors: a spec that is neither a valid forecast nor a valid classify spec, non-positive
    /// d_model, d_ff, e_layers or num_kernels, dropout outside [0, 1), top_k outside
    /// 1..blockLength() / 2.
    Status validate() const;
    /// The steps the TimesBlocks see: lookback + horizon (forecast), lookback (classify).
    std::int64_t blockLength() const;

    TORCH_ARG(ModelSpec, spec);
    TORCH_ARG(std::int64_t, dModel) = 16;    ///< d_model
    TORCH_ARG(std::int64_t, dFF) = 32;       ///< d_ff (the Inception blocks' inner width)
    TORCH_ARG(std::int64_t, numLayers) = 2;  ///< e_layers (TimesBlocks)
    TORCH_ARG(std::int64_t, topK) = 5;       ///< top_k periods per block
    TORCH_ARG(std::int64_t, numKernels) = 6; ///< num_kernels: 2-D kernels 1, 3, ..., 11
    TORCH_ARG(double, dropout) = 0.1;
    /// Forecast: read the calendar marks when the spec has them (embed "timeF"); false = no
    /// temporal embedding. Classification never reads marks (as the official code).
    TORCH_ARG(bool, useMarks) = true;
};

/// TimesNet (Wu et al., ICLR 2023), as Time-Series-Library's models/TimesNet.py (with
/// layers/Conv_Blocks.py Inception_Block_V1 and layers/Embed.py DataEmbedding; checked at
/// commit 4e938a17 of thuml/Time-Series-Library). With T the block length (blockLength()):
///
/// Forecast (x [B, L, C] -> [B, H, C]):
///   mu, sigma = mean and sqrt(biased variance + 1e-5) of x over time per sample and channel
///   (the non-stationary normalisation; mu detached); z = (x - mu) / sigma;
///   e = DataEmbedding(z, historyMarks) [B, L, d] (token conv + sinusoidal positions +
///   Linear(marks) when the spec has markFeatures and useMarks; futureMarks are not read);
///   e = predict_linear(e along time) [B, L+H, d] (Linear(L -> L+H));
///   e = layer_norm(TimesBlock_i(e)) for each block (one LayerNorm shared by the blocks);
///   y = projection(e) [B, L+H, C] (Linear(d -> C)) * sigma + mu; prediction = last H steps.
/// Classify (x [B, L, C] -> logits [B, classes]):
///   padded steps (ForwardOptions::stepMask false) set to 0 (what the official UEA loader
///   pads with, so their values never matter); e = DataEmbedding(x) without marks; blocks as
///   above; GELU, dropout, padded steps zeroed, flattened [B, L*d], classifier Linear(L*d ->
///   classes).
/// Children: enc_embedding, blocks (ModuleList of TimesBlock), layer_norm; predict_linear and
/// projection (forecast) or dropout and classifier (classify).
///
/// No attention: tokens() is empty and ModelOutput::attention stays empty.
/// Mechanisms (captureAttention), for block i and its k chosen periods, strongest first:
///   "times_block_<i>/spectrum" [T/2+1]: the amplitude |rfft| over frequency f (cycles per T
///       steps) averaged over the batch and d_model, DC zeroed: what the periods come from;
///   "times_block_<i>/frequencies" [k] int64 and "times_block_<i>/periods" [k] int64 (T / f);
///   "times_block_<i>/period_weights" [B, k]: the softmax of each sample's amplitudes at the
///       k frequencies, the weights that combine the k 2-D results;
///   "times_block_<i>/fold_<j>" [B, ceil(T/p_j), p_j]: one d_model channel of the block's input
///       (the one that varies most over the batch and time), zero-padded and folded by period p_j
///       as the 2-D convolutions see every channel (row = one cycle, column = the phase within
///       it): a periodic input gives rows that look alike, which the 2-D kernels exploit across
///       cycles and phases. A channel of the block's input rather than the raw series, because
///       in forecasting the blocks run on the L+H steps predict_linear produced, and rather than
///       a mean over d_model, which the LayerNorm ending every block makes flat.
/// Intermediates (captureIntermediates): forecast "input" [B,L,C], "normalized" [B,L,C],
/// "embedded" [B,L,d], "aligned" [B,L+H,d], "times_block_<i>" [B,L+H,d] (after the LayerNorm),
/// "projection" [B,L+H,C] (de-normalised), "output" [B,H,C]; classify "input", "embedded",
/// "times_block_<i>" [B,L,d], "features" [B,L*d], "logits" [B,classes].
class TimesNetImpl : public Model
{
public:
    /// Throws c10::Error if options.validate() fails.
    explicit TimesNetImpl(const TimesNetOptions &options);
    void reset();

    /// Throws c10::Error for an input that is not [B, L, C], marks or a step mask of the
    /// wrong shape.
    ModelOutput forward(const torch::Tensor &input, const ForwardOptions &options = {}) override;
    std::vector<TokenInfo> tokens() const override { return {}; }

    const TimesNetOptions &options() const { return m_options; }

private:
    /// The blocks, each followed by the shared LayerNorm, with their stages and mechanisms.
    torch::Tensor runBlocks(torch::Tensor x, const ForwardOptions &options, ModelOutput &out);

    TimesNetOptions m_options;
    DataEmbedding m_embedding{nullptr};
    torch::nn::ModuleList m_blocks{nullptr};
    torch::nn::LayerNorm m_layerNorm{nullptr};
    torch::nn::Linear m_predictLinear{nullptr};
    torch::nn::Linear m_projection{nullptr};
    twb::nn::FastDropout m_dropout{nullptr};
    torch::nn::Linear m_classifier{nullptr};
};

TORCH_MODULE(TimesNet);

} // namespace twb
