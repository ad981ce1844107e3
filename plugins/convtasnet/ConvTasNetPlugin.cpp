#include "ConvTasNetPlugin.h"

#include "ConvTasNet.h"
#include "nn/CreateModel.h"

namespace twb {

QString ConvTasNetPlugin::description() const
{
    return QStringLiteral(
        "A fully convolutional speech separator on the waveform: a learned encoder (a 1-D "
        "convolution with N basis signals of L samples, ReLU or linear) replaces the STFT; a "
        "temporal convolutional network of R repeats of X dilated depthwise-separable blocks "
        "sees 1 + R(P-1)(2^X-1) frames of context (0.25 s at the default size, 1.5 s at the "
        "paper's) and makes one sigmoid mask per source over the basis signals and "
        "frames; each masked encoding is turned back into a waveform by a transposed-convolution "
        "decoder. Trained with permutation-invariant SI-SNR. The explorer shows the learned "
        "basis and each source's mask over time.");
}

QString ConvTasNetPlugin::paper() const
{
    return QStringLiteral(
        "Y. Luo, N. Mesgarani: \"Conv-TasNet: Surpassing Ideal Time-Frequency Magnitude Masking "
        "for Speech Separation\", IEEE/ACM Transactions on Audio, Speech, and Language "
        "Processing 27(8), 1256-1266 (2019), arXiv:1809.07454.");
}

HyperparameterSchema ConvTasNetPlugin::hyperparameters() const
{
    using Spec = HyperparameterSpec;
    const ConvTasNetOptions d{ModelSpec{}};
    return HyperparameterSchema(std::vector<Spec>{
        Spec::integer(QStringLiteral("filters"), QStringLiteral("Basis signals (N)"), d.filters(),
                      1, 4096, QStringLiteral("Encoder filters; the paper's best model: 512.")),
        Spec::integer(QStringLiteral("kernel"), QStringLiteral("Basis length (L)"), d.kernel(), 2,
                      1024,
                      QStringLiteral("Samples per basis signal (even; frames hop L/2). 16 at "
                                     "8 kHz is 2 ms, the paper's.")),
        Spec::integer(QStringLiteral("bottleneck"), QStringLiteral("Bottleneck (B)"),
                      d.bottleneck(), 1, 4096,
                      QStringLiteral("Channels between the blocks; paper: 128.")),
        Spec::integer(QStringLiteral("hidden"), QStringLiteral("Block width (H)"), d.hidden(), 1,
                      8192, QStringLiteral("Channels inside each block; paper: 512.")),
        Spec::integer(QStringLiteral("skip"), QStringLiteral("Skip channels (Sc)"), d.skip(), 1,
                      4096, QStringLiteral("Channels of the skip paths; paper: 128.")),
        Spec::integer(QStringLiteral("conv_kernel"), QStringLiteral("Depthwise kernel (P)"),
                      d.convKernel(), 1, 31,
                      QStringLiteral("Kernel of the dilated depthwise convolutions; paper: 3.")),
        Spec::integer(QStringLiteral("blocks"), QStringLiteral("Blocks per repeat (X)"),
                      d.blocksPerRepeat(), 1, 16,
                      QStringLiteral("Dilations 1, 2, ..., 2^(X-1) in each repeat; paper: 8.")),
        Spec::integer(QStringLiteral("repeats"), QStringLiteral("Repeats (R)"), d.repeats(), 1, 16,
                      QStringLiteral("Stacks of X blocks; paper: 3.")),
        Spec::choice(QStringLiteral("encoder"), QStringLiteral("Encoder output"),
                     {QStringLiteral("relu"), QStringLiteral("linear")},
                     d.encoderRelu() ? QStringLiteral("relu") : QStringLiteral("linear"),
                     QStringLiteral("relu: a non-negative encoding (TasNet; every run before "
                                    "this choice existed). linear: no activation, as the "
                                    "authors' Conv-TasNet code and Asteroid.")),
    });
}

Expected<std::shared_ptr<Model>> ConvTasNetPlugin::create(const ModelSpec &spec,
                                                          const HyperparameterValues &values) const
{
    ConvTasNetOptions options(spec);
    options.filters(values.integer(QStringLiteral("filters")))
        .kernel(values.integer(QStringLiteral("kernel")))
        .bottleneck(values.integer(QStringLiteral("bottleneck")))
        .hidden(values.integer(QStringLiteral("hidden")))
        .skip(values.integer(QStringLiteral("skip")))
        .convKernel(values.integer(QStringLiteral("conv_kernel")))
        .blocksPerRepeat(values.integer(QStringLiteral("blocks")))
        .repeats(values.integer(QStringLiteral("repeats")))
        .encoderRelu(values.text(QStringLiteral("encoder")) != QLatin1String("linear"));
    return createValidatedModel<ConvTasNetImpl>(options, QStringLiteral("Conv-TasNet"));
}

} // namespace twb
