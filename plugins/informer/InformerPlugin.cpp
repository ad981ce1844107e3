#include "InformerPlugin.h"

#include "Informer.h"
#include "nn/CreateModel.h"
#include "plugin/EncoderHyperparameters.h"

namespace twb {

QString InformerPlugin::description() const
{
    return QStringLiteral(
        "An encoder-decoder Transformer for long sequence forecasting. Each time step becomes "
        "one token (value convolution, calendar features and position). ProbSparse "
        "self-attention lets only the few queries whose attention is most peaked, measured on a "
        "random sample of keys, attend to every key; the others take the mean of the values. "
        "Between encoder layers a convolution and max-pooling distil the sequence to half its "
        "length. The decoder starts from the last label_len known steps followed by zeros, "
        "attends causally to itself and to the encoder, and predicts the horizon in one pass.");
}

QString InformerPlugin::paper() const
{
    return QStringLiteral("H. Zhou, S. Zhang, J. Peng, S. Zhang, J. Li, H. Xiong, W. Zhang: "
                          "\"Informer: Beyond Efficient Transformer for Long Sequence "
                          "Time-Series Forecasting\", AAAI 2021.");
}

namespace {

const EncoderWording encoderWording{
    .token = "time-step",
    .layersKey = "e_layers",
    .dropoutHelp = "Dropout after the embeddings, on the weights of full attention and inside "
                   "every encoder and decoder layer.",
    .maxDModel = 8192,
};

QString key(const char *name)
{
    return QString::fromLatin1(name);
}

} // namespace

HyperparameterSchema InformerPlugin::hyperparameters() const
{
    using Spec = HyperparameterSpec;
    return HyperparameterSchema::concat({
        encoderHyperparameters(InformerOptions::defaultEncoder, encoderWording),
        encoderDecoderHyperparameters(),
        {
            Spec::integer(key("factor"), QStringLiteral("ProbSparse factor"), 3, 1, 100,
                          QStringLiteral("c: each query samples c * ceil(ln L) keys and the "
                                         "c * ceil(ln L) most peaked queries get full "
                                         "attention.")),
            Spec::boolean(key("distil"), QStringLiteral("Distilling"), true,
                          QStringLiteral("Halve the encoder's tokens between layers with a "
                                         "convolution and max-pooling.")),
            Spec::choice(key("variant"), QStringLiteral("Reference code"),
                         {key("informer2020"), key("tslib")}, key("informer2020"),
                         QStringLiteral("informer2020: the authors' code (full "
                                        "cross-attention, tokens halved exactly); tslib: "
                                        "Time-Series-Library's (ProbSparse cross-attention, "
                                        "heads mixed across steps, 96 -> 49 tokens).")),
        },
    });
}

Expected<std::shared_ptr<Model>> InformerPlugin::create(const ModelSpec &spec,
                                                        const HyperparameterValues &values) const
{
    InformerOptions options(spec);
    const EncoderDecoderSettings shared = encoderDecoderSettings(values);
    options.encoder(encoderSize(values, encoderWording))
        .decoderLayers(shared.decoderLayers)
        .labelLen(shared.labelLen)
        .factor(values.integer(key("factor")))
        .distil(values.boolean(key("distil")))
        .activation(shared.reluActivation ? FeedForwardActivation::Relu
                                          : FeedForwardActivation::Gelu)
        .useMarks(shared.useMarks)
        .variant(values.text(key("variant")) == key("tslib") ? InformerVariant::TimeSeriesLibrary
                                                             : InformerVariant::Informer2020);
    return createValidatedModel<InformerImpl>(options, QStringLiteral("Informer"));
}

} // namespace twb
