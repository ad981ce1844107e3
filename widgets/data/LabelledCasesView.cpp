#include "LabelledCasesView.h"

#include "widgets/common/ChartTicks.h"
#include "widgets/common/LineChart.h"
#include "widgets/common/MinMaxDecimator.h"

#include <QBoxLayout>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QFileInfo>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QSpinBox>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace twb {

namespace {

/// Columns a case is decimated to (a minimum and a maximum each): about the plot width of a
/// full-screen window on a 1920-pixel screen; wider plots draw a little coarser.
constexpr int kBuckets = 1200;

} // namespace

QString LabelledCasesView::emptyTitle()
{
    return tr("No labelled cases: File \u25b8 Open Labelled Data or Open Audio Folder");
}

LabelledCasesView::LabelledCasesView(QWidget *parent)
    : QWidget(parent)
{
    m_channel = new QComboBox;
    m_channel->setObjectName(QStringLiteral("casesChannel"));
    m_channel->setToolTip(tr("The channel drawn"));
    m_class = new QComboBox;
    m_class->setObjectName(QStringLiteral("casesClass"));
    m_class->setToolTip(tr("The class drawn, or all of them"));
    m_perClass = new QSpinBox;
    m_perClass->setObjectName(QStringLiteral("casesPerClass"));
    m_perClass->setRange(1, kMaxPerClass);
    m_perClass->setValue(kDefaultPerClass);
    m_perClass->setToolTip(tr("How many cases of each class are drawn (the first ones)"));
    m_info = new QLabel;
    m_info->setObjectName(QStringLiteral("casesInfo"));
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Channel")));
    controls->addWidget(m_channel);
    controls->addSpacing(12);
    controls->addWidget(new QLabel(tr("Class")));
    controls->addWidget(m_class);
    controls->addSpacing(12);
    controls->addWidget(new QLabel(tr("Cases per class")));
    controls->addWidget(m_perClass);
    controls->addSpacing(12);
    controls->addWidget(m_info, 1);

    m_view = makeLineChart(tr("step"));
    m_view->setObjectName(QStringLiteral("casesChart"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(controls);
    layout->addWidget(m_view, 1);

    connect(m_channel, &QComboBox::currentIndexChanged, this, [this](int index) {
        redraw();
        Q_EMIT channelChanged(index);
    });
    connect(m_class, &QComboBox::currentIndexChanged, this, [this] { redraw(); });
    connect(m_perClass, &QSpinBox::valueChanged, this, [this] { redraw(); });
    redraw();
}

QChart *LabelledCasesView::chart() const
{
    return m_view->chart();
}

int LabelledCasesView::channel() const
{
    return std::max(0, m_channel->currentIndex());
}

void LabelledCasesView::setChannel(int channel)
{
    m_channel->setCurrentIndex(channel);
}

int LabelledCasesView::casesPerClass() const
{
    return m_perClass->value();
}

void LabelledCasesView::setCasesPerClass(int count)
{
    m_perClass->setValue(count);
}

int LabelledCasesView::shownClass() const
{
    return m_class->currentIndex() - 1;
}

void LabelledCasesView::setShownClass(int label)
{
    m_class->setCurrentIndex(label + 1);
}

void LabelledCasesView::setHighlightedCase(const QString &source)
{
    m_highlight = source;
    if (!source.isEmpty()) {
        const QSignalBlocker block(m_class);
        m_class->setCurrentIndex(0);
    }
    redraw();
}

void LabelledCasesView::setPreview(LabelledCasesPreview preview)
{
    m_preview = std::move(preview);
    m_highlight.clear();
    {
        const QSignalBlocker blockChannel(m_channel);
        m_channel->clear();
        m_channel->addItems(m_preview.channelNames);
        m_channel->setEnabled(m_preview.channelNames.size() > 1);
        const QSignalBlocker blockClass(m_class);
        m_class->clear();
        m_class->addItem(tr("all"));
        m_class->addItems(m_preview.classNames);
        const bool sound = m_preview.sampleRate > 0.0 && !m_preview.classNames.isEmpty();
        m_class->setCurrentIndex(sound ? 1 : 0);
        m_class->setEnabled(m_preview.classNames.size() > 1);
    }
    redraw();
}

template<typename F>
void LabelledCasesView::forEachDrawnCase(F f) const
{
    std::vector<int> drawn(std::size_t(m_preview.classNames.size()), 0);
    const int only = shownClass();
    const LabelledCase *highlighted = nullptr;
    for (const LabelledCase &cs : m_preview.cases) {
        if (cs.label < 0 || cs.label >= int(drawn.size()) || cs.length < 1)
            continue;
        if (!m_highlight.isEmpty() && cs.source == m_highlight)
            highlighted = &cs;
        else if ((only < 0 || cs.label == only) && drawn[std::size_t(cs.label)] < casesPerClass()) {
            ++drawn[std::size_t(cs.label)];
            f(cs);
        }
    }
    if (highlighted)
        f(*highlighted);
}

CsvTable LabelledCasesView::csvTable() const
{
    CsvTable table;
    if (m_preview.isEmpty())
        return table;
    const bool audio = m_preview.sampleRate > 0.0;
    const int channels = int(m_preview.channelNames.size());
    const int ch = std::clamp(channel(), 0, std::max(0, channels - 1));
    table.header = {QStringLiteral("class"), QStringLiteral("case"), QStringLiteral("step")};
    if (audio)
        table.header << QStringLiteral("seconds");
    table.header << m_preview.channelNames.value(ch);
    forEachDrawnCase([&](const LabelledCase &cs) {
        const QString className = m_preview.classNames.value(cs.label);
        for (std::int64_t i = 0; i < cs.length; ++i) {
            QStringList row{className, cs.source, QString::number(i)};
            if (audio)
                row << csvNumber(double(i) / m_preview.sampleRate);
            row << csvNumber(double(cs.values[std::size_t(i * channels + ch)]));
            table.rows.append(std::move(row));
        }
    });
    return table;
}

void LabelledCasesView::redraw()
{
    QChart *c = chart();
    c->removeAllSeries();
    m_lines.clear();
    m_highlightDrawn = false;
    const bool audio = m_preview.sampleRate > 0.0;
    const auto horizontal = c->axes(Qt::Horizontal);
    auto *xAxis = qobject_cast<QValueAxis *>(horizontal.value(0));
    const auto vertical = c->axes(Qt::Vertical);
    auto *yAxis = qobject_cast<QValueAxis *>(vertical.value(0));
    if (m_preview.isEmpty()) {
        c->setTitle(emptyTitle());
        m_info->clear();
        if (xAxis)
            setRangeWithWholeTicks(xAxis, 0.0, 1.0);
        if (yAxis)
            setRangeWithWholeTicks(yAxis, 0.0, 1.0);
        setTickLabelsVisible(c, false); // placeholder ranges
        return;
    }

    const int channels = int(m_preview.channelNames.size());
    const int ch = std::clamp(channel(), 0, std::max(0, channels - 1));
    std::vector<bool> named(std::size_t(m_preview.classNames.size()), false);
    std::vector<double> x;
    double xEnd = 0.0; // the last step (or second) of the longest drawn case
    forEachDrawnCase([&](const LabelledCase &cs) {
        const bool isHighlighted = !m_highlight.isEmpty() && cs.source == m_highlight;
        m_highlightDrawn = m_highlightDrawn || isHighlighted;
        const bool inLegend = isHighlighted || !named[std::size_t(cs.label)];
        if (!isHighlighted)
            named[std::size_t(cs.label)] = true;
        x.resize(std::size_t(cs.length));
        for (std::int64_t i = 0; i < cs.length; ++i)
            x[std::size_t(i)] = audio ? double(i) / m_preview.sampleRate : double(i);
        xEnd = std::max(xEnd, x.back());
        const QList<QPointF> points =
            decimateMinMax(x, cs.values.data() + ch, channels, x.front(), x.back(), kBuckets);
        const QString className = m_preview.classNames.value(cs.label);
        QLineSeries *line = addLineSeries(
            c, isHighlighted ? tr("%1 (class %2)").arg(cs.source, className) : className,
            isHighlighted ? QColor(categoricalColor(cs.label)).darker(170).rgb()
                          : categoricalColor(cs.label),
            Qt::SolidLine);
        QPen pen = line->pen();
        pen.setWidthF(isHighlighted ? 3.0 : audio ? 1.0 : 1.4);
        line->setPen(pen);
        line->replace(points);
        const auto markers = c->legend()->markers(line);
        if (!inLegend && !markers.isEmpty())
            markers.first()->setVisible(false);
        m_lines.append(line);
    });
    attachToAxes(c, m_lines);
    fitLineAxes(c, m_lines);
    if (xAxis) {
        xAxis->setTitleText(audio ? tr("seconds") : tr("step"));
        xAxis->setLabelFormat(audio ? QStringLiteral("%.2f") : QStringLiteral("%.0f"));
        // The whole of the longest case (its last sample may not survive decimation).
        if (audio)
            setRangeWithNiceTicks(xAxis, 0.0, std::max(xEnd, 1.0 / m_preview.sampleRate));
        else
            setRangeWithWholeTicks(xAxis, 0.0, std::max(xEnd, 1.0));
    }
    if (yAxis)
        yAxis->setTitleText(m_preview.channelNames.value(ch));

    std::int64_t total = 0;
    for (std::int64_t n : m_preview.counts)
        total += n;
    c->setTitle(QFileInfo(m_preview.sourcePath).fileName());
    m_info->setText(tr("%1 of %2 cases drawn \u00b7 %3 classes")
                        .arg(m_lines.size())
                        .arg(total)
                        .arg(m_preview.classNames.size()));
    if (m_highlightDrawn)
        m_info->setText(m_info->text() + tr(" \u00b7 %1 on top").arg(m_highlight));
}

} // namespace twb
