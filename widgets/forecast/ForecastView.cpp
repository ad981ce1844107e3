#include "ForecastView.h"

#include "widgets/common/ChartTicks.h"
#include "widgets/common/LineChart.h"
#include "widgets/common/Theme.h"
#include "widgets/common/WallClock.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QSlider>
#include <QSplitter>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

namespace twb {

namespace {

QString errorText(const QString &what, const ForecastErrors &e)
{
    if (e.elements == 0)
        return QObject::tr("%1: no values").arg(what);
    return QObject::tr("%1: MSE %2, MAE %3 (normalised) \u2014 MSE %4, MAE %5 (original units)")
        .arg(what)
        .arg(e.mse, 0, 'f', 4)
        .arg(e.mae, 0, 'f', 4)
        .arg(e.mseOriginal, 0, 'g', 5)
        .arg(e.maeOriginal, 0, 'g', 5);
}

} // namespace

ForecastView::ForecastView(QWidget *parent)
    : QWidget(parent)
{
    m_channelBox = new QComboBox;
    m_slider = new QSlider(Qt::Horizontal);
    m_slider->setRange(0, 0);
    m_slider->setPageStep(10);
    m_windowLabel = new QLabel;
    m_windowLabel->setMinimumWidth(220);
    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Channel")));
    bar->addWidget(m_channelBox);
    bar->addWidget(new QLabel(tr("Test window")));
    bar->addWidget(m_slider, 1);
    bar->addWidget(m_windowLabel);

    m_chart = makeLineChart(tr("Step from the forecast start"));
    QChart *chart = m_chart->chart();
    m_history = addLineSeries(chart, tr("history"), 0x7f7f7f, Qt::SolidLine);
    m_truth = addLineSeries(chart, tr("truth"), 0x4e79a7, Qt::SolidLine);
    m_prediction = addLineSeries(chart, tr("prediction"), 0xe15759, Qt::DashLine);
    attachToAxes(chart, {m_history, m_truth, m_prediction});

    m_metrics = new QLabel;
    m_metrics->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_metrics->setWordWrap(true);

    m_futureChart = makeLineChart(tr("Step after the last row of the data"));
    m_futureHistory = addLineSeries(m_futureChart->chart(), tr("data"), 0x7f7f7f, Qt::SolidLine);
    m_future = addLineSeries(m_futureChart->chart(), tr("forecast"), 0x59a14f, Qt::SolidLine);
    attachToAxes(m_futureChart->chart(), {m_futureHistory, m_future});
    m_futureLabel = new QLabel;
    m_futureLabel->setWordWrap(true);
    m_futureButton = new QPushButton(tr("Forecast Beyond the Data"));
    m_futureButton->setObjectName(QStringLiteral("forecastBeyondButton"));
    m_futureButton->setToolTip(
        tr("Forecast the next horizon after the last row of the run's data, with the run's best "
           "weights (twb-cli predict)"));
    m_saveFutureButton = new QPushButton(tr("Save Forecast\u2026"));
    m_saveFutureButton->setObjectName(QStringLiteral("saveForecastButton"));
    m_saveFutureButton->setToolTip(tr("Save the forecast beyond the data as CSV"));
    auto *futureBar = new QHBoxLayout;
    futureBar->addWidget(m_futureLabel, 1);
    futureBar->addWidget(m_futureButton);
    futureBar->addWidget(m_saveFutureButton);

    // The forecast past the end is shown only once one is loaded (setFutureForecast).
    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(m_chart);
    splitter->addWidget(m_futureChart);
    splitter->setSizes({300, 200});

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(splitter, 1);
    layout->addLayout(futureBar);
    layout->addWidget(m_metrics);

    connect(m_slider, &QSlider::valueChanged, this, &ForecastView::setWindow);
    connect(m_futureButton, &QPushButton::clicked, this, &ForecastView::futureForecastRequested);
    connect(m_saveFutureButton, &QPushButton::clicked, this,
            &ForecastView::saveFutureForecastRequested);
    connect(m_channelBox, &QComboBox::currentIndexChanged, this, &ForecastView::setChannel);
    clear();
}

ForecastView::~ForecastView() = default;

void ForecastView::setRun(ForecastRunData run, std::shared_ptr<const SeriesDataset> data)
{
    setPredictions(std::move(run.predictions), run.lookback, std::move(data), run.target);
}

void ForecastView::showFailure(const QString &message)
{
    clear();
    m_metrics->setText(message);
}

void ForecastView::setPredictions(PredictionsRecord record, std::int64_t lookback,
                                  std::shared_ptr<const SeriesDataset> data, const QString &target)
{
    m_record = std::move(record);
    // A forecast past the end belongs to the run shown before.
    m_futureForecast.reset();
    m_futureBusy = false;
    m_lookback = std::max<std::int64_t>(lookback, 0);
    m_data = std::move(data);
    m_scored = target.isEmpty() ? -1 : int(m_record.channelNames.indexOf(target));
    m_overall = forecastErrors(m_record.values, 0, m_record.values.windows, m_scored);
    m_window = 0;
    m_channel = std::max(0, m_scored);
    {
        const QSignalBlocker blockBox(m_channelBox);
        const QSignalBlocker blockSlider(m_slider);
        m_channelBox->clear();
        m_channelBox->addItems(m_record.channelNames);
        m_channelBox->setCurrentIndex(m_record.channelNames.isEmpty() ? -1 : m_channel);
        m_slider->setRange(0, std::max(0, windowCount() - 1));
        m_slider->setValue(0);
    }
    m_slider->setEnabled(windowCount() > 1);
    updateWindow();
    updateFuture();
}

void ForecastView::clear()
{
    setPredictions({}, 0, nullptr);
    m_futureForecast.reset();
    updateFuture();
}

void ForecastView::setFutureForecast(FutureForecast forecast)
{
    m_futureBusy = false;
    m_futureForecast = std::move(forecast);
    updateFuture();
}

void ForecastView::clearFutureForecast()
{
    m_futureForecast.reset();
    updateFuture();
}

void ForecastView::showFutureForecastFailure(const QString &message)
{
    m_futureBusy = false;
    clearFutureForecast();
    m_futureLabel->setText(message);
}

void ForecastView::setFutureForecastBusy(bool busy)
{
    m_futureBusy = busy;
    if (busy)
        m_futureForecast.reset();
    updateFuture();
}

void ForecastView::setWindow(int window)
{
    window = std::clamp(window, 0, std::max(0, windowCount() - 1));
    if (m_slider->value() != window) {
        m_slider->setValue(window); // re-enters through valueChanged
        return;
    }
    if (window == m_window && !m_truth->points().isEmpty())
        return;
    m_window = window;
    updateWindow();
    Q_EMIT windowChanged(m_window);
}

void ForecastView::setChannel(int channel)
{
    if (channel < 0 || channel >= m_record.channelNames.size())
        return;
    if (m_channelBox->currentIndex() != channel) {
        m_channelBox->setCurrentIndex(channel); // re-enters through currentIndexChanged
        return;
    }
    m_channel = channel;
    updateWindow();
    updateFuture();
}

int ForecastView::dataChannel(int channel) const
{
    if (!m_data || channel < 0 || channel >= m_record.channelNames.size())
        return -1;
    return int(m_data->channelNames.indexOf(m_record.channelNames[channel]));
}

QString ForecastView::timeText(std::int64_t ms) const
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd hh:mm"));
}

