#pragma once

#include "attention/AttentionSet.h"
#include "common/Expected.h"

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
/// the result) for the other models. The result has layers [heads, tokens, tokens], the
/// model's tokens(), channel and the input [L, C]; modelId, runDir, sampleLabel, sampleIndex
/// and channelNames are left empty. Errors: input not [1, L, C], no attention (a model without
/// it), a channel out of range, a map whose size disagrees with the tokens, the model threw.
/// The model is left in eval mode. Threading: the caller owns the model for the call.
/// `stepMask` ([1, time] bool, optional): the real steps of a padded classification case
/// (ForwardOptions::stepMask).
Expected<AttentionSet> captureModelAttention(Model &model, const torch::Tensor &input,
                                             std::int64_t channel,
                                             const torch::Tensor &stepMask = {});

/// captureModelAttention for a loaded run, with the set's metadata filled in: model id, run
/// folder, the sample's label and index, the run's channel names.
Expected<AttentionSet> captureAttention(const LoadedRun &run, const torch::Tensor &input,
                                        const std::string &sampleLabel, std::int64_t sampleIndex,
                                        std::int64_t channel, const torch::Tensor &stepMask = {});

} // namespace twb::explain
