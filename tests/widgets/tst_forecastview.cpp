#include "ChartLabels.h"
#include "ForecastFixture.h"
#include "client/ForecastRun.h"
#include "data/Hdf5File.h"
#include "widgets/forecast/ForecastView.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineSeries>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QTest>
#include <QValueAxis>

#include <cmath>

using namespace twb;
using namespace twb::test;

namespace {

/// What RunViewsController does with a run folder (there on a worker): read it, then show it
/// or why it could not be read.
Status showRun(ForecastView &view, const QString &runDir, std::shared_ptr<const SeriesDataset> data)
{
    Expected<ForecastRunData> run = readForecastRun(runDir);
    if (!run) {
        view.showFailure(run.error().toString());
        return run.error();
    }
    view.setRun(std::move(*run), std::move(data));
    return {};
}

/// What a controller does with the output of `twb-cli predict`.
Status showFutureForecast(ForecastView &view, const QString &path)
{
    Expected<FutureForecast> forecast = loadFutureForecast(path);
    if (!forecast) {
        view.showFutureForecastFailure(forecast.error().toString());
        return forecast.error();
    }
    view.setFutureForecast(std::move(*forecast));
    return {};
}

QList<double> ys(const QLineSeries *s)
{
    QList<double> v;
    for (const QPointF &p : s->points())
        v << p.y();
    return v;
}

} // namespace

class tst_ForecastView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void errorsByHand();
    void readsARunAndStepsThroughWindows();
    void metricsMatchHandComputation();
    void channelSwitch();
    void brokenRunsGiveMessages();
    void futureForecastFromCsv();
    void futureForecastFromHdf5();
    void csvOfTheShownWindow();
    void yAxisFitsTheValues();
    void emptyChartHasNoTickLabels();
};

void tst_ForecastView::errorsByHand()
{
    const auto data = makeData();
    const ForecastPredictions p = makeRecord(*data).values;
    const ForecastErrors w2c0 = forecastErrors(p, 2, 3, 0);
    QCOMPARE(w2c0.elements, horizon);
    QVERIFY(std::abs(w2c0.mse - 2.25) < 1e-5);
    QVERIFY(std::abs(w2c0.mae - 1.5) < 1e-5);
    QVERIFY(std::abs(w2c0.mseOriginal - 9.0) < 1e-4);
    QVERIFY(std::abs(w2c0.maeOriginal - 3.0) < 1e-4);
    const ForecastErrors all = forecastErrors(p, 0, windows);
    // mean over w, c of 0.25 (w+1)^2 (c+1)^2 = 0.25 * (14 / 3) * (5 / 2)
    QVERIFY(std::abs(all.mse - 0.25 * 14.0 / 3.0 * 2.5) < 1e-5);
    QCOMPARE(all.elements, windows * horizon * 2);
    QCOMPARE(forecastErrors(p, 5, 9).elements, 0); // clamped: nothing
    QVERIFY(std::isnan(forecastErrors(p, 5, 9).mse));
}

void tst_ForecastView::readsARunAndStepsThroughWindows()
{
    QTemporaryDir dir;
    const auto data = makeData();
    const QString runDir = makeRun(dir, *data);
    QVERIFY(!runDir.isEmpty());
    ForecastView view;
    view.resize(900, 700);
    const Status s = showRun(view, runDir, data);
    QVERIFY2(s, qPrintable(s ? QString() : s.error().toString()));
    QCOMPARE(view.windowCount(), 3);
    QCOMPARE(view.lookback(), lookback);
    QCOMPARE(view.slider()->maximum(), 2);

    // Window 0: history rows 10..14, truth rows 15..18 of channel a.
    QCOMPARE(ys(view.historySeries()), (QList<double>{100, 110, 120, 130, 140}));
    QCOMPARE(view.historySeries()->at(0).x(), -5.0);
    QCOMPARE(ys(view.truthSeries()), (QList<double>{150, 160, 170, 180}));
    QCOMPARE(ys(view.predictionSeries()), (QList<double>{151, 161, 171, 181}));

    QSignalSpy changed(&view, &ForecastView::windowChanged);
    view.slider()->setValue(2); // the user drags the slider
    QCOMPARE(view.window(), 2);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toInt(), 2);
    QCOMPARE(ys(view.historySeries()), (QList<double>{120, 130, 140, 150, 160}));
    QCOMPARE(ys(view.truthSeries()), (QList<double>{170, 180, 190, 200}));
    QCOMPARE(ys(view.predictionSeries()), (QList<double>{173, 183, 193, 203}));
    QCOMPARE(view.truthSeries()->at(3).x(), 3.0);

    view.setWindow(99); // clamped
    QCOMPARE(view.window(), 2);
    view.setWindow(1);
    QCOMPARE(view.slider()->value(), 1);
    QCOMPARE(ys(view.truthSeries()), (QList<double>{160, 170, 180, 190}));
}