ForecastErrors ForecastView::windowErrors() const
{
    return forecastErrors(m_record.values, m_window, m_window + 1, m_channel);
}

ForecastErrors ForecastView::windowErrorsAllChannels() const
{
    return forecastErrors(m_record.values, m_window, m_window + 1);
}

void ForecastView::updateWindow()
{
    const ForecastPredictions &p = m_record.values;
    QList<QPointF> history, truth, prediction;
    const bool valid = p.windows > 0 && m_channel < p.channels;
    if (valid) {
        for (std::int64_t h = 0; h < p.horizon; ++h) {
            const std::size_t i = std::size_t((m_window * p.horizon + h) * p.channels + m_channel);
            truth << QPointF(double(h), double(p.truthOriginal[i]));
            prediction << QPointF(double(h), double(p.predictionOriginal[i]));
        }
        const int c = dataChannel(m_channel);
        const std::int64_t start = m_record.windowStartRows.size() > std::size_t(m_window)
                                       ? m_record.windowStartRows[std::size_t(m_window)]
                                       : -1;
        if (c >= 0 && start >= 0 && start + m_lookback <= m_data->rows())
            for (std::int64_t k = 0; k < m_lookback; ++k)
                history << QPointF(double(k - m_lookback), double(m_data->at(start + k, c)));
    }
    m_history->replace(history);
    m_truth->replace(truth);
    m_prediction->replace(prediction);
    fitLineAxes(m_chart->chart(), {m_history, m_truth, m_prediction});

    if (!valid) {
        m_windowLabel->clear();
        m_chart->chart()->setTitle(tr("No forecasts: open a finished run"));
        if (p.windows == 0)
            m_metrics->clear();
        return;
    }
    QString when;
    if (std::size_t(m_window) < m_record.forecastStartTimes.size())
        when = tr(", forecast from %1")
                   .arg(timeText(m_record.forecastStartTimes[std::size_t(m_window)]));
    else if (std::size_t(m_window) < m_record.windowStartRows.size())
        when = tr(", forecast from row %1")
                   .arg(m_record.windowStartRows[std::size_t(m_window)] + m_lookback);
    m_windowLabel->setText(tr("%1 / %2%3").arg(m_window + 1).arg(windowCount()).arg(when));
    m_chart->chart()->setTitle(tr("%1, %2 window %3 (original units)")
                                   .arg(m_record.channelNames.value(m_channel), m_record.split)
                                   .arg(m_window + 1));
    QString text =
        errorText(tr("Window %1, %2").arg(m_window + 1).arg(m_record.channelNames.value(m_channel)),
                  windowErrors());
    // A run in the MS setting was trained on its scored channel alone: the other channels'
    // forecasts are a by-product, so no all-channel figure is offered for it.
    if (m_scored < 0)
        text += QLatin1Char('\n') + errorText(tr("Window %1, all channels").arg(m_window + 1),
                                              windowErrorsAllChannels());
    text +=
        QLatin1Char('\n') +
        errorText(m_scored < 0
                      ? tr("All %1 %2 windows, all channels").arg(windowCount()).arg(m_record.split)
                      : tr("All %1 %2 windows, %3 (the scored channel)")
                            .arg(windowCount())
                            .arg(m_record.split, m_record.channelNames.value(m_scored)),
                  m_overall);
    m_metrics->setText(text);
}

