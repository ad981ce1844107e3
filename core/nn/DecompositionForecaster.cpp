#include "DecompositionForecaster.h"
#include "ForecastTokens.h"

#include "DecoderInput.h"
#include "SpecCheck.h"

#include <string>
#include <utility>

namespace twb {

Status checkDecompositionConfig(const DecompositionForecasterConfig &config, const QString &model)
{
    if (Status s = checkForecastSpec(config.spec, model); !s)
        return s;
    if (Status s = checkEncoderSizes(model, config.encoder); !s)
        return s;
    const auto fail = [&model](const QString &reason) {
        return Status(Error{model + QLatin1String(": ") + reason, {}, 0});
    };
    if (config.decoderLayers < 1)
        return fail(
            QStringLiteral("d_layers must be at least 1, got %1").arg(config.decoderLayers));
    if (config.labelLen < 0 || config.labelLen > config.spec.lookback)
        return fail(QStringLiteral("label_len %1 must be between 0 and the lookback %2")
                        .arg(config.labelLen)
                        .arg(config.spec.lookback));
    if (config.movingAvg < 1 || config.movingAvg % 2 == 0)
        return fail(
            QStringLiteral("moving_avg must be odd and positive, got %1").arg(config.movingAvg));
    if (config.spec.lookback < 2)
        return fail(QStringLiteral("the lookback must be at least 2 steps, got %1")
                        .arg(config.spec.lookback));
    return Status::ok();
}

DecompositionForecasterImpl::DecompositionForecasterImpl(DecompositionForecasterConfig config,
                                                         std::string name,
                                                         const CorrelationMechanismFactory &factory)
    : m_config(std::move(config))
    , m_name(std::move(name))
{
    const Status valid = checkDecompositionConfig(m_config, QString::fromStdString(m_name));
    TORCH_CHECK(valid.isOk(), valid.isOk() ? "" : valid.error().reason.toStdString());
    const ModelSpec &spec = m_config.spec;
    const EncoderSize &size = m_config.encoder;
    const auto mechanism = [&](CorrelationRole role) {
        std::shared_ptr<CorrelationMechanism> made = factory(role);
        TORCH_CHECK(made, m_name, ": no correlation mechanism");
        return CorrelationLayer(CorrelationLayerOptions(size.dModel, size.numHeads), made);
    };

    m_decomposition = register_module("decomp", SeriesDecomposition(m_config.movingAvg));
    const auto embedding = DataEmbeddingOptions(spec.channels, size.dModel)
                               .markFeatures(m_config.useMarks ? spec.markFeatures : 0)
                               .positional(false)
                               .dropout(size.dropout);
    m_encoderEmbedding = register_module("enc_embedding", DataEmbedding(embedding));
    m_decoderEmbedding = register_module("dec_embedding", DataEmbedding(embedding));

    const auto layer = DecompositionLayerOptions(size.dModel, size.dFF)
                           .movingAvg(m_config.movingAvg)
                           .dropout(size.dropout)
                           .activation(m_config.activation);
    auto encoderLayers = register_module("encoder_layers", torch::nn::ModuleList());
    for (std::int64_t i = 0; i < size.numLayers; ++i) {
        m_encoderLayers.emplace_back(layer, mechanism(CorrelationRole::EncoderSelf));
        encoderLayers->push_back(m_encoderLayers.back());
    }
    m_encoderNorm = register_module("encoder_norm", SeasonalLayerNorm(size.dModel));
    auto decoderLayers = register_module("decoder_layers", torch::nn::ModuleList());
    for (std::int64_t i = 0; i < m_config.decoderLayers; ++i) {
        CorrelationLayer self = mechanism(CorrelationRole::DecoderSelf);
        CorrelationLayer cross = mechanism(CorrelationRole::DecoderCross);
        m_decoderLayers.emplace_back(layer, spec.channels, self, cross);
        decoderLayers->push_back(m_decoderLayers.back());
    }
    m_decoderNorm = register_module("decoder_norm", SeasonalLayerNorm(size.dModel));
    m_projection = register_module("projection", torch::nn::Linear(size.dModel, spec.channels));
}

namespace {

std::string layerPrefix(const char *part, std::size_t layer)
{
    return std::string(part) + std::to_string(layer);
}

void addPrefixed(std::vector<NamedTensor> &to, const std::string &prefix,
                 std::vector<NamedTensor> &from)
{
    for (NamedTensor &entry : from)
        to.push_back({prefix + entry.name, std::move(entry.value)});
}

} // namespace

std::vector<TokenInfo> DecompositionForecasterImpl::tokens() const
{
    return encoderStepTokens(m_config.spec.lookback);
}

std::vector<TokenInfo> DecompositionForecasterImpl::decoderTokens() const
{
    return decoderStepTokens(m_config.spec.lookback, m_config.labelLen, m_config.spec.horizon);
}

ModelOutput DecompositionForecasterImpl::forward(const torch::Tensor &input,
                                                 const ForwardOptions &options)
{
    const ModelSpec &spec = m_config.spec;
    TORCH_CHECK(input.dim() == 3 && input.size(1) == spec.lookback &&
                    input.size(2) == spec.channels,
                m_name, ": input must be [B, ", spec.lookback, ", ", spec.channels, "], got ",
                input.sizes());
    const bool readMarks = m_config.useMarks && spec.markFeatures > 0 &&
                           (options.historyMarks.defined() || options.futureMarks.defined());
    TORCH_CHECK(!readMarks || (options.historyMarks.defined() && options.futureMarks.defined()),
                m_name, ": give both historyMarks and futureMarks, or neither");
    const torch::Tensor historyMarks = readMarks ? options.historyMarks : torch::Tensor();
    const torch::Tensor futureMarks = readMarks ? options.futureMarks : torch::Tensor();
    const bool keep = options.captureIntermediates;
    const DecompositionRequest request{options.captureAttention, keep};

    ModelOutput out;
    if (keep) {
        out.intermediates.push_back({"input", input});
        addDecompositionStages(out.intermediates, "input_decomposition", m_decomposition(input));
    }
    const Decomposition decoderInput =
        decomposedDecoderInput(input, m_config.labelLen, spec.horizon, m_decomposition);
    if (keep)
        addDecompositionStages(out.intermediates, "decoder_input", decoderInput);

    torch::Tensor encoded = m_encoderEmbedding(input, historyMarks);
    if (keep)
        out.intermediates.push_back({"encoder_embedding", encoded});
    for (std::size_t i = 0; i < m_encoderLayers.size(); ++i) {
        DecompositionLayerOutput layer = m_encoderLayers[i]->forward(encoded, request);
        const std::string prefix = layerPrefix("encoder_layer_", i);
        addPrefixed(out.mechanisms, prefix + "/", layer.mechanisms);
        addPrefixed(out.intermediates, prefix + ".", layer.stages);
        encoded = layer.seasonal;
    }
    encoded = m_encoderNorm(encoded);
    if (keep)
        out.intermediates.push_back({"encoder_output", encoded});

    const torch::Tensor decoderMarksTensor =
        readMarks ? decoderMarks(historyMarks, futureMarks, m_config.labelLen) : torch::Tensor();
    torch::Tensor seasonal = m_decoderEmbedding(decoderInput.seasonal, decoderMarksTensor);
    torch::Tensor trend = decoderInput.trend;
    if (keep)
        out.intermediates.push_back({"decoder_embedding", seasonal});
    for (std::size_t i = 0; i < m_decoderLayers.size(); ++i) {
        DecompositionLayerOutput layer = m_decoderLayers[i]->forward(seasonal, encoded, request);
        const std::string prefix = layerPrefix("decoder_layer_", i);
        addPrefixed(out.mechanisms, prefix + "/", layer.mechanisms);
        addPrefixed(out.intermediates, prefix + ".", layer.stages);
        seasonal = layer.seasonal;
        trend = trend + layer.trend;
    }
    seasonal = m_projection(m_decoderNorm(seasonal.contiguous()));
    if (keep)
        addDecompositionStages(out.intermediates, "decoder_output", {seasonal, trend});

    out.prediction = (trend + seasonal).narrow(1, m_config.labelLen, spec.horizon);
    if (keep)
        out.intermediates.push_back({"output", out.prediction});
    return out;
}

} // namespace twb
