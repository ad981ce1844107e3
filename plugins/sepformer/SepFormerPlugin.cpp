#include "SepFormerPlugin.h"

#include "SepFormer.h"
#include "nn/CreateModel.h"

namespace twb {

QString SepFormerPlugin::description() const
{
    return QStringLiteral(
        "A transformer speech separator on the waveform, without recurrence or convolutional "
        "context: the learned encoder of Conv-TasNet, then the encoded frames are cut into "
        "chunks with 50 % overlap; each dual-path block runs an intra-chunk transformer over the "
        "frames of every chunk (short-term structure) and an inter-chunk transformer over the "
        "chunks at every position (long-term structure); a gated output makes one ReLU mask "
        "per source, and the decoder turns each masked encoding back into a waveform. Trained "
        "with permutation-invariant SI-SNR. The explorer shows both kinds of attention: within "
        "a chunk (frames) and across chunks (time ranges of the mixture).");
}

QString SepFormerPlugin::paper() const
{
    return QStringLiteral(
        "C. Subakan, M. Ravanelli, S. Cornell, M. Bronzi, J. Zhong: \"Attention is All You Need "
        "in Speech Separation\", ICASSP 2021, 21-25, arXiv:2010.13154.");
}

HyperparameterSchema SepFormerPlugin::hyperparameters() const
{
    using Spec = HyperparameterSpec;
    const SepFormerOptions d{ModelSpec{}};
    return HyperparameterSchema(std::vector<Spec>{
        Spec::integer(QStringLiteral("filters"), QStringLiteral("Basis signals (N)"), d.filters(),
                      1, 4096,
                      QStringLiteral("Encoder filters, also the transformers' width; paper: "
                                     "256.")),
        Spec::integer(QStringLiteral("kernel"), QStringLiteral("Basis length (L)"), d.kernel(), 2,
                      1024,
                      QStringLiteral("Samples per basis signal (even; hop L/2); paper: "
                                     "16.")),
        Spec::integer(QStringLiteral("chunk"), QStringLiteral("Chunk (frames)"), d.chunk(), 2, 4096,
                      QStringLiteral("Frames per chunk, even; chunks overlap by half; paper: "
                                     "250.")),
        Spec::integer(QStringLiteral("blocks"), QStringLiteral("Dual-path blocks"), d.blocks(), 1,
                      16, QStringLiteral("Intra + inter pairs; paper: 2.")),
        Spec::integer(QStringLiteral("intra_layers"), QStringLiteral("Intra layers"),
                      d.intraLayers(), 1, 32,
                      QStringLiteral("Transformer layers within chunks per block; paper: 8.")),
        Spec::integer(QStringLiteral("inter_layers"), QStringLiteral("Inter layers"),
                      d.interLayers(), 1, 32,
                      QStringLiteral("Transformer layers across chunks per block; paper: 8.")),
        Spec::integer(QStringLiteral("n_heads"), QStringLiteral("Heads"), d.heads(), 1, 64,
                      QStringLiteral("Attention heads; paper: 8.")),
        Spec::integer(QStringLiteral("d_ff"), QStringLiteral("Feed-forward width"), d.dFF(), 1,
                      65536,
                      QStringLiteral("Hidden size of each feed-forward block; paper: "
                                     "1024.")),
        Spec::real(QStringLiteral("dropout"), QStringLiteral("Dropout"), d.dropout(), 0.0, 0.99,
                   QStringLiteral("In the transformers; paper: 0.")),
    });
}

Expected<std::shared_ptr<Model>> SepFormerPlugin::create(const ModelSpec &spec,
                                                         const HyperparameterValues &values) const
{
    SepFormerOptions options(spec);
    options.filters(values.integer(QStringLiteral("filters")))
        .kernel(values.integer(QStringLiteral("kernel")))
        .chunk(values.integer(QStringLiteral("chunk")))
        .blocks(values.integer(QStringLiteral("blocks")))
        .intraLayers(values.integer(QStringLiteral("intra_layers")))
        .interLayers(values.integer(QStringLiteral("inter_layers")))
        .heads(values.integer(QStringLiteral("n_heads")))
        .dFF(values.integer(QStringLiteral("d_ff")))
        .dropout(values.real(QStringLiteral("dropout")));
    return createValidatedModel<SepFormerImpl>(options, QStringLiteral("SepFormer"));
}

} // namespace twb
