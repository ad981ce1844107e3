#pragma once

#include "CorrelationLayer.h"
#include "DataEmbedding.h"
#include "DecompositionLayers.h"
#include "EncoderSize.h"
#include "Model.h"
#include "SeriesDecomposition.h"
#include "common/Expected.h"
#include "common/ModelSpec.h"

#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace twb {

/// The sizes and choices Autoformer and FEDformer share (their plugins' keys in brackets).
struct DecompositionForecasterConfig
{
    ModelSpec spec;
    EncoderSize encoder;            ///< d_model, n_heads, d_ff, e_layers, dropout
    std::int64_t decoderLayers = 1; ///< d_layers
    std::int64_t labelLen = 48;     ///< label_len: known steps the decoder starts from
    std::int64_t movingAvg = 25;    ///< moving_avg: odd window of every decomposition
    FeedForwardActivation activation = FeedForwardActivation::Gelu; ///< activation
    /// embed "timeF" (true) or "none": read the calendar marks when the spec has them.
    bool useMarks = true;
};

/// Errors, each naming `model` and the key: an invalid forecast spec, non-positive sizes,
/// d_model not divisible by n_heads, dropout outside [0, 1), d_layers < 1, label_len outside
/// [0, lookback], an even or non-positive moving_avg, a lookback or decoder length below 2.
Status checkDecompositionConfig(const DecompositionForecasterConfig &config, const QString &model);

/// Which of a model's three kinds of correlation a mechanism is made for.
enum class CorrelationRole { EncoderSelf, DecoderSelf, DecoderCross };

/// Makes a fresh mechanism for one layer; called once per encoder layer (EncoderSelf) and twice
/// per decoder layer (DecoderSelf, then DecoderCross), in layer order.
using CorrelationMechanismFactory =
    std::function<std::shared_ptr<CorrelationMechanism>(CorrelationRole)>;

/// The encoder-decoder with progressive series decomposition that Autoformer (Wu et al., 2021)
/// and FEDformer (Zhou et al., 2022) share; they differ only in the mechanism of their
/// CorrelationLayers. As Time-Series-Library's models, with no normalisation of the input:
///   x [B, L, C] -> decomp -> decoder input: seasonal = last label_len steps then zeros,
///                            trend = last label_len steps then each channel's mean
///   encoder: enc_embedding(x, history marks) -> e_layers encoder layers -> encoder_norm
///   decoder: dec_embedding(seasonal, decoder marks) -> d_layers decoder layers (each adds its
///            projected trend to the trend) -> decoder_norm -> projection (d -> C)
///   output = (trend + seasonal)[:, -horizon:] [B, H, C].
/// Embeddings: DataEmbedding without positions (value conv + calendar linear + dropout); the
/// calendar term only when useMarks and spec.markFeatures > 0 and the marks are given.
/// Children: "decomp", "enc_embedding", "dec_embedding", "encoder_layers" (ModuleList of
/// DecompositionEncoderLayer), "encoder_norm", "decoder_layers" (DecompositionDecoderLayer),
/// "decoder_norm" (SeasonalLayerNorm), "projection" (Linear d -> C, with bias).
///
/// Attention: none (no softmax attention matrix exists); ModelOutput::attention and
/// crossAttention stay empty. With captureAttention, ModelOutput::mechanisms holds each layer's
/// mechanism report as "encoder_layer_<i>/<what>", "decoder_layer_<i>/self/<what>" and
/// "decoder_layer_<i>/cross/<what>" (the <what> of each mechanism: see the model's header).
/// Intermediates, in order (names joined by '.', which the forward-pass file accepts): "input"
/// [B,L,C]; "input_decomposition.{seasonal,trend}" [B,L,C]; "decoder_input.{seasonal,trend}"
/// [B,T,C] (T = label_len + horizon); "encoder_embedding" [B,L,d]; per encoder layer
/// "encoder_layer_<i>.after_attention.{seasonal,trend}" and
/// "encoder_layer_<i>.after_feed_forward.{seasonal,trend}" [B,L,d]; "encoder_output" [B,L,d];
/// "decoder_embedding" [B,T,d]; per decoder layer "decoder_layer_<i>.after_self.…",
/// "….after_cross.…", "….after_feed_forward.…" [B,T,d] and "decoder_layer_<i>.residual_trend"
/// [B,T,C]; "decoder_output.{seasonal,trend}" [B,T,C]; "output" [B,H,C].
/// Tokens: one TimeStep per lookback step ("encoder step t-96" .. "t-1", t = the forecast's
/// first step); decoder tokens: one per decoder step ("decoder step t-48" .. "t", "t+1" ..),
/// begin relative to the lookback window's start.
///
/// Threading: one thread at a time.
class DecompositionForecasterImpl : public Model
{
public:
    ModelOutput forward(const torch::Tensor &input, const ForwardOptions &options = {}) override;
    std::vector<TokenInfo> tokens() const override;
    std::vector<TokenInfo> decoderTokens() const override;

    const DecompositionForecasterConfig &config() const { return m_config; }

protected:
    /// Throws c10::Error if checkDecompositionConfig fails or the factory returns null.
    DecompositionForecasterImpl(DecompositionForecasterConfig config, std::string name,
                                const CorrelationMechanismFactory &factory);

private:
    DecompositionForecasterConfig m_config;
    std::string m_name;
    SeriesDecomposition m_decomposition{nullptr};
    DataEmbedding m_encoderEmbedding{nullptr};
    DataEmbedding m_decoderEmbedding{nullptr};
    std::vector<DecompositionEncoderLayer> m_encoderLayers;
    SeasonalLayerNorm m_encoderNorm{nullptr};
    std::vector<DecompositionDecoderLayer> m_decoderLayers;
    SeasonalLayerNorm m_decoderNorm{nullptr};
    torch::nn::Linear m_projection{nullptr};
};

} // namespace twb
