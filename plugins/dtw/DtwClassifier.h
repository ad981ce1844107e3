#pragma once

#include "common/Expected.h"
#include "common/ModelSpec.h"
#include "nn/Model.h"
#include "nn/OnePassFit.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace twb {

/// Defaults: the UCR archive's "DTW, learned window": the Sakoe–Chiba window chosen by
/// leave-one-out 1-NN accuracy on the training cases among 0 … 100 % of the length.
struct DtwOptions
{
    explicit DtwOptions(ModelSpec spec)
        : spec_(std::move(spec))
    {}

    /// Errors: an invalid classification spec, a window outside -1 … 100, a search range
    /// outside 0 … 100.
    Status validate() const;

    TORCH_ARG(ModelSpec, spec);
    /// The band half-width in percent of the length; -1 = learned (leave-one-out).
    TORCH_ARG(double, windowPercent) = -1.0;
    /// A learned window is searched among 0, 1, … maxWindowPercent percent.
    TORCH_ARG(double, maxWindowPercent) = 100.0;
};

/// One window of the leave-one-out search and how it did.
struct WindowScore
{
    double percent = 0.0;
    std::int64_t steps = 0;
    double accuracy = 0.0;
};

/// The windows a learned search tries for series of `length` steps: one per whole percent from
/// 0 to maxPercent, each distinct band width once (its smallest percent), none past the width
/// that already admits every path (length − 1 steps).
std::vector<WindowScore> dtwCandidateWindows(std::int64_t length, double maxPercent);

/// Leave-one-out 1-NN accuracy of every window in `windows` (their accuracy filled in):
/// cases [N, T, C] float32 contiguous, lengths [N] int64 (real steps of each), labels [N]
/// int64. Exact (early abandoning only skips candidates that cannot be nearer); ties between
/// neighbours go to the first case. Parallel over cases (torch's intra-op threads).
void dtwLeaveOneOut(const torch::Tensor &cases, const torch::Tensor &lengths,
                    const torch::Tensor &labels, std::vector<WindowScore> &windows);

/// 1-nearest-neighbour classification with dynamic time warping (DtwDistance.h), fitted in one
/// pass (OnePassFit): fit() keeps the training cases and, for a learned window, chooses it by
/// leave-one-out accuracy (the best, ties to the narrowest). forward() gives per class the
/// negative distance (√ of the DTW cost) to the nearest training case of that class, so the
/// argmax is the 1-NN label (a class without training cases gets -1e9).
/// Step masks: a padded case is compared by its real steps only.
/// Buffers: "cases" [N, T, C], "case_labels" [N] int64, "case_lengths" [N] int64 (empty until
/// fitted: their shape comes from the data), "window" [1] int64 (band steps), "window_percent"
/// [P] and "window_accuracy" [P] (the learned search; empty with a fixed window).
/// No parameters, no attention (tokens() empty).
/// Intermediates: "input" [B,T,C], "logits" [B,classes].
/// Mechanisms (with captureAttention): "nearest/alignment" [B, T, T] (1 on the warping path
/// between the input's step (row) and its nearest case's step (column)), "nearest/case"
/// [B, T, C] (that case), "nearest/index" [B] int64, "nearest/class_distance" [B, classes],
/// and with a learned window "window/accuracy" [P] (leave-one-out accuracy per window tried).
class DtwClassifierImpl : public Model, public OnePassFit
{
public:
    /// Throws c10::Error if options.validate() fails.
    explicit DtwClassifierImpl(const DtwOptions &options);

    ModelOutput forward(const torch::Tensor &input, const ForwardOptions &options = {}) override;
    std::vector<TokenInfo> tokens() const override { return {}; }

    Status fit(const torch::Tensor &x, const torch::Tensor &labels, const torch::Tensor &stepMask,
               std::uint64_t seed) override;

    const DtwOptions &options() const { return m_options; }
    bool fitted() const { return m_cases.numel() > 0; }
    std::int64_t windowSteps() const { return m_window.item<std::int64_t>(); }

private:
    DtwOptions m_options;
    torch::Tensor m_cases, m_labels, m_lengths, m_window, m_windowPercent, m_windowAccuracy;
};

TORCH_MODULE(DtwClassifier);

} // namespace twb
