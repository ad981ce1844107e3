#include "DLinear.h"

#include "nn/RequireValid.h"
#include "nn/SpecCheck.h"

namespace twb {

namespace {
enum Projection { Seasonal = 0, Trend = 1, Single = 0 };
} // namespace

Status DLinearOptions::validate() const
{
    if (Status s = checkForecastSpec(spec(), QStringLiteral("DLinear")); !s)
        return s;
    if (variant() == LinearVariant::DLinear && (kernelSize() < 1 || kernelSize() % 2 == 0))
        return Error{QStringLiteral("DLinear: kernel_size must be odd and positive, got %1")
                         .arg(kernelSize()),
                     {},
                     0};
    return Status::ok();
}

DLinearImpl::DLinearImpl(const DLinearOptions &options)
    : m_options(options)
{
    reset();
}

void DLinearImpl::reset()
{
    requireValid(m_options);
    if (m_options.variant() == LinearVariant::DLinear) {
        m_decomposition =
            register_module("decomposition", SeriesDecomposition(m_options.kernelSize()));
        makeProjection(Seasonal, "linear_seasonal", true);
        makeProjection(Trend, "linear_trend", true);
    } else {
        makeProjection(Single, "linear", false);
    }
}

void DLinearImpl::makeProjection(int which, const std::string &name, bool constantInit)
{
    const ModelSpec &spec = m_options.spec();
    torch::Tensor weight;
    if (m_options.individual()) {
        m_individual[which] = register_module(
            name, ChannelLinear(ChannelLinearOptions(spec.channels, spec.lookback, spec.horizon)));
        weight = m_individual[which]->weight();
    } else {
        m_shared[which] = register_module(name, torch::nn::Linear(spec.lookback, spec.horizon));
        weight = m_shared[which]->weight;
    }
    if (constantInit) {
        torch::NoGradGuard noGrad;
        weight.fill_(1.0 / double(spec.lookback));
    }
}

torch::Tensor DLinearImpl::project(int which, const torch::Tensor &x)
{
    const torch::Tensor series = x.transpose(1, 2); // [B, C, L]
    const torch::Tensor y =
        m_options.individual() ? m_individual[which](series) : m_shared[which](series);
    return y.transpose(1, 2); // [B, H, C]
}

ModelOutput DLinearImpl::forward(const torch::Tensor &input, const ForwardOptions &options)
{
    const ModelSpec &spec = m_options.spec();
    TORCH_CHECK(input.dim() == 3 && input.size(1) == spec.lookback &&
                    input.size(2) == spec.channels,
                "DLinear: input must be [B, ", spec.lookback, ", ", spec.channels, "], got ",
                input.sizes());
    ModelOutput out;
    const bool keep = options.captureIntermediates;
    if (keep)
        out.intermediates.push_back({"input", input});

    if (m_options.variant() == LinearVariant::DLinear) {
        const Decomposition parts = m_decomposition(input);
        if (keep) {
            out.intermediates.push_back({"trend", parts.trend});
            out.intermediates.push_back({"seasonal", parts.seasonal});
        }
        out.prediction = project(Seasonal, parts.seasonal) + project(Trend, parts.trend);
    } else {
        const torch::Tensor last = input.slice(1, spec.lookback - 1).detach();
        const torch::Tensor centered = input - last;
        if (keep)
            out.intermediates.push_back({"centered", centered});
        out.prediction = project(Single, centered) + last;
    }
    if (keep)
        out.intermediates.push_back({"output", out.prediction});
    return out;
}

} // namespace twb