void tst_ForecastView::metricsMatchHandComputation()
{
    QTemporaryDir dir;
    const auto data = makeData();
    ForecastView view;
    QVERIFY(showRun(view, makeRun(dir, *data), data));
    view.setWindow(2);
    // Window 3 of channel a: error 1.5 normalised, 3 in original units, at every step.
    QVERIFY(std::abs(view.windowErrors().mse - 2.25) < 1e-5);
    QVERIFY(std::abs(view.windowErrors().maeOriginal - 3.0) < 1e-4);
    // Both channels: (2.25 + 9) / 2 and (1.5 + 3) / 2.
    QVERIFY(std::abs(view.windowErrorsAllChannels().mse - 5.625) < 1e-5);
    QVERIFY(std::abs(view.windowErrorsAllChannels().mae - 2.25) < 1e-5);
    QVERIFY(std::abs(view.windowErrorsAllChannels().mseOriginal - 22.5) < 1e-4);
    QVERIFY(std::abs(view.overallErrors().mse - 35.0 / 12.0) < 1e-5);
    const QString text = view.metricsLabel()->text();
    QVERIFY2(text.contains(QStringLiteral("Window 3, a: MSE 2.2500, MAE 1.5000 (normalised) "
                                          "\u2014 MSE 9, MAE 3 (original units)")),
             qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Window 3, all channels: MSE 5.6250, MAE 2.2500")),
             qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("All 3 test windows, all channels: MSE 2.9167")),
             qPrintable(text));

    // A run in the MS setting (config "target" b): the overall errors are b's, b is shown.
    ForecastView ms;
    QVERIFY(showRun(ms, makeRun(dir, *data, QStringLiteral("b")), data));
    QCOMPARE(ms.channel(), 1);
    const ForecastErrors b = forecastErrors(makeRecord(*data).values, 0, windows, 1);
    QVERIFY(std::abs(ms.overallErrors().mse - b.mse) < 1e-9);
    QVERIFY(std::abs(b.mse - view.overallErrors().mse) > 1e-3);
    QVERIFY2(ms.metricsLabel()->text().contains(
                 QStringLiteral("All 3 test windows, b (the scored channel): MSE")),
             qPrintable(ms.metricsLabel()->text()));
    // Its other channel was not trained: no all-channel figure.
    QVERIFY(!ms.metricsLabel()->text().contains(QStringLiteral("all channels")));
}

void tst_ForecastView::channelSwitch()
{
    QTemporaryDir dir;
    const auto data = makeData();
    ForecastView view;
    QVERIFY(showRun(view, makeRun(dir, *data), data));
    view.channelBox()->setCurrentIndex(1);
    QCOMPARE(view.channel(), 1);
    QCOMPARE(ys(view.historySeries()), (QList<double>{101, 111, 121, 131, 141}));
    QCOMPARE(ys(view.predictionSeries()), (QList<double>{153, 163, 173, 183}));
    QVERIFY(std::abs(view.windowErrors().mse - 1.0) < 1e-5);

    // Without the data set: truth and prediction, no history.
    view.setPredictions(makeRecord(*data), lookback, nullptr);
    QVERIFY(view.historySeries()->points().isEmpty());
    QCOMPARE(view.truthSeries()->count(), 4);
}

