#pragma once

#include "SeriesDataset.h"
#include "common/Expected.h"

#include <QJsonObject>

#include <cstdint>
#include <vector>

namespace twb {

/// Per-channel z-score, x' = (x - mean) / scale, as sklearn's StandardScaler: fitted on the
/// train rows only, population standard deviation (ddof 0), a channel with std 0 (or with no
/// value at all) gets scale 1 (and mean 0 if empty). NaNs are ignored while fitting and stay
/// NaN when transforming. Statistics are accumulated in double (two passes).
/// A fitted scaler is immutable and can be used from several threads at once.
class StandardScaler
{
public:
    /// Fits on rows [rowBegin, rowEnd) of `data` (clamped to the data).
    void fit(const SeriesDataset &data, std::int64_t rowBegin, std::int64_t rowEnd);

    /// In place, row-major [rows, channels]; `channels` must equal channelCount() and the size
    /// must be a multiple of it, otherwise nothing is changed.
    void transform(std::vector<float> &rowMajor, std::int64_t channels) const;
    void transform(float *rowMajor, std::int64_t rows, std::int64_t channels) const;
    /// Back to original units, in place; same preconditions.
    void inverseTransform(float *rowMajor, std::int64_t rows, std::int64_t channels) const;
    /// One value of `channel` back to original units (the value itself for a bad channel).
    float inverse(float value, std::int64_t channel) const;

    bool isFitted() const { return !m_mean.empty(); }
    std::int64_t channelCount() const { return std::int64_t(m_mean.size()); }
    const std::vector<double> &mean() const { return m_mean; }
    const std::vector<double> &scale() const { return m_scale; }

    /// The scaler that leaves `channels` channels as they are (mean 0, scale 1).
    static StandardScaler identity(std::int64_t channels);
    /// {"mean": [...], "scale": [...]} (doubles written with full precision).
    QJsonObject toJson() const;
    /// Errors for missing or unequal arrays, non-numbers, or a scale that is not positive.
    static Expected<StandardScaler> fromJson(const QJsonObject &json);

private:
    std::vector<double> m_mean;
    std::vector<double> m_scale;
};

} // namespace twb
