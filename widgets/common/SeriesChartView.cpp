#include "SeriesChartView.h"

#include "widgets/common/ChartTicks.h"
#include "widgets/common/LineChart.h"

#include "widgets/common/MinMaxDecimator.h"
#include "widgets/common/Theme.h"
#include "widgets/common/WallClock.h"

#include <QDateTimeAxis>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

namespace twb {

namespace {

/// The pen of a channel's line; a dense line (more points than pixel columns) is drawn one
/// pixel wide, without antialiasing (see setDenseDrawing).
QPen linePen(int channel, bool dense)
{
    QPen pen{QColor(categoricalColor(channel))};
    pen.setWidthF(dense ? 1.0 : 1.3);
    return pen;
}

constexpr double dayMs = 24.0 * 3600.0 * 1000.0;

/// A label format that tells ticks `stepMs` apart (ticks fall at arbitrary times).
QString timeFormatFor(double stepMs)
{
    if (stepMs >= 366 * dayMs)
        return QStringLiteral("yyyy");
    if (stepMs >= 31 * dayMs)
        return QStringLiteral("yyyy-MM");
    if (stepMs >= dayMs)
        return QStringLiteral("yyyy-MM-dd");
    if (stepMs >= 60 * 1000.0)
        return QStringLiteral("MM-dd hh:mm");
    return QStringLiteral("hh:mm:ss");
}

} // namespace

QString SeriesChartView::emptyTitle()
{
    return tr("Open a series (File \u25b8 Open) or labelled cases (File \u25b8 Open Labelled "
              "Data), drag one here, or try File \u25b8 Sample Data");
}

SeriesChartView::SeriesChartView(QWidget *parent)
    : QChartView(new QChart, parent)
{
    setRenderHint(QPainter::Antialiasing);
    setRubberBand(QChartView::HorizontalRubberBand);
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true); // cursor read-out (SeriesChartViewOverlays.cpp)
    connect(this, &SeriesChartView::xRangeChanged, this, [this] { viewport()->update(); });
    setMinimumSize(320, 200);
    chart()->setMargins(QMargins(4, 4, 8, 4));
    chart()->setBackgroundRoundness(0);
    chart()->legend()->setAlignment(Qt::AlignTop);
    followPaletteTheme(this);
    chart()->setTitle(emptyTitle());

    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(15);
    connect(&m_refreshTimer, &QTimer::timeout, this, &SeriesChartView::refreshPoints);
    connect(chart(), &QChart::plotAreaChanged, this, [this](const QRectF &area) {
        if (m_data && int(area.width()) != m_columns)
            scheduleRefresh();
    });
}

SeriesChartView::~SeriesChartView()
{
    unlinkXAxis(); // the rest of the group stays linked
}

void SeriesChartView::setDataset(std::shared_ptr<const SeriesDataset> data,
                                 const QList<int> &channels)
{
    m_data = std::move(data);
    m_x.clear();
    m_blocks.clear();
    m_toAxis.reset();
    m_timeAxis = false;
    if (m_data) {
        const std::int64_t rows = m_data->rows();
        m_timeAxis = m_data->hasTimestamps() && std::int64_t(m_data->timestamps.size()) == rows &&
                     std::is_sorted(m_data->timestamps.begin(), m_data->timestamps.end());
        m_x.resize(std::size_t(rows));
        m_blocks.assign(m_data->channels(), MinMaxBlocks());
        if (m_timeAxis && rows > 0)
            m_toAxis.emplace(double(m_data->timestamps.front()), double(m_data->timestamps.back()));
        for (std::int64_t r = 0; r < rows; ++r)
            m_x[std::size_t(r)] =
                m_timeAxis ? double(m_data->timestamps[std::size_t(r)]) : double(r);
    }
    chart()->setTitle(m_data ? QString() : emptyTitle());
    createAxes();
    m_channels.clear();
    const auto range = fullXRange();
    m_x0 = range.first;
    m_x1 = range.second;
    applyAxisRange();
    setVisibleChannels(channels);
    Q_EMIT xRangeChanged(m_x0, m_x1);
}

void SeriesChartView::setVisibleChannels(const QList<int> &channels)
{
    m_channels.clear();
    const int count = m_data ? int(m_data->channels()) : 0;
    for (int c : channels)
        if (c >= 0 && c < count && !m_channels.contains(c))
            m_channels << c;
    rebuild();
}

QPair<double, double> SeriesChartView::fullXRange() const
{
    if (m_x.empty())
        return {0.0, 1.0};
    if (m_x.front() == m_x.back())
        return {m_x.front() - 0.5, m_x.back() + 0.5};
    return {m_x.front(), m_x.back()};
}

