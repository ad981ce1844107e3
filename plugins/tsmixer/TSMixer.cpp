#include "TSMixer.h"

#include "nn/RequireValid.h"
#include "nn/SpecCheck.h"

#include <string>

namespace twb {

Status TSMixerOptions::validate() const
{
    if (Status s = checkForecastSpec(spec(), QStringLiteral("TSMixer")); !s)
        return s;
    if (numBlocks() < 1 || hidden() < 1)
        return Error{QStringLiteral("TSMixer: e_layers and ff_dim must be positive, got %1 and %2")
                         .arg(numBlocks())
                         .arg(hidden()),
                     {},
                     0};
    if (!(dropout() >= 0.0 && dropout() < 1.0))
        return Error{
            QStringLiteral("TSMixer: dropout must be in [0, 1), got %1").arg(dropout()), {}, 0};
    return Status::ok();
}

TSMixerImpl::TSMixerImpl(const TSMixerOptions &options)
    : m_options(options)
{
    reset();
}

void TSMixerImpl::reset()
{
    requireValid(m_options);
    const ModelSpec &spec = m_options.spec();
    if (m_options.revin())
        m_revin = register_module("revin", RevIN(RevINOptions(spec.channels).affine(true)));
    m_blocks = register_module("blocks", torch::nn::ModuleList());
    for (std::int64_t i = 0; i < m_options.numBlocks(); ++i) {
        m_blocks->push_back(
            MixerBlock(MixerBlockOptions(spec.lookback, spec.channels, m_options.hidden())
                           .norm(m_options.norm())
                           .timeMixing(m_options.timeMixing())
                           .gelu(m_options.gelu())
                           .dropout(m_options.dropout())));
    }
    m_projection = register_module("projection", torch::nn::Linear(spec.lookback, spec.horizon));
}

ModelOutput TSMixerImpl::forward(const torch::Tensor &input, const ForwardOptions &options)
{
    const ModelSpec &spec = m_options.spec();
    TORCH_CHECK(input.dim() == 3 && input.size(1) == spec.lookback &&
                    input.size(2) == spec.channels,
                "TSMixer: input must be [B, ", spec.lookback, ", ", spec.channels, "], got ",
                input.sizes());
    const bool keep = options.captureIntermediates;
    ModelOutput out;
    if (keep)
        out.intermediates.push_back({"input", input});

    torch::Tensor x = m_revin ? m_revin->normalize(input) : input;
    if (keep && m_revin)
        out.intermediates.push_back({"normalized", x});
    for (std::size_t i = 0; i < m_blocks->size(); ++i) {
        MixerBlockImpl &block = *m_blocks->ptr<MixerBlockImpl>(i);
        x = block.forward(x);
        const std::string name = "block_" + std::to_string(i);
        if (keep)
            out.intermediates.push_back({name, x});
        if (options.captureAttention)
            out.mechanisms.push_back(
                {name + "/time_mixing", block.timeMixingWeights().unsqueeze(0)});
    }

    const torch::Tensor projected = m_projection(x.transpose(1, 2)); // [B, C, H]
    if (keep)
        out.intermediates.push_back({"projection", projected.transpose(1, 2)});
    if (options.captureAttention)
        out.mechanisms.push_back({"head/projection", m_projection->weight.detach().unsqueeze(0)});
    out.prediction = projected.transpose(1, 2);
    if (m_revin)
        out.prediction = m_revin->denormalize(out.prediction);
    if (keep)
        out.intermediates.push_back({"output", out.prediction});
    return out;
}

} // namespace twb
