#pragma once

// What the separation model tests share: synthetic two-source mixtures and a short training
// loop with permutation-invariant SI-SNR.

#include "nn/Model.h"
#include "train/SeparationMetrics.h"

#include <torch/torch.h>

#include <QtGlobal>

#include <cmath>
#include <utility>

namespace twb::test {

/// Two sources per example: a sine at 0.05-0.08 cycles per sample and a pulse train (period
/// 11-17 samples), each at a random level. Returns {sources [batch, 2, t], mixture [batch, t, 1]}.
inline std::pair<torch::Tensor, torch::Tensor> toneAndBuzz(std::int64_t batch, std::int64_t t)
{
    const torch::Tensor steps = torch::arange(t, torch::kFloat).unsqueeze(0);
    const torch::Tensor frequency = 0.05 + 0.03 * torch::rand({batch, 1});
    const torch::Tensor tone =
        torch::sin(2.0 * M_PI * frequency * steps + 6.28 * torch::rand({batch, 1}));
    const torch::Tensor period = torch::randint(11, 18, {batch, 1}).to(torch::kFloat);
    const torch::Tensor buzz =
        (torch::fmod(steps + torch::randint(0, 11, {batch, 1}), period) < 2.0).to(torch::kFloat) -
        2.0 / period;
    const torch::Tensor sources = torch::stack(
        {tone * (0.5 + torch::rand({batch, 1})), buzz * (0.5 + torch::rand({batch, 1}))}, 1);
    return {sources, sources.sum(1).unsqueeze(-1)};
}

/// The mean SI-SNR improvement (dB) of `model` on `mixture` [batch, t, 1] against `sources`.
inline double siSnrImprovement(Model &model, const torch::Tensor &sources,
                               const torch::Tensor &mixture)
{
    torch::NoGradGuard noGrad;
    const bool training = model.is_training();
    model.eval();
    const PitResult r = permutationInvariantSiSnr(model.forward(mixture).prediction, sources);
    model.train(training);
    const torch::Tensor before =
        siSnr(mixture.squeeze(-1).unsqueeze(1).expand_as(sources), sources).mean(1);
    return (r.siSnr - before).mean().item<double>();
}

/// `steps` Adam steps (lr 3e-3) on fresh tone-and-buzz batches of 8 x t samples.
inline void trainOnToneAndBuzz(Model &model, int steps, std::int64_t t)
{
    torch::optim::Adam optimizer(model.parameters(), torch::optim::AdamOptions(3e-3));
    model.train();
    for (int step = 0; step < steps; ++step) {
        const auto [sources, mixture] = toneAndBuzz(8, t);
        optimizer.zero_grad();
        negativePitSiSnr(model.forward(mixture).prediction, sources).backward();
        optimizer.step();
    }
}

/// {before, after}: the SI-SNR improvement (dB) on 16 held-out tone-and-buzz mixtures of t
/// samples (drawn with `seed`) before and after `steps` training steps.
inline std::pair<double, double> learnToneAndBuzz(Model &model, int steps, std::int64_t t,
                                                  std::uint64_t seed)
{
    torch::manual_seed(seed);
    const auto [sources, mixture] = toneAndBuzz(16, t);
    const double before = siSnrImprovement(model, sources, mixture);
    trainOnToneAndBuzz(model, steps, t);
    const double after = siSnrImprovement(model, sources, mixture);
    qInfo("SI-SNRi on held-out mixtures: %.1f dB before, %.1f dB after %d steps", before, after,
          steps);
    return {before, after};
}

inline std::int64_t parameterCount(const torch::nn::Module &m)
{
    std::int64_t n = 0;
    for (const auto &p : m.parameters())
        n += p.numel();
    return n;
}

inline ModelSpec separateSpec(std::int64_t samples, std::int64_t sources = 2, double rate = 8000.0)
{
    ModelSpec spec;
    spec.task = Task::Separate;
    spec.lookback = samples;
    spec.channels = 1;
    spec.sources = sources;
    spec.sampleRate = rate;
    return spec;
}

} // namespace twb::test
