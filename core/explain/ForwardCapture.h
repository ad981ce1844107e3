#pragma once

#include "attention/ForwardTrace.h"
#include "common/Expected.h"
#include "nn/Model.h"

#include <torch/torch.h>

#include <cstdint>
#include <string>

namespace twb {
class Model;
struct LoadedRun;
} // namespace twb

namespace twb::explain {

/// Runs one sample through `model` (eval mode, no gradients) with captureIntermediates and
/// captureAttention on, and turns what the model reports into a ForwardTrace:
///  - one stage per named intermediate, in the model's order (previews capped at maxSide);
///  - for every attention map i a stage "attention_scores_layer_i" (the scores before the
///    softmax, recorded from the model's MultiheadAttention modules, when there is one module per
///    map) followed by "attention_layer_i", both of shape [heads, queries, keys]
///    (post-softmax, the first row of the attention batch: sample 0, and channel 0 for
///    channel-independent models), placed right after "encoder_layer_i" (after the last stage
///    when the model names no such layer);
///  - for every cross-attention map j (encoder-decoder models) a stage
///    "cross_attention_layer_j" [heads, decoder tokens, encoder tokens] (sample 0), placed
///    after the stages of "decoder_layer_j";
///  - every mechanism the model reports (ModelOutput::mechanisms, "<layer>/<what>") as the
///    stage "<layer>.<what>" ('/' becomes '.'), whole (batch axis included when it has one),
///    placed after the last stage of <layer> (its own stage, its '.'-joined sub-stages and the
///    attention stages of that layer), at the end when the model names no such layer;
///  - the prediction as the stage "prediction";
///  - the parameters from named_parameters() in registration order, with their shapes and
///    counts, and their total.
/// input: [1, lookback (frames), channels (mel bins)] float32 on the normalised scale.
/// modelId, runDir, sampleLabel and sampleIndex are left empty. Errors: the input is not one
/// sample, the model threw (its first message line), the model reported no stages.
/// The model is left in eval mode. Threading: the caller owns the model for the call.
/// `context`: what goes with the input besides its values — the step mask of a padded
/// classification case, the calendar marks of a forecast window (ExplainSample::
/// forwardOptions()); its capture flags are ignored.
Expected<ForwardTrace> traceModelForward(Model &model, const torch::Tensor &input,
                                         int maxSide = 256, const ForwardOptions &context = {});

/// traceModelForward for a loaded run, with the model id, run folder and sample filled in.
/// Errors name the run folder.
Expected<ForwardTrace> traceForward(const LoadedRun &run, const torch::Tensor &input,
                                    const std::string &sampleLabel, std::int64_t sampleIndex,
                                    int maxSide = 256, const ForwardOptions &context = {});

} // namespace twb::explain
