#pragma once

#include <torch/torch.h>

namespace twb {

/// Puts a module in eval mode for a scope, without gradients, and gives it back its training
/// mode when the scope ends, also when a forward throws. Threading: the module's thread.
class EvalModeGuard
{
public:
    explicit EvalModeGuard(torch::nn::Module &module)
        : m_module(module)
        , m_wasTraining(module.is_training())
    {
        m_module.eval();
    }
    ~EvalModeGuard() { m_module.train(m_wasTraining); }
    EvalModeGuard(const EvalModeGuard &) = delete;
    EvalModeGuard &operator=(const EvalModeGuard &) = delete;

private:
    torch::nn::Module &m_module;
    bool m_wasTraining;
    torch::NoGradGuard m_noGrad;
};

} // namespace twb
