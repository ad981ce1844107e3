#include "RidgeClassifier.h"

#include "common/Errors.h"

#include <algorithm>
#include <cmath>

namespace twb {

namespace {

/// x xᵀ = Q Λ Qᵀ and what every α shares.
struct GramSpectrum
{
    torch::Tensor eigenvalues; ///< [N] float64, >= 0
    torch::Tensor q;           ///< [N, N] float64
    torch::Tensor qtY;         ///< Qᵀ y [N, K]
    torch::Tensor qSquared;    ///< Q ⊙ Q

    GramSpectrum(const torch::Tensor &x, const torch::Tensor &y)
    {
        const torch::Tensor x64 = x.to(torch::kDouble);
        auto [values, vectors] = torch::linalg_eigh(x64.mm(x64.t()));
        eigenvalues = values.clamp_min(0.0);
        q = vectors;
        qtY = q.t().mm(y.to(torch::kDouble));
        qSquared = q.pow(2);
    }

    /// G⁻¹ y for G = x xᵀ + α I.
    torch::Tensor dual(double alpha) const
    {
        const torch::Tensor d = 1.0 / (eigenvalues + alpha);
        return q.mm(d.unsqueeze(1) * qtY);
    }

    double looError(double alpha) const
    {
        const torch::Tensor d = 1.0 / (eigenvalues + alpha);
        const torch::Tensor diagonal = qSquared.mv(d); // (G⁻¹)_ii
        return (dual(alpha) / diagonal.unsqueeze(1)).pow(2).sum().item<double>();
    }
};

} // namespace

std::vector<double> miniRocketAlphas()
{
    std::vector<double> alphas;
    for (int i = 0; i < 10; ++i)
        alphas.push_back(std::pow(10.0, -3.0 + 6.0 * double(i) / 9.0));
    return alphas;
}

std::vector<double> ridgeLeaveOneOutErrors(const torch::Tensor &x, const torch::Tensor &y,
                                           const std::vector<double> &alphas)
{
    TORCH_CHECK(x.dim() == 2 && y.dim() == 2 && x.size(0) == y.size(0) && x.size(0) >= 2,
                "ridge: x [N, F] and y [N, K] with N >= 2, got ", x.sizes(), " and ", y.sizes());
    torch::NoGradGuard noGrad;
    const GramSpectrum spectrum(x, y);
    std::vector<double> errors;
    for (double alpha : alphas)
        errors.push_back(spectrum.looError(alpha));
    return errors;
}

Expected<RidgeSolution> fitRidgeClassifier(const torch::Tensor &features,
                                           const torch::Tensor &labels, std::int64_t classes,
                                           const std::vector<double> &alphas, std::int64_t maxCases)
{
    torch::NoGradGuard noGrad;
    const std::int64_t n = features.size(0);
    if (n < 2)
        return makeError(
            QStringLiteral("the ridge classifier needs at least two cases, got %1").arg(n));
    if (n > maxCases)
        return makeError(QStringLiteral("the ridge classifier solves an N × N system; %1 cases "
                                        "are more than the %2 it accepts")
                             .arg(n)
                             .arg(maxCases));
    if (alphas.empty())
        return makeError(QStringLiteral("the ridge classifier needs at least one α"));
    const torch::Tensor labels64 = labels.to(torch::kLong);
    if (labels64.min().item<std::int64_t>() < 0 || labels64.max().item<std::int64_t>() >= classes)
        return makeError(QStringLiteral("a label lies outside the %1 classes").arg(classes));
    const torch::Tensor x = features.to(torch::kDouble);
    torch::Tensor y = torch::full({n, classes}, -1.0, torch::kDouble);
    y.scatter_(1, labels64.unsqueeze(1), 1.0);
    const torch::Tensor xMean = x.mean(0);
    const torch::Tensor yMean = y.mean(0);
    const torch::Tensor xc = x - xMean;
    const GramSpectrum spectrum(xc, y - yMean);

    RidgeSolution solution;
    for (double alpha : alphas)
        solution.looErrors.push_back(spectrum.looError(alpha));
    const auto best = std::min_element(solution.looErrors.begin(), solution.looErrors.end());
    solution.alpha = alphas[std::size_t(best - solution.looErrors.begin())];
    const torch::Tensor w = xc.t().mm(spectrum.dual(solution.alpha)); // [F, K]
    solution.weight = w.t().to(torch::kFloat).contiguous();
    solution.bias = (yMean - xMean.matmul(w)).to(torch::kFloat);
    return solution;
}

} // namespace twb
