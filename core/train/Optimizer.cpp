#include "Optimizer.h"
#include "common/Errors.h"

namespace twb {

namespace {

std::string stateKey(const torch::Tensor &parameter)
{
    return c10::guts::to_string(parameter.unsafeGetTensorImpl());
}

template<typename ParamState>
void exportState(const torch::optim::Optimizer &optimizer, const NamedParameters &parameters,
                 c10::Dict<std::string, torch::Tensor> &out)
{
    for (const auto &[name, parameter] : parameters) {
        auto it = optimizer.state().find(stateKey(parameter));
        if (it == optimizer.state().end())
            continue; // not stepped yet
        const auto &state = static_cast<const ParamState &>(*it->second);
        out.insert(name + ":step", torch::tensor(state.step(), torch::kLong));
        out.insert(name + ":exp_avg", state.exp_avg().detach().clone());
        out.insert(name + ":exp_avg_sq", state.exp_avg_sq().detach().clone());
        if (state.max_exp_avg_sq().defined())
            out.insert(name + ":max_exp_avg_sq", state.max_exp_avg_sq().detach().clone());
    }
}

template<typename ParamState>
Status importState(torch::optim::Optimizer &optimizer, const NamedParameters &parameters,
                   const c10::Dict<std::string, torch::Tensor> &in)
{
    auto get = [&](const std::string &key, const torch::Tensor &like,
                   torch::Tensor &out) -> Status {
        auto it = in.find(key);
        if (it == in.end())
            return makeError(
                QStringLiteral("optimizer state lacks %1").arg(QString::fromStdString(key)));
        if (it->value().sizes() != like.sizes())
            return makeError(QStringLiteral("optimizer state %1 has another shape")
                                 .arg(QString::fromStdString(key)));
        out = it->value().to(like.options()).clone();
        return {};
    };
    optimizer.state().clear();
    for (const auto &[name, parameter] : parameters) {
        auto step = in.find(name + ":step");
        if (step == in.end())
            continue; // this parameter had no state yet
        auto state = std::make_unique<ParamState>();
        state->step(step->value().template item<std::int64_t>());
        torch::Tensor t;
        if (Status s = get(name + ":exp_avg", parameter, t); !s)
            return s;
        state->exp_avg(t);
        if (Status s = get(name + ":exp_avg_sq", parameter, t); !s)
            return s;
        state->exp_avg_sq(t);
        if (in.contains(name + ":max_exp_avg_sq")) {
            if (Status s = get(name + ":max_exp_avg_sq", parameter, t); !s)
                return s;
            state->max_exp_avg_sq(t);
        }
        optimizer.state()[stateKey(parameter)] = std::move(state);
    }
    return {};
}

} // namespace

NamedParameters trainableParameters(const torch::nn::Module &module)
{
    NamedParameters out;
    for (const auto &item : module.named_parameters(true))
        if (item.value().requires_grad())
            out.emplace_back(item.key(), item.value());
    return out;
}

std::unique_ptr<torch::optim::Optimizer> makeOptimizer(const OptimizerOptions &options,
                                                       const NamedParameters &parameters)
{
    std::vector<torch::Tensor> tensors;
    tensors.reserve(parameters.size());
    for (const auto &named : parameters)
        tensors.push_back(named.second);
    if (options.kind == OptimizerKind::AdamW)
        return std::make_unique<torch::optim::AdamW>(
            tensors, torch::optim::AdamWOptions(options.lr).weight_decay(options.weightDecay));
    return std::make_unique<torch::optim::Adam>(
        tensors, torch::optim::AdamOptions(options.lr).weight_decay(options.weightDecay));
}

void setLearningRate(torch::optim::Optimizer &optimizer, double lr)
{
    for (auto &group : optimizer.param_groups())
        group.options().set_lr(lr);
}

c10::Dict<std::string, torch::Tensor> optimizerState(const torch::optim::Optimizer &optimizer,
                                                     OptimizerKind kind,
                                                     const NamedParameters &parameters)
{
    c10::Dict<std::string, torch::Tensor> out;
    if (kind == OptimizerKind::AdamW)
        exportState<torch::optim::AdamWParamState>(optimizer, parameters, out);
    else
        exportState<torch::optim::AdamParamState>(optimizer, parameters, out);
    return out;
}

Status restoreOptimizerState(torch::optim::Optimizer &optimizer, OptimizerKind kind,
                             const NamedParameters &parameters,
                             const c10::Dict<std::string, torch::Tensor> &state)
{
    if (kind == OptimizerKind::AdamW)
        return importState<torch::optim::AdamWParamState>(optimizer, parameters, state);
    return importState<torch::optim::AdamParamState>(optimizer, parameters, state);
}

} // namespace twb
