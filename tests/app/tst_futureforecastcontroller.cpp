// "Forecast Beyond the Data" (issue 20, item 3): the forecast view's button runs the real
// `twb-cli predict` on a small DLinear run of ETTh1, the forecast past the data's end is drawn
// with its dates, saved as CSV, and failures (no data, data without the run's channels) are
// told by name.

#include "CliTestSupport.h"
#include "FutureForecastController.h"
#include "client/RunSummary.h"
#include "widgets/forecast/ForecastView.h"

#include <QDateTime>
#include <QDir>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using twb::ForecastView;
using twb::FutureForecastController;

class TestFutureForecastController : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_cli;
    QString m_csv;
    QString m_runDir;

    /// Shows the run in `view` as the window does (the predictions are not needed for this).
    static void showRun(ForecastView &view)
    {
        twb::PredictionsRecord record;
        record.channelNames = {QStringLiteral("HUFL")};
        record.values.windows = 1;
        record.values.horizon = 24;
        record.values.channels = 1;
        record.values.truth.assign(24, 0.0f);
        record.values.prediction.assign(24, 0.0f);
        record.values.truthOriginal.assign(24, 0.0f);
        record.values.predictionOriginal.assign(24, 0.0f);
        record.windowStartRows = {0};
        view.setPredictions(record, 96, nullptr);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_cli = QStringLiteral(TWB_TEST_BIN_DIR "/twb-cli");
        m_csv = QStringLiteral(TWB_SHARED_DATA_DIR "/ett/ETTh1.csv");
        m_runDir = m_dir.filePath(QStringLiteral("dlinear"));
        const twb::test::Result r = twb::test::runCli(
            m_cli, m_dir.path(),
            {"train",    "--data",       m_csv,    "--model",    "dlinear", "--task",
             "forecast", "--lookback",   "96",     "--horizon",  "24",      "--epochs",
             "1",        "--batch-size", "64",     "--threads",  "1",       "--seed",
             "1",        "--run-dir",    m_runDir, "--progress", "none"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

    void theButtonForecastsPastTheEndAndSaves()
    {
        ForecastView view;
        view.resize(900, 600);
        QVERIFY(view.futureForecastButton()->isHidden()); // nothing shown yet
        showRun(view);
        QVERIFY(!view.futureForecastButton()->isHidden());
        QVERIFY(view.saveFutureForecastButton()->isHidden());
        QVERIFY(view.futureLabel()->text().contains(QStringLiteral("Forecast Beyond the Data")));

        FutureForecastController controller(&view,
                                            [this](const twb::RunSummary &) { return m_csv; });
        controller.setProgram(m_cli);
        controller.setRun(m_runDir, twb::readRunSummary(m_runDir));
        QSignalSpy finished(&controller, &FutureForecastController::finished);
        view.futureForecastButton()->click();
        QVERIFY(view.isFutureForecastBusy());
        QVERIFY(!view.futureForecastButton()->isEnabled());
        QVERIFY(finished.wait(60000));
        QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(1).toString()));

        // 24 steps of every channel, hourly, from the hour after ETTh1's last row
        // (2018-06-26 19:00).
        QVERIFY(view.futureForecast().has_value());
        const twb::FutureForecast &f = *view.futureForecast();
        QCOMPARE(f.horizon, 24);
        QCOMPARE(f.channelNames.size(), 7);
        QVERIFY(f.timestamped);
        const QDateTime first = QDateTime::fromMSecsSinceEpoch(f.times.front(), Qt::UTC);
        QCOMPARE(first, QDateTime(QDate(2018, 6, 26), QTime(20, 0), Qt::UTC));
        QCOMPARE(f.times[1] - f.times[0], 3600 * 1000);
        QCOMPARE(view.futureSeries()->count(), 24);
        QVERIFY(!view.saveFutureForecastButton()->isHidden());
        QVERIFY(view.futureForecastButton()->isEnabled());
        QVERIFY(view.futureLabel()->text().contains(QStringLiteral("2018-06-26 20:00")));
        if (qEnvironmentVariableIsSet("TWB_SCREENSHOT_DIR"))
            view.grab().save(QDir(qEnvironmentVariable("TWB_SCREENSHOT_DIR"))
                                 .filePath(QStringLiteral("forecast-beyond.png")));

        // Saved as the CSV twb-cli wrote; a path below a file is refused by name.
        const QString saved = m_dir.filePath(QStringLiteral("saved.csv"));
        QVERIFY(controller.saveForecast(saved).isOk());
        QFile out(saved), in(controller.forecastFile());
        QVERIFY(out.open(QIODevice::ReadOnly) && in.open(QIODevice::ReadOnly));
        const QByteArray bytes = out.readAll();
        QCOMPARE(bytes, in.readAll());
        QVERIFY(bytes.startsWith("date,HUFL,HULL,MUFL,MULL,LUFL,LULL,OT"));
        QCOMPARE(bytes.count('\n'), 25);
        const twb::Status refused = controller.saveForecast(saved + QStringLiteral("/x.csv"));
        QVERIFY(!refused.isOk());
        QVERIFY(refused.error().toString().contains(QStringLiteral("saved.csv/x.csv")));

        // Another run shown: its forecast is gone, the button is back.
        showRun(view);
        QVERIFY(!view.futureForecast().has_value());
        QVERIFY(view.saveFutureForecastButton()->isHidden());
    }

    void missingDataIsToldByName()
    {
        ForecastView view;
        showRun(view);
        FutureForecastController controller(&view,
                                            [](const twb::RunSummary &) { return QString(); });
        controller.setProgram(m_cli);
        controller.setRun(m_runDir, twb::readRunSummary(m_runDir));
        QSignalSpy finished(&controller, &FutureForecastController::finished);
        controller.forecastBeyond();
        QCOMPARE(finished.count(), 1);
        QVERIFY(!finished.at(0).at(0).toBool());
        QVERIFY(view.futureLabel()->text().contains(QStringLiteral("ETTh1.csv")));
        QVERIFY(!view.futureForecast().has_value());
    }

    void dataWithoutTheRunsChannelsFailsWithTwbClisReason()
    {
        const QString other = m_dir.filePath(QStringLiteral("other.csv"));
        QVERIFY(twb::test::writeHourlyWaves(other, 200));
        ForecastView view;
        showRun(view);
        FutureForecastController controller(&view,
                                            [other](const twb::RunSummary &) { return other; });
        controller.setProgram(m_cli);
        controller.setRun(m_runDir, twb::readRunSummary(m_runDir));
        QSignalSpy finished(&controller, &FutureForecastController::finished);
        controller.forecastBeyond();
        QVERIFY(finished.wait(60000));
        QVERIFY(!finished.at(0).at(0).toBool());
        const QString message = finished.at(0).at(1).toString();
        QVERIFY2(message.contains(QStringLiteral("HUFL")), qPrintable(message));
        QCOMPARE(view.futureLabel()->text(), message);
        QVERIFY(view.futureForecastButton()->isEnabled());
    }
};

QTEST_MAIN(TestFutureForecastController)
#include "tst_futureforecastcontroller.moc"
