#include "TrainingCurves.h"

#include "widgets/common/ChartTicks.h"

#include <QChart>
#include <QChartView>
#include <QGraphicsLayout>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPen>
#include <QScatterSeries>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace twb {

namespace {

QChartView *makeView(QChart *chart, const QString &name)
{
    chart->legend()->setAlignment(Qt::AlignTop);
    chart->setMargins(QMargins(4, 4, 4, 4));
    // No frame around the chart inside the view: its height goes to the plot and the labels.
    chart->layout()->setContentsMargins(0, 0, 0, 0);
    chart->setBackgroundRoundness(0);
    auto *view = new QChartView(chart);
    view->setObjectName(name);
    view->setRenderHint(QPainter::Antialiasing);
    return view;
}

QLineSeries *line(const QString &name, const QColor &color, qreal width)
{
    auto *s = new QLineSeries;
    s->setName(name);
    QPen pen(color);
    pen.setWidthF(width);
    s->setPen(pen);
    return s;
}

QScatterSeries *marks(const QColor &color)
{
    auto *s = new QScatterSeries;
    s->setColor(color);
    s->setBorderColor(color);
    s->setMarkerSize(7);
    return s;
}

} // namespace

TrainingCurves::TrainingCurves(QWidget *parent)
    : QWidget(parent)
{
    // No chart title: the legend names the curves and the y axis says "loss"; the room goes to the
    // plot (the tab is short at 1280×800 beside the docks).
    auto *loss = new QChart;
    m_batchLoss = line(tr("train (batch)"), QColor(0x90, 0xb4, 0xe0), 1.0);
    m_trainLoss = line(tr("train (epoch)"), QColor(0x1f, 0x5f, 0xb0), 2.0);
    m_valLoss = line(tr("validation"), QColor(0xe0, 0x6c, 0x00), 2.0);
    m_trainMarks = marks(m_trainLoss->color());
    m_valMarks = marks(m_valLoss->color());
    for (QXYSeries *s :
         {static_cast<QXYSeries *>(m_batchLoss), static_cast<QXYSeries *>(m_trainLoss),
          static_cast<QXYSeries *>(m_valLoss), static_cast<QXYSeries *>(m_trainMarks),
          static_cast<QXYSeries *>(m_valMarks)})
        loss->addSeries(s);
    // Markers share the colour of their line; only the lines are in the legend.
    const auto markers = loss->legend()->markers();
    for (QLegendMarker *m : markers)
        if (m->series() == m_trainMarks || m->series() == m_valMarks)
            m->setVisible(false);
    m_x = new QValueAxis;
    m_x->setTitleText(tr("epoch"));
    m_x->setLabelFormat(QStringLiteral("%.0f"));
    loss->addAxis(m_x, Qt::AlignBottom);
    for (QAbstractSeries *s : loss->series())
        s->attachAxis(m_x);
    m_lossView = makeView(loss, QStringLiteral("lossChart"));
    // The legend, the x tick labels and the x title, and a plot: shorter, Qt Charts squeezes the
    // x axis and truncates its labels to "...".
    const int lineHeight = fontMetrics().height();
    m_lossView->setMinimumHeight(12 * lineHeight);

    auto *lr = new QChart;
    lr->setTitle(tr("Learning rate"));
    m_lr = line(tr("learning rate"), QColor(0x2e, 0x7d, 0x32), 1.5);
    lr->addSeries(m_lr);
    lr->legend()->hide();
    m_lrX = new QValueAxis;
    m_lrX->setLabelFormat(QStringLiteral("%.0f"));
    m_lrY = new QValueAxis;
    m_lrY->setLabelFormat(QStringLiteral("%.1e"));
    m_lrY->setTickCount(3); // 0, half, top: more labels than that do not fit the small chart
    lr->addAxis(m_lrX, Qt::AlignBottom);
    lr->addAxis(m_lrY, Qt::AlignLeft);
    m_lr->attachAxis(m_lrX);
    m_lr->attachAxis(m_lrY);
    m_lrView = makeView(lr, QStringLiteral("learningRateChart"));
    m_lrView->setMinimumHeight(7 * lineHeight); // title, three labelled ticks and the x axis
    m_lossName = tr("loss");

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_lossView, 3);
    layout->addWidget(m_lrView, 1);
    replaceLossAxis();
    clear();
}

