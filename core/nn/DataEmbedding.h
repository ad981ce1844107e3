#pragma once

#include "FastOps.h"
#include "PositionalEncoding.h"

#include <torch/torch.h>

#include <cstdint>

namespace twb {

struct DataEmbeddingOptions
{
    DataEmbeddingOptions(std::int64_t channels, std::int64_t dModel)
        : channels_(channels)
        , dModel_(dModel)
    {}
    TORCH_ARG(std::int64_t, channels);
    TORCH_ARG(std::int64_t, dModel);
    /// Calendar features per step (ModelSpec::markFeatures); 0 = no temporal embedding.
    TORCH_ARG(std::int64_t, markFeatures) = 0;
    /// Add the sinusoidal positional encoding (the Transformer, Informer); Autoformer and
    /// FEDformer embed without it.
    TORCH_ARG(bool, positional) = true;
    /// The longest sequence the positional table covers.
    TORCH_ARG(std::int64_t, maxLength) = 5000;
    TORCH_ARG(double, dropout) = 0.1;
};

/// The input embedding of the encoder-decoder forecasters (Informer's DataEmbedding, the
/// "timeF" variant of Time-Series-Library):
///   value:    Conv1d(channels -> dModel, kernel 3, circular padding, no bias) over time,
///             Kaiming-normal weights (fan_in, leaky_relu with slope 0: std = sqrt(2 / (3 C)));
///   temporal: Linear(markFeatures -> dModel, no bias) of the calendar marks;
///   position: the fixed sinusoidal table (positional() only);
/// summed, then dropout. Children: "value" (the convolution), "temporal" (when markFeatures >
/// 0), "position" (when positional), "dropout".
class DataEmbeddingImpl : public torch::nn::Module
{
public:
    explicit DataEmbeddingImpl(const DataEmbeddingOptions &options);
    void reset();

    /// x: [B, T, channels]; marks: [B, T, markFeatures] or undefined (no temporal term, as
    /// when the data has no dates) -> [B, T, dModel]. Throws c10::Error on other shapes.
    torch::Tensor forward(const torch::Tensor &x, const torch::Tensor &marks = {});

    const DataEmbeddingOptions &options() const { return m_options; }

private:
    DataEmbeddingOptions m_options;
    torch::nn::Conv1d m_value{nullptr};
    torch::nn::Linear m_temporal{nullptr};
    SinusoidalPositionalEncoding m_position{nullptr};
    twb::nn::FastDropout m_dropout{nullptr};
};

TORCH_MODULE(DataEmbedding);

} // namespace twb
