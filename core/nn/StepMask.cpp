#include "StepMask.h"

namespace twb {

torch::Tensor checkedStepMask(const torch::Tensor &mask, const torch::Tensor &input,
                              const char *model)
{
    if (!mask.defined())
        return {};
    TORCH_CHECK(mask.dim() == 2 && mask.size(0) == input.size(0) && mask.size(1) == input.size(1),
                model, ": the step mask must be [", input.size(0), ", ", input.size(1), "], got ",
                mask.sizes());
    return mask.to(torch::kBool);
}

} // namespace twb
