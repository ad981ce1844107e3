#include "T2Plugin.h"

#include "T2.h"
#include "nn/CreateModel.h"
#include "plugin/EncoderHyperparameters.h"

namespace twb {

QString T2Plugin::description() const
{
    return QStringLiteral(
        "A compact Transformer encoder for classifying sequences, after the t2 model for "
        "astronomical transients. A 1x1 convolution with ReLU embeds the channels of each time "
        "step, sinusoidal positions are added, post-LayerNorm encoder blocks with a ReLU "
        "feed-forward mix the steps, and global average pooling over time feeds a linear "
        "classifier. Pooling makes it cheaper than TST on long series and lets the attention "
        "maps show which moments matter.");
}

QString T2Plugin::paper() const
{
    return QStringLiteral("T. Allam Jr., J. D. McEwen: \"Paying Attention to Astronomical "
                          "Transients: Introducing the Time-series Transformer for Photometric "
                          "Classification\", RAS Techniques and Instruments, 2024 "
                          "(arXiv:2105.06178).");
}

namespace {

const EncoderWording encoderWording{
    .token = "time-step",
    .layer = "encoder block",
    .feedForward = "ReLU feed-forward block",
    .dropoutHelp = "Dropout after the embedding, inside the blocks and after pooling.",
};

} // namespace

HyperparameterSchema T2Plugin::hyperparameters() const
{
    return HyperparameterSchema(encoderHyperparameters(T2Options::defaultEncoder, encoderWording));
}

Expected<std::shared_ptr<Model>> T2Plugin::create(const ModelSpec &spec,
                                                  const HyperparameterValues &values) const
{
    T2Options options(spec);
    options.encoder(encoderSize(values, encoderWording));
    return createValidatedModel<T2Impl>(options, QStringLiteral("t2"));
}

} // namespace twb
