#include "ITransformerPlugin.h"

#include "ITransformer.h"

namespace twb {

QString ITransformerPlugin::id() const
{
    return QStringLiteral("itransformer");
}

QString ITransformerPlugin::displayName() const
{
    return QStringLiteral("iTransformer");
}

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

QList<Task> ITransformerPlugin::tasks() const
{
    return {Task::Forecast};
}

HyperparameterSchema ITransformerPlugin::hyperparameters() const
{
    using Spec = HyperparameterSpec;
    const auto s = [](const char *text) {
        return QString::fromLatin1(text);
    };
    return HyperparameterSchema({
        Spec::integer(s("d_model"), s("Model width"), 512, 1, 8192,
                      s("Size of each variate token; must be divisible by the number of heads.")),
        Spec::integer(s("n_heads"), s("Attention heads"), 8, 1, 256,
                      s("Number of attention heads per encoder layer.")),
        Spec::integer(s("d_ff"), s("Feed-forward width"), 2048, 1, 65536,
                      s("Hidden size of the feed-forward block of each encoder layer.")),
        Spec::integer(s("e_layers"), s("Encoder layers"), 2, 1, 64,
                      s("Number of Transformer encoder layers.")),
        Spec::real(s("dropout"), s("Dropout"), 0.1, 0.0, 0.99,
                   s("Dropout after the embedding, on the attention weights and inside the "
                     "encoder layers.")),
        Spec::boolean(s("use_norm"), s("Normalise variates"), true,
                      s("Normalise each variate of each window by its mean and standard "
                        "deviation and undo it on the forecast.")),
    });
}

Expected<std::shared_ptr<Model>>
ITransformerPlugin::create(const ModelSpec &spec, const HyperparameterValues &values) const
{
    const auto key = [](const char *text) {
        return QString::fromLatin1(text);
    };
    ITransformerOptions options(spec);
    options.dModel(values.integer(key("d_model")))
        .numHeads(values.integer(key("n_heads")))
        .dFF(values.integer(key("d_ff")))
        .numLayers(values.integer(key("e_layers")))
        .dropout(values.real(key("dropout")))
        .useNorm(values.boolean(key("use_norm")));
    if (Status valid = options.validate(); !valid)
        return valid.error();
    try {
        return std::shared_ptr<Model>(std::make_shared<ITransformerImpl>(options));
    } catch (const std::exception &e) {
        return Error{QStringLiteral("iTransformer: cannot create the model: %1")
                         .arg(QString::fromUtf8(e.what())),
                     {},
                     0};
    }
}

} // namespace twb
