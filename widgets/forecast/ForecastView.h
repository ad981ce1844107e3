#pragma once

#include "client/ForecastRun.h"
#include "client/FutureForecast.h"
#include "data/SeriesDataset.h"
#include "widgets/common/CsvExportable.h"
#include "widgets/forecast/ForecastErrors.h"

#include <QWidget>

#include <memory>
#include <optional>

class QChartView;
class QComboBox;
class QLabel;
class QPushButton;
class QLineSeries;
class QSlider;

namespace twb {

/// The test forecasts of a finished run, one window at a time. For the selected channel the
/// chart shows, in original units over steps relative to the forecast start (history -L..-1,
/// forecast 0..H-1): the history (the window's L lookback rows, from the data set), the truth
/// and the prediction (the run's predictions). A slider steps through the test windows. Labels
/// give MSE/MAE of the window (selected channel and all channels) and of the whole test set
/// (all windows and channels), each on the normalised scale and in original units.
///
/// A second chart shows the forecast past the end of the data when the output of
/// `twb-cli predict` is given (setFutureForecast), after the last L rows of the data. The
/// "Forecast Beyond the Data" button asks for it (futureForecastRequested: the window runs the
/// child and calls setFutureForecastBusy, then setFutureForecast or showFutureForecastFailure);
/// "Save Forecast…" (shown with a forecast) emits saveFutureForecastRequested.
///
/// The view reads no file: it is given what readForecastRun and loadFutureForecast read (on a
/// worker, by app/gui's RunViewsController), or the reason they failed (showFailure).
///
/// The y axis fits history, truth and prediction with a 5 % margin (never stretched to 0). The
/// charts follow a dark palette (followPaletteTheme, Theme.h).
///
/// CSV export: the shown window of the shown channel: step, row, time, history, truth,
/// prediction (original units), truth_normalised, prediction_normalised.
/// Threading: GUI thread only. The data set is shared read-only with the caller.
class ForecastView : public QWidget, public CsvExportable
{
    Q_OBJECT

public:
    explicit ForecastView(QWidget *parent = nullptr);
    ~ForecastView() override;

    /// Shows a run read by readForecastRun: its predictions, lookback and scored channel.
    /// `data` is the run's data set (for the history; nullptr shows no history).
    void setRun(ForecastRunData run, std::shared_ptr<const SeriesDataset> data);
    /// Clears the view and shows why a run could not be shown (e.g. the reader's error).
    void showFailure(const QString &message);
    /// The same as setRun from values in memory.
    /// `target`: the run's scored channel (the MS setting, config "target"); the overall
    /// errors then cover it alone and it is the channel shown first. Empty: every channel.
    void setPredictions(PredictionsRecord record, std::int64_t lookback,
                        std::shared_ptr<const SeriesDataset> data, const QString &target = {});
    void clear();

    /// Shows the output of `twb-cli predict` (as loadFutureForecast reads it).
    void setFutureForecast(FutureForecast forecast);
    /// Clears the forecast past the end of the data.
    void clearFutureForecast();
    /// Clears the forecast past the end of the data and shows why it could not be read.
    void showFutureForecastFailure(const QString &message);
    /// While a forecast past the end is computed: the button is disabled and the label says so.
    void setFutureForecastBusy(bool busy);
    bool isFutureForecastBusy() const { return m_futureBusy; }
    const std::optional<FutureForecast> &futureForecast() const { return m_futureForecast; }

    /// 0-based test window and channel of the predictions (clamped).
    void setWindow(int window);
    int window() const { return m_window; }
    int windowCount() const { return int(m_record.values.windows); }
    void setChannel(int channel);
    int channel() const { return m_channel; }

    const PredictionsRecord &predictions() const { return m_record; }
    std::int64_t lookback() const { return m_lookback; }
    /// Errors of the shown window (selected channel, and all channels) and of the whole set.
    ForecastErrors windowErrors() const;
    ForecastErrors windowErrorsAllChannels() const;
    /// Over every window and every channel, or the scored channel alone (setPredictions).
    ForecastErrors overallErrors() const { return m_overall; }

    QLineSeries *historySeries() const { return m_history; }
    QLineSeries *truthSeries() const { return m_truth; }
    QLineSeries *predictionSeries() const { return m_prediction; }
    QLineSeries *futureSeries() const { return m_future; }
    QSlider *slider() const { return m_slider; }
    QComboBox *channelBox() const { return m_channelBox; }
    QLabel *metricsLabel() const { return m_metrics; }
    QChartView *chartView() const { return m_chart; }
    QChartView *futureChartView() const { return m_futureChart; }
    QPushButton *futureForecastButton() const { return m_futureButton; }
    QPushButton *saveFutureForecastButton() const { return m_saveFutureButton; }
    QLabel *futureLabel() const { return m_futureLabel; }

    CsvTable csvTable() const override;

Q_SIGNALS:
    void windowChanged(int window);
    /// The user asks for the forecast past the end of the data (the button).
    void futureForecastRequested();
    /// The user asks to save the forecast past the end of the data (the button).
    void saveFutureForecastRequested();

private:
    void updateWindow();
    void updateFuture();
    /// Index of the predictions' channel `channel` in the data set, -1 if absent.
    int dataChannel(int channel) const;
    QString timeText(std::int64_t ms) const;

    PredictionsRecord m_record;
    std::int64_t m_lookback = 0;
    std::shared_ptr<const SeriesDataset> m_data;
    std::optional<FutureForecast> m_futureForecast;
    ForecastErrors m_overall;
    int m_window = 0;
    int m_channel = 0;
    int m_scored = -1; ///< the run's scored channel (MS), -1 = all

    QComboBox *m_channelBox = nullptr;
    QSlider *m_slider = nullptr;
    QLabel *m_windowLabel = nullptr;
    QLabel *m_metrics = nullptr;
    QLabel *m_futureLabel = nullptr;
    QPushButton *m_futureButton = nullptr;
    QPushButton *m_saveFutureButton = nullptr;
    bool m_futureBusy = false;
    QChartView *m_chart = nullptr;
    QChartView *m_futureChart = nullptr;
    QLineSeries *m_history = nullptr;    ///< owned by the chart
    QLineSeries *m_truth = nullptr;      ///< owned by the chart
    QLineSeries *m_prediction = nullptr; ///< owned by the chart
    QLineSeries *m_futureHistory = nullptr;
    QLineSeries *m_future = nullptr;
};

} // namespace twb
