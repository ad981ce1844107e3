#pragma once

#include "common/Expected.h"
#include "model/TokenInfo.h"

#include <QJsonObject>
#include <QStringList>

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace twb {
class Model;
struct LoadedRun;
} // namespace twb

namespace twb::explain {

struct ExplainSample;

/// A rectangle of the model's input [time (frames), channels (mel bins)] in input indices,
/// half-open; an end of -1 means "to the end". A whole channel is rows [0, -1) x [c, c + 1), a
/// time range rows [a, b) x all columns, a spectrogram region frames x bins.
struct InputRegion
{
    std::int64_t rowBegin = 0;
    std::int64_t rowEnd = -1;
    std::int64_t colBegin = 0;
    std::int64_t colEnd = -1;

    bool operator==(const InputRegion &) const = default;
};

/// One attention head of one encoder layer (both from 0).
struct HeadRef
{
    int layer = 0;
    int head = 0;

    bool operator==(const HeadRef &) const = default;
};

/// A what-if edit of one sample: input values masked (set to `fill`, 0 on the normalised scale
/// = the train mean) and heads switched off. Empty = the original sample.
struct WhatIfEdit
{
    std::vector<int> tokens;          ///< token indices of Model::tokens(), as maskTokens
    std::int64_t tokenChannel = -1;   ///< time tokens of channel-independent models: the
                                      ///< channel masked (-1 = all channels)
    std::vector<InputRegion> regions; ///< input rectangles masked
    std::vector<HeadRef> headsOff;    ///< heads switched off
    float fill = 0.0f;

    bool isEmpty() const { return tokens.empty() && regions.empty() && headsOff.empty(); }
    bool operator==(const WhatIfEdit &) const = default;

    /// The JSON form used by `twb-cli whatif` (flags and --serve requests):
    /// {"mask_tokens": [3, 4], "token_channel": 6, "regions": [[r0, r1, c0, c1], ...],
    ///  "heads_off": [[layer, head], ...], "fill": 0}; every key optional.
    /// Errors name the key and what is wrong with it.
    static Expected<WhatIfEdit> fromJson(const QJsonObject &object);
    QJsonObject toJson() const;
};

/// The attention modules of a model's encoder, in layer order (registration order of
/// named_modules), so that headsOff[i].layer indexes them.
std::vector<std::shared_ptr<torch::nn::Module>> attentionLayers(Model &model);

/// `input` [1, time, channels] with the edit's tokens and regions masked (a copy; heads are not
/// part of the input). `tokens` are the model's tokens. Regions are clipped to the input.
torch::Tensor applyInputEdit(const torch::Tensor &input, const std::vector<TokenInfo> &tokens,
                             const WhatIfEdit &edit);

/// The prediction of one sample before and after an edit, in the units a user reads.
struct WhatIfOutcome
{
    bool classify = false;
    std::int64_t rows = 0;          ///< forecast: horizon; classify: 1
    std::int64_t cols = 0;          ///< forecast: channels; classify: classes
    std::vector<float> original;    ///< forecast: [horizon, channels] row-major in the data's
                                    ///< units; classify: class probabilities (softmax)
    std::vector<float> edited;      ///< the same after the edit
    std::int64_t changedInputs = 0; ///< input values the edit changed
    std::int64_t inputValues = 0;   ///< values in the input (time x channels)
    /// Forecast only, row-major in the data's units: the lookback window [lookback, channels]
    /// before and after the edit, and the truth [horizon, channels] (empty when unknown).
    std::vector<float> history;
    std::vector<float> editedHistory;
    std::vector<float> truth;
};

/// Runs the sample through the run's model as it is and with the edit applied (eval mode, no
/// gradients), undoing the run's scaling for forecasts. Heads switched off are switched on again
/// before returning, also on error. Errors: a head or layer that does not exist (with the
/// model's numbers), a model without attention asked to switch a head off, the model threw.
/// Threading: the caller owns run.model for the call.
Expected<WhatIfOutcome> runWhatIf(const LoadedRun &run, const ExplainSample &sample,
                                  const WhatIfEdit &edit);

} // namespace twb::explain