void tst_ForecastView::brokenRunsGiveMessages()
{
    QTemporaryDir dir;
    ForecastView view;
    const Status missing = showRun(view, dir.filePath("nothing"), nullptr);
    QVERIFY(!missing);
    QVERIFY(view.metricsLabel()->text().contains(QStringLiteral("does not exist")));

    Expected<RunStore> store = RunStore::create(dir.filePath("unfinished"));
    QVERIFY(store);
    QVERIFY(store->writeConfig({{"lookback", 5}}));
    const Status unfinished = showRun(view, store->dir(), nullptr);
    QVERIFY(!unfinished);
    QVERIFY(unfinished.error().reason.contains(QStringLiteral("no predictions")));

    QFile garbage(store->filePath("predictions.h5"));
    QVERIFY(garbage.open(QIODevice::WriteOnly));
    garbage.write("this is not HDF5");
    garbage.close();
    const Status corrupt = showRun(view, store->dir(), nullptr);
    QVERIFY(!corrupt);
    QCOMPARE(view.windowCount(), 0);
    QVERIFY(view.truthSeries()->points().isEmpty());
    QVERIFY(view.csvTable().rows.isEmpty());
}

void tst_ForecastView::futureForecastFromCsv()
{
    QTemporaryDir dir;
    const auto data = makeData();
    ForecastView view;
    QVERIFY(showRun(view, makeRun(dir, *data), data));
    const QString path = dir.filePath("forecast.csv");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("date,a,b\n2016-07-02 06:00:00,300.5,301.5\n2016-07-02 07:00:00,310.5,311.5\n"
               "2016-07-02 08:00:00,320.5,321.5\n");
    file.close();
    const Status s = showFutureForecast(view, path);
    QVERIFY2(s, qPrintable(s ? QString() : s.error().toString()));
    QCOMPARE(ys(view.futureSeries()), (QList<double>{300.5, 310.5, 320.5}));
    view.setChannel(1);
    QCOMPARE(ys(view.futureSeries()), (QList<double>{301.5, 311.5, 321.5}));

    QVERIFY(!showFutureForecast(view, dir.filePath("missing.csv")));
    QVERIFY(view.futureSeries()->points().isEmpty());
}

void tst_ForecastView::futureForecastFromHdf5()
{
    // The layout of `twb-cli predict --out x.h5`: two windows, the last is past the end.
    QTemporaryDir dir;
    const QString path = dir.filePath("forecast.h5");
    {
        Expected<Hdf5Writer> writer = Hdf5Writer::create(path);
        QVERIFY(writer);
        const std::vector<float> values{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}; // [2, 3, 2]
        const std::vector<std::int64_t> times{1, 2, 3, 4, 5, 6};
        const std::vector<std::int64_t> origins{0, 1};
        QVERIFY(writer->writeFloats("/forecast", values.data(), {2, 3, 2}));
        QVERIFY(writer->writeInt64s("/time", times.data(), {2, 3}));
        QVERIFY(writer->writeInt64s("/origin_row", origins.data(), {2}));
        QVERIFY(writer->writeStrings("/channel_names", {"a", "b"}));
        QVERIFY(writer->commit());
    }
    Expected<FutureForecast> f = loadFutureForecast(path);
    QVERIFY2(f, qPrintable(f ? QString() : f.error().toString()));
    QCOMPARE(f->horizon, 3);
    QCOMPARE(f->values, (std::vector<float>{7, 8, 9, 10, 11, 12}));
    QCOMPARE(f->times, (std::vector<std::int64_t>{4, 5, 6}));
    QVERIFY(f->timestamped);

    const auto data = makeData();
    ForecastView view;
    view.setPredictions(makeRecord(*data), lookback, data);
    QVERIFY(showFutureForecast(view, path));
    QCOMPARE(ys(view.futureSeries()), (QList<double>{7, 9, 11}));
}

