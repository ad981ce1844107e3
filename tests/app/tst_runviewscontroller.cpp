// RunViewsController: the runs of a workspace listed, watched, refreshed and moved to the trash
// through the Runs view; the loss curves of the selection; forecast and classification runs
// read on a worker and shown in their views (speech separation runs in the separation view);
// and the window's tabs following a shown run.

#include "../widgets/ClassificationFixture.h"
#include "../widgets/ForecastFixture.h"
#include "../widgets/LossCurveChecks.h"
#include "../widgets/RunsFixture.h"
#include "MainWindow.h"
#include "RunViewsController.h"
#include "client/RunWorkspace.h"
#include "data/Hdf5File.h"
#include "widgets/classify/ClassificationView.h"
#include "widgets/classify/ConfusionMatrixView.h"
#include "widgets/explain/AttentionPanel.h"
#include "widgets/forecast/ForecastView.h"
#include "widgets/separate/SeparationView.h"
#include "widgets/training/RunsView.h"

#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QLineSeries>
#include <QScopeGuard>
#include <QScrollArea>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace twb;

namespace {

/// The views and their controller, as the window wires them.
struct Views
{
    RunsView runs;
    ForecastView forecast;
    ClassificationView classification;
    RunViewsController controller{&runs, &forecast, &classification};
    QList<ShownRun> shown;

    Views()
    {
        QObject::connect(&controller, &RunViewsController::runShown,
                         [this](const ShownRun &run) { shown << run; });
    }
};

/// A finished separation run as twb-cli writes it: config.json (task "separate") and a
/// predictions.h5 of `mixtures` scored mixtures of two sources, all kept as sound (800 samples
/// at 8 kHz); without `sampleRate` the file lacks its "sample_rate" attribute.
void writeSeparationRun(const QString &runDir, int mixtures, bool sampleRate = true)
{
    Expected<RunStore> store = RunStore::create(runDir);
    QVERIFY2(store, qPrintable(store ? QString() : store.error().toString()));
    QVERIFY(store->writeConfig(QJsonObject{
        {"task", "separate"}, {"model", "convtasnet"}, {"data", "/data/fsdd/recordings"}}));
    Expected<Hdf5Writer> writer = Hdf5Writer::create(QDir(runDir).filePath("predictions.h5"));
    QVERIFY(writer);
    const std::int64_t n = mixtures, s = 2, t = 800;
    QStringList sources;
    std::vector<double> metric;
    for (int i = 0; i < mixtures; ++i) {
        sources << QStringLiteral("%1_george_0.wav + %1_theo_1.wav").arg(i);
        metric.insert(metric.end(), {6.0 + i, 4.0 + i});
    }
    for (const char *name : {"/si_snr", "/si_snri", "/sdr", "/sdri", "/levels_db"})
        QVERIFY(writer->writeDoubles(QLatin1String(name), metric.data(), {n, s}));
    QVERIFY(writer->writeStrings("/sources", sources));
    const std::vector<float> mixture(std::size_t(n * t), 0.1f),
        parts(std::size_t(n * s * t), 0.05f);
    QVERIFY(writer->writeFloats("/mixture", mixture.data(), {n, t}));
    QVERIFY(writer->writeFloats("/references", parts.data(), {n, s, t}));
    QVERIFY(writer->writeFloats("/estimates", parts.data(), {n, s, t}));
    if (sampleRate)
        QVERIFY(writer->setAttribute("/si_snri", "sample_rate", 8000.0));
    QVERIFY(writer->commit());
}

} // namespace

class tst_RunViewsController : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void listsWatchesAndRefreshes();
    void selectionReadsLossCurves();
    void deleteMovesToTheTrash();
    void opensAForecastRunOnAWorker();
    void opensAClassificationRun();
    void opensASeparationRun();
    void failuresAreShownInTheViews();
    void theLatestRequestWins();
    void windowFollowsTheShownRun();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_workspace;
};

void tst_RunViewsController::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("TransformerWorkbenchTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_runviewscontroller"));
}

void tst_RunViewsController::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    // The trash lives beside the workspace (same file system), never in the user's home.
    qputenv("XDG_DATA_HOME", m_dir->filePath("xdg").toUtf8());
    QDir().mkpath(m_dir->filePath("xdg"));
    m_workspace = m_dir->filePath("runs");
    twb::test::writeWorkspace(m_workspace);
}

