#include "TimesNetPlugin.h"

#include "TimesNet.h"
#include "nn/CreateModel.h"

namespace twb {

namespace {

QString key(const char *name)
{
    return QString::fromLatin1(name);
}

} // namespace

QString TimesNetPlugin::description() const
{
    return QStringLiteral(
        "A convolutional model that turns a series' 1-D variation into 2-D variation. Each "
        "TimesBlock finds the strongest frequencies of its input with an FFT, folds the series "
        "by each matching period into a 2-D table (one row per cycle, one column per phase), "
        "applies an Inception block of 2-D convolutions that sees changes within a cycle and "
        "across cycles at once, unfolds the results and averages them with weights from the "
        "frequencies' amplitudes. There is no attention: the forward-pass view shows each "
        "block's spectrum, the periods it chose, their weights and the folded tables.");
}

QString TimesNetPlugin::paper() const
{
    return QStringLiteral("H. Wu, T. Hu, Y. Liu, H. Zhou, J. Wang, M. Long: \"TimesNet: Temporal "
                          "2D-Variation Modeling for General Time Series Analysis\", ICLR 2023.");
}

HyperparameterSchema TimesNetPlugin::hyperparameters() const
{
    using Spec = HyperparameterSpec;
    return HyperparameterSchema({
        Spec::integer(key("d_model"), QStringLiteral("Model width"), 16, 1, 4096,
                      QStringLiteral("Channels of the embedding and of each TimesBlock's input "
                                     "and output (16 in the official ETT scripts).")),
        Spec::integer(key("d_ff"), QStringLiteral("Inception width"), 32, 1, 16384,
                      QStringLiteral("Channels between the two Inception blocks of a "
                                     "TimesBlock.")),
        Spec::integer(key("e_layers"), QStringLiteral("TimesBlocks"), 2, 1, 64,
                      QStringLiteral("Number of TimesBlocks, each followed by the shared "
                                     "LayerNorm.")),
        Spec::integer(key("top_k"), QStringLiteral("Periods per block"), 5, 1, 1024,
                      QStringLiteral("k: the strongest frequencies (FFT amplitude averaged over "
                                     "the batch and channels) whose periods each block folds "
                                     "the series by.")),
        Spec::integer(key("num_kernels"), QStringLiteral("Inception kernels"), 6, 1, 32,
                      QStringLiteral("2-D kernels of sizes 1, 3, ..., 2n-1 in each Inception "
                                     "block, their outputs averaged.")),
        Spec::real(key("dropout"), QStringLiteral("Dropout"), 0.1, 0.0, 0.99,
                   QStringLiteral("Dropout after the embedding (and before the classifier).")),
        Spec::choice(key("embed"), QStringLiteral("Calendar embedding"),
                     {key("timeF"), key("none")}, key("timeF"),
                     QStringLiteral("Forecasting: timeF adds a linear embedding of the calendar "
                                    "features of each input step when the data has dates; none "
                                    "ignores them. Classification never reads them.")),
    });
}

QVariantMap TimesNetPlugin::taskDefaults(Task task) const
{
    if (task != Task::Classify)
        return {};
    return {{key("top_k"), 3}};
}

Expected<std::shared_ptr<Model>> TimesNetPlugin::create(const ModelSpec &spec,
                                                        const HyperparameterValues &values) const
{
    TimesNetOptions options(spec);
    options.dModel(values.integer(key("d_model")))
        .dFF(values.integer(key("d_ff")))
        .numLayers(values.integer(key("e_layers")))
        .topK(values.integer(key("top_k")))
        .numKernels(values.integer(key("num_kernels")))
        .dropout(values.real(key("dropout")))
        .useMarks(values.text(key("embed")) != key("none"));
    return createValidatedModel<TimesNetImpl>(options, QStringLiteral("TimesNet"));
}

} // namespace twb
