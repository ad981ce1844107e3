#include "SeparationMetrics.h"

#include <algorithm>
#include <numeric>

namespace twb {

torch::Tensor siSnr(const torch::Tensor &estimate, const torch::Tensor &reference, double eps)
{
    const torch::Tensor est = estimate - estimate.mean(-1, /*keepdim=*/true);
    const torch::Tensor ref = reference - reference.mean(-1, /*keepdim=*/true);
    const torch::Tensor scale =
        (est * ref).sum(-1, /*keepdim=*/true) / (ref.pow(2).sum(-1, /*keepdim=*/true) + eps);
    const torch::Tensor target = scale * ref;
    const torch::Tensor noise = est - target;
    return 10.0 * torch::log10(target.pow(2).sum(-1) / (noise.pow(2).sum(-1) + eps) + eps);
}

torch::Tensor snr(const torch::Tensor &estimate, const torch::Tensor &reference, double eps)
{
    return 10.0 *
           torch::log10(reference.pow(2).sum(-1) / ((estimate - reference).pow(2).sum(-1) + eps) +
                        eps);
}

std::vector<std::vector<std::int64_t>> allPermutations(std::int64_t n)
{
    std::vector<std::int64_t> p(static_cast<std::size_t>(std::max<std::int64_t>(n, 0)));
    std::iota(p.begin(), p.end(), 0);
    std::vector<std::vector<std::int64_t>> all;
    do
        all.push_back(p);
    while (std::next_permutation(p.begin(), p.end()));
    return all;
}

PitResult permutationInvariantSiSnr(const torch::Tensor &estimates, const torch::Tensor &references)
{
    TORCH_CHECK(estimates.dim() == 3 && estimates.sizes() == references.sizes(),
                "permutationInvariantSiSnr: estimates and references must both be [B, S, T], "
                "got ",
                estimates.sizes(), " and ", references.sizes());
    const std::int64_t sources = estimates.size(1);
    TORCH_CHECK(sources >= 1 && sources <= kMaxPitSources,
                "permutationInvariantSiSnr: between 1 and ", kMaxPitSources, " sources, got ",
                sources);
    PitResult result;
    // pairs[b, i, j] = SI-SNR(estimate i, reference j).
    result.pairs = siSnr(estimates.unsqueeze(2), references.unsqueeze(1));
    const std::vector<std::vector<std::int64_t>> perms = allPermutations(sources);
    std::vector<std::int64_t> flat;
    for (const auto &p : perms)
        flat.insert(flat.end(), p.begin(), p.end());
    const torch::Tensor table =
        torch::tensor(flat, torch::kLong).view({std::int64_t(perms.size()), sources});
    // For permutation k: the mean over references j of pairs[b, table[k][j], j].
    const torch::Tensor referenceIndex = torch::arange(sources, torch::kLong);
    const torch::Tensor scores =
        result.pairs.index({torch::indexing::Slice(), table, referenceIndex.unsqueeze(0)})
            .mean(-1);                                              // [B, P]
    const torch::Tensor best = std::get<1>(scores.detach().max(1)); // [B]
    result.siSnr = scores.gather(1, best.unsqueeze(1)).squeeze(1);  // [B]
    result.permutation = table.index_select(0, best);               // [B, S]
    return result;
}

torch::Tensor negativePitSiSnr(const torch::Tensor &estimates, const torch::Tensor &references)
{
    return -permutationInvariantSiSnr(estimates, references).siSnr.mean();
}

torch::Tensor alignSources(const torch::Tensor &estimates, const torch::Tensor &permutation)
{
    TORCH_CHECK(estimates.dim() == 3 && permutation.dim() == 2 &&
                    permutation.size(0) == estimates.size(0) &&
                    permutation.size(1) == estimates.size(1),
                "alignSources: estimates [B, S, T] and permutation [B, S] expected, got ",
                estimates.sizes(), " and ", permutation.sizes());
    const torch::Tensor index =
        permutation.to(torch::kLong).unsqueeze(-1).expand({-1, -1, estimates.size(2)});
    return estimates.gather(1, index);
}

} // namespace twb
