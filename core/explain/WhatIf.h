#pragma once

#include "common/Expected.h"
#include "common/TokenInfo.h"
#include "protocol/WhatIfMessages.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace twb {
class Model;
struct LoadedRun;
} // namespace twb

namespace twb::explain {

struct ExplainSample;

// InputRegion, HeadRef and WhatIfEdit (with its JSON form) are in protocol/WhatIfMessages.h.

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
    bool separate = false;
    std::int64_t rows = 0;          ///< forecast: horizon; classify: 1; separate: samples
    std::int64_t cols = 0;          ///< forecast: channels; classify: classes; separate: sources
    std::vector<float> original;    ///< forecast: [horizon, channels] row-major in the data's
                                    ///< units; classify: class probabilities (softmax);
                                    ///< separate: the estimated sources [samples, sources]
                                    ///< row-major, in the references' order (best assignment)
    std::vector<float> edited;      ///< the same after the edit
    std::int64_t changedInputs = 0; ///< input values the edit changed
    std::int64_t inputValues = 0;   ///< values in the input (time x channels)
    /// Forecast, row-major in the data's units: the lookback window [lookback, channels]
    /// before and after the edit, and the truth [horizon, channels] (empty when unknown).
    /// Separate: the mixture [samples] before and after the edit, and the reference sources
    /// [samples, sources] row-major.
    std::vector<float> history;
    std::vector<float> editedHistory;
    std::vector<float> truth;
    /// Separate only, dB per reference source: SI-SNR of the estimate before and after the edit
    /// (each prediction under its own best assignment, as `eval` scores it) and of the unedited
    /// mixture, so that SI-SNRi = siSnrOriginal − siSnrMixture.
    std::vector<double> siSnrOriginal, siSnrEdited, siSnrMixture;
};

/// Runs the sample through the run's model as it is and with the edit applied (eval mode, no
/// gradients), undoing the run's scaling for forecasts; a separation run's estimates are scored
/// against the sample's references (its target [1, sources, samples]; an error without one). Heads
/// switched off are switched on again before returning, also on error. Errors: a head or layer that
/// does not exist (with the model's numbers), a model without attention asked to switch a head off,
/// the model threw. Threading: the caller owns run.model for the call.
Expected<WhatIfOutcome> runWhatIf(const LoadedRun &run, const ExplainSample &sample,
                                  const WhatIfEdit &edit);

} // namespace twb::explain
