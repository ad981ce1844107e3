#include "TSTPlugin.h"

#include "TST.h"
#include "nn/CreateModel.h"
#include "plugin/EncoderHyperparameters.h"

namespace twb {

QString TSTPlugin::description() const
{
    return QStringLiteral(
        "A Transformer encoder for multivariate time-series classification. Every time step "
        "becomes one token: its channels are projected linearly to the model width, learnable "
        "(or sinusoidal) positions are added, and a post-norm encoder with BatchNorm lets the "
        "steps attend to each other. The outputs of all steps are concatenated and a linear "
        "layer gives the class scores, so the attention maps show which moments of the series "
        "the model compares.");
}

QString TSTPlugin::paper() const
{
    return QStringLiteral("G. Zerveas, S. Jayaraman, D. Patel, A. Bhamidipaty, C. Eickhoff: "
                          "\"A Transformer-based Framework for Multivariate Time Series "
                          "Representation Learning\", KDD 2021.");
}

namespace {

const EncoderWording encoderWording{
    .token = "time-step",
    .dropoutHelp = "Dropout after the embedding, inside the encoder and before the classifier.",
};

} // namespace

HyperparameterSchema TSTPlugin::hyperparameters() const
{
    using Spec = HyperparameterSpec;
    const auto s = [](const char *text) {
        return QString::fromLatin1(text);
    };
    return HyperparameterSchema::concat({
        encoderHyperparameters(TSTOptions::defaultEncoder, encoderWording),
        {
            Spec::choice(s("norm"), s("Normalisation"), {s("batch"), s("layer")}, s("batch"),
                         s("BatchNorm (the paper's choice for time series) or LayerNorm in the "
                           "encoder layers.")),
            Spec::choice(s("positions"), s("Positions"), {s("learnable"), s("sinusoidal")},
                         s("learnable"), s("Learnable or fixed sinusoidal positional encoding.")),
            Spec::real(s("mask_ratio"), s("Mask ratio"), 0.15, 0.01, 0.99,
                       s("Pretraining (task pretrain): the share of each channel's values hidden "
                         "and reconstructed (the paper's 15 %).")),
            Spec::real(s("mask_span"), s("Mean masked span"), 3.0, 1.0, 1000.0,
                       s("Pretraining: hidden values come in spans of geometric length with this "
                         "mean (steps).")),
        },
    });
}

Expected<std::shared_ptr<Model>> TSTPlugin::create(const ModelSpec &spec,
                                                   const HyperparameterValues &values) const
{
    const auto key = [](const char *text) {
        return QString::fromLatin1(text);
    };
    TSTOptions options(spec);
    options.encoder(encoderSize(values, encoderWording))
        .norm(values.text(key("norm")) == key("layer") ? EncoderNorm::Layer : EncoderNorm::Batch)
        .learnablePositions(values.text(key("positions")) != key("sinusoidal"))
        .maskRatio(values.real(key("mask_ratio")))
        .meanSpan(values.real(key("mask_span")));
    return createValidatedModel<TSTImpl>(options, QStringLiteral("TST"));
}

} // namespace twb
