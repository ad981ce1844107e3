#include "MambaLayer.h"

#include "SelectiveScan.h"

#include <cmath>

namespace twb::smamba {

MambaImpl::MambaImpl(const MambaOptions &options)
    : m_options(options)
{
    reset();
}

void MambaImpl::reset()
{
    const MambaOptions &o = m_options;
    TORCH_CHECK(o.dModel() > 0 && o.dState() > 0 && o.dConv() > 0 && o.expand() > 0 &&
                    o.dtRank() >= 0,
                "Mamba: d_model, d_state, d_conv and expand must be positive");
    TORCH_CHECK(o.dtMin() > 0.0 && o.dtMin() <= o.dtMax(), "Mamba: need 0 < dt_min <= dt_max");
    const std::int64_t inner = o.dInner();
    const std::int64_t rank = o.resolvedDtRank();

    m_inProj = register_module(
        "in_proj",
        torch::nn::Linear(torch::nn::LinearOptions(o.dModel(), 2 * inner).bias(o.bias())));
    m_conv = register_module("conv1d",
                             torch::nn::Conv1d(torch::nn::Conv1dOptions(inner, inner, o.dConv())
                                                   .groups(inner)
                                                   .padding(o.dConv() - 1)
                                                   .bias(o.convBias())));
    m_xProj = register_module(
        "x_proj",
        torch::nn::Linear(torch::nn::LinearOptions(inner, rank + 2 * o.dState()).bias(false)));
    m_dtProj = register_module("dt_proj", torch::nn::Linear(rank, inner));

    torch::NoGradGuard noGrad;
    const double bound = o.dtScale() / std::sqrt(double(rank));
    m_dtProj->weight.uniform_(-bound, bound);
    // softplus(bias) log-uniform in [dt_min, dt_max]: bias = dt + log(1 - exp(-dt)).
    const torch::Tensor dt =
        torch::exp(torch::rand({inner}) * (std::log(o.dtMax()) - std::log(o.dtMin())) +
                   std::log(o.dtMin()))
            .clamp_min(o.dtInitFloor());
    m_dtProj->bias.copy_(dt + torch::log(-torch::expm1(-dt)));

    m_ALog =
        register_parameter("A_log", torch::log(torch::arange(1, o.dState() + 1, torch::kFloat32))
                                        .unsqueeze(0)
                                        .repeat({inner, 1}));
    m_D = register_parameter("D", torch::ones({inner}));
    m_outProj = register_module(
        "out_proj", torch::nn::Linear(torch::nn::LinearOptions(inner, o.dModel()).bias(o.bias())));
}

MambaOutput MambaImpl::forward(const torch::Tensor &x, bool trace)
{
    TORCH_CHECK(x.dim() == 3 && x.size(2) == m_options.dModel(), "Mamba: input must be [B, L, ",
                m_options.dModel(), "], got ", x.sizes());
    const std::int64_t steps = x.size(1);
    const std::int64_t rank = m_options.resolvedDtRank();
    const std::int64_t state = m_options.dState();

    const std::vector<torch::Tensor> xz = m_inProj(x).chunk(2, -1); // 2 x [B, L, d_inner]
    // Conv1d pads d_conv - 1 on both sides; the first L outputs see no later token.
    const torch::Tensor u =
        torch::silu(m_conv(xz[0].transpose(1, 2)).narrow(2, 0, steps).transpose(1, 2));
    const torch::Tensor projected = m_xProj(u); // [B, L, rank + 2 state]
    const torch::Tensor Bm = projected.narrow(-1, rank, state);
    const torch::Tensor Cm = projected.narrow(-1, rank + state, state);
    const torch::Tensor delta = torch::softplus(m_dtProj(projected.narrow(-1, 0, rank)));
    const torch::Tensor A = -torch::exp(m_ALog);
    const torch::Tensor y = selectiveScan(u, delta, A, Bm, Cm, m_D);

    MambaOutput out;
    out.output = m_outProj(y * torch::silu(xz[1]));
    if (trace) {
        out.u = u;
        out.delta = delta;
        out.ssm = y;
        out.implicitAttention = implicitAttention(delta, A, Bm, Cm);
    }
    return out;
}

} // namespace twb::smamba
