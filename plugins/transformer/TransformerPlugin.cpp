#include "TransformerPlugin.h"

#include "VanillaTransformer.h"
#include "nn/CreateModel.h"
#include "plugin/EncoderHyperparameters.h"

namespace twb {

QString TransformerPlugin::description() const
{
    return QStringLiteral(
        "The original encoder-decoder Transformer applied to forecasting, as in "
        "Time-Series-Library. Every time step of the lookback window becomes one token: a "
        "convolution embeds the values, a linear layer the calendar features, and a sinusoidal "
        "table the position. The encoder's full self-attention relates every step to every "
        "other. The decoder starts from the last label_len known steps followed by zeros for "
        "the horizon, attends causally to itself and to the encoder's output, and predicts the "
        "whole horizon in one pass.");
}

QString TransformerPlugin::paper() const
{
    return QStringLiteral("A. Vaswani, N. Shazeer, N. Parmar, J. Uszkoreit, L. Jones, A. N. "
                          "Gomez, L. Kaiser, I. Polosukhin: \"Attention Is All You Need\", "
                          "NeurIPS 2017.");
}

namespace {

const EncoderWording encoderWording{
    .token = "time-step",
    .layersKey = "e_layers",
    .dropoutHelp = "Dropout after the embeddings, on the attention weights and inside every "
                   "encoder and decoder layer.",
    .maxDModel = 8192,
};

} // namespace

HyperparameterSchema TransformerPlugin::hyperparameters() const
{
    return HyperparameterSchema::concat({
        encoderHyperparameters(VanillaTransformerOptions::defaultEncoder, encoderWording),
        encoderDecoderHyperparameters(),
    });
}

Expected<std::shared_ptr<Model>> TransformerPlugin::create(const ModelSpec &spec,
                                                           const HyperparameterValues &values) const
{
    VanillaTransformerOptions options(spec);
    const EncoderDecoderSettings shared = encoderDecoderSettings(values);
    options.encoder(encoderSize(values, encoderWording))
        .decoderLayers(shared.decoderLayers)
        .labelLen(shared.labelLen)
        .activation(shared.reluActivation ? FeedForwardActivation::Relu
                                          : FeedForwardActivation::Gelu)
        .useMarks(shared.useMarks);
    return createValidatedModel<VanillaTransformerImpl>(options, QStringLiteral("Transformer"));
}

} // namespace twb
