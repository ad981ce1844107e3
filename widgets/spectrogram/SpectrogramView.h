#pragma once

#include "common/Expected.h"
#include "render/ColorMap.h"
#include "render/SpectrogramImage.h"
#include "widgets/common/CsvExportable.h"
#include "widgets/spectrogram/SpectrogramTiles.h"

#include <QImage>
#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

namespace twb {

/// What the cursor points at in the spectrogram plot.
struct SpectrogramReadout
{
    double timeS = 0.0;       ///< time under the pixel (s from the start of the signal)
    double frequencyHz = 0.0; ///< frequency under the pixel on the current axis
    std::int64_t frame = -1;  ///< the (level-0) frame drawn in that pixel column
    int row = -1;             ///< the bin or mel band drawn in that pixel row
    double rowHz = 0.0;       ///< that row's frequency (bin k * sr / nFft or band centre)
    float valueDb = 0.0f;     ///< the value drawn there (NaN while its tile is being computed)
};

/// A spectrogram of one mono signal with its waveform above it, sharing the time axis.
///
/// Drawn from QImages, not a chart: each paint maps every pixel column of the plot to the STFT
/// frame nearest to its time and every pixel row to the nearest bin / mel band on the current
/// frequency axis (linear, log or mel), then to a colour of the colour map over the dB range.
/// The values come from SpectrogramTileCache: tiles of 256 frames computed on worker threads,
/// only for the visible time range, cached; a zoomed-out view of a long recording uses an
/// overview level (every 2^L-th frame) so that it never needs more than a few tiles. Tiles not
/// yet computed are drawn dark grey and filled in as they arrive (tileReady, queued to the GUI
/// thread). Every option can be changed while the view is shown; a change recomputes.
///
/// Interaction: wheel zooms time around the cursor, Shift+wheel or a horizontal wheel and
/// dragging scroll, Left/Right scroll, +/- zoom, Home shows everything. Moving the mouse over
/// the plot updates the read-out (time, frequency, dB) drawn in the corner (readoutChanged).
///
/// Threading: GUI thread only (tiles are computed on the cache's pool).
class SpectrogramView : public QWidget, public CsvExportable
{
    Q_OBJECT

public:
    explicit SpectrogramView(QWidget *parent = nullptr);
    ~SpectrogramView() override;

    /// Shows `samples` (mono, at `sampleRate` Hz) over their whole duration. `name` is used in
    /// exports (e.g. the file name). Errors when the signal is too short for the settings.
    Status setSignal(std::vector<float> samples, double sampleRate, const QString &name = {});
    /// Reads a sound file (readAudio, mixed to mono, resampled when targetRate > 0) and shows
    /// it. Reads on the calling thread. Errors name the file and the reason.
    Status loadAudioFile(const QString &path, double targetRate = 0.0);
    bool hasSignal() const { return m_signal != nullptr; }
    double sampleRate() const { return m_sampleRate; }
    double durationSeconds() const;

    /// All computation options at once; on error nothing changes.
    Status setSettings(const SpectrogramSettings &settings);
    /// The settings as given (hop / window length 0 = default); resolved ones are in computer().
    const SpectrogramSettings &settings() const { return m_settings; }
    Status setNFft(int nFft);
    Status setHop(int hop);             ///< 0 = nFft / 4
    Status setWindowLength(int length); ///< 0 = nFft
    Status setWindow(dsp::WindowType type);
    Status setFrequencyScale(FrequencyScale scale);
    Status setMelBands(int nMels);
    Status setSpectrumKind(dsp::SpectrumKind kind);

    void setColorMap(ColorMapKind kind);
    ColorMapKind colorMap() const { return m_colorMap; }
    /// Needs floor < top (else ignored). Switches the automatic range off.
    void setDbRange(double floor, double top);
    /// Automatic range (the default): top = the largest value computed so far for the signal,
    /// rounded up to 10 dB; floor = top - 80 dB (librosa's top_db). Follows tiles as they arrive.
    void setAutoDbRange(bool on);
    bool autoDbRange() const { return m_autoDbRange; }
    DbRange dbRange() const { return m_dbRange; }
    /// A panel right of the plot with the triangles of the mel filterbank (the computer's bank
    /// with the Mel scale, else one with the current band count), on the plot's frequency axis.
    void setShowFilterbank(bool show);
    bool showFilterbank() const { return m_showFilterbank; }

