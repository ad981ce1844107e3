#pragma once

#include <torch/torch.h>

#include <cstdint>

namespace twb {

/// An attention-like module whose heads can be switched off one by one (the what-if edit "head
/// off", as in Michel et al. 2019). MultiheadAttention, ProbSparse attention, auto-correlation
/// and the Fourier blocks implement it, so explain/WhatIf finds them without model-specific
/// code: it walks Model::modules() in registration order and numbers every HeadMaskable it
/// meets as a layer.
///
/// Threading: as the module (one thread at a time).
class HeadMaskable
{
public:
    virtual ~HeadMaskable() = default;

    virtual std::int64_t headCount() const = 0;
    /// `mask` [headCount()] float, 1 = on, 0 = off, multiplying each head's output before the
    /// heads are combined. Undefined = every head on, at no cost.
    virtual void setHeadMask(torch::Tensor mask) = 0;
    virtual const torch::Tensor &headMask() const = 0;
};

} // namespace twb
