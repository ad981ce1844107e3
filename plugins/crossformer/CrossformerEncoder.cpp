#include "CrossformerEncoder.h"

#include <string>

namespace twb {

CrossformerEncoderImpl::CrossformerEncoderImpl(const CrossformerEncoderOptions &options)
    : m_options(options)
{
    reset();
}

void CrossformerEncoderImpl::reset()
{
    TORCH_CHECK(m_options.numLayers() > 0 && m_options.window() > 0,
                "CrossformerEncoder: numLayers and window must be positive");
    m_merges.clear();
    m_layers.clear();
    for (std::int64_t i = 0; i < m_options.numLayers(); ++i) {
        const std::string index = std::to_string(i);
        SegmentMerging merge{nullptr};
        if (i > 0 && m_options.window() > 1)
            merge = register_module("merge_" + index,
                                    SegmentMerging(m_options.layer().dModel(), m_options.window()));
        m_merges.push_back(merge);
        TwoStageAttentionOptions layer = m_options.layer();
        layer.segments(layerSegments(i));
        m_layers.push_back(register_module("layer_" + index, TwoStageAttention(layer)));
    }
}

std::int64_t CrossformerEncoderImpl::layerSegments(std::int64_t layer) const
{
    std::int64_t n = m_options.layer().segments();
    for (std::int64_t i = 0; i < layer; ++i)
        n = (n + m_options.window() - 1) / m_options.window();
    return n;
}

CrossformerEncoderOutput CrossformerEncoderImpl::forward(const torch::Tensor &x,
                                                         const TwoStageRequest &request)
{
    CrossformerEncoderOutput out;
    out.scales.push_back(x);
    torch::Tensor h = x;
    for (std::size_t i = 0; i < m_layers.size(); ++i) {
        if (m_merges[i]) {
            h = m_merges[i](h);
            if (request.keepStages)
                out.merged.push_back(h);
        } else if (request.keepStages) {
            out.merged.emplace_back();
        }
        TwoStageOutput layer = m_layers[i](h, request);
        h = layer.output;
        out.scales.push_back(h);
        if (request.needWeights) {
            out.time.push_back(std::move(layer.time));
            out.sender.push_back(std::move(layer.sender));
            out.receiver.push_back(std::move(layer.receiver));
        }
        if (request.keepStages)
            out.crossTime.push_back(std::move(layer.crossTime));
    }
    return out;
}

} // namespace twb
