#pragma once

// Helpers shared by the model tests: a tiny overfitting run and a save/load round trip.

#include "nn/Model.h"

#include <torch/torch.h>

#include <sstream>
#include <utility>

namespace twb::test {

/// Trains `model` with Adam on one fixed batch for `steps` steps (MSE on the prediction).
/// Returns {initial loss, final loss}, both measured in training mode before/after the steps.
inline std::pair<double, double> overfit(Model &model, const torch::Tensor &input,
                                         const torch::Tensor &target, int steps,
                                         double learningRate)
{
    model.train();
    torch::optim::Adam optimizer(model.parameters(), torch::optim::AdamOptions(learningRate));
    double first = 0.0;
    double last = 0.0;
    for (int step = 0; step <= steps; ++step) {
        optimizer.zero_grad();
        const torch::Tensor loss = torch::mse_loss(model.forward(input).prediction, target);
        if (step == 0)
            first = loss.item<double>();
        last = loss.item<double>();
        if (step == steps)
            break;
        loss.backward();
        optimizer.step();
    }
    return {first, last};
}

/// Saves `source` with torch::save, loads it into `target` with torch::load (through a memory
/// stream) and returns both models' eval-mode predictions for `input`.
template<typename Holder>
std::pair<torch::Tensor, torch::Tensor> saveLoad(Holder &source, Holder &target,
                                                 const torch::Tensor &input)
{
    std::stringstream stream;
    torch::save(source, stream);
    torch::load(target, stream);
    source->eval();
    target->eval();
    torch::NoGradGuard noGrad;
    return {source->forward(input).prediction, target->forward(input).prediction};
}

/// The names of the captured intermediates, in order.
inline std::vector<std::string> stageNames(const ModelOutput &output)
{
    std::vector<std::string> names;
    for (const NamedTensor &stage : output.intermediates)
        names.push_back(stage.name);
    return names;
}

} // namespace twb::test
