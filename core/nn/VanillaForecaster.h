#pragma once

#include "DataEmbedding.h"
#include "Model.h"
#include "VanillaDecoder.h"
#include "VanillaEncoder.h"
#include "common/Expected.h"
#include "common/ModelSpec.h"

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

namespace twb {

/// Checks what the decoder side needs: label_len in 0..lookback and d_layers >= 1. The Error
/// names `model` and the keys.
Status checkDecoderSizes(const QString &model, const ModelSpec &spec, std::int64_t labelLen,
                         std::int64_t decoderLayers);

/// What a VanillaForecaster is built from; the plugins' options produce it.
struct VanillaForecasterConfig
{
    VanillaForecasterConfig(std::string name, ModelSpec spec, VanillaEncoderOptions encoder,
                            VanillaDecoderOptions decoder)
        : name_(std::move(name))
        , spec_(std::move(spec))
        , encoder_(std::move(encoder))
        , decoder_(std::move(decoder))
    {}
    TORCH_ARG(std::string, name); ///< in error messages ("Informer")
    TORCH_ARG(ModelSpec, spec);
    TORCH_ARG(VanillaEncoderOptions, encoder);
    TORCH_ARG(VanillaDecoderOptions, decoder); ///< outputs() must be spec.channels
    /// Known steps at the start of the decoder input (0..lookback).
    TORCH_ARG(std::int64_t, labelLen) = 48;
    /// Embed the calendar marks ("timeF"); off ("none") ignores them. Without marks in the
    /// spec (markFeatures == 0) there is no temporal embedding either way.
    TORCH_ARG(bool, useMarks) = true;
    /// Dropout at the end of both embeddings.
    TORCH_ARG(double, dropout) = 0.1;
};

/// The encoder-decoder forecaster of the Transformer and Informer (Time-Series-Library's
/// models/Transformer.py and models/Informer.py, long-term forecast), without normalisation:
///   encoder: DataEmbedding(x [B, L, C], historyMarks) -> VanillaEncoder -> [B, S, d]
///   decoder input: x's last labelLen steps then horizon zeros, [B, labelLen + H, C], with
///   decoderMarks(historyMarks, futureMarks, labelLen)
///   decoder: DataEmbedding -> VanillaDecoder (causal self-attention, cross-attention to the
///   encoder output) -> LayerNorm -> Linear(d -> C); the prediction is its last H steps.
/// Children: enc_embedding, dec_embedding (DataEmbedding), encoder, decoder.
/// Head-maskable attention, numbered in this order by explain/WhatIf: every encoder layer's
/// self_attention, then per decoder layer its self_attention and cross_attention.
///
/// ModelOutput (captureAttention): attention = per encoder layer [B, heads, T_i, T_i] (T_i
/// described by encoderLayerTokens(i)); crossAttention = per decoder layer [B, heads,
/// labelLen + H, S] (decoderTokens() x encoderLayerTokens(last)); mechanisms, per layer i:
///   "encoder_layer_i/tokens" [1] int64, the layer's token count;
///   "encoder_layer_i/active_queries" [B, heads, u] int64 (ProbSparse layers);
///   "decoder_layer_i/self_attention" [B, heads, T, T], the causal self-attention;
///   "decoder_layer_i/self_active_queries", "decoder_layer_i/cross_active_queries" [B,
///   heads, u] int64 (ProbSparse layers).
/// Intermediates (captureIntermediates), in order: "input" [B,L,C], "encoder_embedding"
/// [B,L,d], "encoder_layer_i" [B,T_i,d] each followed by "distil_i" [B,T_{i+1},d] when
/// distilling, "encoder_output" [B,S,d] (final LayerNorm), "decoder_input" [B,T,C],
/// "decoder_embedding" [B,T,d], "decoder_layer_i" [B,T,d], "projection" [B,T,C], "output"
/// [B,H,C].
/// Marks: both historyMarks and futureMarks, or neither (the model then runs without the
/// temporal embedding, as the official code with x_mark None).
/// Threading: one thread at a time per instance.
class VanillaForecaster : public Model
{
public:
    ModelOutput forward(const torch::Tensor &input, const ForwardOptions &options = {}) override;
    std::vector<TokenInfo> tokens() const override;
    std::vector<TokenInfo> decoderTokens() const override;
    /// Layer 0 and every layer without distilling: tokens(). After distilling: TimeRange
    /// tokens (DistillingLayer::outputRanges). Empty for a layer that does not exist.
    std::vector<TokenInfo> encoderLayerTokens(std::size_t layer) const override;

    const VanillaForecasterConfig &config() const { return m_config; }

protected:
    /// Throws c10::Error on inconsistent sizes (the plugins validate before).
    explicit VanillaForecaster(VanillaForecasterConfig config);

private:
    VanillaForecasterConfig m_config;
    DataEmbedding m_encoderEmbedding{nullptr};
    DataEmbedding m_decoderEmbedding{nullptr};
    VanillaEncoder m_encoder{nullptr};
    VanillaDecoder m_decoder{nullptr};
};

} // namespace twb
