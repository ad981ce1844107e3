#include "StandardScaler.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace twb {

void StandardScaler::fit(const SeriesDataset &data, std::int64_t rowBegin, std::int64_t rowEnd)
{
    const std::int64_t channels = data.channels();
    rowBegin = std::clamp<std::int64_t>(rowBegin, 0, data.rows());
    rowEnd = std::clamp<std::int64_t>(rowEnd, rowBegin, data.rows());
    std::vector<double> sum(std::size_t(channels), 0.0);
    std::vector<std::int64_t> count(std::size_t(channels), 0);
    for (std::int64_t r = rowBegin; r < rowEnd; ++r)
        for (std::int64_t c = 0; c < channels; ++c)
            if (const float x = data.at(r, c); !std::isnan(x)) {
                sum[std::size_t(c)] += x;
                ++count[std::size_t(c)];
            }
    m_mean.assign(std::size_t(channels), 0.0);
    for (std::size_t c = 0; c < m_mean.size(); ++c)
        if (count[c] > 0)
            m_mean[c] = sum[c] / double(count[c]);

    std::vector<double> squares(std::size_t(channels), 0.0);
    for (std::int64_t r = rowBegin; r < rowEnd; ++r)
        for (std::int64_t c = 0; c < channels; ++c)
            if (const float x = data.at(r, c); !std::isnan(x)) {
                const double d = x - m_mean[std::size_t(c)];
                squares[std::size_t(c)] += d * d;
            }
    m_scale.assign(std::size_t(channels), 1.0);
    for (std::size_t c = 0; c < m_scale.size(); ++c) {
        const double std = count[c] > 0 ? std::sqrt(squares[c] / double(count[c])) : 0.0;
        m_scale[c] = std > 0.0 && std::isfinite(std) ? std : 1.0;
    }
}

void StandardScaler::transform(std::vector<float> &rowMajor, std::int64_t channels) const
{
    if (channels <= 0 || std::int64_t(rowMajor.size()) % channels != 0)
        return;
    transform(rowMajor.data(), std::int64_t(rowMajor.size()) / channels, channels);
}

void StandardScaler::transform(float *rowMajor, std::int64_t rows, std::int64_t channels) const
{
    if (channels != channelCount() || rows <= 0 || !rowMajor)
        return;
    for (std::int64_t r = 0; r < rows; ++r) {
        float *row = rowMajor + r * channels;
        for (std::int64_t c = 0; c < channels; ++c)
            row[c] = float((double(row[c]) - m_mean[std::size_t(c)]) / m_scale[std::size_t(c)]);
    }
}

void StandardScaler::inverseTransform(float *rowMajor, std::int64_t rows,
                                      std::int64_t channels) const
{
    if (channels != channelCount() || rows <= 0 || !rowMajor)
        return;
    for (std::int64_t r = 0; r < rows; ++r) {
        float *row = rowMajor + r * channels;
        for (std::int64_t c = 0; c < channels; ++c)
            row[c] = float(double(row[c]) * m_scale[std::size_t(c)] + m_mean[std::size_t(c)]);
    }
}

float StandardScaler::inverse(float value, std::int64_t channel) const
{
    if (channel < 0 || channel >= channelCount())
        return value;
    return float(double(value) * m_scale[std::size_t(channel)] + m_mean[std::size_t(channel)]);
}

StandardScaler StandardScaler::identity(std::int64_t channels)
{
    StandardScaler scaler;
    scaler.m_mean.assign(std::size_t(std::max<std::int64_t>(0, channels)), 0.0);
    scaler.m_scale.assign(scaler.m_mean.size(), 1.0);
    return scaler;
}

QJsonObject StandardScaler::toJson() const
{
    QJsonArray mean;
    QJsonArray scale;
    for (double m : m_mean)
        mean.append(m);
    for (double s : m_scale)
        scale.append(s);
    return QJsonObject{{QStringLiteral("mean"), mean}, {QStringLiteral("scale"), scale}};
}

Expected<StandardScaler> StandardScaler::fromJson(const QJsonObject &json)
{
    const QJsonValue mean = json.value(QStringLiteral("mean"));
    const QJsonValue scale = json.value(QStringLiteral("scale"));
    if (!mean.isArray() || !scale.isArray())
        return Error{QStringLiteral("scaler: 'mean' and 'scale' must be arrays of numbers"),
                     QString()};
    const QJsonArray means = mean.toArray();
    const QJsonArray scales = scale.toArray();
    if (means.size() != scales.size())
        return Error{
            QStringLiteral("scaler: %1 means for %2 scales").arg(means.size()).arg(scales.size()),
            QString()};
    StandardScaler scaler;
    for (qsizetype i = 0; i < means.size(); ++i) {
        if (!means[i].isDouble() || !scales[i].isDouble())
            return Error{QStringLiteral("scaler: channel %1 is not a number").arg(i), QString()};
        const double m = means[i].toDouble();
        const double s = scales[i].toDouble();
        if (!std::isfinite(m) || !std::isfinite(s) || s <= 0)
            return Error{QStringLiteral("scaler: channel %1 has mean %2 and scale %3; the scale "
                                        "must be a positive number")
                             .arg(i)
                             .arg(m)
                             .arg(s),
                         QString()};
        scaler.m_mean.push_back(m);
        scaler.m_scale.push_back(s);
    }
    return scaler;
}

} // namespace twb
