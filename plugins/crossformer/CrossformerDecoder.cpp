#include "CrossformerDecoder.h"

#include <string>

namespace twb {

CrossformerDecoderImpl::CrossformerDecoderImpl(const CrossformerDecoderOptions &options)
    : m_options(options)
{
    reset();
}

void CrossformerDecoderImpl::reset()
{
    TORCH_CHECK(m_options.numLayers() > 0 && m_options.segmentLength() > 0,
                "CrossformerDecoder: numLayers and segmentLength must be positive");
    const TwoStageAttentionOptions &tsa = m_options.layer();
    const std::int64_t d = tsa.dModel();
    m_layers.clear();
    for (std::int64_t j = 0; j < m_options.numLayers(); ++j) {
        auto holder = std::make_shared<torch::nn::Module>();
        Layer layer;
        layer.selfAttention = holder->register_module("self_attention", TwoStageAttention(tsa));
        layer.crossAttention = holder->register_module(
            "cross_attention",
            MultiheadAttention(
                MultiheadAttentionOptions(d, tsa.numHeads()).attentionDropout(tsa.dropout())));
        layer.norm1 = holder->register_module(
            "norm1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
        layer.norm2 = holder->register_module(
            "norm2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
        layer.mlp = holder->register_module("mlp", torch::nn::Sequential(torch::nn::Linear(d, d),
                                                                         torch::nn::GELU(),
                                                                         torch::nn::Linear(d, d)));
        layer.prediction =
            holder->register_module("prediction", torch::nn::Linear(d, m_options.segmentLength()));
        layer.dropout = holder->register_module("dropout", twb::nn::FastDropout(tsa.dropout()));
        register_module("layer_" + std::to_string(j), holder);
        m_layers.push_back(std::move(layer));
    }
}

CrossformerDecoderOutput CrossformerDecoderImpl::forward(const torch::Tensor &x,
                                                         const std::vector<torch::Tensor> &scales,
                                                         const TwoStageRequest &request)
{
    TORCH_CHECK(scales.size() == m_layers.size(), "CrossformerDecoder: ", m_layers.size(),
                " encoder scales expected, got ", scales.size());
    TORCH_CHECK(x.dim() == 4, "CrossformerDecoder: input must be [B, D, Nout, d], got ", x.sizes());
    const std::int64_t batch = x.size(0);
    const std::int64_t variables = x.size(1);
    const std::int64_t segments = x.size(2);
    const std::int64_t d = x.size(3);
    const std::int64_t steps = segments * m_options.segmentLength();

    CrossformerDecoderOutput out;
    torch::Tensor h = x;
    for (std::size_t j = 0; j < m_layers.size(); ++j) {
        Layer &layer = m_layers[j];
        TwoStageOutput self = layer.selfAttention(h, TwoStageRequest{request.needWeights, false});
        const torch::Tensor queries = self.output.reshape({batch * variables, segments, d});
        const torch::Tensor &scale = scales[j];
        const torch::Tensor keys = scale.reshape({batch * variables, scale.size(2), d});
        AttentionRequest crossRequest;
        crossRequest.needWeights = request.needWeights;
        AttentionOutput crossed = layer.crossAttention(queries, keys, keys, crossRequest);
        const torch::Tensor mixed = layer.norm1(queries + layer.dropout(crossed.output));
        const torch::Tensor decoded = layer.norm2(mixed + layer.mlp->forward(mixed));
        h = decoded.view({batch, variables, segments, d});
        // [B*D, Nout, seg] -> [B, D, Nout * seg] -> [B, Nout * seg, D]
        const torch::Tensor predicted =
            layer.prediction(decoded).reshape({batch, variables, steps}).transpose(1, 2);
        out.prediction = out.prediction.defined() ? out.prediction + predicted : predicted;
        if (request.keepStages) {
            out.layerOutputs.push_back(h);
            out.layerPredictions.push_back(predicted);
        }
        if (request.needWeights) {
            out.time.push_back(std::move(self.time));
            out.sender.push_back(std::move(self.sender));
            out.receiver.push_back(std::move(self.receiver));
            out.cross.push_back(std::move(crossed.weights));
        }
    }
    return out;
}

} // namespace twb
