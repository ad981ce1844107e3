#include "MaskedLoss.h"

namespace twb {

torch::Tensor maskedMseLoss(const torch::Tensor &prediction, const torch::Tensor &target,
                            const torch::Tensor &hidden, torch::Reduction::Reduction reduction)
{
    TORCH_CHECK(hidden.defined() && hidden.sizes() == prediction.sizes() &&
                    target.sizes() == prediction.sizes(),
                "masked MSE: prediction ", prediction.sizes(), ", target ", target.sizes(),
                " and hidden mask ", hidden.defined() ? hidden.sizes() : c10::IntArrayRef{},
                " must have one shape");
    const torch::Tensor weights = hidden.to(prediction.dtype());
    const torch::Tensor sum = ((prediction - target).square() * weights).sum();
    if (reduction == torch::Reduction::Sum)
        return sum;
    return sum / weights.sum().clamp_min(1.0);
}

} // namespace twb
