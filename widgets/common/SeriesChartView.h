#pragma once

#include "data/SeriesDataset.h"
#include "widgets/common/CsvExportable.h"
#include "widgets/common/MinMaxBlocks.h"
#include "widgets/common/WallClock.h"

#include <QChartView>
#include <QList>
#include <QPair>
#include <QPointer>
#include <QTimer>

#include <memory>
#include <optional>
#include <vector>

class QAbstractAxis;
class QLineSeries;
class QValueAxis;

namespace twb {

/// Selected channels of a SeriesDataset over time: one line per channel on a shared y axis.
/// The x axis is a date/time axis when the data set has ascending timestamps (labelled with
/// the file's wall clock), else the row index.
///
/// Each line is min/max-decimated to two points per pixel column of the plot for the visible
/// x range (see decimateMinMax), so series of millions of points stay fluid; every zoom, pan or
/// resize re-decimates (with per-channel MinMaxBlocks built the first time a channel is shown, so
/// a full view of 5 million samples decimates in about a millisecond), and the y axis fits the
/// visible values. A decimated line (more points than pixel columns) is drawn one pixel wide
/// without antialiasing, which paints several times faster (twb-bench-gui) and looks the same at
/// two points per column; a line of fewer points is drawn antialiased. Missing values (NaN) are
/// bridged; the channel table reports them.
///
/// Interaction: drag to zoom into an x range, wheel to zoom around the cursor, right click to
/// zoom out, double click or Home to show everything, Left/Right to pan.
///
/// Linked x axes: views joined with linkXAxis() form a group (stacked plots of one data set);
/// every change of the visible x range of one (zoom, pan, setXRange, showAll) is applied to all
/// others of the group, each clamping it to its own data. Linked views are expected to share
/// the x units (all time axes or all row axes). A destroyed view leaves its group.
///
/// The chart follows a dark palette (followPaletteTheme, Theme.h).
///
/// Threading: GUI thread only. The data set is shared read-only with the caller.
class SeriesChartView : public QChartView, public CsvExportable
{
    Q_OBJECT

public:
    explicit SeriesChartView(QWidget *parent = nullptr);
    ~SeriesChartView() override;

    /// Shows `data` (nullptr clears the view) with the given channels, over its full x range.
    void setDataset(std::shared_ptr<const SeriesDataset> data, const QList<int> &channels);
    /// The title shown without data: what can be opened and how.
    static QString emptyTitle();
    const SeriesDataset *dataset() const { return m_data.get(); }

    /// Channel indices into the data set, drawn in this order; invalid indices are ignored.
    void setVisibleChannels(const QList<int> &channels);
    QList<int> visibleChannels() const { return m_channels; }

    /// True when x is time (values are wall-clock ms since the epoch, UTC), false for row index.
    bool hasTimeAxis() const { return m_timeAxis; }

    /// The visible x range in data units (wall-clock ms or row index) and the full one.
    QPair<double, double> xRange() const { return {m_x0, m_x1}; }
    QPair<double, double> fullXRange() const;
    void setXRange(double x0, double x1);
    /// factor > 1 zooms in; `anchor` in [0, 1] is the fixed point as a fraction of the range.
    void zoomX(double factor, double anchor = 0.5);
    /// Shifts the range by `fraction` of its width (negative: to the left).
    void panX(double fraction);
    void showAll();

    /// Links the x axis of this view and `other` (and of the views linked to either) both
    /// ways; `other` takes this view's range. Linking a view to itself or twice does nothing.
    /// Neither view owns the other.
    void linkXAxis(SeriesChartView *other);
    /// Leaves the group; the other views stay linked among themselves.
    void unlinkXAxis();
    /// The other views of this view's group (directly or indirectly linked), in no order.
    QList<SeriesChartView *> linkedViews() const;

    /// The lines drawn, one per visible channel in order (for tests and exports).
    QList<QLineSeries *> lines() const { return m_lines; }
    /// How many pixel columns the last decimation used.
    int decimationColumns() const { return m_columns; }

    /// Rows at which vertical border lines are drawn (e.g. the train/validation/test borders:
    /// trainEnd, valEnd/testBegin, ...; a row equal to rows() is the end of the data). Rows
    /// outside [0, rows()] are dropped. Drawn over the plot (also in exports), not in the legend.
    /// `labels` name the parts: labels[i] the rows up to border i (from the previous border or
    /// row 0), labels[rows.size()] the rows after the last border; each is written at the
    /// bottom of its part where it fits. Fewer labels leave parts unnamed.
    void setSplitBorders(const QList<qint64> &rows, const QStringList &labels = {});
    QList<qint64> splitBorders() const { return m_borders; }
    /// The part names as kept: one per part between 0, the borders and rows() (empty = none).
    QStringList splitLabels() const { return m_partLabels; }

    /// The samples of the visible x range at full resolution (not decimated): time (the file's
    /// wall clock, "yyyy-MM-dd hh:mm:ss.zzz") or row, the visible channels (missing = "nan"),
    /// and "part" (the split label of the row) when the borders are labelled. Empty without
    /// data or channels.
    CsvTable csvTable() const override;

    /// The row nearest to x (data units: wall-clock ms or row index), -1 without data.
    qint64 rowAt(double x) const;
    /// "<time or row>  <channel> <value>  ..." for the row nearest to x over the visible
    /// channels (what the cursor read-out shows); empty without data.
    QString cursorText(double x) const;

Q_SIGNALS:
    /// The visible x range changed (data units), by the user or by a call.
    void xRangeChanged(double x0, double x1);
    /// The mouse moved over the plot: the row under it and the read-out text; row -1 when it
    /// left the plot.
    void cursorMoved(qint64 row, const QString &text);

protected:
    void resizeEvent(QResizeEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void drawForeground(QPainter *painter, const QRectF &rect) override;

private:
    void rebuild();
    /// setXRange() without telling the linked views; true when the range changed.
    bool setOwnXRange(double x0, double x1);
    void createAxes();
    void refreshPoints();
    void scheduleRefresh();
    /// Dense: some line has more points than pixel columns (see the class comment).
    void setDenseDrawing(bool dense);
    void onAxisRangeChanged(double axisMin, double axisMax);
    void applyAxisRange();
    void updateTicks();

    std::shared_ptr<const SeriesDataset> m_data;
    std::vector<double> m_x;                     ///< x of every row, ascending
    std::vector<MinMaxBlocks> m_blocks;          ///< per data set channel, built when first shown
    std::optional<WallClockAxisMapper> m_toAxis; ///< over the data's time range (time axis)
    bool m_timeAxis = false;
    QList<int> m_channels;
    QList<QLineSeries *> m_lines;     ///< owned by the chart
    QAbstractAxis *m_xAxis = nullptr; ///< owned by the chart
    QValueAxis *m_yAxis = nullptr;    ///< owned by the chart
    double m_x0 = 0.0;
    double m_x1 = 1.0;
    int m_columns = 0;
    bool m_dense = false;
    bool m_applyingRange = false;
    QTimer m_refreshTimer;
    QList<qint64> m_borders;
    QStringList m_partLabels;                 ///< m_borders.size() + 1 names (some empty), or none
    QList<QPointer<SeriesChartView>> m_links; ///< directly linked views (not owned)
    qint64 m_cursorRow = -1;
    QString m_cursorText;
};

} // namespace twb
