#include "DataEmbedding.h"

#include <cmath>

namespace twb {

DataEmbeddingImpl::DataEmbeddingImpl(const DataEmbeddingOptions &options)
    : m_options(options)
{
    reset();
}

void DataEmbeddingImpl::reset()
{
    TORCH_CHECK(m_options.channels() > 0 && m_options.dModel() > 0 &&
                    m_options.markFeatures() >= 0 && m_options.maxLength() > 0,
                "DataEmbedding: channels, dModel and maxLength must be positive");
    m_value = register_module(
        "value",
        torch::nn::Conv1d(torch::nn::Conv1dOptions(m_options.channels(), m_options.dModel(), 3)
                              .padding(1)
                              .padding_mode(torch::kCircular)
                              .bias(false)));
    {
        torch::NoGradGuard noGrad;
        const double fanIn = double(m_options.channels()) * 3.0;
        m_value->weight.normal_(0.0, std::sqrt(2.0 / fanIn));
    }
    if (m_options.markFeatures() > 0)
        m_temporal = register_module(
            "temporal",
            torch::nn::Linear(torch::nn::LinearOptions(m_options.markFeatures(), m_options.dModel())
                                  .bias(false)));
    if (m_options.positional())
        m_position =
            register_module("position", SinusoidalPositionalEncoding(PositionalEncodingOptions(
                                            m_options.maxLength(), m_options.dModel())));
    m_dropout = register_module("dropout", twb::nn::FastDropout(m_options.dropout()));
}

torch::Tensor DataEmbeddingImpl::forward(const torch::Tensor &x, const torch::Tensor &marks)
{
    TORCH_CHECK(x.dim() == 3 && x.size(2) == m_options.channels(),
                "DataEmbedding: x must be [B, T, ", m_options.channels(), "], got ", x.sizes());
    torch::Tensor embedded = m_value(x.transpose(1, 2)).transpose(1, 2);
    if (m_temporal && marks.defined()) {
        TORCH_CHECK(marks.dim() == 3 && marks.size(0) == x.size(0) && marks.size(1) == x.size(1) &&
                        marks.size(2) == m_options.markFeatures(),
                    "DataEmbedding: marks must be [", x.size(0), ", ", x.size(1), ", ",
                    m_options.markFeatures(), "], got ", marks.sizes());
        embedded = embedded + m_temporal(marks);
    }
    if (m_position)
        embedded = m_position(embedded);
    return m_dropout(embedded);
}

} // namespace twb
