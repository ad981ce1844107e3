#include "SeparationMetrics.h"

#include <algorithm>
#include <numeric>
#include <vector>

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

namespace {

/// sdr() of a block of rows at once (the checks done).
torch::Tensor sdrRows(const torch::Tensor &estimate, const torch::Tensor &reference,
                      std::int64_t filterLength)
{
    const torch::Tensor s = reference.to(torch::kDouble);
    const torch::Tensor e = estimate.to(torch::kDouble);
    const std::int64_t t = s.size(1);
    // Correlations by FFT, zero-padded past t + filterLength so that they are linear.
    std::int64_t n = 1;
    while (n < t + filterLength)
        n *= 2;
    const torch::Tensor sf = torch::fft::rfft(s, n, 1);
    const torch::Tensor auto_ = torch::fft::irfft(sf * sf.conj(), n, 1).narrow(1, 0, filterLength);
    const torch::Tensor cross =
        torch::fft::irfft(torch::fft::rfft(e, n, 1) * sf.conj(), n, 1).narrow(1, 0, filterLength);
    // Toeplitz G[i][j] = autocorrelation at |i − j|.
    const torch::Tensor lags =
        (torch::arange(filterLength).unsqueeze(1) - torch::arange(filterLength).unsqueeze(0)).abs();
    torch::Tensor g = auto_.index({torch::indexing::Slice(), lags}); // [B, F, F]
    g = g + 1e-10 * auto_.narrow(1, 0, 1).unsqueeze(-1) *
                torch::eye(filterLength, torch::kDouble).unsqueeze(0);
    const torch::Tensor a = torch::linalg::solve(g, cross.unsqueeze(-1), true).squeeze(-1);
    // P ŝ = the reference filtered by a: sum over τ of a[τ] s(t − τ), t + F − 1 samples long;
    // the estimate counts as zero past its end (as mir_eval pads it), so the filter's tail
    // there is error.
    const torch::Tensor projected =
        torch::fft::irfft(sf * torch::fft::rfft(a, n, 1), n, 1).narrow(1, 0, t + filterLength - 1);
    const torch::Tensor error = torch::constant_pad_nd(e, {0, filterLength - 1}, 0.0) - projected;
    return 10.0 * torch::log10(projected.pow(2).sum(1) / error.pow(2).sum(1).clamp_min(1e-300));
}

} // namespace

torch::Tensor sdr(const torch::Tensor &estimate, const torch::Tensor &reference,
                  std::int64_t filterLength)
{
    TORCH_CHECK(estimate.dim() == 2 && estimate.sizes() == reference.sizes(),
                "sdr: estimate and reference must both be [B, T], got ", estimate.sizes(), " and ",
                reference.sizes());
    TORCH_CHECK(filterLength >= 1 && reference.size(1) >= filterLength, "sdr: ", reference.size(1),
                " samples are fewer than the filter length ", filterLength);
    torch::NoGradGuard noGrad;
    // Each row's Toeplitz system takes F² doubles (2 MiB at F = 512) and its solver copies
    // them: a block of rows at a time, so that 500 test mixtures of 2 sources do not ask for
    // gigabytes at once (they did: 9.4 GiB at the end of a Conv-TasNet run).
    constexpr std::int64_t kRowsPerBlock = 32;
    const std::int64_t rows = estimate.size(0);
    if (rows <= kRowsPerBlock)
        return sdrRows(estimate, reference, filterLength);
    std::vector<torch::Tensor> blocks;
    for (std::int64_t b = 0; b < rows; b += kRowsPerBlock) {
        const std::int64_t n = std::min(kRowsPerBlock, rows - b);
        blocks.push_back(
            sdrRows(estimate.narrow(0, b, n), reference.narrow(0, b, n), filterLength));
    }
    return torch::cat(blocks);
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