    /// Visible time range in seconds (clamped to the signal, at least 8 hops wide).
    void setTimeRange(double t0, double t1);
    std::pair<double, double> timeRange() const { return {m_t0, m_t1}; }
    /// factor > 1 zooms in around `anchor` (fraction of the visible range).
    void zoomTime(double factor, double anchor = 0.5);
    /// Shifts by `fraction` of the visible width.
    void scrollTime(double fraction);
    void showAll();

    /// Where things are drawn (widget coordinates).
    QRect plotRect() const;
    QRect waveformRect() const;
    QRect filterbankRect() const; ///< empty when the panel is hidden
    /// The frequency axis of the plot for the current settings.
    FrequencyAxis frequencyAxis() const;
    /// Overview level used for the visible range (0 = every frame).
    int currentLevel() const;

    /// The read-out at a widget position; nullopt outside the plot or without a signal.
    std::optional<SpectrogramReadout> readoutAt(QPoint position) const;
    /// "0.512 s  1234 Hz  -23.4 dB".
    static QString readoutText(const SpectrogramReadout &readout);

    /// The computer of the current settings (nullptr without a signal).
    const SpectrogramComputer *computer() const { return m_cache->computer(); }
    const SpectrogramTileCache *tileCache() const { return m_cache; }
    /// True when every tile of the visible range is cached.
    bool visibleTilesReady() const;
    /// Computes the missing visible tiles on the calling thread (exports, screenshots).
    void computeVisibleNow();

    /// The visible level-0 frames as a table: "time_s" then one column per row frequency (Hz),
    /// one line per frame, values in dB. Empty when there is no signal or more than 100000
    /// frames are visible.
    CsvTable csvTable() const override;
    /// The visible frames as HDF5 (writeSpectrogramHdf5, all settings as attributes).
    Status saveHdf5(const QString &path) const;
    /// By suffix: .png, .svg (ViewExporter, visible tiles computed first), .csv, .h5.
    Status exportTo(const QString &path);

    QSize sizeHint() const override { return {900, 520}; }
    QSize minimumSizeHint() const override { return {240, 180}; }

Q_SIGNALS:
    void tileArrived(int level, qint64 index);
    /// Every visible tile is now available (after a change or a scroll).
    void visibleTilesCompleted();
    void timeRangeChanged(double t0, double t1);
    void settingsChanged();
    void readoutChanged(const QString &text);
    void errorOccurred(const QString &message);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    struct VisibleTiles
    {
        int level = 0;
        std::int64_t first = 0;
        std::int64_t last = -1;
    };
    VisibleTiles visibleTiles() const;
    void requestVisible();
    void onTileReady(int level, qint64 index);
    void invalidateImages(bool waveformToo = true);
    void followRange(const dsp::FloatMatrix &tile);
    double timeAtX(double x) const;
    double xOfTime(double t) const;
    const dsp::MelFilterbank *displayedBank() const;

    // SpectrogramViewPaint.cpp
    QImage composeSpectrogram() const;
    QImage composeWaveform() const;
    void drawAxes(QPainter &painter) const;
    void drawFilterbank(QPainter &painter) const;
    void drawReadout(QPainter &painter) const;

    std::shared_ptr<const std::vector<float>> m_signal;
    double m_sampleRate = 0.0;
    QString m_name;
    SpectrogramSettings m_settings;
    SpectrogramTileCache *m_cache = nullptr;
    ColorMapKind m_colorMap = ColorMapKind::Viridis;
    DbRange m_dbRange;
    bool m_autoDbRange = true;
    bool m_rangeSeeded = false; // the automatic range has seen a tile of this signal/settings
    float m_peak = 1e-6f;       // largest |sample|, the waveform's scale
    bool m_showFilterbank = false;
    mutable std::optional<dsp::MelFilterbank> m_displayBank;
    double m_t0 = 0.0;
    double m_t1 = 0.0;
    bool m_wasComplete = false;

    mutable QImage m_spectrogramImage; // cached composition; null = recompose
    mutable QImage m_waveformImage;
    std::optional<QPoint> m_cursor;
    std::optional<QPoint> m_dragStart;
    double m_dragT0 = 0.0;
};

} // namespace twb
