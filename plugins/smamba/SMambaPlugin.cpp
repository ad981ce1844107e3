#include "SMambaPlugin.h"

#include "SMamba.h"
#include "nn/CreateModel.h"

namespace twb {

QString SMambaPlugin::description() const
{
    return QStringLiteral(
        "A selective state-space model for multivariate forecasting: as in iTransformer, every "
        "variate (and every calendar feature, when the data has dates) becomes one token, "
        "embedded whole by a linear layer. Instead of attention, each encoder layer runs a Mamba "
        "block over the tokens in both directions and adds the two, followed by a feed-forward "
        "block; a linear head maps each variate token to its forecast. The attention view shows "
        "the implicit token-to-token weights of the selective scans (the channel mean of their "
        "magnitude, each row normalised to sum to one).");
}

QString SMambaPlugin::paper() const
{
    return QStringLiteral(
        "Z. Wang, F. Kong, S. Feng, M. Wang, X. Yang, H. Zhao, D. Wang, Y. Zhang: "
        "\"Is Mamba Effective for Time Series Forecasting?\", Neurocomputing "
        "129178 (2024), arXiv:2403.11144.");
}

HyperparameterSchema SMambaPlugin::hyperparameters() const
{
    using Spec = HyperparameterSpec;
    const SMambaOptions defaults{ModelSpec{}};
    return HyperparameterSchema(std::vector<Spec>{
        Spec::integer(QStringLiteral("d_model"), QStringLiteral("Model width"), defaults.dModel(),
                      1, 8192, QStringLiteral("Size of each variate token.")),
        Spec::integer(QStringLiteral("d_ff"), QStringLiteral("Feed-forward width"), defaults.dFF(),
                      1, 65536,
                      QStringLiteral("Hidden size of the feed-forward block of each layer.")),
        Spec::integer(QStringLiteral("d_state"), QStringLiteral("SSM state size"),
                      defaults.dState(), 1, 256,
                      QStringLiteral("State dimension N of each selective scan channel.")),
        Spec::integer(QStringLiteral("d_conv"), QStringLiteral("Convolution width"),
                      defaults.dConv(), 1, 16,
                      QStringLiteral("Width of the causal depthwise convolution over the tokens "
                                     "inside each Mamba block.")),
        Spec::integer(QStringLiteral("expand"), QStringLiteral("Expansion"), defaults.expand(), 1,
                      8, QStringLiteral("Inner width of each Mamba block = expand x d_model.")),
        Spec::integer(QStringLiteral("e_layers"), QStringLiteral("Encoder layers"),
                      defaults.numLayers(), 1, 64,
                      QStringLiteral("Number of bidirectional Mamba encoder layers.")),
        Spec::real(QStringLiteral("dropout"), QStringLiteral("Dropout"), defaults.dropout(), 0.0,
                   0.99,
                   QStringLiteral("Dropout after the embedding and inside the feed-forward "
                                  "blocks.")),
        Spec::choice(QStringLiteral("activation"), QStringLiteral("Activation"),
                     {QStringLiteral("gelu"), QStringLiteral("relu")}, QStringLiteral("gelu"),
                     QStringLiteral("Activation of the feed-forward blocks.")),
        Spec::boolean(QStringLiteral("use_norm"), QStringLiteral("Normalise variates"),
                      defaults.useNorm(),
                      QStringLiteral("Normalise each variate of each window by its mean and "
                                     "standard deviation and undo it on the forecast.")),
        Spec::choice(QStringLiteral("embed"), QStringLiteral("Calendar tokens"),
                     {QStringLiteral("timeF"), QStringLiteral("none")}, QStringLiteral("timeF"),
                     QStringLiteral("timeF: when the data has dates, embed each calendar feature "
                                    "(hour of day, day of week ...) of the lookback as one more "
                                    "token; none: never read them.")),
    });
}

Expected<std::shared_ptr<Model>> SMambaPlugin::create(const ModelSpec &spec,
                                                      const HyperparameterValues &values) const
{
    SMambaOptions options(spec);
    options.dModel(values.integer(QStringLiteral("d_model")))
        .dFF(values.integer(QStringLiteral("d_ff")))
        .dState(values.integer(QStringLiteral("d_state")))
        .dConv(values.integer(QStringLiteral("d_conv")))
        .expand(values.integer(QStringLiteral("expand")))
        .numLayers(values.integer(QStringLiteral("e_layers")))
        .dropout(values.real(QStringLiteral("dropout")))
        .activation(values.text(QStringLiteral("activation")) == QLatin1String("relu")
                        ? FeedForwardActivation::Relu
                        : FeedForwardActivation::Gelu)
        .useNorm(values.boolean(QStringLiteral("use_norm")))
        .useMarks(values.text(QStringLiteral("embed")) == QLatin1String("timeF"));
    return createValidatedModel<SMambaImpl>(options, QStringLiteral("S-Mamba"));
}

} // namespace twb
