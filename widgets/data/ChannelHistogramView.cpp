#include "ChannelHistogramView.h"

#include "widgets/common/ChartTicks.h"
#include "widgets/common/Theme.h"

#include <QAreaSeries>
#include <QLegendMarker>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace twb {

namespace {

QLineSeries *verticalLine(double x, double height, const QPen &pen, const QString &name)
{
    auto *line = new QLineSeries;
    line->setName(name);
    line->setPen(pen);
    line->append(x, 0.0);
    line->append(x, height);
    return line;
}

} // namespace

ChannelHistogramView::ChannelHistogramView(QWidget *parent)
    : QChartView(new QChart, parent)
{
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(240, 160);
    chart()->setMargins(QMargins(4, 4, 8, 4));
    chart()->setBackgroundRoundness(0);
    chart()->legend()->setAlignment(Qt::AlignTop);
    m_xAxis = new QValueAxis;
    m_xAxis->setLabelFormat(QStringLiteral("%.4g"));
    m_yAxis = new QValueAxis;
    m_yAxis->setLabelFormat(QStringLiteral("%.0f"));
    chart()->addAxis(m_xAxis, Qt::AlignBottom);
    chart()->addAxis(m_yAxis, Qt::AlignLeft);
    followPaletteTheme(this);
    rebuild();
}

ChannelHistogramView::~ChannelHistogramView() = default;

void ChannelHistogramView::setDataset(std::shared_ptr<const SeriesDataset> data, int channel)
{
    m_data = std::move(data);
    m_channel = channel;
    rebuild();
}

void ChannelHistogramView::setChannel(int channel)
{
    m_channel = channel;
    rebuild();
}

void ChannelHistogramView::setBinRule(BinRule rule)
{
    m_rule = rule;
    rebuild();
}

void ChannelHistogramView::rebuild()
{
    chart()->removeAllSeries();
    m_histogram = {};
    const bool valid = m_data && m_channel >= 0 && m_channel < m_data->channels();
    if (valid)
        m_histogram = computeHistogram(m_data->values.data() + m_channel, m_data->rows(),
                                       std::ptrdiff_t(m_data->channels()), m_rule);
    const Histogram &h = m_histogram;
    if (h.bins() == 0) {
        chart()->setTitle(valid ? tr("%1: no values").arg(m_data->channelNames.value(m_channel))
                                : tr("No channel selected"));
        chart()->legend()->setVisible(false);
        m_xAxis->setTitleText(xTitle(valid ? m_data->channelNames.value(m_channel) : QString()));
        m_yAxis->setTitleText(yTitle());
        setRangeWithNiceTicks(m_xAxis, 0.0, 1.0, 4);
        setRangeWithNiceTicks(m_yAxis, 0.0, 4.0, 4); // counts: whole-number ticks
        setTickLabelsVisible(chart(), false);        // placeholder ranges
        return;
    }
    setTickLabelsVisible(chart(), true);

    const QString ruleName =
        h.rule == BinRule::FreedmanDiaconis ? tr("Freedman\u2013Diaconis") : tr("Sturges");
    chart()->setTitle(
        tr("%1: %2 values in %3 bins (%4)%5")
            .arg(m_data->channelNames.value(m_channel))
            .arg(h.values)
            .arg(h.bins())
            .arg(ruleName, h.ignored ? tr(", %1 missing ignored").arg(h.ignored) : QString()));

    auto *area = new QAreaSeries;
    auto *upper = new QLineSeries(area);
    std::int64_t top = 1;
    for (int i = 0; i < h.bins(); ++i) {
        const double c = double(h.counts[std::size_t(i)]);
        upper->append(h.edges[std::size_t(i)], c);
        upper->append(h.edges[std::size_t(i) + 1], c);
        top = std::max(top, h.counts[std::size_t(i)]);
    }
    area->setUpperSeries(upper);
    area->setName(tr("Count"));
    area->setColor(QColor(0x4e, 0x79, 0xa7, 170));
    area->setBorderColor(QColor(0x4e79a7));
    chart()->addSeries(area);

    // 0 to a round tick at or above the highest bar plus 5 %.
    const double countStep = std::max(1.0, niceTickInterval(double(top) * 1.05, 5));
    const double height = std::ceil(double(top) * 1.05 / countStep) * countStep;
    setRangeWithNiceTicks(m_yAxis, 0.0, height, 5);
    m_yAxis->setTickInterval(countStep); // counts are whole: never a fractional step
    QPen meanPen(QColor(0xe15759));
    meanPen.setWidthF(2.0);
    QPen stdPen(QColor(0xf28e2b));
    stdPen.setWidthF(1.5);
    stdPen.setStyle(Qt::DashLine);
    QList<QAbstractSeries *> series{
        area, verticalLine(h.mean, height, meanPen, tr("mean %1").arg(h.mean, 0, 'g', 5)),
        verticalLine(h.mean - h.std, height, stdPen, tr("\u00b11 std (%1)").arg(h.std, 0, 'g', 4))};
    series << verticalLine(h.mean + h.std, height, stdPen, QString());
    for (QAbstractSeries *s : series.mid(1))
        chart()->addSeries(s);
    for (QAbstractSeries *s : series) {
        s->attachAxis(m_xAxis);
        s->attachAxis(m_yAxis);
    }
    if (const auto markers = chart()->legend()->markers(series.last()); !markers.isEmpty())
        markers.first()->setVisible(false);
    chart()->legend()->setVisible(true);

    const double x0 = std::min(h.edges.front(), h.mean - h.std);
    const double x1 = std::max(h.edges.back(), h.mean + h.std);
    setRangeWithNiceTicks(m_xAxis, x0, x1);
    m_xAxis->setTitleText(xTitle(m_data->channelNames.value(m_channel)));
    m_yAxis->setTitleText(yTitle());
}

QString ChannelHistogramView::xTitle(const QString &channel)
{
    return channel.isEmpty() ? tr("Value (channel units)")
                             : tr("%1 value (channel units)").arg(channel);
}

QString ChannelHistogramView::yTitle()
{
    return tr("Values per bin");
}

CsvTable ChannelHistogramView::csvTable() const
{
    CsvTable table;
    const Histogram &h = m_histogram;
    if (h.bins() == 0)
        return table;
    table.header = {QStringLiteral("bin"), QStringLiteral("left"), QStringLiteral("right"),
                    QStringLiteral("count")};
    for (int i = 0; i < h.bins(); ++i)
        table.rows << QStringList{QString::number(i), csvNumber(h.edges[std::size_t(i)]),
                                  csvNumber(h.edges[std::size_t(i) + 1]),
                                  QString::number(h.counts[std::size_t(i)])};
    return table;
}

} // namespace twb