void tst_RunViewsController::listsWatchesAndRefreshes()
{
    Views v;
    v.controller.setWorkspace(m_workspace);
    QCOMPARE(v.controller.workspace()->path(), m_workspace);
    QCOMPARE(v.runs.model()->rowCount(), 4);
    twb::test::writeRun(m_workspace, {"e-new", "nlinear", 0.41, 1, "2026-01-04T10:00:00.000Z"});
    QTRY_COMPARE_WITH_TIMEOUT(v.runs.model()->rowCount(), 5, 5000);
    QDir(QDir(m_workspace).filePath("e-new")).removeRecursively();
    QTRY_COMPARE_WITH_TIMEOUT(v.runs.model()->rowCount(), 4, 5000);
    // The view's refresh (button, menu) reads the list again at once.
    twb::test::writeRun(m_workspace, {"f-new", "nlinear", 0.42, 1, "2026-01-05T10:00:00.000Z"});
    v.runs.refresh();
    QCOMPARE(v.runs.model()->rowCount(), 5);
}

void tst_RunViewsController::selectionReadsLossCurves()
{
    Views v;
    v.runs.resize(900, 600);
    v.controller.setWorkspace(m_workspace);
    const QString a = QDir(m_workspace).filePath("a-dlinear");
    const QString b = QDir(m_workspace).filePath("b-patchtst");
    v.runs.selectRunDirs({a, b, QDir(m_workspace).filePath("d-broken")});
    QCOMPARE(v.runs.selectedRunDirs().size(), 3);

    twb::test::verifyLossCurvesOfAAndB(v.runs.lossCurves()); // d-broken has none
    if (QTest::currentTestFailed())
        return;

    // A selected run that gained an epoch since: the list read again reads its curves again.
    v.runs.selectRunDirs({a});
    QCOMPARE(v.runs.lossCurves().first()->count(), 3);
    {
        Expected<RunStore> store = RunStore::open(a);
        QVERIFY(store);
        QVERIFY(store->loadMetrics(4));
        EpochRecord r;
        r.epoch = 4;
        r.trainLoss = 0.25;
        r.valLoss = 0.375;
        QVERIFY(store->appendEpoch(r));
    }
    v.runs.refresh();
    QCOMPARE(v.runs.selectedRunDirs(), QStringList{a});
    QCOMPARE(v.runs.lossCurves().size(), 2);
    QCOMPARE(v.runs.lossCurves().first()->count(), 4);

    v.runs.selectRunDirs({});
    QVERIFY(v.runs.lossCurves().isEmpty());
}

void tst_RunViewsController::deleteMovesToTheTrash()
{
    Views v;
    v.controller.setWorkspace(m_workspace);
    const QString a = QDir(m_workspace).filePath("a-dlinear");
    QStringList asked;
    bool answer = false;
    v.runs.setDeleteConfirmation([&](const QStringList &names) {
        asked = names;
        return answer;
    });

    QCOMPARE(v.runs.deleteSelected(), 0); // nothing selected: not even asked
    QVERIFY(asked.isEmpty());

    v.runs.selectRunDirs({a});
    QCOMPARE(v.runs.deleteSelected(), 0); // declined
    QCOMPARE(asked, QStringList{"a-dlinear"});
    QVERIFY(QFileInfo::exists(a));
    QCOMPARE(v.runs.model()->rowCount(), 4);

    answer = true;
    QSignalSpy errors(&v.runs, &RunsView::errorOccurred);
    QCOMPARE(v.runs.deleteSelected(), 1);
    QCOMPARE(errors.count(), 0);
    QVERIFY(!QFileInfo::exists(a));
    QCOMPARE(v.runs.model()->rowCount(), 3);
    QCOMPARE(v.runs.model()->rowOfDir(a), -1);
    QVERIFY(v.runs.selectedRunDirs().isEmpty());
    // In the trash with its files (XDG layout), restorable.
    const QString trashed = m_dir->filePath("xdg/Trash/files/a-dlinear/config.json");
    QVERIFY2(QFileInfo::exists(trashed), qPrintable(trashed));
}

void tst_RunViewsController::opensAForecastRunOnAWorker()
{
    QTemporaryDir dir;
    const auto data = twb::test::makeData();
    const QString runDir = twb::test::makeRun(dir, *data);
    QVERIFY(!runDir.isEmpty());
    Views v;
    QStringList askedFor;
    v.controller.setHistorySource([&](const RunSummary &run) {
        askedFor << run.model;
        return data;
    });
    QSignalSpy shown(&v.controller, &RunViewsController::runShown);
    v.controller.openRun(runDir);
    QVERIFY(v.controller.isReading());
    QVERIFY(shown.wait(10000));
    QVERIFY(!v.controller.isReading());
    QCOMPARE(v.shown.size(), 1);
    const ShownRun &run = v.shown.first();
    QVERIFY2(run.ok, qPrintable(run.message));
    QVERIFY(!run.classify);
    QCOMPARE(run.runDir, runDir);
    QCOMPARE(run.summary.model, QStringLiteral("dlinear"));
    QCOMPARE(run.testSamples, 3);
    QCOMPARE(run.channels, 2);
    QVERIFY(run.withHistory);
    QCOMPARE(askedFor, QStringList{"dlinear"});
    QCOMPARE(v.forecast.windowCount(), 3);
    QCOMPARE(v.forecast.lookback(), twb::test::lookback);
    QCOMPARE(v.forecast.historySeries()->count(), int(twb::test::lookback));
    QCOMPARE(v.forecast.truthSeries()->count(), int(twb::test::horizon));

    // Without the run's data: no history.
    v.controller.setHistorySource({});
    v.controller.openRun(runDir);
    v.controller.waitForRun(); // shown at once, not again later
    QCOMPARE(v.shown.size(), 2);
    QVERIFY(!v.shown.last().withHistory);
    QVERIFY(v.forecast.historySeries()->points().isEmpty());
    QTest::qWait(100);
    QCOMPARE(v.shown.size(), 2);
    v.controller.waitForRun(); // nothing pending: returns at once
    QCOMPARE(v.shown.size(), 2);
}

