#include "SpectrogramImage.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace twb {

QString frequencyScaleName(FrequencyScale scale)
{
    switch (scale) {
    case FrequencyScale::Linear:
        return QStringLiteral("linear");
    case FrequencyScale::Log:
        return QStringLiteral("log");
    case FrequencyScale::Mel:
        return QStringLiteral("mel");
    }
    return {};
}

Expected<FrequencyScale> frequencyScaleFromName(const QString &name)
{
    const QString n = name.trimmed().toLower();
    if (n == QLatin1String("linear"))
        return FrequencyScale::Linear;
    if (n == QLatin1String("log"))
        return FrequencyScale::Log;
    if (n == QLatin1String("mel"))
        return FrequencyScale::Mel;
    return Error{
        QStringLiteral("unknown frequency scale \"%1\" (expected linear, log or mel)").arg(name),
        {}};
}

FrequencyAxis::FrequencyAxis(FrequencyScale scale, double fmin, double fmax, dsp::MelScale melScale)
    : m_scale(scale)
    , m_melScale(melScale)
    , m_fmin(std::max(0.0, fmin))
    , m_fmax(fmax > 0 ? fmax : 1.0)
{
    if (m_scale == FrequencyScale::Log && !(m_fmin > 0.0))
        m_fmin = m_fmax / 1000.0;
    if (!(m_fmin < m_fmax))
        m_fmin = 0.0;
    m_w0 = warp(m_fmin);
    m_w1 = warp(m_fmax);
}

double FrequencyAxis::warp(double hz) const
{
    switch (m_scale) {
    case FrequencyScale::Linear:
        return hz;
    case FrequencyScale::Log:
        return hz > 0 ? std::log(hz) : -std::numeric_limits<double>::infinity();
    case FrequencyScale::Mel:
        return dsp::hzToMel(hz, m_melScale);
    }
    return hz;
}

double FrequencyAxis::unwarp(double w) const
{
    switch (m_scale) {
    case FrequencyScale::Linear:
        return w;
    case FrequencyScale::Log:
        return std::exp(w);
    case FrequencyScale::Mel:
        return dsp::melToHz(w, m_melScale);
    }
    return w;
}

double FrequencyAxis::hzAt(double u) const
{
    return unwarp(m_w0 + u * (m_w1 - m_w0));
}

double FrequencyAxis::positionOf(double hz) const
{
    return (warp(hz) - m_w0) / (m_w1 - m_w0);
}

std::vector<int> FrequencyAxis::rowsForPixels(const std::vector<double> &rowHz, int height) const
{
    std::vector<int> rows;
    if (rowHz.empty() || height <= 0)
        return rows;
    std::vector<double> pos(rowHz.size());
    for (std::size_t r = 0; r < rowHz.size(); ++r)
        pos[r] = positionOf(rowHz[r]);
    rows.resize(std::size_t(height));
    for (int y = 0; y < height; ++y) {
        const double u = 1.0 - (y + 0.5) / height;
        const auto it = std::lower_bound(pos.begin(), pos.end(), u);
        std::size_t r = std::size_t(it - pos.begin());
        if (r == pos.size())
            r = pos.size() - 1;
        else if (r > 0 && u - pos[r - 1] <= pos[r] - u)
            r = r - 1;
        rows[std::size_t(y)] = int(r);
    }
    return rows;
}

int colourIndex(float db, const DbRange &range)
{
    const double t = (double(db) - range.floor) / (range.top - range.floor);
    if (!(t > 0.0)) // also NaN
        return 0;
    if (t >= 1.0)
        return 255;
    return int(std::lround(t * 255.0));
}

QImage renderSpectrogram(const dsp::FloatMatrix &db, const ColorMap &map, const DbRange &range)
{
    if (db.isEmpty())
        return {};
    QImage image(int(db.cols), int(db.rows), QImage::Format_RGB32);
    for (std::int64_t r = 0; r < db.rows; ++r) {
        auto *line = reinterpret_cast<QRgb *>(image.scanLine(int(db.rows - 1 - r)));
        const float *values = db.row(r);
        for (std::int64_t c = 0; c < db.cols; ++c)
            line[c] = map.at(colourIndex(values[c], range));
    }
    return image;
}

std::vector<double> stftRowFrequencies(int nFft, double sampleRate)
{
    std::vector<double> hz(std::size_t(nFft / 2 + 1));
    for (std::size_t k = 0; k < hz.size(); ++k)
        hz[k] = double(k) * sampleRate / nFft;
    return hz;
}

std::vector<double> melRowFrequencies(const dsp::MelFilterbank &bank)
{
    const std::vector<double> &p = bank.pointsHz();
    return std::vector<double>(p.begin() + 1, p.end() - 1);
}

} // namespace twb
