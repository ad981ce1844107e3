#include "LineChart.h"

#include "widgets/common/ChartTicks.h"
#include "widgets/common/Theme.h"

#include <QChart>
#include <QChartView>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>

namespace twb {

QRgb categoricalColor(int index)
{
    static const QRgb palette[] = {0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f,
                                   0xedc948, 0xb07aa1, 0xff9da7, 0x9c755f, 0xbab0ac};
    const int n = int(std::size(palette));
    return palette[((index % n) + n) % n];
}

QLineSeries *addLineSeries(QChart *chart, const QString &name, QRgb color, Qt::PenStyle style)
{
    auto *line = new QLineSeries;
    line->setName(name);
    QPen pen{QColor(color)};
    pen.setWidthF(1.6);
    pen.setStyle(style);
    line->setPen(pen);
    chart->addSeries(line);
    return line;
}

QChartView *makeLineChart(const QString &xTitle)
{
    auto *view = new QChartView(new QChart);
    view->setRenderHint(QPainter::Antialiasing);
    // Title, legend, a plot, the x tick labels and title: shorter, Qt Charts squeezes the x axis
    // and truncates its labels to "...".
    view->setMinimumSize(320, std::max(180, 15 * view->fontMetrics().height()));
    QChart *chart = view->chart();
    chart->setMargins(QMargins(4, 4, 8, 4));
    chart->setBackgroundRoundness(0);
    chart->legend()->setAlignment(Qt::AlignTop);
    auto *x = new QValueAxis;
    x->setTitleText(xTitle);
    x->setLabelFormat(QStringLiteral("%.0f"));
    auto *y = new QValueAxis;
    y->setLabelFormat(QStringLiteral("%.5g"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    setTickLabelsVisible(chart, false); // until fitLineAxes finds data
    followPaletteTheme(view);
    return view;
}

void attachToAxes(QChart *chart, const QList<QLineSeries *> &lines)
{
    for (QLineSeries *line : lines)
        for (QAbstractAxis *axis : chart->axes())
            line->attachAxis(axis);
}

void fitLineAxes(QChart *chart, const QList<QLineSeries *> &lines)
{
    double x0 = std::numeric_limits<double>::infinity(), x1 = -x0, y0 = x0, y1 = -x0;
    for (const QLineSeries *line : lines)
        for (const QPointF &p : line->points()) {
            if (!std::isfinite(p.y()))
                continue;
            x0 = std::min(x0, p.x());
            x1 = std::max(x1, p.x());
            y0 = std::min(y0, p.y());
            y1 = std::max(y1, p.y());
        }
    const bool empty = !(x0 <= x1);
    if (empty) {
        x0 = 0.0, x1 = 1.0, y0 = 0.0, y1 = 1.0;
    }
    setTickLabelsVisible(chart, !empty);
    if (x0 == x1)
        x1 = x0 + 1.0;
    const double pad = y1 > y0 ? (y1 - y0) * 0.05 : std::max(1.0, std::abs(y0) * 0.05);
    const auto horizontal = chart->axes(Qt::Horizontal);
    const auto vertical = chart->axes(Qt::Vertical);
    if (auto *x = qobject_cast<QValueAxis *>(horizontal.value(0))) {
        setRangeWithNiceTicks(x, x0, x1); // ticks anchored at the forecast start
    }
    if (auto *y = qobject_cast<QValueAxis *>(vertical.value(0)))
        setRangeWithNiceTicks(y, y0 - pad, y1 + pad, 6);
}

} // namespace twb
