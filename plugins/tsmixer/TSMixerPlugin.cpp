#include "TSMixerPlugin.h"

#include "TSMixer.h"
#include "nn/CreateModel.h"

namespace twb {

QString TSMixerPlugin::description() const
{
    return QStringLiteral(
        "An all-MLP forecaster without attention: every block mixes along time with a linear "
        "map shared by all variables, then along the variables with a small MLP shared by all "
        "time steps, each with a residual connection and normalisation; a last linear map goes "
        "from the lookback to the horizon. The paper wraps it in reversible instance "
        "normalisation. What it computes instead of attention is readable directly: each "
        "block's time-mixing weights form a matrix of output step against input step, shown "
        "in the forward-pass view.");
}

QString TSMixerPlugin::paper() const
{
    return QStringLiteral("S.-A. Chen, C.-L. Li, N. Yoder, S. O. Arik, T. Pfister: \"TSMixer: An "
                          "All-MLP Architecture for Time Series Forecasting\", TMLR 2023.");
}

HyperparameterSchema TSMixerPlugin::hyperparameters() const
{
    using Spec = HyperparameterSpec;
    const TSMixerOptions defaults{ModelSpec{}};
    return HyperparameterSchema({
        Spec::choice(QStringLiteral("variant"), QStringLiteral("Variant"),
                     {QStringLiteral("paper"), QStringLiteral("library")}, QStringLiteral("paper"),
                     QStringLiteral("paper: one linear time-mixing layer with normalisation and "
                                    "RevIN as chosen below; library: Time-Series-Library's "
                                    "version (a two-layer time MLP of width ff_dim, ReLU, no "
                                    "normalisation, no RevIN: 'norm', 'activation' and 'revin' "
                                    "are then ignored).")),
        Spec::integer(QStringLiteral("e_layers"), QStringLiteral("Mixer blocks"),
                      int(defaults.numBlocks()), 1, 64,
                      QStringLiteral("Number of time-mixing + feature-mixing blocks.")),
        Spec::integer(QStringLiteral("ff_dim"), QStringLiteral("MLP width"), int(defaults.hidden()),
                      1, 16384,
                      QStringLiteral("Hidden width of the feature-mixing MLP (and of the "
                                     "library variant's time MLP).")),
        Spec::real(QStringLiteral("dropout"), QStringLiteral("Dropout"), defaults.dropout(), 0.0,
                   0.99,
                   QStringLiteral("Dropout after each mixing MLP (the paper tunes it up to 0.9 "
                                  "on ETTh1).")),
        Spec::choice(QStringLiteral("norm"), QStringLiteral("Normalisation"),
                     {QStringLiteral("batch"), QStringLiteral("layer"), QStringLiteral("none")},
                     QStringLiteral("batch"),
                     QStringLiteral("Before each MLP: batch normalisation over the [time, "
                                    "variable] positions (the paper's default), layer "
                                    "normalisation over each window, or none.")),
        Spec::choice(QStringLiteral("activation"), QStringLiteral("Activation"),
                     {QStringLiteral("relu"), QStringLiteral("gelu")}, QStringLiteral("relu"),
                     QStringLiteral("Activation of the mixing MLPs.")),
        Spec::boolean(QStringLiteral("revin"), QStringLiteral("RevIN"), defaults.revin(),
                      QStringLiteral("Normalise each variable of each window (with learned scale "
                                     "and shift) and undo it on the forecast.")),
    });
}

namespace {

MixerNorm normFrom(const QString &text)
{
    if (text == QLatin1String("layer"))
        return MixerNorm::Layer;
    if (text == QLatin1String("none"))
        return MixerNorm::None;
    return MixerNorm::Batch;
}

} // namespace

Expected<std::shared_ptr<Model>> TSMixerPlugin::create(const ModelSpec &spec,
                                                       const HyperparameterValues &values) const
{
    TSMixerOptions options(spec);
    options.numBlocks(values.integer(QStringLiteral("e_layers")))
        .hidden(values.integer(QStringLiteral("ff_dim")))
        .dropout(values.real(QStringLiteral("dropout")));
    if (values.text(QStringLiteral("variant")) == QLatin1String("library")) {
        options.timeMixing(TimeMixing::TwoLayers).norm(MixerNorm::None).revin(false);
    } else {
        options.timeMixing(TimeMixing::Single)
            .norm(normFrom(values.text(QStringLiteral("norm"))))
            .gelu(values.text(QStringLiteral("activation")) == QLatin1String("gelu"))
            .revin(values.boolean(QStringLiteral("revin")));
    }
    return createValidatedModel<TSMixerImpl>(options, QStringLiteral("TSMixer"));
}

} // namespace twb