void tst_RunViewsController::opensAClassificationRun()
{
    QTemporaryDir dir;
    const QString runDir = dir.filePath("run");
    QVERIFY(twb::test::writeRun(runDir, dir.path(), twb::test::wavSources()));
    Views v;
    v.controller.openRun(runDir);
    v.controller.waitForRun();
    QCOMPARE(v.shown.size(), 1);
    const ShownRun &run = v.shown.first();
    QVERIFY2(run.ok, qPrintable(run.message));
    QVERIFY(run.classify);
    QCOMPARE(run.testSamples, 10);
    QCOMPARE(run.channels, 0);
    QCOMPARE(v.classification.runDir(), QDir(runDir).absolutePath());
    QCOMPARE(v.classification.metrics().examples, 10);
    QCOMPARE(v.classification.matrixView()->classes(), 3);
    QCOMPARE(v.classification.exampleLocation(7),
             QDir(dir.path()).absoluteFilePath("2_george_7.wav"));
    QCOMPARE(v.forecast.windowCount(), 0); // the forecast view is left alone
}

void tst_RunViewsController::opensASeparationRun()
{
    QTemporaryDir dir;
    const QString runDir = dir.filePath("separate");
    writeSeparationRun(runDir, 3);
    Views v;
    // Without a separation view the run is reported as not shown.
    v.controller.openRun(runDir);
    v.controller.waitForRun();
    QCOMPARE(v.shown.size(), 1);
    QVERIFY(v.shown.last().separate);
    QVERIFY(!v.shown.last().ok);
    QVERIFY(v.shown.last().message.contains("no separation view"));

    SeparationView separation;
    v.controller.setSeparationView(&separation);
    v.controller.openRun(runDir);
    v.controller.waitForRun();
    const ShownRun &run = v.shown.last();
    QVERIFY2(run.ok, qPrintable(run.message));
    QVERIFY(run.separate && !run.classify && !run.pretrain);
    QCOMPARE(run.summary.model, QStringLiteral("convtasnet"));
    QCOMPARE(run.testSamples, 3);
    QCOMPARE(separation.results().mixtureCount(), 3);
    QCOMPARE(separation.currentExample(), 0);
    QVERIFY2(separation.summaryText().startsWith("Mixture 1 of 3 (0.10 s at 8000 Hz): SI-SNRi "
                                                 "5.00 dB (6.00 / 4.00 dB)"),
             qPrintable(separation.summaryText()));
    QCOMPARE(v.forecast.windowCount(), 0); // the other views are left alone

    // A predictions.h5 without its sample rate: the view says why, naming the file.
    const QString bad = dir.filePath("bad");
    writeSeparationRun(bad, 2, false);
    v.controller.openRun(bad);
    v.controller.waitForRun();
    QVERIFY(v.shown.last().separate);
    QVERIFY(!v.shown.last().ok);
    QCOMPARE(separation.summaryText(), v.shown.last().message);
    QVERIFY2(separation.summaryText().startsWith(QDir(bad).filePath("predictions.h5") + ": "),
             qPrintable(separation.summaryText()));
    QVERIFY(separation.summaryText().contains("sample_rate"));
    QCOMPARE(separation.currentExample(), -1);
}

