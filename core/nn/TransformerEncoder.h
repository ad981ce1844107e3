#pragma once

#include "TransformerEncoderLayer.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace twb {

struct TransformerEncoderOptions
{
    TransformerEncoderOptions(TransformerEncoderLayerOptions layer, std::int64_t numLayers)
        : layer_(std::move(layer))
        , numLayers_(numLayers)
    {}

    TORCH_ARG(TransformerEncoderLayerOptions, layer);
    TORCH_ARG(std::int64_t, numLayers);
    /// A last normalisation of the layer's kind after the stack (iTransformer: LayerNorm).
    TORCH_ARG(bool, finalNorm) = false;
};

/// What a caller asks of one encoder pass.
struct EncoderRequest
{
    bool needWeights = false;      ///< fill EncoderOutput::attention
    bool needLayerOutputs = false; ///< fill EncoderOutput::layerOutputs
    torch::Tensor keyPaddingMask;  ///< [B, T] bool, true = padded; undefined = none
};

/// The named result of TransformerEncoder::forward.
struct EncoderOutput
{
    torch::Tensor output;                    ///< [B, T, dModel], after the final norm if any
    std::vector<torch::Tensor> attention;    ///< per layer [B, heads, T, T] when asked
    std::vector<torch::Tensor> layerOutputs; ///< per layer [B, T, dModel] (before the final
                                             ///< norm) when asked
};

/// A stack of TransformerEncoderLayer ("layers.0", "layers.1", ...) with optional final norm
/// ("final_norm"). With residual attention each layer adds the previous layer's pre-softmax
/// scores, as in PatchTST's TSTEncoder.
/// Threading: one thread at a time per instance.
class TransformerEncoderImpl : public torch::nn::Module
{
public:
    explicit TransformerEncoderImpl(const TransformerEncoderOptions &options);

    void reset();

    /// x: [B, T, dModel].
    EncoderOutput forward(const torch::Tensor &x, const EncoderRequest &request = {});

    const TransformerEncoderOptions &options() const { return m_options; }

private:
    TransformerEncoderOptions m_options;
    std::vector<TransformerEncoderLayer> m_layers;
    torch::nn::ModuleList m_layerList{nullptr};
    torch::nn::BatchNorm1d m_finalBatchNorm{nullptr};
    torch::nn::LayerNorm m_finalLayerNorm{nullptr};
};

TORCH_MODULE(TransformerEncoder);

} // namespace twb
