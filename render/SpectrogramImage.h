#pragma once

#include "common/Expected.h"
#include "dsp/Matrix.h"
#include "dsp/MelFilterbank.h"
#include "render/ColorMap.h"

#include <QImage>
#include <QString>

#include <vector>

namespace twb {

/// How the vertical axis of a spectrogram is spaced.
enum class FrequencyScale {
    Linear, ///< Hz proportional to height
    Log,    ///< log(Hz) proportional to height (from a positive lowest frequency)
    Mel,    ///< mel(Hz) proportional to height (see dsp::hzToMel)
};

/// "linear", "log", "mel".
QString frequencyScaleName(FrequencyScale scale);
Expected<FrequencyScale> frequencyScaleFromName(const QString &name);

/// The values shown: dB at or below `floor` get the first colour, at or above `top` the last,
/// linear in between. Needs floor < top.
struct DbRange
{
    double floor = -80.0;
    double top = 0.0;
};

/// Maps a vertical position u in [0, 1] (0 = bottom edge, 1 = top edge of the plot) to a
/// frequency in Hz and back, for one frequency scale over [fmin, fmax] Hz.
/// Log needs fmin > 0 (a smaller fmin is raised to fmax / 1000). Value type, any thread.
class FrequencyAxis
{
public:
    FrequencyAxis() = default;
    FrequencyAxis(FrequencyScale scale, double fmin, double fmax,
                  dsp::MelScale melScale = dsp::MelScale::Slaney);

    FrequencyScale scale() const { return m_scale; }
    double fmin() const { return m_fmin; }
    double fmax() const { return m_fmax; }

    double hzAt(double u) const;
    /// The inverse of hzAt (not clamped: below fmin gives u < 0). Log of 0 Hz gives -inf.
    double positionOf(double hz) const;

    /// For an image `height` pixels high whose pixel row y (0 = top) samples u = 1 - (y + 0.5) /
    /// height: the index of the data row whose frequency (`rowHz`, ascending) is nearest to
    /// that pixel on this axis. Empty when rowHz is empty.
    std::vector<int> rowsForPixels(const std::vector<double> &rowHz, int height) const;

private:
    double warp(double hz) const;
    double unwarp(double w) const;

    FrequencyScale m_scale = FrequencyScale::Linear;
    dsp::MelScale m_melScale = dsp::MelScale::Slaney;
    double m_fmin = 0.0;
    double m_fmax = 1.0;
    double m_w0 = 0.0; // warp(fmin)
    double m_w1 = 1.0; // warp(fmax)
};

/// Colour-table index of a dB value: 0 at or below range.floor (and for NaN), 255 at or above
/// range.top, round(255 * (v - floor) / (top - floor)) in between.
int colourIndex(float db, const DbRange &range);

/// One pixel per matrix element: `db` is `[rows, columns]` (row 0 = lowest frequency) and the
/// image is columns wide and rows high with row 0 at the bottom (low frequencies at the
/// bottom, as every spectrogram is drawn). Format RGB32. An empty matrix gives a null image.
QImage renderSpectrogram(const dsp::FloatMatrix &db, const ColorMap &map, const DbRange &range);

/// The frequency in Hz of each row of a linear STFT spectrogram: k * sampleRate / nFft.
std::vector<double> stftRowFrequencies(int nFft, double sampleRate);
/// The centre frequency of each mel band (the peak of its triangle): pointsHz[m + 1].
std::vector<double> melRowFrequencies(const dsp::MelFilterbank &bank);

} // namespace twb
