#include "CrossformerPlugin.h"

#include "Crossformer.h"
#include "nn/CreateModel.h"
#include "plugin/EncoderHyperparameters.h"

namespace twb {

QString CrossformerPlugin::description() const
{
    return QStringLiteral(
        "A Transformer that models dependencies across time and across variables. Each "
        "variable's series is cut into segments of seg_len steps and every segment becomes one "
        "token (a linear embedding plus a learned position per variable and segment). Each "
        "layer attends in two stages: across the segments of each variable, then across the "
        "variables of each segment through a few learned router tokens that gather from all "
        "variables and that every variable then reads, so the cost grows linearly with the "
        "number of variables. The encoder merges adjacent segments between layers to see "
        "coarser scales; a decoder layer per scale predicts the horizon segment by segment and "
        "the predictions of all scales are summed.");
}

QString CrossformerPlugin::paper() const
{
    return QStringLiteral("Y. Zhang, J. Yan: \"Crossformer: Transformer Utilizing "
                          "Cross-Dimension Dependency for Multivariate Time Series Forecasting\", "
                          "ICLR 2023.");
}

namespace {

const EncoderWording encoderWording{
    .token = "segment",
    .layer = "two-stage attention layer",
    .layersKey = "e_layers",
    .feedForward = "MLP",
    .dropoutHelp = "Dropout on the attention weights and after every attention and MLP "
                   "branch.",
    .maxDModel = 8192,
};

QString key(const char *name)
{
    return QString::fromLatin1(name);
}

} // namespace

HyperparameterSchema CrossformerPlugin::hyperparameters() const
{
    using Spec = HyperparameterSpec;
    return HyperparameterSchema::concat({
        encoderHyperparameters(CrossformerOptions::defaultEncoder, encoderWording),
        {
            Spec::integer(key("seg_len"), QStringLiteral("Segment length"), 12, 1, 4096,
                          QStringLiteral("Steps per segment token (the series is padded to a "
                                         "multiple), and forecast steps per decoder segment.")),
            Spec::integer(key("win_size"), QStringLiteral("Merge window"), 2, 1, 64,
                          QStringLiteral("Adjacent segments merged into one between encoder "
                                         "layers (1: no merging).")),
            Spec::integer(key("factor"), QStringLiteral("Routers"), 3, 1, 1024,
                          QStringLiteral("Router tokens per segment in the cross-dimension "
                                         "stage (the paper's c).")),
            Spec::choice(key("variant"), QStringLiteral("Reference code"),
                         {key("tslib"), key("authors")}, key("tslib"),
                         QStringLiteral("tslib: Time-Series-Library's (pad the end, sinusoidal "
                                        "segment encoding, embedding without bias, keep the "
                                        "last H forecast steps); authors: Thinklab-SJTU's (pad "
                                        "the front, embedding with bias, keep the first H).")),
        },
    });
}

Expected<std::shared_ptr<Model>> CrossformerPlugin::create(const ModelSpec &spec,
                                                           const HyperparameterValues &values) const
{
    CrossformerOptions options(spec);
    options.encoder(encoderSize(values, encoderWording))
        .segmentLength(values.integer(key("seg_len")))
        .mergeWindow(values.integer(key("win_size")))
        .factor(values.integer(key("factor")))
        .variant(values.text(key("variant")) == key("authors")
                     ? CrossformerVariant::Authors
                     : CrossformerVariant::TimeSeriesLibrary);
    return createValidatedModel<CrossformerImpl>(options, QStringLiteral("Crossformer"));
}

} // namespace twb
