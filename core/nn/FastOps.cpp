#include "FastOps.h"

namespace twb::nn {
namespace {

struct SoftmaxLastDimFunction : torch::autograd::Function<SoftmaxLastDimFunction>
{
    static torch::Tensor forward(torch::autograd::AutogradContext *ctx, const torch::Tensor &x)
    {
        torch::Tensor y = (x - x.amax(-1, /*keepdim=*/true)).exp_();
        y.div_(y.sum(-1, /*keepdim=*/true));
        ctx->save_for_backward({y});
        return y;
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext *ctx,
                                                   torch::autograd::variable_list grads)
    {
        // The stock backward kernel is fast in this build; only the forward is slow.
        const torch::Tensor y = ctx->get_saved_variables()[0];
        return {torch::_softmax_backward_data(grads[0].contiguous(), y, -1, y.scalar_type())};
    }
};

} // namespace

torch::Tensor softmaxLastDim(const torch::Tensor &scores)
{
    return SoftmaxLastDimFunction::apply(scores);
}

torch::Tensor dropout(const torch::Tensor &input, double p, bool training)
{
    if (!training || p <= 0.0)
        return input;
    if (p >= 1.0)
        return input * 0.0;
    const double keep = 1.0 - p;
    torch::Tensor mask;
    {
        torch::NoGradGuard noGrad;
        mask = torch::rand_like(input).lt_(keep).to(input.scalar_type()).mul_(1.0 / keep);
    }
    return input * mask;
}

} // namespace twb::nn
