#pragma once

#include "common/Expected.h"
#include "common/ModelSpec.h"
#include "nn/ChannelLinear.h"
#include "nn/Model.h"
#include "nn/SeriesDecomposition.h"

#include <torch/torch.h>

#include <cstdint>

namespace twb {

enum class LinearVariant {
    DLinear, ///< trend/seasonal decomposition, one linear map per component, summed
    NLinear, ///< subtract the last value, one linear map, add the last value back
};

struct DLinearOptions
{
    explicit DLinearOptions(ModelSpec spec)
        : spec_(std::move(spec))
    {}

    /// Errors: a spec that is not a valid forecast spec, an even or non-positive kernel size.
    Status validate() const;

    TORCH_ARG(ModelSpec, spec);
    TORCH_ARG(LinearVariant, variant) = LinearVariant::DLinear;
    /// One linear map per channel instead of one shared by all channels.
    TORCH_ARG(bool, individual) = false;
    /// Moving-average window of the decomposition (DLinear only); odd.
    TORCH_ARG(std::int64_t, kernelSize) = 25;
};

/// LTSF-Linear (Zeng et al., AAAI 2023): DLinear and NLinear.
///   DLinear: {seasonal, trend} = decompose(x); y = W_s seasonal + W_t trend along time, weights
///            initialised to 1/L (as the paper describes; biases keep nn.Linear's default).
///   NLinear: y = W (x - x_last) + x_last along time, nn.Linear's default initialisation (as
///            the official code).
/// Parameters: linear_seasonal, linear_trend (DLinear) or linear (NLinear): each a Linear(L->H)
/// shared by the channels, or a ChannelLinear with one map per channel when `individual`.
/// Intermediates: DLinear "input", "trend", "seasonal", "output"; NLinear "input", "centered"
/// (x - x_last), "output". No attention: tokens() is empty.
class DLinearImpl : public Model
{
public:
    /// Throws c10::Error if options.validate() fails.
    explicit DLinearImpl(const DLinearOptions &options);

    void reset();

    ModelOutput forward(const torch::Tensor &input, const ForwardOptions &options = {}) override;
    std::vector<TokenInfo> tokens() const override { return {}; }

    const DLinearOptions &options() const { return m_options; }

private:
    /// One linear map over time: [B, L, C] -> [B, H, C].
    torch::Tensor project(int which, const torch::Tensor &x);
    void makeProjection(int which, const std::string &name, bool constantInit);

    DLinearOptions m_options;
    SeriesDecomposition m_decomposition{nullptr};
    torch::nn::Linear m_shared[2] = {nullptr, nullptr};
    ChannelLinear m_individual[2] = {nullptr, nullptr};
};

TORCH_MODULE(DLinear);

} // namespace twb