void ForecastView::updateFuture()
{
    QList<QPointF> history, forecast;
    QString message;
    const QString channelName = m_record.channelNames.value(m_channel);
    if (m_futureBusy) {
        message = tr("Forecasting the %1 steps after the end of the data\u2026")
                      .arg(m_record.values.horizon);
    } else if (!m_futureForecast) {
        message = windowCount() > 0
                      ? tr("Forecast past the end of the data: press \u201cForecast Beyond "
                           "the Data\u201d.")
                      : QString();
    } else {
        const FutureForecast &f = *m_futureForecast;
        const int fc = channelName.isEmpty() ? 0 : int(f.channelNames.indexOf(channelName));
        if (fc < 0) {
            message = tr("%1 has no channel \u201c%2\u201d.").arg(f.sourcePath, channelName);
        } else {
            for (std::int64_t h = 0; h < f.horizon; ++h)
                forecast << QPointF(double(h), double(f.at(h, fc)));
            const int dc = m_data ? int(m_data->channelNames.indexOf(f.channelNames[fc])) : -1;
            if (dc >= 0) {
                const std::int64_t n = std::min<std::int64_t>(
                    m_lookback > 0 ? m_lookback : f.horizon * 2, m_data->rows());
                for (std::int64_t k = 0; k < n; ++k)
                    history << QPointF(double(k - n),
                                       double(m_data->at(m_data->rows() - n + k, dc)));
            }
            // The file is often a temporary one (the window's): named in the tooltip only.
            message = tr("Forecast of %1 past the end of the data: %2 steps from %3 to %4")
                          .arg(f.channelNames[fc])
                          .arg(f.horizon)
                          .arg(f.times.empty() ? QString()
                               : f.timestamped ? timeText(f.times.front())
                                               : tr("row %1").arg(f.times.front()),
                               f.times.empty() ? QString()
                               : f.timestamped ? timeText(f.times.back())
                                               : tr("row %1").arg(f.times.back()));
            m_futureLabel->setToolTip(QDir::toNativeSeparators(f.sourcePath));
        }
    }
    m_futureChart->setVisible(m_futureForecast.has_value());
    m_futureButton->setVisible(windowCount() > 0);
    m_futureButton->setEnabled(!m_futureBusy);
    m_saveFutureButton->setVisible(m_futureForecast.has_value());
    m_futureHistory->replace(history);
    m_future->replace(forecast);
    fitLineAxes(m_futureChart->chart(), {m_futureHistory, m_future});
    m_futureLabel->setText(message);
}

CsvTable ForecastView::csvTable() const
{
    CsvTable table;
    const ForecastPredictions &p = m_record.values;
    if (p.windows == 0 || m_channel >= p.channels)
        return table;
    table.header = {QStringLiteral("step"),
                    QStringLiteral("row"),
                    QStringLiteral("time"),
                    QStringLiteral("history"),
                    QStringLiteral("truth"),
                    QStringLiteral("prediction"),
                    QStringLiteral("truth_normalised"),
                    QStringLiteral("prediction_normalised")};
    const std::int64_t start = std::size_t(m_window) < m_record.windowStartRows.size()
                                   ? m_record.windowStartRows[std::size_t(m_window)]
                                   : -1;
    auto rowTime = [&](std::int64_t row) {
        return m_data && row >= 0 && row < m_data->rows() && m_data->hasTimestamps()
                   ? timeText(m_data->timestamps[std::size_t(row)])
                   : QString();
    };
    const QList<QPointF> history = m_history->points();
    for (qsizetype k = 0; k < history.size(); ++k) {
        const std::int64_t step = std::int64_t(k) - history.size();
        const std::int64_t row = start >= 0 ? start + m_lookback + step : -1;
        table.rows << QStringList{QString::number(step),
                                  row >= 0 ? QString::number(row) : QString(),
                                  rowTime(row),
                                  csvNumber(history[k].y()),
                                  {},
                                  {},
                                  {},
                                  {}};
    }
    for (std::int64_t h = 0; h < p.horizon; ++h) {
        const std::size_t i = std::size_t((m_window * p.horizon + h) * p.channels + m_channel);
        const std::int64_t row = start >= 0 ? start + m_lookback + h : -1;
        table.rows << QStringList{QString::number(h),
                                  row >= 0 ? QString::number(row) : QString(),
                                  rowTime(row),
                                  {},
                                  csvNumber(p.truthOriginal[i]),
                                  csvNumber(p.predictionOriginal[i]),
                                  csvNumber(p.truth[i]),
                                  csvNumber(p.prediction[i])};
    }
    return table;
}

} // namespace twb
