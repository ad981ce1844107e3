#pragma once

#include "CrossformerDecoder.h"
#include "CrossformerEncoder.h"
#include "CrossformerOptions.h"
#include "SegmentEmbedding.h"
#include "SegmentTokens.h"
#include "nn/Model.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace twb {

/// Crossformer (Zhang & Yan, ICLR 2023), long-term forecast, as Time-Series-Library's
/// models/Crossformer.py or the authors' cross_models/cross_former.py (CrossformerVariant):
///   x [B, L, D] -> SegmentEmbedding (child "embedding") -> [B, D, N, d], N = ceil(L / seg_len)
///   -> CrossformerEncoder (child "encoder", e_layers two-stage attention layers, segments
///   merged by win_size before every layer but the first) -> scales 0..e_layers
///   -> CrossformerDecoder (child "decoder", e_layers + 1 layers, layer j attending to scale
///   j) on the learned decoder positions (parameter "decoder_position" [D, Nout, d], N(0, 1),
///   the same for every sample), Nout = ceil(H / seg_len) -> the sum of the layers'
///   predictions [B, Nout * seg_len, D] -> H steps (the last H for TimeSeriesLibrary, the
///   first H for Authors) -> [B, H, D]. No normalisation (the data pipeline scales), no marks.
///
/// ModelOutput with captureAttention:
///   attention: the cross-time stage of every encoder layer i, [B*D, heads, N_i, N_i],
///     row b * D + v (channel-independent convention), over encoderLayerTokens(i);
///   crossAttention: empty (every decoder layer attends to its own scale, which the contract's
///     single key set cannot describe; see "decoder_layer_j/cross_attention");
///   mechanisms (rows sample-major, post-softmax; stages "<layer>.<what>" in the forward view):
///     "encoder_layer_i/router_sender"   [B*N_i, heads, factor, D], row b * N_i + s: the
///                                       routers of segment s attending to the variables;
///     "encoder_layer_i/router_receiver" [B*N_i, heads, D, factor]: the variables attending to
///                                       the routers;
///     "decoder_layer_j/time_attention"  [B*D, heads, Nout, Nout] (decoder segments);
///     "decoder_layer_j/router_sender"   [B*Nout, heads, factor, D];
///     "decoder_layer_j/router_receiver" [B*Nout, heads, D, factor];
///     "decoder_layer_j/cross_attention" [B*D, heads, Nout, N_scale_j] (outputSegmentTokens()
///                                       x scaleTokens(j)).
/// Intermediates, in order: "input" [B,L,D], "segments" [B,D,N,seg_len] (padded),
///   "embedding" [B,D,N,d]; per encoder layer i: "encoder_layer_i.merged" [B,D,N_i,d] (layers
///   that merge), "encoder_layer_i.cross_time" [B,D,N_i,d], "encoder_layer_i" [B,D,N_i,d];
///   "decoder_input" [B,D,Nout,d]; per decoder layer j: "decoder_layer_j" [B,D,Nout,d],
///   "decoder_layer_j.prediction" [B,Nout*seg_len,D]; "output" [B,H,D].
/// Head-maskable attention (explain/WhatIf numbering): per encoder layer time_attention,
/// dim_sender, dim_receiver; per decoder layer those three and cross_attention.
/// Threading: one thread at a time per instance.
class CrossformerImpl : public Model
{
public:
    /// Throws c10::Error if options.validate() fails.
    explicit CrossformerImpl(const CrossformerOptions &options);

    void reset();

    ModelOutput forward(const torch::Tensor &input, const ForwardOptions &options = {}) override;
    /// The N input segments as TimeRange tokens over the lookback (padded steps excluded).
    std::vector<TokenInfo> tokens() const override;
    /// Layer 0: tokens(); layer i: the segments after i mergings, each covering the union of
    /// its sources. Empty for a layer that does not exist.
    std::vector<TokenInfo> encoderLayerTokens(std::size_t layer) const override;
    bool channelIndependentAttention() const override { return true; }

    /// The keys of decoder layer j's cross-attention: scale 0 is the embedding (tokens()),
    /// scale j >= 1 encoder layer j - 1's output (encoderLayerTokens(j - 1)).
    std::vector<TokenInfo> scaleTokens(std::size_t scale) const;
    /// The decoder's Nout segments over the horizon, TimeRange with begin relative to the
    /// lookback window (the horizon's first step is `lookback`); steps the forecast drops
    /// are excluded.
    std::vector<TokenInfo> outputSegmentTokens() const;

    const CrossformerOptions &options() const { return m_options; }

private:
    std::vector<SegmentRange> layerRanges(std::size_t layer) const;

    CrossformerOptions m_options;
    SegmentEmbedding m_embedding{nullptr};
    CrossformerEncoder m_encoder{nullptr};
    torch::Tensor m_decoderPosition;
    CrossformerDecoder m_decoder{nullptr};
};

TORCH_MODULE(Crossformer);

} // namespace twb
