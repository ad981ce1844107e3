#pragma once

#include "CorrelationLayer.h"

#include <torch/torch.h>

#include <cstdint>

namespace twb {

/// The pieces of Autoformer's auto-correlation (Wu et al., NeurIPS 2021), usable on their own.
/// Time runs along dim 1 of every tensor, heads along dim 2, head width along dim 3.
namespace autocorrelation {

/// How many delays are aggregated: int(factor * ln(length)) as the official code, clamped to
/// [1, length] so that short series keep at least one delay.
std::int64_t topK(double factor, std::int64_t length);

/// The circular cross-correlation of queries and keys along time, averaged over each head's
/// width: R[b, τ, h] = mean_e Σ_t q[b, t, h, e] · k[b, (t − τ) mod L, h, e], the official
/// irfft(rfft(q) · conj(rfft(k))), computed so (twice as fast as the circular diagonal sums
/// of q · kᵀ at L 96). queries, keys [B, L, H, E] -> [B, L (lag τ), H].
torch::Tensor correlation(const torch::Tensor &queries, const torch::Tensor &keys);

/// Time-delay aggregation: out[b, t] = Σ_i weights[b, i] · values[b, (t + delays[b, i]) mod L],
/// i.e. the values rolled back by each delay (torch::roll(values, -delay, 1)) and weighted.
/// Computed as one batched product with the circulant matrix of the sparse kernel that holds
/// weights[b, i] at lag delays[b, i]. values [B, L, H, E], delays [B, k] int64 in
/// [0, L), weights [B, k] -> [B, L, H, E]. Delays of one sample must be distinct.
torch::Tensor aggregate(const torch::Tensor &values, const torch::Tensor &delays,
                        const torch::Tensor &weights);

} // namespace autocorrelation

struct AutoCorrelationOptions
{
    AutoCorrelationOptions(double factor = 3.0)
        : factor_(factor)
    {}
    /// c in k = int(c · ln L) delays; positive.
    TORCH_ARG(double, factor);
};

/// Autoformer's auto-correlation mechanism (Time-Series-Library's AutoCorrelation):
///   1. R(τ) = correlation(q, k), averaged over heads and width -> [B, L];
///   2. k = topK(factor, L) delays: in training, shared by the batch and chosen on the batch
///      mean of R (time_delay_agg_training), weights R[b, τ_i] of each sample; in evaluation,
///      chosen per sample (time_delay_agg_inference);
///   3. softmax over the k weights, then aggregate(values, delays, weights).
/// Keys and values shorter than the queries are padded with zeros at their end, longer ones
/// cut to the queries' length (as the official code). No parameters.
///
/// Report (names without a stage prefix): "autocorrelation" [B, heads, L] R(τ) per head over
/// lags τ = 0..L-1, "delays" [B, k] int64, "delay_weights" [B, k] (after the softmax), all
/// detached.
class AutoCorrelationImpl : public CorrelationMechanism
{
public:
    explicit AutoCorrelationImpl(const AutoCorrelationOptions &options = {});

    torch::Tensor forward(const torch::Tensor &queries, const torch::Tensor &keys,
                          const torch::Tensor &values, const CorrelationRequest &request,
                          std::vector<NamedTensor> &report) override;

    const AutoCorrelationOptions &options() const { return m_options; }

private:
    AutoCorrelationOptions m_options;
};

TORCH_MODULE(AutoCorrelation);

} // namespace twb
