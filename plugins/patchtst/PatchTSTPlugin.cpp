#include "PatchTSTPlugin.h"

#include "PatchTST.h"
#include "nn/CreateModel.h"
#include "plugin/EncoderHyperparameters.h"

namespace twb {

QString PatchTSTPlugin::description() const
{
    return QStringLiteral(
        "A channel-independent Transformer for long-term forecasting. Each channel is "
        "normalised per instance (RevIN), cut into overlapping patches of patch_len samples "
        "every stride samples, and every patch becomes one token through a linear embedding "
        "shared by all channels, plus a positional embedding. A post-norm Transformer encoder "
        "(BatchNorm) attends patch to patch within each channel, and a flatten head maps all "
        "patch tokens of a channel to the horizon. The attention maps show which parts of the "
        "lookback window each patch draws on.");
}

QString PatchTSTPlugin::paper() const
{
    return QStringLiteral("Y. Nie, N. H. Nguyen, P. Sinthong, J. Kalagnanam: \"A Time Series is "
                          "Worth 64 Words: Long-term Forecasting with Transformers\", ICLR 2023.");
}

namespace {

const EncoderWording encoderWording{
    .token = "patch",
    .layersKey = "e_layers",
    .dropoutHelp = "Dropout after the positional embedding and inside the encoder layers.",
};

} // namespace

HyperparameterSchema PatchTSTPlugin::hyperparameters() const
{
    using Spec = HyperparameterSpec;
    const auto s = [](const char *text) {
        return QString::fromLatin1(text);
    };
    return HyperparameterSchema::concat({
        {
            Spec::integer(s("patch_len"), s("Patch length"), 16, 1, 4096,
                          s("Samples per patch (P); the lookback must be at least this long.")),
            Spec::integer(s("stride"), s("Stride"), 8, 1, 4096,
                          s("Samples between the starts of consecutive patches (S).")),
        },
        encoderHyperparameters(PatchTSTOptions::defaultEncoder, encoderWording),
        {
            Spec::real(s("attn_dropout"), s("Attention dropout"), 0.0, 0.0, 0.99,
                       s("Dropout on the attention weights.")),
            Spec::real(s("fc_dropout"), s("FC dropout"), 0.3, 0.0, 0.99,
                       s("Dropout before the pretraining head (task pretrain); unused by the "
                         "flatten head of the forecaster.")),
            Spec::real(s("mask_ratio"), s("Mask ratio"), 0.4, 0.01, 0.99,
                       s("Pretraining (task pretrain): the share of each channel's patches hidden "
                         "and reconstructed (the paper's 40 %); pretraining uses "
                         "non-overlapping patches, patch_len = stride = 12 unless set.")),
            Spec::real(s("head_dropout"), s("Head dropout"), 0.0, 0.0, 0.99,
                       s("Dropout after the flatten head.")),
            Spec::boolean(s("revin"), s("RevIN"), true,
                          s("Normalise each channel of each window by its own mean and standard "
                            "deviation and undo it on the forecast.")),
            Spec::boolean(s("affine"), s("RevIN affine"), false,
                          s("Learn a per-channel scale and shift inside RevIN.")),
            Spec::boolean(s("subtract_last"), s("Subtract last value"), false,
                          s("Centre each window on its last value instead of its mean (RevIN).")),
            Spec::boolean(s("residual_attention"), s("Residual attention"), false,
                          s("Add each layer's pre-softmax attention scores to the next layer's, as "
                            "the official code does (the paper does not mention it).")),
            Spec::choice(s("norm"), s("Normalisation"), {s("batch"), s("layer")}, s("batch"),
                         s("Normalisation in the encoder layers: BatchNorm over the model width "
                           "(paper) or LayerNorm.")),
            Spec::choice(s("pe"), s("Positional encoding"), {s("learnable"), s("sinusoidal")},
                         s("learnable"),
                         s("Learnable positional embedding initialised U(-0.02, 0.02), or a fixed "
                           "sinusoidal table.")),
        },
    });
}

QVariantMap PatchTSTPlugin::taskDefaults(Task task) const
{
    if (task != Task::Reconstruct)
        return {};
    // The self-supervised PatchTST: non-overlapping patches of 12 (Nie et al., section 4.2).
    return {{QStringLiteral("patch_len"), 12}, {QStringLiteral("stride"), 12}};
}

Expected<std::shared_ptr<Model>> PatchTSTPlugin::create(const ModelSpec &spec,
                                                        const HyperparameterValues &values) const
{
    const auto key = [](const char *text) {
        return QString::fromLatin1(text);
    };
    PatchTSTOptions options(spec);
    options.encoder(encoderSize(values, encoderWording))
        .patchLength(values.integer(key("patch_len")))
        .stride(values.integer(key("stride")))
        .attentionDropout(values.real(key("attn_dropout")))
        .fcDropout(values.real(key("fc_dropout")))
        .maskRatio(values.real(key("mask_ratio")))
        .headDropout(values.real(key("head_dropout")))
        .revin(values.boolean(key("revin")))
        .affine(values.boolean(key("affine")))
        .subtractLast(values.boolean(key("subtract_last")))
        .residualAttention(values.boolean(key("residual_attention")))
        .norm(values.text(key("norm")) == key("layer") ? EncoderNorm::Layer : EncoderNorm::Batch)
        .positionalEncoding(values.text(key("pe")) == key("sinusoidal")
                                ? PositionalEncodingKind::Sinusoidal
                                : PositionalEncodingKind::Learnable);
    return createValidatedModel<PatchTSTImpl>(options, QStringLiteral("PatchTST"));
}

} // namespace twb
