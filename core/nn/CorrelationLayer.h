#pragma once

#include "HeadMaskable.h"
#include "Model.h"

#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <vector>

namespace twb {

/// What a CorrelationLayer asks of its mechanism besides the output.
struct CorrelationRequest
{
    /// Append the mechanism's report to `report` (names without a stage prefix, e.g. "delays").
    bool report = false;
};

/// The inner mechanism of a CorrelationLayer: what replaces softmax attention in Autoformer
/// (auto-correlation) and FEDformer (Fourier blocks). It works on heads that are already split:
///   queries [B, Lq, heads, E], keys and values [B, Lk, heads, E] -> [B, Lq, heads, E].
/// A mechanism that ignores the keys or the values says so (usesKeys / usesValues) and the layer
/// then has no projection for them.
///
/// Threading: as the owning module (one thread at a time).
class CorrelationMechanism : public torch::nn::Module
{
public:
    virtual torch::Tensor forward(const torch::Tensor &queries, const torch::Tensor &keys,
                                  const torch::Tensor &values, const CorrelationRequest &request,
                                  std::vector<NamedTensor> &report) = 0;
    virtual bool usesKeys() const { return true; }
    virtual bool usesValues() const { return true; }
};

struct CorrelationLayerOptions
{
    CorrelationLayerOptions(std::int64_t dModel, std::int64_t numHeads)
        : dModel_(dModel)
        , numHeads_(numHeads)
    {}
    TORCH_ARG(std::int64_t, dModel);   ///< divisible by numHeads
    TORCH_ARG(std::int64_t, numHeads); ///< heads of width dModel / numHeads
};

/// Time-Series-Library's AutoCorrelationLayer, shared by Autoformer and FEDformer: linear
/// projections of the queries, keys and values (each dModel -> dModel, with bias), split into
/// heads, the mechanism, the head mask, merge, output projection (dModel -> dModel).
/// Children: "query_projection", "key_projection" (only when the mechanism uses keys),
/// "value_projection" (only when it uses values), "out_projection", "inner_correlation" (the
/// mechanism). The official code also creates the projections that FEDformer's Fourier blocks
/// never read; they would get no gradient and are left out here.
///
/// HeadMaskable: the mask [heads] multiplies each head's mechanism output before the merge.
/// Threading: one thread at a time.
class CorrelationLayerImpl : public torch::nn::Module, public HeadMaskable
{
public:
    /// Takes shared ownership of `mechanism`. Throws c10::Error when dModel is not divisible
    /// by numHeads or mechanism is null.
    CorrelationLayerImpl(const CorrelationLayerOptions &options,
                         std::shared_ptr<CorrelationMechanism> mechanism);

    /// queries [B, Lq, dModel], keys and values [B, Lk, dModel] -> [B, Lq, dModel]. With
    /// request.report, appends the mechanism's report to `report`.
    torch::Tensor forward(const torch::Tensor &queries, const torch::Tensor &keys,
                          const torch::Tensor &values, const CorrelationRequest &request,
                          std::vector<NamedTensor> &report);

    std::int64_t headCount() const override { return m_options.numHeads(); }
    void setHeadMask(torch::Tensor mask) override;
    const torch::Tensor &headMask() const override { return m_headMask; }

    const CorrelationLayerOptions &options() const { return m_options; }
    CorrelationMechanism &mechanism() { return *m_mechanism; }

private:
    CorrelationLayerOptions m_options;
    std::shared_ptr<CorrelationMechanism> m_mechanism;
    torch::nn::Linear m_query{nullptr};
    torch::nn::Linear m_key{nullptr};
    torch::nn::Linear m_value{nullptr};
    torch::nn::Linear m_out{nullptr};
    torch::Tensor m_headMask; ///< [heads] float or undefined; not a parameter or buffer
};

TORCH_MODULE(CorrelationLayer);

} // namespace twb
