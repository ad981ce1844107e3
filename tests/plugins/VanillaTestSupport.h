#pragma once

// Helpers shared by the tests of the encoder-decoder forecasters (Transformer, Informer).

#include "nn/HeadMaskable.h"
#include "nn/Model.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <vector>

namespace twb::test {

/// Calendar marks in [-0.5, 0.5] for a batch: {history [B, L, F], future [B, H, F]}.
inline ForwardOptions withMarks(std::int64_t batch, const ModelSpec &spec, bool attention = false,
                                bool intermediates = false)
{
    ForwardOptions options(attention, intermediates);
    options.historyMarks = torch::rand({batch, spec.lookback, spec.markFeatures}) - 0.5;
    options.futureMarks = torch::rand({batch, spec.horizon, spec.markFeatures}) - 0.5;
    return options;
}

/// The model's head-maskable attention modules in the order explain/WhatIf numbers them.
inline std::vector<HeadMaskable *> maskableLayers(Model &model)
{
    std::vector<HeadMaskable *> out;
    for (const auto &module : model.modules(/*include_self=*/false))
        if (auto *maskable = dynamic_cast<HeadMaskable *>(module.get()))
            out.push_back(maskable);
    return out;
}

inline std::int64_t parameterCount(Model &model)
{
    std::int64_t count = 0;
    for (const torch::Tensor &p : model.parameters())
        count += p.numel();
    return count;
}

/// Median milliseconds of one training step's forward and backward (no optimiser) on
/// `input` -> `target`, after one warm-up step.
inline double forwardBackwardMs(Model &model, const torch::Tensor &input,
                                const torch::Tensor &target, const ForwardOptions &options,
                                int repeats)
{
    model.train();
    std::vector<double> times;
    for (int i = 0; i <= repeats; ++i) {
        model.zero_grad();
        const auto start = std::chrono::steady_clock::now();
        torch::mse_loss(model.forward(input, options).prediction, target).backward();
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count();
        if (i > 0)
            times.push_back(ms);
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

} // namespace twb::test
