#include "WhatIfChart.h"

#include "widgets/common/LineChart.h"
#include "widgets/common/Theme.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHorizontalBarSeries>
#include <QLabel>
#include <QLineSeries>
#include <QSignalBlocker>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <QValueAxis>

#include <cmath>

namespace twb {

namespace {

/// Value i at x = (firstStep + i) / stepsPerUnit (steps, or seconds at a sound's rate).
QList<QPointF> points(const std::vector<float> &values, int firstStep, double stepsPerUnit = 1.0)
{
    QList<QPointF> out;
    out.reserve(qsizetype(values.size()));
    for (std::size_t i = 0; i < values.size(); ++i)
        if (std::isfinite(values[i]))
            out.append(QPointF((firstStep + double(i)) / stepsPerUnit, double(values[i])));
    return out;
}

/// The horizontal axis of a line chart.
QAbstractAxis *horizontalAxis(QChart *chart)
{
    const QList<QAbstractAxis *> axes = chart->axes(Qt::Horizontal);
    return axes.isEmpty() ? nullptr : axes.first();
}

} // namespace

WhatIfChart::WhatIfChart(QWidget *parent)
    : QWidget(parent)
{
    m_channelBox = new QComboBox(this);
    m_channelBox->setToolTip(tr("The channel whose forecast is drawn"));
    m_lineView = makeLineChart(tr("Step from the forecast start"));
    QChart *chart = m_lineView->chart();
    m_history = addLineSeries(chart, tr("input"), 0x9a9a9a, Qt::SolidLine);
    m_editedHistory = addLineSeries(chart, tr("input after the edit"), 0xf28e2b, Qt::SolidLine);
    m_truth = addLineSeries(chart, tr("truth"), 0x4e79a7, Qt::SolidLine);
    m_original = addLineSeries(chart, tr("forecast"), 0xe15759, Qt::DashLine);
    m_edited = addLineSeries(chart, tr("forecast after the edit"), 0x59a14f, Qt::SolidLine);
    attachToAxes(chart, {m_history, m_editedHistory, m_truth, m_original, m_edited});

    m_barView = new QChartView(new QChart, this);
    m_barView->setRenderHint(QPainter::Antialiasing);
    m_barView->chart()->legend()->setAlignment(Qt::AlignTop);
    m_barView->chart()->setBackgroundRoundness(0);
    followPaletteTheme(m_barView);

    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_lineView);
    m_stack->addWidget(m_barView);

    auto *top = new QHBoxLayout;
    m_channelLabel = new QLabel(tr("Channel:"), this);
    top->addWidget(m_channelLabel);
    top->addWidget(m_channelBox);
    top->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_stack, 1);
    connect(m_channelBox, &QComboBox::currentIndexChanged, this, [this] { showForecast(); });
}

void WhatIfChart::setResult(WhatIfAnswer result)
{
    const bool sameColumns = result.names == m_result.names;
    m_result = std::move(result);
    if (!hasResult()) { // cleared: nothing drawn
        for (QLineSeries *line : {m_history, m_editedHistory, m_truth, m_original, m_edited})
            line->clear();
        fitLineAxes(m_lineView->chart(), {}); // no tick labels on the placeholder range
        m_lineView->chart()->setTitle({});
        m_barView->chart()->removeAllSeries();
        m_barView->chart()->setTitle({});
        return;
    }
    m_channelBox->setVisible(!m_result.classify);
    m_channelLabel->setVisible(!m_result.classify);
    labelSeries();
    if (m_result.classify) {
        m_stack->setCurrentWidget(m_barView);
        showProbabilities();
        return;
    }
    if (!sameColumns) {
        const QSignalBlocker block(m_channelBox);
        m_channelBox->clear();
        m_channelBox->addItems(m_result.names);
        m_channelBox->setCurrentIndex(int(m_result.names.size()) - 1);
    }
    m_stack->setCurrentWidget(m_lineView);
    showForecast();
}

void WhatIfChart::labelSeries()
{
    const bool sound = m_result.separate;
    m_channelLabel->setText(sound ? tr("Source:") : tr("Channel:"));
    m_channelBox->setToolTip(sound ? tr("The source whose estimate is drawn")
                                   : tr("The channel whose forecast is drawn"));
    m_history->setName(sound ? tr("mixture") : tr("input"));
    m_editedHistory->setName(sound ? tr("mixture after the edit") : tr("input after the edit"));
    m_truth->setName(sound ? tr("reference") : tr("truth"));
    m_original->setName(sound ? tr("estimate") : tr("forecast"));
    m_edited->setName(sound ? tr("estimate after the edit") : tr("forecast after the edit"));
    if (auto *x = qobject_cast<QValueAxis *>(horizontalAxis(m_lineView->chart()))) {
        x->setTitleText(sound ? tr("Time (s)") : tr("Step from the forecast start"));
        x->setLabelFormat(sound ? QStringLiteral("%.3g") : QStringLiteral("%.0f")); // 0.25 s
    }
}

