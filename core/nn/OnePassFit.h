#pragma once

#include "common/Expected.h"

#include <torch/torch.h>

#include <cstdint>

namespace twb {

/// A model fitted in one pass over whole cases rather than by gradient steps (MiniRocket's
/// ridge classifier, 1-nearest-neighbour DTW). A Model that also derives from this interface is
/// fitted by the Trainer (TrainerFit.cpp) instead of trained by batches: the Trainer finds it
/// with dynamic_cast, so neither the Model base nor the widgets know about it.
///
/// A model that keeps data from its fit (1-NN DTW keeps the training cases) holds it in
/// buffers that are empty (numel 0) until fitted; loading a checkpoint gives such a buffer the
/// checkpoint's shape (loadModuleStateDict), so a fitted run loads like any other.
///
/// Threading: as the model (one thread at a time).
class OnePassFit
{
public:
    virtual ~OnePassFit() = default;

    /// Fits the model: x [N, time, channels] float32 on the scale of Model::forward's input,
    /// labels [N] int64 class indices, stepMask [N, time] bool (true = a real step) or undefined
    /// when every step is real. What the fit draws at random comes from `seed`. A fit replaces
    /// whatever an earlier fit found. Errors: data the model cannot fit (too few cases, a class
    /// without a case ...).
    virtual Status fit(const torch::Tensor &x, const torch::Tensor &labels,
                       const torch::Tensor &stepMask, std::uint64_t seed) = 0;

    /// The logits [N, classes] that forward() gives for the N cases of the last fit, when the
    /// fit computed them on its way (MiniRocket scores its transformed training cases), so that
    /// the Trainer's training loss does not transform or compare the cases again. Undefined
    /// (the default) when the fit has none; then the Trainer runs forward() over the cases.
    virtual torch::Tensor fittedLogits() const { return {}; }
};

/// The one-pass fit of `model`, or null when it is trained by gradients.
template<typename M>
OnePassFit *onePassFit(M &model)
{
    return dynamic_cast<OnePassFit *>(&model);
}

} // namespace twb
