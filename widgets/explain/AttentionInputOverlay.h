#pragma once

#include "common/TokenInfo.h"
#include "dsp/Matrix.h"
#include "render/ColorMap.h"

#include <QImage>
#include <QPixmap>
#include <QStringList>
#include <QWidget>

#include <optional>
#include <span>
#include <vector>

namespace twb {

/// What one query token attends to, laid over the input the keys cover.
///
/// The layout follows the kind of the (non-special) tokens:
/// - TimeRange / TimeStep (PatchTST, TST): the input series of one channel drawn as a line over
///   samples [0, L), each key token's range [begin, end) shaded with opacity ∝ its weight;
///   when the input is a sound (setInputSound: a separation model's mixture) its spectrogram
///   instead of the line, darkened except where the query attends (the key's time range lit
///   with opacity ∝ its weight, and a bar of the shade along the bottom), the axis in seconds;
/// - Variate (iTransformer): a horizontal bar per channel with its name and weight;
/// - Tile (AST): the spectrogram (frames across, bin 0 at the bottom) with each tile's rectangle
///   frames [begin, end) × bins [freqBegin, freqEnd) shaded by its weight;
/// - Special tokens (CLS, distillation) cover no input: listed on a text line with their weight.
/// Shading is relative: the largest weight of the row gets the strongest shade. The picture is
/// drawn once per change (weights, input, size) into a cached pixmap.
/// Threading: GUI thread only.
class AttentionInputOverlay : public QWidget
{
    Q_OBJECT

public:
    enum class Layout { None, Series, Variates, Tiles };

    explicit AttentionInputOverlay(QWidget *parent = nullptr);

    /// The key tokens; clears the weights.
    void setTokens(std::vector<TokenInfo> tokens);
    const std::vector<TokenInfo> &tokens() const { return m_tokens; }
    /// The weight of every key (size = tokens) and a caption; other sizes clear the weights.
    void setWeights(std::vector<float> weights, const QString &caption = {});
    const std::vector<float> &weights() const { return m_weights; }

    /// The query token whose row the weights are (Series layout: its range is outlined on the
    /// input; a query past the window's end, such as a decoder step of the horizon, is named
    /// at the right edge, "query t+12 →"). nullopt: no query shown.
    void setQueryToken(std::optional<TokenInfo> query);
    /// Where the query is drawn: its outline over the input, or the marker at the right edge
    /// when it lies past the window; empty when there is none or the layout is not Series.
    QRectF queryRect() const;
    /// Whether the query lies past the end of the input (queryRect is the edge marker).
    bool queryPastTheWindow() const;

    /// The input window: `values` is [length, channels] row-major (time-major), as a Dataset's
    /// window. Names may be empty (then "ch i"). Wrong sizes clear the series.
    void setInputSeries(std::vector<float> values, int length, int channels,
                        const QStringList &channelNames = {});
    /// The channel drawn under TimeRange / TimeStep tokens (clamped to the series).
    void setChannel(int channel);
    int channel() const { return m_channel; }
    /// The input as a sound under TimeRange / TimeStep tokens: `samples` (the series' rows, the
    /// same ones setInputSeries was given as [samples, 1]) at `sampleRate` Hz, drawn as their
    /// spectrogram (dsp::speechStftOptions, as the Separation view draws speech; power in dB
    /// down to 80 dB below the peak) in place of the line. Fewer samples than one frame, or a rate
    /// <= 0, clear it (the line is drawn again).
    void setInputSound(std::span<const float> samples, double sampleRate);
    /// Whether a sound's spectrogram is drawn under the time tokens.
    bool showsSound() const { return !m_sound.isNull(); }
    /// The spectrogram's image of the sound (frames wide, bins high, bin 0 at the bottom).
    const QImage &soundImage() const { return m_sound; }
    /// The time tokens' end on the input's axis when they cover less than half of the input
    /// (SepFormer's intra-chunk keys are offsets within a chunk): then "keys: 0–0.13 s of
    /// 1.00 s" is written under the plot; 0 otherwise.
    double partialKeyExtent() const;

    /// The spectrogram under Tile tokens: [bins, frames] values (e.g. log-mel), coloured from
    /// their minimum to their maximum with `colorMap`.
    void setInputSpectrogram(const dsp::FloatMatrix &binsByFrames,
                             ColorMapKind colorMap = ColorMapKind::Magma);
    /// The same from an image `frames` wide and `bins` high (bin 0 in the bottom row).
    void setInputSpectrogramImage(const QImage &image);

    Layout layout() const { return m_layout; }
    /// Where the input is drawn (widget coordinates).
    QRect plotRect() const;
    /// The shaded rectangle of key `key` (TimeRange/TimeStep: its sample range over the plot's
    /// height; Tile: its frames × bins; Variate: its bar, width ∝ weight); empty for Special.
    QRectF keyRect(int key) const;
    /// Variates: the name drawn beside bar `key` (the channel's name, else the token label).
    QString barLabel(int key) const;
    /// "CLS 0.123   DIST 0.045" (empty without special tokens or weights).
    QString specialText() const;

    QSize sizeHint() const override { return {640, 260}; }
    QSize minimumSizeHint() const override { return {200, 120}; }

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void chooseLayout();
    void invalidate();
    void paintBase(QPainter &painter) const;
    double sampleExtent() const;     // samples covered by the x axis (series length or tokens)
    QString queryMarkerText() const; // "query t+12 →"
    std::pair<double, double> tileExtent() const; // frames, bins
    double maxWeight() const;
    void drawSeries(QPainter &painter, const QRect &plot) const;
    void drawSeriesLine(QPainter &painter, const QRect &plot) const;
    void drawSound(QPainter &painter, const QRect &plot) const;
    QString sampleAxisText(double sample) const; // "1.00 s" with a sound, else "96 samples"
    void drawVariates(QPainter &painter, const QRect &plot) const;
    void drawTiles(QPainter &painter, const QRect &plot) const;

    std::vector<TokenInfo> m_tokens;
    std::vector<float> m_weights;
    QString m_caption;
    Layout m_layout = Layout::None;
    std::vector<float> m_values;
    int m_length = 0;
    int m_channels = 0;
    QStringList m_channelNames;
    int m_channel = 0;
    QImage m_spectrogram;
    QImage m_sound;                     // the sound's spectrogram (setInputSound), else null
    double m_soundRate = 0.0;           // its sample rate (Hz)
    mutable QImage m_scaledSound;       // m_sound at the plot's size
    mutable QImage m_scaledSpectrogram; // m_spectrogram at the plot's size
    mutable QPixmap m_seriesLayer;      // the series line and its name (transparent elsewhere)
    QPixmap m_base;                     // the whole picture, drawn once per change and size
    std::optional<TokenInfo> m_query;
};

} // namespace twb
