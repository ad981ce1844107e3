#include "ITransformerPlugin.h"

#include "ITransformer.h"
#include "nn/CreateModel.h"
#include "plugin/EncoderHyperparameters.h"

namespace twb {

QString ITransformerPlugin::description() const
{
    return QStringLiteral(
        "An inverted Transformer for multivariate forecasting: instead of one token per time "
        "step, every variate becomes one token. Each channel of the lookback window is "
        "normalised, embedded whole by a linear layer, and a post-LayerNorm Transformer encoder "
        "lets the variates attend to each other, so the attention maps show which channels "
        "inform which. A feed-forward block per token learns the series representation, and a "
        "linear projection maps each variate token to its forecast.");
}

QString ITransformerPlugin::paper() const
{
    return QStringLiteral("Y. Liu, T. Hu, H. Zhang, H. Wu, S. Wang, L. Ma, M. Long: "
                          "\"iTransformer: Inverted Transformers Are Effective for Time Series "
                          "Forecasting\", ICLR 2024.");
}

namespace {

const EncoderWording encoderWording{
    .token = "variate",
    .layersKey = "e_layers",
    .dropoutHelp = "Dropout after the embedding, on the attention weights and inside the encoder "
                   "layers.",
    .maxDModel = 8192,
};

} // namespace

HyperparameterSchema ITransformerPlugin::hyperparameters() const
{
    return HyperparameterSchema::concat({
        encoderHyperparameters(ITransformerOptions::defaultEncoder, encoderWording),
        {
            HyperparameterSpec::boolean(
                QStringLiteral("use_norm"), QStringLiteral("Normalise variates"), true,
                QStringLiteral("Normalise each variate of each window by its mean and standard "
                               "deviation and undo it on the forecast.")),
        },
    });
}

Expected<std::shared_ptr<Model>>
ITransformerPlugin::create(const ModelSpec &spec, const HyperparameterValues &values) const
{
    ITransformerOptions options(spec);
    options.encoder(encoderSize(values, encoderWording))
        .useNorm(values.boolean(QStringLiteral("use_norm")));
    return createValidatedModel<ITransformerImpl>(options, QStringLiteral("iTransformer"));
}

} // namespace twb
