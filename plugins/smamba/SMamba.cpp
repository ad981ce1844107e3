#include "SMamba.h"

#include "nn/RequireValid.h"
#include "nn/SpecCheck.h"

#include <string>

namespace twb {

Status SMambaOptions::validate() const
{
    const QString name = QStringLiteral("S-Mamba");
    if (Status s = checkForecastSpec(spec(), name); !s)
        return s;
    if (dModel() < 1 || dFF() < 1 || dState() < 1 || dConv() < 1 || expand() < 1 || numLayers() < 1)
        return Error{name + QStringLiteral(": d_model, d_ff, d_state, d_conv, expand and e_layers "
                                           "must be positive"),
                     {},
                     0};
    if (!(dropout() >= 0.0 && dropout() < 1.0))
        return Error{
            name + QStringLiteral(": dropout must lie in [0, 1), got %1").arg(dropout()), {}, 0};
    if (spec().markFeatures < 0)
        return Error{name + QStringLiteral(": markFeatures must not be negative"), {}, 0};
    return Status::ok();
}

SMambaImpl::SMambaImpl(const SMambaOptions &options)
    : m_options(options)
{
    reset();
}

void SMambaImpl::reset()
{
    requireValid(m_options);
    const ModelSpec &spec = m_options.spec();
    const std::int64_t d = m_options.dModel();

    if (m_options.useNorm())
        m_normalization = register_module("normalization", RevIN(RevINOptions(spec.channels)));
    m_embedding = register_module("embedding", torch::nn::Linear(spec.lookback, d));
    m_dropout = register_module("dropout", twb::nn::FastDropout(m_options.dropout()));
    const auto layer = smamba::SMambaLayerOptions(m_options.mamba(), m_options.dFF())
                           .dropout(m_options.dropout())
                           .activation(m_options.activation());
    m_layers.clear();
    m_layerList = register_module("layers", torch::nn::ModuleList());
    for (std::int64_t i = 0; i < m_options.numLayers(); ++i) {
        m_layers.push_back(smamba::SMambaLayer(layer));
        m_layerList->push_back(m_layers.back());
    }
    m_norm = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
    m_projection = register_module("projection", torch::nn::Linear(d, spec.horizon));
}

std::vector<TokenInfo> SMambaImpl::tokens() const
{
    const ModelSpec &spec = m_options.spec();
    std::vector<TokenInfo> result;
    result.reserve(std::size_t(m_options.tokenCount()));
    for (std::int64_t c = 0; c < spec.channels; ++c) {
        TokenInfo token;
        token.kind = TokenInfo::Kind::Variate;
        token.channel = c;
        token.label = channelName(spec, c);
        token.begin = 0;
        token.end = spec.lookback;
        result.push_back(std::move(token));
    }
    for (std::int64_t f = 0; f < m_options.tokenCount() - spec.channels; ++f) {
        TokenInfo token;
        token.kind = TokenInfo::Kind::Special;
        token.label = "calendar feature " + std::to_string(f);
        result.push_back(std::move(token));
    }
    return result;
}

torch::Tensor implicitAttentionMap(const torch::Tensor &alpha)
{
    TORCH_CHECK(alpha.dim() == 4 && alpha.size(2) == alpha.size(3),
                "implicit attention: [B, channels, N, N] expected, got ", alpha.sizes());
    const torch::Tensor mean = alpha.abs().mean(1, /*keepdim=*/true); // [B, 1, N, N]
    const torch::Tensor rows = mean.sum(-1, /*keepdim=*/true);
    return mean / torch::where(rows > 0, rows, torch::ones_like(rows));
}

ModelOutput SMambaImpl::forward(const torch::Tensor &input, const ForwardOptions &options)
{
    const ModelSpec &spec = m_options.spec();
    TORCH_CHECK(input.dim() == 3 && input.size(1) == spec.lookback &&
                    input.size(2) == spec.channels,
                "S-Mamba: input must be [B, ", spec.lookback, ", ", spec.channels, "], got ",
                input.sizes());
    const bool readMarks =
        m_options.useMarks() && spec.markFeatures > 0 && options.historyMarks.defined();
    if (readMarks)
        TORCH_CHECK(options.historyMarks.dim() == 3 &&
                        options.historyMarks.size(0) == input.size(0) &&
                        options.historyMarks.size(1) == spec.lookback &&
                        options.historyMarks.size(2) == spec.markFeatures,
                    "S-Mamba: historyMarks must be [", input.size(0), ", ", spec.lookback, ", ",
                    spec.markFeatures, "], got ", options.historyMarks.sizes());
    const bool keep = options.captureIntermediates;
    const bool capture = options.captureAttention;

    ModelOutput out;
    if (keep)
        out.intermediates.push_back({"input", input});
    const torch::Tensor normalized = m_normalization ? m_normalization->normalize(input) : input;
    if (keep)
        out.intermediates.push_back({"normalized", normalized});

    torch::Tensor rows = normalized.transpose(1, 2); // [B, C, L]
    if (readMarks)
        rows = torch::cat({rows, options.historyMarks.to(rows.dtype()).transpose(1, 2)}, 1);
    torch::Tensor x = m_dropout(m_embedding(rows)); // [B, N, d]
    if (keep)
        out.intermediates.push_back({"variate_tokens", x});

    for (std::size_t i = 0; i < m_layers.size(); ++i) {
        smamba::SMambaLayerOutput layer = m_layers[i]->forward(x, capture);
        x = layer.output;
        const std::string stage = "encoder_layer_" + std::to_string(i);
        if (keep)
            out.intermediates.push_back({stage, x});
        if (capture) {
            out.attention.push_back(implicitAttentionMap(layer.implicitAttention));
            out.mechanisms.push_back({stage + "/implicit_attention", layer.implicitAttention});
            out.mechanisms.push_back({stage + "/delta", layer.forward.delta});
            out.mechanisms.push_back({stage + "/delta_reverse", layer.reverse.delta});
        }
    }
    x = m_norm(x);
    if (keep)
        out.intermediates.push_back({"encoder_output", x});

    const torch::Tensor projection = m_projection(x); // [B, N, H]
    if (keep)
        out.intermediates.push_back({"projection", projection});
    torch::Tensor prediction = projection.narrow(1, 0, spec.channels).transpose(1, 2); // [B,H,C]
    if (m_normalization)
        prediction = m_normalization->denormalize(prediction);
    out.prediction = prediction;
    if (keep)
        out.intermediates.push_back({"output", prediction});
    return out;
}

} // namespace twb