void SeriesChartView::createAxes()
{
    for (QAbstractAxis *axis : chart()->axes()) {
        chart()->removeAxis(axis);
        delete axis;
    }
    m_xAxis = nullptr;
    m_yAxis = nullptr;
    if (!m_data)
        return;

    if (m_timeAxis) {
        auto *axis = new QDateTimeAxis;
        axis->setTitleText(m_data->timeColumn);
        connect(axis, &QDateTimeAxis::rangeChanged, this,
                [this](const QDateTime &min, const QDateTime &max) {
                    onAxisRangeChanged(dateTimeToWallClock(min), dateTimeToWallClock(max));
                });
        m_xAxis = axis;
    } else {
        auto *axis = new QValueAxis;
        axis->setTitleText(tr("Row"));
        axis->setLabelFormat(QStringLiteral("%.0f"));
        axis->setTickType(QValueAxis::TicksDynamic);
        connect(axis, &QValueAxis::rangeChanged, this, &SeriesChartView::onAxisRangeChanged);
        m_xAxis = axis;
    }
    m_yAxis = new QValueAxis;
    m_yAxis->setLabelFormat(QStringLiteral("%.6g"));
    m_yAxis->setTickType(QValueAxis::TicksDynamic);
    chart()->addAxis(m_xAxis, Qt::AlignBottom);
    chart()->addAxis(m_yAxis, Qt::AlignLeft);
}

void SeriesChartView::rebuild()
{
    chart()->removeAllSeries();
    m_lines.clear();
    m_dense = false;
    setRenderHint(QPainter::Antialiasing);
    if (!m_data || !m_xAxis)
        return;
    for (int channel : std::as_const(m_channels)) {
        auto *line = new QLineSeries;
        line->setName(m_data->channelNames.value(channel));
        line->setPen(linePen(channel, false));
        chart()->addSeries(line);
        line->attachAxis(m_xAxis);
        line->attachAxis(m_yAxis);
        m_lines << line;
    }
    chart()->legend()->setVisible(!m_lines.isEmpty());
    refreshPoints();
}

void SeriesChartView::refreshPoints()
{
    m_refreshTimer.stop();
    if (!m_data || !m_yAxis)
        return;
    const double plotWidth = chart()->plotArea().width();
    m_columns = plotWidth >= 32 ? int(plotWidth) : 1024;

    double yMin = std::numeric_limits<double>::infinity();
    double yMax = -yMin;
    const std::ptrdiff_t stride = std::ptrdiff_t(m_data->channels());
    bool dense = false;
    for (qsizetype k = 0; k < m_lines.size(); ++k) {
        const float *y = m_data->values.data() + m_channels[k];
        MinMaxBlocks &blocks = m_blocks[std::size_t(m_channels[k])];
        if (blocks.samples() != m_x.size())
            blocks = MinMaxBlocks(y, stride, m_x.size()); // first time this channel is shown
        QList<QPointF> points = decimateMinMax(m_x, y, stride, m_x0, m_x1, m_columns, &blocks);
        dense = dense || points.size() > m_columns;
        for (const QPointF &p : std::as_const(points)) {
            if (p.x() >= m_x0 && p.x() <= m_x1) {
                yMin = std::min(yMin, p.y());
                yMax = std::max(yMax, p.y());
            }
        }
        if (m_toAxis)
            for (QPointF &p : points)
                p.setX((*m_toAxis)(p.x()));
        m_lines[k]->replace(points);
    }
    setDenseDrawing(dense);

    if (!(yMin <= yMax)) { // nothing visible
        yMin = 0.0;
        yMax = 1.0;
    } else if (yMin == yMax) {
        const double pad = std::max(1.0, std::abs(yMin) * 0.05);
        yMin -= pad;
        yMax += pad;
    }
    // Round outwards to ticks at multiples of a round step.
    const int maxTicks = std::clamp(int(chart()->plotArea().height() / 50.0), 3, 10);
    const double step = niceTickInterval(yMax - yMin, maxTicks);
    m_yAxis->setTickAnchor(0.0);
    m_yAxis->setTickInterval(step);
    m_yAxis->setRange(std::floor(yMin / step) * step, std::ceil(yMax / step) * step);
    updateTicks();
}

void SeriesChartView::setDenseDrawing(bool dense)
{
    if (dense == m_dense)
        return;
    m_dense = dense;
    setRenderHint(QPainter::Antialiasing, !dense);
    for (qsizetype k = 0; k < m_lines.size(); ++k)
        m_lines[k]->setPen(linePen(m_channels[k], dense));
}

void SeriesChartView::scheduleRefresh()
{
    m_refreshTimer.start();
}

void SeriesChartView::updateTicks()
{
    const int maxTicks = std::clamp(int(chart()->plotArea().width() / 110.0), 2, 12);
    if (auto *time = qobject_cast<QDateTimeAxis *>(m_xAxis)) {
        time->setFormat(timeFormatFor((m_x1 - m_x0) / maxTicks));
        time->setTickCount(maxTicks + 1);
    } else if (auto *rows = qobject_cast<QValueAxis *>(m_xAxis)) {
        rows->setTickAnchor(0.0);
        rows->setTickInterval(std::max(1.0, niceTickInterval(m_x1 - m_x0, maxTicks)));
    }
}

void SeriesChartView::resizeEvent(QResizeEvent *event)
{
    QChartView::resizeEvent(event);
    if (m_data)
        scheduleRefresh();
}

} // namespace twb
