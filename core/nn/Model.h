#pragma once

#include "MaskingScheme.h"
#include "common/ModelSpec.h"
#include "common/TokenInfo.h"

#include <torch/torch.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace twb {

/// What a caller asks of one forward pass. Capturing costs nothing when off.
struct ForwardOptions
{
    ForwardOptions(bool attention = false, bool intermediates = false, torch::Tensor mask = {})
        : captureAttention(attention)
        , captureIntermediates(intermediates)
        , stepMask(std::move(mask))
    {}

    bool captureAttention = false;     ///< fill ModelOutput::attention
    bool captureIntermediates = false; ///< fill ModelOutput::intermediates (teaching view)
    /// Classification of unequal lengths: [batch, time] bool, true = a real step, false = a
    /// padded one (cases are padded at their end). Models that read it keep padded steps out of
    /// attention and pooling, so that what is padded does not change the prediction. Undefined:
    /// every step is real.
    torch::Tensor stepMask;
    /// Forecast with dates: the calendar features of the input's steps [batch, lookback,
    /// spec.markFeatures] and of the forecast's steps [batch, horizon, spec.markFeatures],
    /// float32 in [-0.5, 0.5] (data/CalendarFeatures.h). Undefined when the data has no dates
    /// (spec.markFeatures == 0); a model that reads marks then runs without them.
    torch::Tensor historyMarks;
    torch::Tensor futureMarks;
    /// Self-supervised pretraining (Task::Reconstruct): [batch, lookback, channels] bool, true =
    /// a value hidden from the model (drawn by the data pipeline following maskingScheme()).
    /// The model hides those values in its own way (PatchTST zeroes whole patches after RevIN,
    /// TST zeroes the values) and reconstructs every value. Undefined: nothing hidden.
    torch::Tensor hidden;
};

/// `context` (its step mask and marks) with the capture flags set as given.
inline ForwardOptions withCaptures(ForwardOptions context, bool attention, bool intermediates)
{
    context.captureAttention = attention;
    context.captureIntermediates = intermediates;
    return context;
}

/// A named tensor from inside the forward pass, with a short stage name ("revin", "patches").
struct NamedTensor
{
    std::string name;
    torch::Tensor value;
};

/// The named result of Model::forward.
struct ModelOutput
{
    /// Forecast: [batch, horizon, channels] on the normalised scale of the input.
    /// Classify: logits [batch, classes].
    torch::Tensor prediction;

    /// One entry per encoder layer, each [batch', heads, queries, keys], post-softmax.
    /// batch' is batch * channels for channel-independent models (PatchTST: sample-major,
    /// row b * channels + c), batch otherwise. Empty unless captureAttention.
    std::vector<torch::Tensor> attention;

    /// Encoder-decoder models: one entry per decoder layer, each [batch, heads, decoder
    /// tokens, encoder tokens], post-softmax (decoder queries x encoder keys); the tokens are
    /// decoderTokens() x the last encoder layer's tokens (encoderLayerTokens(last)). Empty unless
    /// captureAttention (and for encoder-only models).
    std::vector<torch::Tensor> crossAttention;

    /// What makes a model's mechanism different, as the model reports it (ProbSparse's active
    /// queries, auto-correlation's chosen delays, FEDformer's frequency modes ...): named
    /// tensors "<stage>/<what>" documented in the model's header, batch first where they are
    /// per sample. Empty unless captureAttention.
    std::vector<NamedTensor> mechanisms;

    /// Stages of the forward pass in order; empty unless captureIntermediates.
    std::vector<NamedTensor> intermediates;
};

/// The base of every model. Written the LibTorch way: subclasses register their children with
/// register_module / register_parameter so that named_parameters(), save and load work.
///
/// Threading: a model instance is used by one thread at a time.
class Model : public torch::nn::Module
{
public:
    /// input: [batch, lookback, channels], float32, on the model's device.
    virtual ModelOutput forward(const torch::Tensor &input, const ForwardOptions &options = {}) = 0;

    /// What each attention token covers for this model's spec (queries == keys). Empty for
    /// models without attention (DLinear).
    virtual std::vector<TokenInfo> tokens() const = 0;

    /// Encoder-decoder models: what each decoder token covers (the label_len known steps and
    /// the horizon, TimeStep tokens with begin relative to the lookback window's start, so the
    /// horizon's first step has begin == lookback). Empty for encoder-only models.
    virtual std::vector<TokenInfo> decoderTokens() const { return {}; }

    /// What each token of encoder layer `layer`'s attention covers, when it differs from
    /// tokens() (Informer's distilling halves the tokens after each layer: layer 1 has
    /// ceil(L / 2) tokens, each covering a range of input steps). Default: tokens().
    virtual std::vector<TokenInfo> encoderLayerTokens(std::size_t layer) const
    {
        (void)layer;
        return tokens();
    }

    /// Attention shape convention: true when the attention batch is batch * channels.
    virtual bool channelIndependentAttention() const { return false; }

    /// Task::Reconstruct: how the inputs of this model are masked for pretraining (the data
    /// pipeline draws ForwardOptions::hidden from it). Empty for models that do not pretrain.
    virtual std::optional<MaskingScheme> maskingScheme() const { return std::nullopt; }
};

} // namespace twb
