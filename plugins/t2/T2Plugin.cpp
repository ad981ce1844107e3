#include "T2Plugin.h"

#include "T2.h"
#include "nn/CreateModel.h"

namespace twb {

QString T2Plugin::id() const
{
    return QStringLiteral("t2");
}

QString T2Plugin::displayName() const
{
    return QStringLiteral("t2");
}

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

QList<Task> T2Plugin::tasks() const
{
    return {Task::Classify};
}

HyperparameterSchema T2Plugin::hyperparameters() const
{
    using Spec = HyperparameterSpec;
    const auto s = [](const char *text) {
        return QString::fromLatin1(text);
    };
    return HyperparameterSchema({
        Spec::integer(s("d_model"), s("Model width"), 32, 1, 4096,
                      s("Size of each time-step token; must be divisible by the number of "
                        "heads.")),
        Spec::integer(s("n_heads"), s("Attention heads"), 4, 1, 256,
                      s("Number of attention heads per encoder block.")),
        Spec::integer(s("d_ff"), s("Feed-forward width"), 128, 1, 65536,
                      s("Hidden size of the ReLU feed-forward block of each encoder block.")),
        Spec::integer(s("num_layers"), s("Encoder blocks"), 1, 1, 64,
                      s("Number of Transformer encoder blocks.")),
        Spec::real(s("dropout"), s("Dropout"), 0.1, 0.0, 0.99,
                   s("Dropout after the embedding, inside the blocks and after pooling.")),
    });
}

Expected<std::shared_ptr<Model>> T2Plugin::create(const ModelSpec &spec,
                                                  const HyperparameterValues &values) const
{
    const auto key = [](const char *text) {
        return QString::fromLatin1(text);
    };
    T2Options options(spec);
    options.dModel(values.integer(key("d_model")))
        .numHeads(values.integer(key("n_heads")))
        .dFF(values.integer(key("d_ff")))
        .numLayers(values.integer(key("num_layers")))
        .dropout(values.real(key("dropout")));
    return createValidatedModel<T2Impl>(options, QStringLiteral("t2"));
}

} // namespace twb
