#pragma once

// Small in-test models and data for the trainer tests (no plugin needed).

#include "nn/Model.h"
#include "train/ForecastWindows.h"

#include <cmath>
#include <limits>
#include <vector>

namespace twb::test {

/// x [B, L, C] -> dropout -> Linear(L -> H) over time, shared by channels, times a gain.
/// Dropout makes the loss sequence depend on torch's generator (what resume must restore).
/// nanAfterCalls >= 0: training forwards after that many return NaN.
class TinyModel : public Model
{
public:
    TinyModel(std::int64_t lookback, std::int64_t horizon, double dropout = 0.1)
    {
        time = register_module("time", torch::nn::Linear(lookback, horizon));
        drop = register_module("drop", torch::nn::Dropout(dropout));
        gain = register_parameter("gain", torch::ones({1}));
    }

    ModelOutput forward(const torch::Tensor &input, const ForwardOptions & = {}) override
    {
        torch::Tensor y = time(drop(input.transpose(1, 2))) * gain;
        if (is_training() && nanAfterCalls >= 0 && ++calls > nanAfterCalls)
            y = y * std::numeric_limits<float>::quiet_NaN();
        ModelOutput out;
        out.prediction = y.transpose(1, 2);
        return out;
    }
    std::vector<TokenInfo> tokens() const override { return {}; }

    torch::nn::Linear time = nullptr;
    torch::nn::Dropout drop = nullptr;
    torch::Tensor gain;
    int nanAfterCalls = -1;
    int calls = 0;
};

/// Predicts zeros whatever its parameter: the validation loss never improves.
class ConstantModel : public Model
{
public:
    ConstantModel(std::int64_t horizon)
        : m_horizon(horizon)
    {
        bias = register_parameter("bias", torch::zeros({1}));
    }
    ModelOutput forward(const torch::Tensor &input, const ForwardOptions & = {}) override
    {
        ModelOutput out;
        out.prediction = torch::zeros({input.size(0), m_horizon, input.size(2)}) + 0.0 * bias;
        return out;
    }
    std::vector<TokenInfo> tokens() const override { return {}; }
    torch::Tensor bias;

private:
    std::int64_t m_horizon;
};

/// Two noisy-free sine channels, [rows, 2] float32.
inline torch::Tensor sineSeries(std::int64_t rows)
{
    std::vector<float> v(std::size_t(rows * 2));
    for (std::int64_t r = 0; r < rows; ++r) {
        v[std::size_t(2 * r)] = float(std::sin(0.3 * double(r)));
        v[std::size_t(2 * r + 1)] = float(std::cos(0.11 * double(r)) + 0.2 * std::sin(0.7 * r));
    }
    return torch::tensor(v).view({rows, 2});
}

/// Windows with starts [first, last] of a series.
inline ForecastWindows windowsOf(const torch::Tensor &series, std::int64_t first, std::int64_t last,
                                 std::int64_t lookback, std::int64_t horizon)
{
    std::vector<std::int64_t> starts;
    for (std::int64_t s = first; s <= last; ++s)
        starts.push_back(s);
    return ForecastWindows(series, starts, lookback, horizon);
}

} // namespace twb::test
