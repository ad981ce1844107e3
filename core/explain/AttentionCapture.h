#pragma once

#include "attention/AttentionSet.h"
#include "common/Expected.h"
#include "nn/Model.h"

#include <QString>

#include <torch/torch.h>

#include <cstdint>
#include <string>

namespace twb {
class Model;
struct LoadedRun;
} // namespace twb

namespace twb::explain {

/// Runs one forward pass of `model` with attention capture on, in eval mode and without
/// gradients, and copies the maps of one sample to plain arrays.
///
/// input: [1, lookback (frames), channels (mel bins)] float32 on the normalised scale.
/// channel: for channel-independent models (PatchTST, attention batch = batch * channels) the
/// channel whose maps are kept (attention row `channel`), in [0, channels); ignored (and -1 in
/// the result) for the other models. The result has the model's tokens(), channel, the input
/// [L, C] and one layer per map: the encoder layers ("encoder layer i", [heads, T_i, T_i] over
/// encoderLayerTokens(i), which the layer carries as its query and key tokens when they differ
/// from tokens()), then the cross-attention maps of encoder-decoder models ("decoder layer j
/// cross-attention", Kind::CrossAttention, [heads, decoder tokens, keys]: decoderTokens() x the
/// last encoder layer's tokens). modelId, runDir, sampleLabel, sampleIndex and channelNames are
/// left empty. Errors: input not [1, L, C], a model without attention maps
/// (noAttentionMapsMessage(modelName)), a channel out of range, a map whose queries or keys
/// disagree with the tokens the model describes for it (naming the layer), the model threw.
/// The model is left in eval mode. Threading: the caller owns the model for the call.
/// `context`: what goes with the input besides its values — the step mask of a padded
/// classification case, the calendar marks of a forecast window (ExplainSample::
/// forwardOptions()); its capture flags are ignored.
/// `modelName` (the plugin id) names the model in errors.
Expected<AttentionSet> captureModelAttention(Model &model, const torch::Tensor &input,
                                             std::int64_t channel,
                                             const ForwardOptions &context = {},
                                             const QString &modelName = {});

/// "<model> has no attention maps: its mechanism ... is shown in the forward-pass view ...":
/// what captureModelAttention says of a model that returns no attention maps (Autoformer,
/// FEDformer report their mechanism in ModelOutput::mechanisms instead). An empty name says
/// "this model".
QString noAttentionMapsMessage(const QString &modelName);

/// captureModelAttention for a loaded run, with the set's metadata filled in: model id, run
/// folder, the sample's label and index, the run's channel names.
Expected<AttentionSet> captureAttention(const LoadedRun &run, const torch::Tensor &input,
                                        const std::string &sampleLabel, std::int64_t sampleIndex,
                                        std::int64_t channel, const ForwardOptions &context = {});

} // namespace twb::explain