void tst_ForecastView::csvOfTheShownWindow()
{
    QTemporaryDir dir;
    const auto data = makeData();
    ForecastView view;
    QVERIFY(showRun(view, makeRun(dir, *data), data));
    view.setWindow(1);
    const CsvTable table = view.csvTable();
    QCOMPARE(table.header, (QStringList{"step", "row", "time", "history", "truth", "prediction",
                                        "truth_normalised", "prediction_normalised"}));
    QCOMPARE(table.rows.size(), lookback + horizon);
    // First history row: row 11 of the data; first forecast row: row 16.
    QCOMPARE(table.rows[0], (QStringList{"-5", "11", "2016-07-01 11:00", "110", "", "", "", ""}));
    QCOMPARE(table.rows[5].mid(0, 6),
             (QStringList{"0", "16", "2016-07-01 16:00", "", "160", "162"}));
    QCOMPARE(table.rows[5][6].toDouble(), double(160.0f / 100));
    QCOMPARE(table.rows[5][7].toDouble(), double(160.0f / 100 + 1.0f));
}

void tst_ForecastView::yAxisFitsTheValues()
{
    QTemporaryDir dir;
    const auto data = makeData();
    ForecastView view;
    view.resize(900, 700);
    QVERIFY(showRun(view, makeRun(dir, *data), data));
    const auto vertical = view.chartView()->chart()->axes(Qt::Vertical);
    auto *y = qobject_cast<QValueAxis *>(vertical.value(0));
    QVERIFY(y);
    // Window 0, channel a: history 100..140, truth 150..180, prediction 151..181. The axis
    // spans exactly that with 5 % of the span (81) above and below, not from 0.
    QCOMPARE(y->min(), 100.0 - 0.05 * 81.0);
    QCOMPARE(y->max(), 181.0 + 0.05 * 81.0);
    QCOMPARE(y->tickType(), QValueAxis::TicksDynamic);
    QCOMPARE(y->tickInterval(), 20.0); // round ticks inside the range
    QCOMPARE(y->tickAnchor(), 0.0);

    // Stepping to window 2 (history 120..160, prediction up to 203) refits.
    view.setWindow(2);
    QCOMPARE(y->min(), 120.0 - 0.05 * 83.0);
    QCOMPARE(y->max(), 203.0 + 0.05 * 83.0);

    // Channel b is 1 higher everywhere, its prediction 2 (w+1) above the truth: 121..207.
    view.setChannel(1);
    QCOMPARE(y->min(), 121.0 - 0.05 * 86.0);
    QCOMPARE(y->max(), 207.0 + 0.05 * 86.0);
}

void tst_ForecastView::emptyChartHasNoTickLabels()
{
    // Without a run the axes span a placeholder 0..1, whose "%.0f" ticks read "0 0 0 1 1".
    ForecastView view;
    view.resize(900, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QChart *chart = view.chartView()->chart();
    QTRY_COMPARE(visibleTickLabels(chart), QStringList());
    for (QAbstractAxis *axis : chart->axes())
        QVERIFY(!axis->labelsVisible() && !axis->isTitleVisible());

    // A run: both axes are labelled, the steps from -5 (history) to 3 among the x labels.
    QTemporaryDir dir;
    const auto data = makeData();
    QVERIFY(showRun(view, makeRun(dir, *data), data));
    QTRY_VERIFY(visibleTickLabels(chart, Qt::Horizontal).contains(QStringLiteral("0")));
    QVERIFY(visibleTickLabels(chart, Qt::Vertical).size() >= 2);
    QTRY_VERIFY(elidedOrBlank(visibleTickLabels(chart)).isEmpty());
    for (QAbstractAxis *axis : chart->axes())
        QVERIFY(axis->labelsVisible() && axis->isTitleVisible());

    // Cleared again (a failed run): no labels.
    view.showFailure(QStringLiteral("no predictions.h5"));
    QTRY_COMPARE(visibleTickLabels(chart), QStringList());
}

QTEST_MAIN(tst_ForecastView)
#include "tst_forecastview.moc"
