#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace twb {

/// Scale-invariant signal-to-noise ratio (Le Roux et al., "SDR – half-baked or well done?",
/// 2019), in dB, over the last dimension (time):
///     both signals are made zero-mean; s_t = <ŝ, s> s / (|s|² + eps); e = ŝ − s_t;
///     SI-SNR = 10 log10(|s_t|² / (|e|² + eps) + eps).
/// estimate and reference: [..., T] of one floating dtype (broadcast against each other) →
/// [...]. Scaling the estimate by any non-zero factor leaves it unchanged; a perfect estimate
/// gives a large finite value (bounded through eps), a negated one as much as the original
/// (SI-SNR ignores the sign of the scale), silence in the estimate about −10 log10(1/eps).
/// Differentiable in the estimate (and the reference). eps: 1e-8 as Asteroid and SpeechBrain.
torch::Tensor siSnr(const torch::Tensor &estimate, const torch::Tensor &reference,
                    double eps = 1e-8);

/// Plain signal-to-noise ratio of an estimate, in dB, over the last dimension:
/// 10 log10(|s|² / (|ŝ − s|² + eps) + eps). Not scale-invariant (a louder or softer estimate
/// loses). BSS-eval's SDR, which forgives a short distortion filter, is sdr() below.
torch::Tensor snr(const torch::Tensor &estimate, const torch::Tensor &reference, double eps = 1e-8);

/// Signal-to-distortion ratio as BSS-eval v3 defines it for one source (Vincent et al. 2006;
/// mir_eval's bss_eval_sources): the estimate is projected onto the span of the reference
/// delayed by 0 … filterLength − 1 samples (a time-invariant filter of that length is forgiven
/// as distortion), and SDR = 10 log10(|P ŝ|² / |ŝ − P ŝ|²), in dB.
/// estimate and reference: [B, T] (float32 or float64; computed in float64) → [B] float64.
/// The projection solves the filterLength² Toeplitz system of the reference's autocorrelation
/// (with 1e-10 · its diagonal added, so that a silent stretch does not make it singular).
/// Not differentiable (a metric, computed under NoGradGuard). filterLength: 512 as mir_eval.
/// Errors (c10::Error): shapes that differ, T < filterLength.
torch::Tensor sdr(const torch::Tensor &estimate, const torch::Tensor &reference,
                  std::int64_t filterLength = 512);

/// The best assignment of estimated sources to reference sources (permutation-invariant
/// training, Yu et al. 2017), by SI-SNR.
struct PitResult
{
    /// [B]: the mean SI-SNR over the sources under each example's best assignment (dB);
    /// differentiable (the gradient flows through the chosen pairs only).
    torch::Tensor siSnr;
    /// [B, S] int64: reference s is matched with estimate permutation[b][s].
    torch::Tensor permutation;
    /// [B, S, S]: SI-SNR of estimate i against reference j, every pair (dB).
    torch::Tensor pairs;
};

/// estimates and references [B, S, T], S between 1 and kMaxPitSources; every permutation of
/// the S estimates is scored (S! of them) and the best kept per example. Errors (c10::Error):
/// shapes that differ or are not three-dimensional, S out of range.
PitResult permutationInvariantSiSnr(const torch::Tensor &estimates,
                                    const torch::Tensor &references);
constexpr std::int64_t kMaxPitSources = 5;

/// The separation loss: minus the batch mean of permutationInvariantSiSnr().siSnr.
torch::Tensor negativePitSiSnr(const torch::Tensor &estimates, const torch::Tensor &references);

/// Estimates reordered by `permutation` (from PitResult): [B, S, T] with source s of example b
/// = estimates[b][permutation[b][s]], so that it lines up with the references.
torch::Tensor alignSources(const torch::Tensor &estimates, const torch::Tensor &permutation);

/// Every permutation of 0..n-1 in lexicographic order (the identity first).
std::vector<std::vector<std::int64_t>> allPermutations(std::int64_t n);

} // namespace twb
