#include "SelectiveScan.h"

#include <cmath>
#include <cstdint>
#include <vector>

namespace twb::smamba {

namespace {

void checkShapes(const torch::Tensor &delta, const torch::Tensor &A, const torch::Tensor &Bm,
                 const torch::Tensor &Cm)
{
    TORCH_CHECK(delta.dim() == 3, "selective scan: delta must be [B, L, D], got ", delta.sizes());
    TORCH_CHECK(A.dim() == 2 && A.size(0) == delta.size(2),
                "selective scan: A must be [D, N] with D = ", delta.size(2), ", got ", A.sizes());
    const std::vector<std::int64_t> bc{delta.size(0), delta.size(1), A.size(1)};
    TORCH_CHECK(Bm.sizes().vec() == bc && Cm.sizes().vec() == bc,
                "selective scan: B and C must be [B, L, N] = ", c10::IntArrayRef(bc), ", got ",
                Bm.sizes(), " and ", Cm.sizes());
}

} // namespace

torch::Tensor selectiveScan(const torch::Tensor &u, const torch::Tensor &delta,
                            const torch::Tensor &A, const torch::Tensor &Bm,
                            const torch::Tensor &Cm, const torch::Tensor &D)
{
    checkShapes(delta, A, Bm, Cm);
    TORCH_CHECK(u.sizes() == delta.sizes(), "selective scan: u must be shaped as delta ",
                delta.sizes(), ", got ", u.sizes());
    TORCH_CHECK(D.dim() == 1 && D.size(0) == u.size(2), "selective scan: D must be [", u.size(2),
                "], got ", D.sizes());
    const std::int64_t steps = u.size(1);
    const torch::Tensor decay = torch::exp(delta.unsqueeze(-1) * A);         // [B, L, Dc, N]
    const torch::Tensor drive = (delta * u).unsqueeze(-1) * Bm.unsqueeze(2); // [B, L, Dc, N]
    const torch::Tensor readout = Cm.unsqueeze(2);                           // [B, L, 1, N]
    torch::Tensor h = torch::zeros({u.size(0), u.size(2), A.size(1)}, u.options());
    std::vector<torch::Tensor> ys;
    ys.reserve(std::size_t(steps));
    for (std::int64_t t = 0; t < steps; ++t) {
        h = torch::addcmul(drive.select(1, t), decay.select(1, t), h);
        ys.push_back((h * readout.select(1, t)).sum(-1)); // [B, Dc]
    }
    return torch::stack(ys, 1) + u * D;
}

torch::Tensor implicitAttention(const torch::Tensor &delta, const torch::Tensor &A,
                                const torch::Tensor &Bm, const torch::Tensor &Cm)
{
    checkShapes(delta, A, Bm, Cm);
    const std::int64_t steps = delta.size(1);
    // S [B, Dc, N, L]: cumulative sum over time of delta_k A.
    const torch::Tensor S = torch::cumsum(delta.unsqueeze(-1) * A, 1).permute({0, 2, 3, 1});
    const torch::Tensor exponent = S.unsqueeze(-1) - S.unsqueeze(-2); // [B, Dc, N, i, j]
    const torch::Tensor future =
        torch::ones({steps, steps}, torch::TensorOptions().dtype(torch::kBool)).triu(1);
    const torch::Tensor decay = torch::exp(exponent.masked_fill(future, -INFINITY));
    const torch::Tensor ci = Cm.transpose(1, 2).unsqueeze(1).unsqueeze(-1); // [B, 1, N, i, 1]
    const torch::Tensor bj = (delta.transpose(1, 2).unsqueeze(2) *          // [B, Dc, 1, j]
                              Bm.transpose(1, 2).unsqueeze(1))              // [B, 1, N, j]
                                 .unsqueeze(-2);                            // [B, Dc, N, 1, j]
    return (decay * ci * bj).sum(2);
}

} // namespace twb::smamba