TrainingCurves::~TrainingCurves() = default;

CsvTable TrainingCurves::csvTable() const
{
    CsvTable table;
    const auto add = [&table](const QString &curve, const QList<QPointF> &points) {
        for (const QPointF &p : points)
            table.rows.append({curve, csvNumber(p.x()), csvNumber(p.y())});
    };
    add(QStringLiteral("train_batch"), QList<QPointF>(m_rawBatch.begin(), m_rawBatch.end()));
    add(QStringLiteral("train_epoch"), m_trainLoss->points());
    add(QStringLiteral("validation"), m_valLoss->points());
    add(QStringLiteral("learning_rate"), m_lr->points());
    if (!table.rows.isEmpty())
        table.header =
            QStringList{QStringLiteral("curve"), QStringLiteral("epoch"), QStringLiteral("value")};
    return table;
}

QChart *TrainingCurves::lossChart() const
{
    return m_lossView->chart();
}

QChart *TrainingCurves::learningRateChart() const
{
    return m_lrView->chart();
}

void TrainingCurves::clear(int epochs)
{
    for (QXYSeries *s :
         {static_cast<QXYSeries *>(m_batchLoss), static_cast<QXYSeries *>(m_trainLoss),
          static_cast<QXYSeries *>(m_valLoss), static_cast<QXYSeries *>(m_trainMarks),
          static_cast<QXYSeries *>(m_valMarks), static_cast<QXYSeries *>(m_lr)})
        s->clear();
    m_rawBatch.clear();
    m_ema = 0.0;
    m_emaWeightPower = 1.0;
    m_epochs = std::max(0, epochs);
    m_xMax = m_epochs > 0 ? m_epochs : 1.0;
    applyXRange();
    m_yMin = 1.0;
    m_yMax = 0.0;
    m_yPosMin = 0.0;
    m_lrMax = 0.0;
    m_hasX = false;
    m_lrY->setRange(0, 1e-3);
    applyLossRange();
    updateTickLabels();
}

void TrainingCurves::updateTickLabels()
{
    const bool xKnown = m_epochs > 0 || m_hasX;
    setTickLabelsVisible(m_x, xKnown);
    setTickLabelsVisible(m_lrX, xKnown);
    setTickLabelsVisible(m_y, m_yMin <= m_yMax);
    setTickLabelsVisible(m_lrY, m_lrMax > 0.0);
}

void TrainingCurves::includeX(double x)
{
    if (!m_hasX) {
        m_hasX = true;
        updateTickLabels();
    }
    if (x <= m_xMax)
        return;
    m_xMax = m_epochs > 0 ? std::max(double(m_epochs), std::ceil(x)) : std::ceil(x);
    applyXRange();
}

void TrainingCurves::applyXRange()
{
    // Room for a label of up to four digits and a gap per tick; narrower, Qt Charts truncates
    // the labels to "...". The y axis labels take about 80 px of the width (as wide as the charts).
    const int perTick = fontMetrics().horizontalAdvance(QStringLiteral("000000"));
    const int ticks = std::clamp((width() - 80) / std::max(1, perTick), 2, 8);
    setRangeWithWholeTicks(m_x, 0, m_xMax, ticks);
    setRangeWithWholeTicks(m_lrX, 0, m_xMax, ticks);
}

void TrainingCurves::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    applyXRange();
}

void TrainingCurves::includeLoss(double y)
{
    if (!std::isfinite(y))
        return;
    bool changed = false;
    if (m_yMin > m_yMax) {
        m_yMin = m_yMax = y;
        changed = true;
    } else if (y < m_yMin || y > m_yMax) {
        m_yMin = std::min(m_yMin, y);
        m_yMax = std::max(m_yMax, y);
        changed = true;
    }
    if (y > 0 && (m_yPosMin <= 0 || y < m_yPosMin)) {
        m_yPosMin = y;
        changed = true;
    }
    if (changed) {
        applyLossRange();
        updateTickLabels();
    }
}

