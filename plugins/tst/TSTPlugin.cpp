#include "TSTPlugin.h"

#include "TST.h"
#include "nn/CreateModel.h"

namespace twb {

QString TSTPlugin::id() const
{
    return QStringLiteral("tst");
}

QString TSTPlugin::displayName() const
{
    return QStringLiteral("TST");
}

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

QList<Task> TSTPlugin::tasks() const
{
    return {Task::Classify};
}

HyperparameterSchema TSTPlugin::hyperparameters() const
{
    using Spec = HyperparameterSpec;
    const auto s = [](const char *text) {
        return QString::fromLatin1(text);
    };
    return HyperparameterSchema({
        Spec::integer(s("d_model"), s("Model width"), 64, 1, 4096,
                      s("Size of each time-step token; must be divisible by the number of "
                        "heads.")),
        Spec::integer(s("n_heads"), s("Attention heads"), 8, 1, 256,
                      s("Number of attention heads per encoder layer.")),
        Spec::integer(s("d_ff"), s("Feed-forward width"), 256, 1, 65536,
                      s("Hidden size of the feed-forward block of each encoder layer.")),
        Spec::integer(s("num_layers"), s("Encoder layers"), 3, 1, 64,
                      s("Number of Transformer encoder layers.")),
        Spec::real(s("dropout"), s("Dropout"), 0.1, 0.0, 0.99,
                   s("Dropout after the embedding, inside the encoder and before the "
                     "classifier.")),
        Spec::choice(s("norm"), s("Normalisation"), {s("batch"), s("layer")}, s("batch"),
                     s("BatchNorm (the paper's choice for time series) or LayerNorm in the "
                       "encoder layers.")),
        Spec::choice(s("positions"), s("Positions"), {s("learnable"), s("sinusoidal")},
                     s("learnable"), s("Learnable or fixed sinusoidal positional encoding.")),
    });
}

Expected<std::shared_ptr<Model>> TSTPlugin::create(const ModelSpec &spec,
                                                   const HyperparameterValues &values) const
{
    const auto key = [](const char *text) {
        return QString::fromLatin1(text);
    };
    TSTOptions options(spec);
    options.dModel(values.integer(key("d_model")))
        .numHeads(values.integer(key("n_heads")))
        .dFF(values.integer(key("d_ff")))
        .numLayers(values.integer(key("num_layers")))
        .dropout(values.real(key("dropout")))
        .norm(values.text(key("norm")) == key("layer") ? EncoderNorm::Layer : EncoderNorm::Batch)
        .learnablePositions(values.text(key("positions")) != key("sinusoidal"));
    return createValidatedModel<TSTImpl>(options, QStringLiteral("TST"));
}

} // namespace twb