void tst_RunViewsController::failuresAreShownInTheViews()
{
    QTemporaryDir dir;
    Views v;
    // Not a run at all: shown as a forecast (the default task) that could not be read.
    const QString missing = dir.filePath("missing");
    v.controller.openRun(missing);
    v.controller.waitForRun();
    QCOMPARE(v.shown.size(), 1);
    QVERIFY(!v.shown.last().ok);
    QVERIFY(!v.shown.last().classify);
    QVERIFY2(v.shown.last().message.contains(missing), qPrintable(v.shown.last().message));
    QCOMPARE(v.forecast.metricsLabel()->text(), v.shown.last().message);

    // A classification run whose predictions do not fit: the classification view says why.
    const QString good = dir.filePath("good");
    QVERIFY(twb::test::writeRun(good, dir.path(), twb::test::wavSources()));
    v.controller.openRun(good);
    v.controller.waitForRun();
    QCOMPARE(v.classification.matrixView()->classes(), 3);
    const QString bad = dir.filePath("bad");
    QVERIFY(twb::test::writeRun(bad, dir.path(), {"a.wav"}));
    v.controller.openRun(bad);
    v.controller.waitForRun();
    QVERIFY(v.shown.last().classify);
    QVERIFY(!v.shown.last().ok);
    QVERIFY2(v.shown.last().message.contains("/sources has 1 entries, expected 10"),
             qPrintable(v.shown.last().message));
    QCOMPARE(v.classification.matrixView()->classes(), 0); // cleared
    QVERIFY(v.classification.summaryText().isEmpty());
}

void tst_RunViewsController::theLatestRequestWins()
{
    QTemporaryDir dir;
    const auto data = twb::test::makeData();
    const QString forecastRun = twb::test::makeRun(dir, *data);
    const QString classifyRun = dir.filePath("classify");
    QVERIFY(twb::test::writeRun(classifyRun, dir.path(), twb::test::wavSources()));
    Views v;
    QSignalSpy shown(&v.controller, &RunViewsController::runShown);
    v.controller.openRun(forecastRun);
    v.controller.openRun(classifyRun);
    QVERIFY(shown.wait(10000));
    QTest::qWait(200);
    QCOMPARE(v.shown.size(), 1);
    QCOMPARE(v.shown.first().runDir, classifyRun);
    QCOMPARE(v.forecast.windowCount(), 0);
}

void tst_RunViewsController::windowFollowsTheShownRun()
{
    // QSettings go to a test location (only here: the trash of the other tests follows
    // XDG_DATA_HOME, which the test mode would override).
    QStandardPaths::setTestModeEnabled(true);
    const auto restore = qScopeGuard([] { QStandardPaths::setTestModeEnabled(false); });
    QSettings().clear();
    QSettings().setValue(QLatin1String(MainWindow::RunsDirectoryKey), m_workspace);
    QTemporaryDir dir;
    const auto data = twb::test::makeData();
    const QString forecastRun = twb::test::makeRun(dir, *data);
    const QString classifyRun = dir.filePath("classify");
    QVERIFY(twb::test::writeRun(classifyRun, dir.path(), twb::test::wavSources()));

    MainWindow window;
    QCOMPARE(window.runsView()->model()->rowCount(), 4); // the workspace of the settings
    window.openRun(forecastRun);
    window.runViews()->waitForRun();
    QCOMPARE(window.centralTabs()->currentWidget(), static_cast<QWidget *>(window.forecastView()));
    QCOMPARE(window.forecastView()->windowCount(), 3);
    // The run's data ("data" is not in its config) is not open: no history, no hint.
    QVERIFY(window.forecastView()->historySeries()->points().isEmpty());

    window.openRun(classifyRun);
    window.runViews()->waitForRun();
    auto *area = qobject_cast<QScrollArea *>(window.centralTabs()->currentWidget());
    QVERIFY(area);
    QCOMPARE(area->widget(), static_cast<QWidget *>(window.classificationView()));
    QCOMPARE(window.classificationView()->metrics().examples, 10);

    // Explain: the Explain tab once the run is shown, not before.
    window.explainRun(forecastRun);
    QCOMPARE(area->widget(), static_cast<QWidget *>(window.classificationView()));
    window.runViews()->waitForRun();
    area = qobject_cast<QScrollArea *>(window.centralTabs()->currentWidget());
    QVERIFY(area);
    QCOMPARE(area->widget(), static_cast<QWidget *>(window.attentionPanel()));

    // A speech separation run: the Separation tab.
    const QString separateRun = dir.filePath("separate");
    writeSeparationRun(separateRun, 2);
    window.openRun(separateRun);
    window.runViews()->waitForRun();
    area = qobject_cast<QScrollArea *>(window.centralTabs()->currentWidget());
    QVERIFY(area);
    QCOMPARE(area->widget(), static_cast<QWidget *>(window.separationView()));
    QCOMPARE(window.separationView()->results().mixtureCount(), 2);

    // A run that cannot be read: the status line names it.
    const QString missing = dir.filePath("missing");
    window.openRun(missing);
    window.runViews()->waitForRun();
    QCOMPARE(window.centralTabs()->currentWidget(), static_cast<QWidget *>(window.forecastView()));
    QVERIFY2(window.statusBar()->currentMessage().contains(missing),
             qPrintable(window.statusBar()->currentMessage()));
}

QTEST_MAIN(tst_RunViewsController)
#include "tst_runviewscontroller.moc"