void TrainingCurves::applyLossRange()
{
    if (m_yMin > m_yMax) { // nothing yet
        m_y->setRange(m_log ? 0.01 : 0.0, 1.0);
        return;
    }
    if (m_log) {
        const double lo = m_yPosMin > 0 ? m_yPosMin : 0.01;
        const double hi = std::max(m_yMax, lo * 1.01);
        m_y->setRange(lo / 1.15, hi * 1.15);
    } else {
        // Down to 0 for losses that cannot be negative; below it for those that are.
        const double pad = std::max(1e-9, (m_yMax - m_yMin) * 0.05);
        m_y->setRange(m_yMin >= 0.0 ? std::max(0.0, m_yMin - pad) : m_yMin - pad, m_yMax + pad);
    }
}

void TrainingCurves::replaceLossAxis()
{
    QChart *chart = m_lossView->chart();
    if (m_y) {
        chart->removeAxis(m_y); // detaches the series
        delete m_y;
    }
    if (m_log) {
        auto *axis = new QLogValueAxis;
        axis->setBase(10.0);
        axis->setLabelFormat(QStringLiteral("%.3g"));
        axis->setMinorTickCount(-1);
        m_y = axis;
    } else {
        auto *axis = new QValueAxis;
        axis->setLabelFormat(QStringLiteral("%.3g"));
        m_y = axis;
    }
    m_y->setTitleText(m_log ? tr("%1 (log)").arg(m_lossName) : m_lossName);
    chart->addAxis(m_y, Qt::AlignLeft);
    for (QAbstractSeries *s : chart->series())
        s->attachAxis(m_y);
    applyLossRange();
    updateTickLabels();
}

void TrainingCurves::setLogScale(bool on)
{
    if (on == m_log)
        return;
    m_log = on;
    replaceLossAxis();
    rebuildBatchCurve(); // the log axis leaves out non-positive points
}

void TrainingCurves::setLossName(const QString &name)
{
    m_lossName = name;
    m_y->setTitleText(m_log ? tr("%1 (log)").arg(m_lossName) : m_lossName);
}

void TrainingCurves::setSmoothing(double weight)
{
    weight = std::clamp(weight, 0.0, 0.999);
    if (weight == m_smoothing)
        return;
    m_smoothing = weight;
    rebuildBatchCurve();
}

void TrainingCurves::appendBatchPoint(double x, double y)
{
    double shown = y;
    if (m_smoothing > 0.0) {
        m_ema = m_smoothing * m_ema + (1.0 - m_smoothing) * y;
        m_emaWeightPower *= m_smoothing;
        shown = m_ema / (1.0 - m_emaWeightPower);
    }
    if (m_log && !(shown > 0.0))
        return;
    m_batchLoss->append(x, shown);
}

void TrainingCurves::rebuildBatchCurve()
{
    m_ema = 0.0;
    m_emaWeightPower = 1.0;
    QList<QPointF> points;
    points.reserve(qsizetype(m_rawBatch.size()));
    for (const QPointF &p : m_rawBatch) {
        double shown = p.y();
        if (m_smoothing > 0.0) {
            m_ema = m_smoothing * m_ema + (1.0 - m_smoothing) * p.y();
            m_emaWeightPower *= m_smoothing;
            shown = m_ema / (1.0 - m_emaWeightPower);
        }
        if (!m_log || shown > 0.0)
            points.append(QPointF(p.x(), shown));
    }
    m_batchLoss->replace(points);
}

void TrainingCurves::addBatch(double x, double loss, double lr)
{
    if (!std::isfinite(x))
        return;
    includeX(x);
    if (std::isfinite(loss)) {
        m_rawBatch.emplace_back(x, loss);
        includeLoss(loss);
        appendBatchPoint(x, loss);
    }
    if (std::isfinite(lr)) {
        if (lr > m_lrMax) {
            m_lrMax = lr;
            m_lrY->setRange(0, lr * 1.1);
            updateTickLabels();
        }
        m_lr->append(x, lr);
    }
}

void TrainingCurves::addEpoch(int epoch, double trainLoss, double valLoss)
{
    includeX(epoch);
    if (std::isfinite(trainLoss) && (!m_log || trainLoss > 0)) {
        includeLoss(trainLoss);
        m_trainLoss->append(epoch, trainLoss);
        m_trainMarks->append(epoch, trainLoss);
    }
    if (std::isfinite(valLoss) && (!m_log || valLoss > 0)) {
        includeLoss(valLoss);
        m_valLoss->append(epoch, valLoss);
        m_valMarks->append(epoch, valLoss);
    }
}

} // namespace twb
