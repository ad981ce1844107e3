#include "ASTPlugin.h"

#include "AST.h"
#include "nn/CreateModel.h"

namespace twb {

QString ASTPlugin::description() const
{
    return QStringLiteral(
        "A Vision-Transformer for sounds. The clip's Kaldi-compatible fbank (or log-mel) "
        "spectrogram is cut into overlapping 16x16 tiles of frames x mel bins by a strided "
        "convolution; a classification and a distillation token are prepended, learned "
        "positions added, and pre-norm Transformer blocks let every tile attend to every "
        "other. The mean of the two special tokens gives the class scores, and the attention "
        "maps show which time-frequency regions the model listens to. Trained from scratch "
        "here: the paper's ImageNet/AudioSet initialisation is not available offline.");
}

QString ASTPlugin::paper() const
{
    return QStringLiteral("Y. Gong, Y.-A. Chung, J. Glass: \"AST: Audio Spectrogram "
                          "Transformer\", Interspeech 2021.");
}

HyperparameterSchema ASTPlugin::hyperparameters() const
{
    using Spec = HyperparameterSpec;
    const auto s = [](const char *text) {
        return QString::fromLatin1(text);
    };
    return HyperparameterSchema({
        Spec::integer(s("d_model"), s("Model width"), 96, 1, 4096,
                      s("Size of each tile token; must be divisible by the number of heads.")),
        Spec::integer(s("n_heads"), s("Attention heads"), 4, 1, 256,
                      s("Number of attention heads per block.")),
        Spec::integer(s("num_layers"), s("Blocks"), 4, 1, 64,
                      s("Number of pre-norm Transformer blocks.")),
        Spec::integer(s("mlp_ratio"), s("MLP ratio"), 4, 1, 16,
                      s("Hidden size of each block's MLP as a multiple of the model width.")),
        Spec::integer(s("patch_size"), s("Tile size"), 16, 2, 64,
                      s("Side of the square tiles of frames x mel bins.")),
        Spec::integer(s("fstride"), s("Frequency stride"), 10, 1, 64,
                      s("Step between tiles along the mel axis (smaller than the tile: "
                        "overlap).")),
        Spec::integer(s("tstride"), s("Time stride"), 10, 1, 64,
                      s("Step between tiles along the time axis.")),
        Spec::real(s("dropout"), s("Dropout"), 0.1, 0.0, 0.99,
                   s("Dropout after the positions and inside the blocks.")),
    });
}

Expected<std::shared_ptr<Model>> ASTPlugin::create(const ModelSpec &spec,
                                                   const HyperparameterValues &values) const
{
    const auto key = [](const char *text) {
        return QString::fromLatin1(text);
    };
    ASTOptions options(spec);
    options.dModel(values.integer(key("d_model")))
        .numHeads(values.integer(key("n_heads")))
        .numLayers(values.integer(key("num_layers")))
        .mlpRatio(values.integer(key("mlp_ratio")))
        .patchSize(values.integer(key("patch_size")))
        .frequencyStride(values.integer(key("fstride")))
        .timeStride(values.integer(key("tstride")))
        .dropout(values.real(key("dropout")));
    return createValidatedModel<ASTImpl>(options, QStringLiteral("AST"));
}

} // namespace twb
