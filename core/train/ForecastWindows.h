#pragma once

#include "ExampleSet.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace twb {

/// One forecasting batch: x [batch, lookback, channels] and y [batch, horizon, channels],
/// float32, contiguous, on the normalised scale.
using ForecastBatch = ExampleBatch;

/// The lookback/horizon windows of one part (train, val or test) of a normalised series.
/// Window i covers rows [start(i), start(i) + lookback + horizon): x is its first `lookback`
/// rows, y the following `horizon` rows.
///
/// The series tensor is shared (not copied) between the parts; batches are gathered with one
/// index_select, without per-element loops. Immutable after construction: any thread may read.
class ForecastWindows : public ExampleSet
{
public:
    ForecastWindows() = default;
    /// series: [rows, channels] float32 contiguous. starts: first rows of the windows; each
    /// window must lie inside the series (checked: throws std::out_of_range otherwise).
    /// marks: the series' calendar features [rows, F] float32 (shared like the series), or
    /// undefined: batches then carry no marks.
    ForecastWindows(torch::Tensor series, std::vector<std::int64_t> starts, std::int64_t lookback,
                    std::int64_t horizon, torch::Tensor marks = {});

    std::int64_t size() const override { return std::int64_t(m_starts.size()); }
    std::int64_t lookback() const { return m_lookback; }
    std::int64_t horizon() const { return m_horizon; }
    std::int64_t channels() const { return m_series.defined() ? m_series.size(1) : 0; }
    const std::vector<std::int64_t> &starts() const { return m_starts; }
    const torch::Tensor &series() const { return m_series; }
    /// [rows, F] or undefined.
    const torch::Tensor &marks() const { return m_marks; }

    /// The windows listed in `indices` (int64 [batch], values in [0, size())), with their
    /// calendar marks when the windows have them.
    ForecastBatch batch(const torch::Tensor &indices) const override;

    /// Removes the windows that contain a NaN anywhere in their lookback + horizon rows and
    /// returns how many were removed. `values` is the row-major [rows, channels] series.
    static std::int64_t dropWindowsWithNan(const float *values, std::int64_t rows,
                                           std::int64_t channels, std::int64_t windowLength,
                                           std::vector<std::int64_t> &starts);

private:
    torch::Tensor m_series;
    torch::Tensor m_marks;
    torch::Tensor m_startTensor;
    std::vector<std::int64_t> m_starts;
    std::int64_t m_lookback = 0;
    std::int64_t m_horizon = 0;
};

} // namespace twb
