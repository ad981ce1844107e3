#include "VanillaForecaster.h"

#include "DecoderInput.h"
#include "ForecastTokens.h"

#include <algorithm>
#include <string>
#include <utility>

namespace twb {

Status checkDecoderSizes(const QString &model, const ModelSpec &spec, std::int64_t labelLen,
                         std::int64_t decoderLayers)
{
    const auto fail = [&model](const QString &reason) {
        return Status(Error{model + QLatin1String(": ") + reason, {}, 0});
    };
    if (labelLen < 0 || labelLen > spec.lookback)
        return fail(QStringLiteral("label_len %1 must lie in 0..lookback (%2)")
                        .arg(labelLen)
                        .arg(spec.lookback));
    if (decoderLayers < 1)
        return fail(QStringLiteral("d_layers must be at least 1, got %1").arg(decoderLayers));
    return Status::ok();
}

VanillaForecaster::VanillaForecaster(VanillaForecasterConfig config)
    : m_config(std::move(config))
{
    const ModelSpec &spec = m_config.spec();
    const std::int64_t d = m_config.encoder().layer().dModel();
    TORCH_CHECK(spec.lookback > 0 && spec.horizon > 0 && spec.channels > 0, m_config.name(),
                ": lookback, horizon and channels must be positive");
    TORCH_CHECK(m_config.labelLen() >= 0 && m_config.labelLen() <= spec.lookback, m_config.name(),
                ": label_len must lie in 0..lookback");
    TORCH_CHECK(m_config.decoder().layer().dModel() == d &&
                    m_config.decoder().outputs() == spec.channels,
                m_config.name(), ": the decoder's sizes do not match the encoder and the spec");
    const auto embedding = [&] {
        return DataEmbedding(
            DataEmbeddingOptions(spec.channels, d)
                .markFeatures(m_config.useMarks() ? spec.markFeatures : 0)
                .maxLength(std::max<std::int64_t>(
                    5000, std::max(spec.lookback, m_config.labelLen() + spec.horizon)))
                .dropout(m_config.dropout()));
    };
    m_encoderEmbedding = register_module("enc_embedding", embedding());
    m_decoderEmbedding = register_module("dec_embedding", embedding());
    m_encoder = register_module("encoder", VanillaEncoder(m_config.encoder()));
    m_decoder = register_module("decoder", VanillaDecoder(m_config.decoder()));
}

std::vector<TokenInfo> VanillaForecaster::tokens() const
{
    return encoderStepTokens(m_config.spec().lookback);
}

std::vector<TokenInfo> VanillaForecaster::decoderTokens() const
{
    return decoderStepTokens(m_config.spec().lookback, m_config.labelLen(),
                             m_config.spec().horizon);
}

std::vector<TokenInfo> VanillaForecaster::encoderLayerTokens(std::size_t layer) const
{
    if (layer >= std::size_t(m_config.encoder().numLayers()))
        return {};
    const std::vector<DistillingLayer> &distil = m_encoder->distillingLayers();
    if (layer == 0 || distil.empty())
        return tokens();
    std::vector<std::pair<std::int64_t, std::int64_t>> ranges;
    for (std::int64_t s = 0; s < m_config.spec().lookback; ++s)
        ranges.emplace_back(s, s + 1);
    for (std::size_t i = 0; i < layer; ++i)
        ranges = distil[i]->outputRanges(ranges);
    return encoderRangeTokens(m_config.spec().lookback, ranges);
}

ModelOutput VanillaForecaster::forward(const torch::Tensor &input, const ForwardOptions &options)
{
    const ModelSpec &spec = m_config.spec();
    const std::string &name = m_config.name();
    TORCH_CHECK(
        input.dim() == 3 && input.size(1) == spec.lookback && input.size(2) == spec.channels, name,
        ": input must be [B, ", spec.lookback, ", ", spec.channels, "], got ", input.sizes());
    TORCH_CHECK(options.historyMarks.defined() == options.futureMarks.defined(), name,
                ": give both historyMarks and futureMarks, or neither");
    const bool marks =
        m_config.useMarks() && spec.markFeatures > 0 && options.historyMarks.defined();
    const bool keep = options.captureIntermediates;
    const bool capture = options.captureAttention;
    const std::int64_t labelLen = m_config.labelLen();

    ModelOutput out;
    if (keep)
        out.intermediates.push_back({"input", input});

    const torch::Tensor encoderIn =
        m_encoderEmbedding(input, marks ? options.historyMarks : torch::Tensor());
    if (keep)
        out.intermediates.push_back({"encoder_embedding", encoderIn});
    VanillaEncoderOutput encoded = m_encoder->forward(encoderIn, {capture, keep});
    if (keep) {
        for (std::size_t i = 0; i < encoded.layerOutputs.size(); ++i) {
            out.intermediates.push_back(
                {"encoder_layer_" + std::to_string(i), encoded.layerOutputs[i]});
            if (i < encoded.distilled.size())
                out.intermediates.push_back({"distil_" + std::to_string(i), encoded.distilled[i]});
        }
        out.intermediates.push_back({"encoder_output", encoded.output});
    }

    const torch::Tensor decoderIn = zeroDecoderInput(input, labelLen, spec.horizon);
    if (keep)
        out.intermediates.push_back({"decoder_input", decoderIn});
    const torch::Tensor decoderMarksIn =
        marks ? decoderMarks(options.historyMarks, options.futureMarks, labelLen) : torch::Tensor();
    const torch::Tensor decoderEmbedded = m_decoderEmbedding(decoderIn, decoderMarksIn);
    if (keep)
        out.intermediates.push_back({"decoder_embedding", decoderEmbedded});
    VanillaDecoderOutput decoded =
        m_decoder->forward(decoderEmbedded, encoded.output, {capture, keep});
    if (keep) {
        for (std::size_t i = 0; i < decoded.layerOutputs.size(); ++i)
            out.intermediates.push_back(
                {"decoder_layer_" + std::to_string(i), decoded.layerOutputs[i]});
        out.intermediates.push_back({"projection", decoded.output});
    }

    out.prediction = decoded.output.narrow(1, labelLen, spec.horizon);
    if (keep)
        out.intermediates.push_back({"output", out.prediction});

    if (capture) {
        for (std::size_t i = 0; i < encoded.attention.size(); ++i) {
            const std::string stage = "encoder_layer_" + std::to_string(i);
            out.mechanisms.push_back(
                {stage + "/tokens", torch::tensor({encoded.attention[i].size(-1)}, torch::kLong)});
            if (i < encoded.activeQueries.size())
                out.mechanisms.push_back({stage + "/active_queries", encoded.activeQueries[i]});
        }
        for (std::size_t i = 0; i < decoded.selfAttention.size(); ++i) {
            const std::string stage = "decoder_layer_" + std::to_string(i);
            out.mechanisms.push_back({stage + "/self_attention", decoded.selfAttention[i]});
            if (i < decoded.selfActiveQueries.size())
                out.mechanisms.push_back(
                    {stage + "/self_active_queries", decoded.selfActiveQueries[i]});
            if (i < decoded.crossActiveQueries.size())
                out.mechanisms.push_back(
                    {stage + "/cross_active_queries", decoded.crossActiveQueries[i]});
        }
        out.attention = std::move(encoded.attention);
        out.crossAttention = std::move(decoded.crossAttention);
    }
    return out;
}

} // namespace twb
