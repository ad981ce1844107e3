#pragma once

#include "common/Expected.h"
#include "common/Task.h"
#include "nn/Model.h"

#include <QStringList>

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

namespace twb {
class Model;
}

namespace twb::explain {

/// Gradient x input of one prediction with respect to the input, as a plain [rows, cols] map.
struct SaliencyMap
{
    int rows = 0;              ///< lookback steps (frames)
    int cols = 0;              ///< channels (mel bins)
    std::vector<float> values; ///< rows * cols, row-major: d(target)/d(x[t, c]) * x[t, c]
    std::string target;        ///< what was differentiated, in words
};

/// Computes gradient x input for `input` [1, L, C] (normalised scale) with `model` in eval mode
/// (dropout off, BatchNorm with running statistics); the model's own parameter gradients are
/// not touched. The differentiated scalar is:
///   Task::Forecast: the sum over the horizon of the forecast of channel `channel`, or of all
///                   channels when channel < 0;
///   Task::Classify: the logit of the predicted class (`channel` is ignored).
/// `names` are the channel names (forecast) or class names (classify), used in `target` only
/// (may be empty). Errors: input not [1, L, C], a channel out of range, another task, the model
/// threw. The model is left in eval mode.
/// `context`: what goes with the input besides its values — the step mask of a padded
/// classification case, the calendar marks of a forecast window (ExplainSample::
/// forwardOptions()); its capture flags are ignored.
Expected<SaliencyMap> computeSaliency(Model &model, const torch::Tensor &input, Task task,
                                      std::int64_t channel, const QStringList &names = {},
                                      const ForwardOptions &context = {});

} // namespace twb::explain
