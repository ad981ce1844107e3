#include "ForecastWindows.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace twb {

ForecastWindows::ForecastWindows(torch::Tensor series, std::vector<std::int64_t> starts,
                                 std::int64_t lookback, std::int64_t horizon, torch::Tensor marks)
    : m_series(std::move(series))
    , m_marks(std::move(marks))
    , m_starts(std::move(starts))
    , m_lookback(lookback)
    , m_horizon(horizon)
{
    if (m_series.dim() != 2 || m_series.scalar_type() != torch::kFloat)
        throw std::invalid_argument("ForecastWindows: series must be float32 [rows, channels]");
    m_series = m_series.contiguous();
    const std::int64_t rows = m_series.size(0);
    if (m_marks.defined() &&
        (m_marks.dim() != 2 || m_marks.size(0) != rows || m_marks.scalar_type() != torch::kFloat))
        throw std::invalid_argument("ForecastWindows: marks must be float32 [rows, features]");
    if (m_marks.defined())
        m_marks = m_marks.contiguous();
    for (std::int64_t s : m_starts)
        if (s < 0 || s + lookback + horizon > rows)
            throw std::out_of_range("ForecastWindows: window at row " + std::to_string(s) +
                                    " exceeds the series of " + std::to_string(rows) + " rows");
    m_startTensor = torch::tensor(m_starts, torch::kLong);
}

ForecastBatch ForecastWindows::batch(const torch::Tensor &indices) const
{
    const std::int64_t length = m_lookback + m_horizon;
    const std::int64_t n = indices.size(0);
    // rows[b, t] = start[indices[b]] + t, gathered in one index_select over the series rows.
    const torch::Tensor rows = m_startTensor.index_select(0, indices).unsqueeze(1) +
                               torch::arange(length, torch::kLong).unsqueeze(0);
    const torch::Tensor flatRows = rows.reshape({-1});
    const torch::Tensor windows = m_series.index_select(0, flatRows).view({n, length, channels()});
    ForecastBatch batch{windows.narrow(1, 0, m_lookback).contiguous(),
                        windows.narrow(1, m_lookback, m_horizon).contiguous(),
                        {},
                        {},
                        1.0,
                        {},
                        {},
                        {}};
    if (m_marks.defined()) {
        const torch::Tensor marks =
            m_marks.index_select(0, flatRows).view({n, length, m_marks.size(1)});
        batch.historyMarks = marks.narrow(1, 0, m_lookback).contiguous();
        batch.futureMarks = marks.narrow(1, m_lookback, m_horizon).contiguous();
    }
    return batch;
}

std::int64_t ForecastWindows::dropWindowsWithNan(const float *values, std::int64_t rows,
                                                 std::int64_t channels, std::int64_t windowLength,
                                                 std::vector<std::int64_t> &starts)
{
    // nanRows[r] = number of rows before r that hold a NaN: a window [s, s + n) is clean when
    // nanRows[s + n] == nanRows[s].
    std::vector<std::int64_t> nanRows(std::size_t(rows) + 1, 0);
    for (std::int64_t r = 0; r < rows; ++r) {
        bool hasNan = false;
        for (std::int64_t c = 0; c < channels && !hasNan; ++c)
            hasNan = std::isnan(values[r * channels + c]);
        nanRows[std::size_t(r) + 1] = nanRows[std::size_t(r)] + (hasNan ? 1 : 0);
    }
    for (std::int64_t s : starts)
        if (s < 0 || s + windowLength > rows)
            throw std::out_of_range("dropWindowsWithNan: window at row " + std::to_string(s) +
                                    " exceeds the series of " + std::to_string(rows) + " rows");
    const auto before = starts.size();
    std::erase_if(starts, [&](std::int64_t s) {
        return nanRows[std::size_t(s + windowLength)] != nanRows[std::size_t(s)];
    });
    return std::int64_t(before - starts.size());
}

} // namespace twb
