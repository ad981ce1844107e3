#include "DtwPlugin.h"

#include "DtwClassifier.h"
#include "nn/CreateModel.h"

namespace twb {

QString DtwPlugin::description() const
{
    return QStringLiteral(
        "The classic baseline of series classification: a case takes the label of the training "
        "case nearest to it under dynamic time warping, which lets two series match even when "
        "their features are shifted or stretched in time, within a band (the Sakoe-Chiba "
        "window) around the diagonal. The window is learned by leave-one-out accuracy on the "
        "training cases, as the UCR archive's reference results do. Epochs, batches and the "
        "learning rate do not apply: the run fits once on the training part (to measure the "
        "validation loss), then on training and validation together. The scores are the "
        "negative distances to the nearest case of each class. The forward-pass view shows the "
        "warping path to the nearest case and the window search.");
}

QString DtwPlugin::paper() const
{
    return QStringLiteral("H. Sakoe, S. Chiba: \"Dynamic programming algorithm optimization for "
                          "spoken word recognition\", IEEE Trans. ASSP 1978; H. A. Dau et al.: "
                          "\"The UCR Time Series Archive\", IEEE/CAA JAS 2019.");
}

HyperparameterSchema DtwPlugin::hyperparameters() const
{
    using Spec = HyperparameterSpec;
    const DtwOptions defaults{ModelSpec{}};
    return HyperparameterSchema({
        Spec::real(QStringLiteral("window_percent"), QStringLiteral("Window (% of length)"),
                   defaults.windowPercent(), -1.0, 100.0,
                   QStringLiteral("Half-width of the warping band in percent of the series "
                                  "length; -1 learns it by leave-one-out on the training "
                                  "cases (0 is the Euclidean distance).")),
        Spec::real(QStringLiteral("max_window_percent"), QStringLiteral("Largest window tried"),
                   defaults.maxWindowPercent(), 0.0, 100.0,
                   QStringLiteral("A learned window is searched among 0, 1, … this many "
                                  "percent (the search costs about N² DTW distances per "
                                  "window).")),
    });
}

Expected<std::shared_ptr<Model>> DtwPlugin::create(const ModelSpec &spec,
                                                   const HyperparameterValues &values) const
{
    DtwOptions options(spec);
    options.windowPercent(values.real(QStringLiteral("window_percent")))
        .maxWindowPercent(values.real(QStringLiteral("max_window_percent")));
    return createValidatedModel<DtwClassifierImpl>(options, QStringLiteral("DTW"));
}

} // namespace twb
