#pragma once

#include "common/Expected.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace twb {

/// A fitted ridge classifier: scores = features · weightᵀ + bias.
struct RidgeSolution
{
    torch::Tensor weight; ///< [classes, features] float32
    torch::Tensor bias;   ///< [classes] float32
    double alpha = 0.0;   ///< the regularisation chosen
    /// The leave-one-out squared error (summed over cases and classes) of every α tried.
    std::vector<double> looErrors;
};

/// The α values MiniRocket's paper searches (scikit-learn's RidgeClassifierCV with
/// np.logspace(-3, 3, 10)).
std::vector<double> miniRocketAlphas();

/// Leave-one-out squared errors of ridge regression without intercept, y [N, K] on x [N, F]:
/// for each α, Σ_i Σ_k (y_ik − ŷ_ik^(−i))², where ŷ^(−i) comes from the fit without case i. In
/// closed form from one eigendecomposition x xᵀ = Q Λ Qᵀ: with G = x xᵀ + α I, the residual of
/// case i is (G⁻¹ y)_ik / (G⁻¹)_ii. Computed in float64. N ≥ 2.
std::vector<double> ridgeLeaveOneOutErrors(const torch::Tensor &x, const torch::Tensor &y,
                                           const std::vector<double> &alphas);

/// The classifier of MiniRocket's paper: targets +1 for a case's class and −1 for the others,
/// one ridge regression per class on the centred features and targets (the intercept is the
/// targets' mean), α the one of `alphas` with the smallest leave-one-out error
/// (ridgeLeaveOneOutErrors on the centred data: the usual approximation that ignores the left-out
/// case's share of the means; ties go to the first). Works in the dual (N × N), so it suits
/// many features and up to a few thousand cases.
/// features [N, F] float, labels [N] int64 in [0, classes). Errors: fewer than two cases, more
/// than maxCases, a label out of range.
Expected<RidgeSolution> fitRidgeClassifier(const torch::Tensor &features,
                                           const torch::Tensor &labels, std::int64_t classes,
                                           const std::vector<double> &alphas,
                                           std::int64_t maxCases = 10000);

} // namespace twb