void WhatIfChart::setChannel(int channel)
{
    m_channelBox->setCurrentIndex(channel);
}

int WhatIfChart::channel() const
{
    return m_channelBox->currentIndex();
}

void WhatIfChart::showForecast()
{
    if (m_result.classify || m_result.rows == 0)
        return;
    const int c = channel();
    if (m_result.separate) { // one mixture under every source, on the same time axis
        const double rate = m_result.sampleRate;
        m_history->replace(points(m_result.history, 0, rate));
        m_editedHistory->replace(points(m_result.editedHistory, 0, rate));
        m_truth->replace(points(m_result.column(m_result.truth, c), 0, rate));
        m_original->replace(points(m_result.column(m_result.original, c), 0, rate));
        m_edited->replace(points(m_result.column(m_result.edited, c), 0, rate));
    } else {
        const int lookback = m_result.lookback;
        m_history->replace(points(m_result.column(m_result.history, c), -lookback));
        m_editedHistory->replace(points(m_result.column(m_result.editedHistory, c), -lookback));
        m_truth->replace(points(m_result.column(m_result.truth, c), 0));
        m_original->replace(points(m_result.column(m_result.original, c), 0));
        m_edited->replace(points(m_result.column(m_result.edited, c), 0));
    }
    m_lineView->chart()->setTitle(tr("%1 — %2").arg(m_result.label, m_result.names.value(c)));
    fitLineAxes(m_lineView->chart(), {m_history, m_editedHistory, m_truth, m_original, m_edited});
}

void WhatIfChart::showProbabilities()
{
    QChart *chart = m_barView->chart();
    chart->removeAllSeries();
    for (QAbstractAxis *axis : chart->axes())
        chart->removeAxis(axis);
    auto *before = new QBarSet(tr("before the edit"));
    auto *after = new QBarSet(tr("after the edit"));
    before->setColor(QColor(0xe15759));
    after->setColor(QColor(0x59a14f));
    QStringList categories;
    // Horizontal bars are drawn bottom-up: add the classes in reverse to read them top-down.
    for (int k = m_result.cols - 1; k >= 0; --k) {
        QString name = m_result.names.value(k);
        if (name == m_result.truthClass)
            name += tr(" (truth)");
        categories << name;
        before->append(double(m_result.original[std::size_t(k)]));
        after->append(double(m_result.edited[std::size_t(k)]));
    }
    auto *series = new QHorizontalBarSeries;
    series->append(before);
    series->append(after);
    chart->addSeries(series);
    auto *classes = new QBarCategoryAxis;
    classes->append(categories);
    auto *probability = new QValueAxis;
    probability->setRange(0.0, 1.0);
    probability->setTickCount(6); // 0, 0.2, ..., 1
    probability->setTitleText(tr("Probability"));
    probability->setLabelFormat(QStringLiteral("%.1f"));
    chart->addAxis(classes, Qt::AlignLeft);
    chart->addAxis(probability, Qt::AlignBottom);
    series->attachAxis(classes);
    series->attachAxis(probability);
    chart->setTitle(m_result.label);
    applyChartTheme(chart, systemPrefersDark(palette()));
}

CsvTable WhatIfChart::csvTable() const
{
    CsvTable table;
    if (m_result.rows == 0)
        return table;
    if (m_result.classify) {
        table.header = {QStringLiteral("class"), QStringLiteral("p_original"),
                        QStringLiteral("p_edited")};
        for (int k = 0; k < m_result.cols; ++k)
            table.rows.append({m_result.names.value(k),
                               csvNumber(double(m_result.original[std::size_t(k)])),
                               csvNumber(double(m_result.edited[std::size_t(k)]))});
        return table;
    }
    table.header << (m_result.separate ? QStringLiteral("seconds") : QStringLiteral("step"));
    for (const QString &name : m_result.names)
        table.header << name + QStringLiteral("_original") << name + QStringLiteral("_edited")
                     << name + QStringLiteral("_truth");
    for (int r = 0; r < m_result.rows; ++r) {
        QStringList row{m_result.separate ? csvNumber(double(r) / m_result.sampleRate)
                                          : QString::number(r)};
        for (int c = 0; c < m_result.cols; ++c) {
            const std::size_t i = std::size_t(r) * std::size_t(m_result.cols) + std::size_t(c);
            row << csvNumber(double(m_result.original[i])) << csvNumber(double(m_result.edited[i]))
                << (m_result.truth.empty() ? QString() : csvNumber(double(m_result.truth[i])));
        }
        table.rows.append(row);
    }
    return table;
}

} // namespace twb
