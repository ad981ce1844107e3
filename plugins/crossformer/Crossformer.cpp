#include "Crossformer.h"
#include "nn/RequireValid.h"

#include <string>

namespace twb {

CrossformerImpl::CrossformerImpl(const CrossformerOptions &options)
    : m_options(options)
{
    reset();
}

void CrossformerImpl::reset()
{
    requireValid(m_options);
    const ModelSpec &spec = m_options.spec();
    const bool authors = m_options.variant() == CrossformerVariant::Authors;
    const std::int64_t d = m_options.dModel();

    m_embedding = register_module(
        "embedding", SegmentEmbedding(SegmentEmbeddingOptions(spec.channels, spec.lookback,
                                                              m_options.segmentLength(), d)
                                          .frontPadding(authors)
                                          .valueBias(authors)
                                          .sinusoidal(!authors)));
    const auto twoStage = [&](std::int64_t segments) {
        return TwoStageAttentionOptions(d, m_options.numHeads(), m_options.dFF(), segments,
                                        m_options.factor())
            .dropout(m_options.dropout());
    };
    m_encoder = register_module("encoder", CrossformerEncoder(CrossformerEncoderOptions(
                                               twoStage(m_options.inputSegments()),
                                               m_options.numLayers(), m_options.mergeWindow())));
    m_decoderPosition = register_parameter(
        "decoder_position", torch::randn({spec.channels, m_options.outputSegments(), d}));
    m_decoder =
        register_module("decoder", CrossformerDecoder(CrossformerDecoderOptions(
                                       twoStage(m_options.outputSegments()),
                                       m_options.numLayers() + 1, m_options.segmentLength())));
}

std::vector<SegmentRange> CrossformerImpl::layerRanges(std::size_t layer) const
{
    std::vector<SegmentRange> ranges =
        inputSegmentRanges(m_options.spec().lookback, m_options.segmentLength(),
                           m_options.variant() == CrossformerVariant::Authors);
    for (std::size_t i = 0; i < layer; ++i)
        ranges = mergedSegmentRanges(ranges, m_options.mergeWindow());
    return ranges;
}

std::vector<TokenInfo> CrossformerImpl::tokens() const
{
    return segmentTokens(layerRanges(0));
}

std::vector<TokenInfo> CrossformerImpl::encoderLayerTokens(std::size_t layer) const
{
    if (layer >= std::size_t(m_options.numLayers()))
        return {};
    return segmentTokens(layerRanges(layer));
}

std::vector<TokenInfo> CrossformerImpl::scaleTokens(std::size_t scale) const
{
    if (scale > std::size_t(m_options.numLayers()))
        return {};
    return scale == 0 ? tokens() : encoderLayerTokens(scale - 1);
}

std::vector<TokenInfo> CrossformerImpl::outputSegmentTokens() const
{
    // Time-Series-Library keeps the last H steps (the first segment loses the surplus),
    // the authors' code the first H: the same cut as front or end padding of the input.
    const std::int64_t lookback = m_options.spec().lookback;
    std::vector<SegmentRange> ranges =
        inputSegmentRanges(m_options.spec().horizon, m_options.segmentLength(),
                           m_options.variant() == CrossformerVariant::TimeSeriesLibrary);
    for (SegmentRange &range : ranges) {
        range.first += lookback;
        range.second += lookback;
    }
    return segmentTokens(ranges);
}

ModelOutput CrossformerImpl::forward(const torch::Tensor &input, const ForwardOptions &options)
{
    const ModelSpec &spec = m_options.spec();
    TORCH_CHECK(input.dim() == 3 && input.size(1) == spec.lookback &&
                    input.size(2) == spec.channels,
                "Crossformer: input must be [B, ", spec.lookback, ", ", spec.channels, "], got ",
                input.sizes());
    const bool keep = options.captureIntermediates;
    const bool capture = options.captureAttention;
    const TwoStageRequest request{capture, keep};
    const std::int64_t batch = input.size(0);

    ModelOutput out;
    const auto stage = [&](std::string name, const torch::Tensor &value) {
        if (keep)
            out.intermediates.push_back({std::move(name), value});
    };
    stage("input", input);
    const torch::Tensor segments = m_embedding->segments(input);
    stage("segments", segments);
    const torch::Tensor embedded = m_embedding->embed(segments);
    stage("embedding", embedded);

    CrossformerEncoderOutput encoded = m_encoder->forward(embedded, request);
    for (std::size_t i = 0; keep && i < encoded.crossTime.size(); ++i) {
        const std::string layer = "encoder_layer_" + std::to_string(i);
        if (encoded.merged[i].defined())
            stage(layer + ".merged", encoded.merged[i]);
        stage(layer + ".cross_time", encoded.crossTime[i]);
        stage(layer, encoded.scales[i + 1]);
    }

    const torch::Tensor decoderIn = m_decoderPosition.unsqueeze(0).expand(
        {batch, spec.channels, m_options.outputSegments(), m_options.dModel()});
    stage("decoder_input", decoderIn);
    CrossformerDecoderOutput decoded = m_decoder->forward(decoderIn, encoded.scales, request);
    for (std::size_t j = 0; keep && j < decoded.layerOutputs.size(); ++j) {
        const std::string layer = "decoder_layer_" + std::to_string(j);
        stage(layer, decoded.layerOutputs[j]);
        stage(layer + ".prediction", decoded.layerPredictions[j]);
    }

    const std::int64_t steps = decoded.prediction.size(1);
    const std::int64_t first =
        m_options.variant() == CrossformerVariant::Authors ? 0 : steps - spec.horizon;
    out.prediction = decoded.prediction.narrow(1, first, spec.horizon);
    stage("output", out.prediction);

    if (capture) {
        out.attention = std::move(encoded.time);
        for (std::size_t i = 0; i < encoded.sender.size(); ++i) {
            const std::string layer = "encoder_layer_" + std::to_string(i);
            out.mechanisms.push_back({layer + "/router_sender", encoded.sender[i]});
            out.mechanisms.push_back({layer + "/router_receiver", encoded.receiver[i]});
        }
        for (std::size_t j = 0; j < decoded.cross.size(); ++j) {
            const std::string layer = "decoder_layer_" + std::to_string(j);
            out.mechanisms.push_back({layer + "/time_attention", decoded.time[j]});
            out.mechanisms.push_back({layer + "/router_sender", decoded.sender[j]});
            out.mechanisms.push_back({layer + "/router_receiver", decoded.receiver[j]});
            out.mechanisms.push_back({layer + "/cross_attention", decoded.cross[j]});
        }
    }
    return out;
}

} // namespace twb
