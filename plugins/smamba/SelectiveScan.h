#pragma once

#include <torch/torch.h>

namespace twb::smamba {

/// The selective state-space recurrence of Mamba (Gu & Dao 2023; mamba_ssm's
/// selective_scan_ref, checked in github:state-spaces/mamba mamba_ssm/ops/
/// selective_scan_interface.py), for every batch row b, channel d and state n:
///   h_t[n] = exp(delta_t[d] A[d, n]) h_{t-1}[n] + delta_t[d] B_t[n] u_t[d],   h_{-1} = 0,
///   y_t[d] = sum_n C_t[n] h_t[n] + D[d] u_t[d].
/// Shapes: u, delta [B, L, Dc] (delta is the step after its softplus, > 0); A [Dc, N] (negative
/// for a decaying state); Bm, Cm [B, L, N] (shared by the channels, as in Mamba); D [Dc].
/// Returns y [B, L, Dc] in the dtype of u. Sequential over L (a loop of L steps), vectorised over
/// batch, channels and state; differentiable. Pure; any thread.
torch::Tensor selectiveScan(const torch::Tensor &u, const torch::Tensor &delta,
                            const torch::Tensor &A, const torch::Tensor &Bm,
                            const torch::Tensor &Cm, const torch::Tensor &D);

/// The implicit attention of the scan (Ali et al. 2024, "The Hidden Attention of Mamba Models"):
/// alpha [B, Dc, L, L] with, for j <= i,
///   alpha[b, d, i, j] = sum_n C_i[n] exp(sum_{k=j+1..i} delta_k[d] A[d, n]) delta_j[d] B_j[n]
/// and 0 for j > i (causal: lower-triangular), so that
///   selectiveScan(u, delta, A, Bm, Cm, D)[b, i, d] = sum_j alpha[b, d, i, j] u[b, j, d]
///                                                    + D[d] u[b, i, d].
/// Computed in closed form from the cumulative sums S_t = sum_{k<=t} delta_k A (the exponent of
/// entry (i, j) is S_i - S_j <= 0; entries j > i are masked before the exponential), in
/// O(B Dc N L^2) memory: meant for the short token sequences of S-Mamba (L ~ tens).
/// Shapes as selectiveScan. Pure; any thread.
torch::Tensor implicitAttention(const torch::Tensor &delta, const torch::Tensor &A,
                                const torch::Tensor &Bm, const torch::Tensor &Cm);

} // namespace twb::smamba
