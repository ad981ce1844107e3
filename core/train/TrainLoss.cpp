#include "TrainLoss.h"
#include "MaskedLoss.h"
#include "SeparationMetrics.h"

#include <cmath>

namespace twb {

QString nonFiniteName(double v)
{
    return std::isnan(v) ? QStringLiteral("NaN") : QStringLiteral("Inf");
}

torch::Tensor computeLoss(const torch::Tensor &prediction, const torch::Tensor &target,
                          LossKind kind, std::int64_t scored, torch::Reduction::Reduction reduction,
                          const torch::Tensor &hidden)
{
    if (kind == LossKind::CrossEntropy)
        return torch::nll_loss(torch::log_softmax(prediction, 1), target, {}, reduction);
    if (kind == LossKind::MaskedMeanSquaredError)
        return maskedMseLoss(prediction, target, hidden, reduction);
    if (kind == LossKind::NegativePitSiSnr) {
        const torch::Tensor perExample = -permutationInvariantSiSnr(prediction, target).siSnr;
        return reduction == torch::Reduction::None  ? perExample
               : reduction == torch::Reduction::Sum ? perExample.sum()
                                                    : perExample.mean();
    }
    if (scored >= 0)
        return torch::mse_loss(prediction.select(-1, scored), target.select(-1, scored), reduction);
    return torch::mse_loss(prediction, target, reduction);
}

bool predictionFits(const torch::Tensor &prediction, const torch::Tensor &target, LossKind kind)
{
    if (!prediction.defined())
        return false;
    if (kind == LossKind::CrossEntropy)
        return prediction.dim() == 2 && target.dim() == 1 && prediction.size(0) == target.size(0);
    if (kind == LossKind::NegativePitSiSnr)
        return prediction.dim() == 3 && prediction.sizes() == target.sizes() &&
               prediction.size(1) <= kMaxPitSources;
    return prediction.sizes() == target.sizes();
}

} // namespace twb
