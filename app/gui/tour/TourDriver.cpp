#include "TourDriver.h"

#include "MainWindow.h"
#include "RunViewsController.h"
#include "TrainingController.h"
#include "client/RunBundleExport.h"
#include "client/TrainingProcess.h"
#include "widgets/data/ChannelTableModel.h"
#include "widgets/explain/AttentionExplorer.h"
#include "widgets/explain/AttentionPanel.h"
#include "widgets/explain/WhatIfPanel.h"
#include "widgets/forecast/ForecastView.h"
#include "widgets/training/HyperparameterForm.h"
#include "widgets/training/ModelListWidget.h"
#include "widgets/training/ModelPanel.h"
#include "widgets/training/RunsView.h"
#include "widgets/training/TrainingDashboard.h"

#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>

#include <cstdio>

namespace twb {

TourDriver::TourDriver(MainWindow *window, TourOptions options, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_options(std::move(options))
{
    m_watchdog.setSingleShot(true);
    connect(&m_watchdog, &QTimer::timeout, this, [this] {
        fail(QStringLiteral("the tour did not finish within %1 s").arg(m_options.timeoutSec));
    });
}

void TourDriver::start()
{
    m_clock.start();
    m_watchdog.start(m_options.timeoutSec * 1000);
    if (!QDir().mkpath(m_options.outDir)) {
        fail(QStringLiteral("%1: cannot create the output folder").arg(m_options.outDir));
        return;
    }
    connect(m_window, &MainWindow::loadFailed, this,
            [this](const QString &path, const QString &message) {
                fail(QStringLiteral("cannot open %1: %2").arg(path, message));
            });
    openSample();
}

void TourDriver::log(const QString &text) const
{
    std::printf("[tour %6.1f s] %s\n", double(m_clock.elapsed()) / 1000.0,
                text.toUtf8().constData());
    std::fflush(stdout);
}

void TourDriver::fail(const QString &message)
{
    if (m_done)
        return;
    m_done = true;
    log(QStringLiteral("FAILED: ") + message);
    shoot(QStringLiteral("failure"));
    Q_EMIT finished(false, message);
}

void TourDriver::settle(int ms, std::function<void()> next)
{
    QTimer::singleShot(ms, this, [this, next = std::move(next)] {
        if (!m_done)
            next();
    });
}

bool TourDriver::shoot(const QString &name)
{
    const QString path = QDir(m_options.outDir).filePath(name + QStringLiteral(".png"));
    const bool ok = m_window->grab().save(path, "PNG");
    log(ok ? QStringLiteral("screenshot %1").arg(path)
           : QStringLiteral("cannot save %1").arg(path));
    return ok;
}

void TourDriver::openSample()
{
    log(QStringLiteral("open the sample %1").arg(m_options.sample));
    connect(
        m_window, &MainWindow::datasetLoaded, this,
        [this] {
            settle(800, [this] {
                if (!shoot(QStringLiteral("01-sample")))
                    return fail(QStringLiteral("screenshot 01-sample failed"));
                openEtth1();
            });
        },
        Qt::SingleShotConnection);
    m_window->openFile(m_options.sample);
}

void TourDriver::openEtth1()
{
    log(QStringLiteral("open %1").arg(m_options.etth1));
    connect(
        m_window, &MainWindow::datasetLoaded, this, [this] { settle(300, [this] { inspect(); }); },
        Qt::SingleShotConnection);
    m_window->openFile(m_options.etth1);
}

void TourDriver::inspect()
{
    // Inspect the target channel OT (the last one of ETT files).
    const ChannelTableModel *channels = m_window->channelModel();
    int row = channels->rowCount() - 1;
    for (int r = 0; r < channels->rowCount(); ++r)
        if (channels->data(channels->index(r, ChannelTableModel::Name)).toString() ==
            QLatin1String("OT"))
            row = r;
    m_window->channelTable()->selectRow(row);
    log(QStringLiteral("inspect channel %1 of %2; split borders at rows %3")
            .arg(row)
            .arg(channels->rowCount())
            .arg([this] {
                QStringList rows;
                for (const qint64 r : m_window->splitBorderRows())
                    rows << QString::number(r);
                return rows.join(QLatin1Char(','));
            }()));
    settle(800, [this] {
        if (!shoot(QStringLiteral("02-inspect")))
            return fail(QStringLiteral("screenshot 02-inspect failed"));
        train();
    });
}

void TourDriver::train()
{
    ModelPanel *panel = m_window->modelPanel();
    panel->modelList()->selectModel(m_options.model);
    HyperparameterForm *task = panel->taskForm();
    task->setValue(QStringLiteral("lookback"), m_options.lookback);
    task->setValue(QStringLiteral("horizon"), m_options.horizon);
    task->setValue(QStringLiteral("epochs"), m_options.epochs);
    task->setValue(QStringLiteral("batch_size"), m_options.batchSize);
    const Expected<TrainRequest> request = panel->request();
    if (!request)
        return fail(QStringLiteral("the model panel has no valid request: %1")
                        .arg(request.error().toString()));

    TrainingDashboard *dashboard = m_window->trainingDashboard();
    TrainingController *training = m_window->trainingController();
    connect(
        training, &TrainingController::runStarted, this,
        [this](const TrainRequest &r) {
            m_runDir = r.runDir;
            log(QStringLiteral("training %1 in %2").arg(r.displayName(), r.runDir));
        },
        Qt::SingleShotConnection);
    // While the curves stream: after the first epoch, a few batches into the second.
    connect(training->process(), &TrainingProcess::batch, this, [this](const BatchEvent &batch) {
        if (m_liveShot || batch.epoch < 2 || batch.batch < batch.batches / 3)
            return;
        m_liveShot = true;
        shoot(QStringLiteral("03-training-live"));
    });
    connect(
        training, &TrainingController::runEnded, this,
        [this](const TrainRequest &, TrainingDashboard::Outcome outcome, const QString &message) {
            if (outcome != TrainingDashboard::Outcome::Finished)
                return fail(QStringLiteral("the run did not finish: %1").arg(message));
            log(QStringLiteral("run finished: %1").arg(message));
            settle(800, [this] {
                if (!shoot(QStringLiteral("03-training")))
                    return fail(QStringLiteral("screenshot 03-training failed"));
                showForecast();
            });
        },
        Qt::SingleShotConnection);
    // The Training menu's action (Ctrl+T): the path a user takes.
    auto *action = m_window->findChild<QAction *>(QStringLiteral("actionTrain"));
    if (!action)
        return fail(QStringLiteral("no Train action"));
    action->trigger();
    if (!training->isRunning())
        return fail(QStringLiteral("Train did not start a run: %1").arg(dashboard->statusText()));
}

void TourDriver::showForecast()
{
    RunsView *runs = m_window->runsView();
    runs->refresh();
    runs->selectRunDirs({m_runDir});
    if (runs->selectedRunDirs() != QStringList{m_runDir})
        return fail(QStringLiteral("the Runs tab does not list %1").arg(m_runDir));
    auto *open = m_window->findChild<QAction *>(QStringLiteral("actionOpenRun"));
    if (!open || !open->isEnabled())
        return fail(QStringLiteral("Runs > Open Forecast is not available"));
    open->trigger();
    m_window->runViews()->waitForRun(); // the run is read on a worker
    if (m_window->centralTabs()->currentWidget() != m_window->forecastView())
        return fail(QStringLiteral("the Forecast tab did not open"));
    ForecastView *forecast = m_window->forecastView();
    log(QStringLiteral("forecast: %1 test windows").arg(forecast->windowCount()));
    if (forecast->windowCount() == 0)
        return fail(QStringLiteral("the forecast view shows no test windows"));
    settle(800, [this] {
        if (!shoot(QStringLiteral("04-forecast")))
            return fail(QStringLiteral("screenshot 04-forecast failed"));
        forecastBeyond();
    });
}

void TourDriver::forecastBeyond()
{
    ForecastView *forecast = m_window->forecastView();
    QPushButton *button = forecast->futureForecastButton();
    if (button->isHidden() || !button->isEnabled())
        return fail(QStringLiteral("the Forecast Beyond the Data button is not available"));
    button->click();
    // twb-cli predict runs as a child; poll until the view has the forecast or a failure.
    auto *poll = new QTimer(this);
    connect(poll, &QTimer::timeout, this, [this, poll, forecast] {
        if (forecast->isFutureForecastBusy())
            return;
        poll->deleteLater();
        if (!forecast->futureForecast())
            return fail(QStringLiteral("no forecast beyond the data: %1")
                            .arg(forecast->futureLabel()->text()));
        log(QStringLiteral("forecast beyond: %1").arg(forecast->futureLabel()->text()));
        settle(800, [this] {
            if (!shoot(QStringLiteral("04b-forecast-beyond")))
                return fail(QStringLiteral("screenshot 04b-forecast-beyond failed"));
            showRuns();
        });
    });
    poll->start(200);
}

void TourDriver::showRuns()
{
    m_window->centralTabs()->setCurrentWidget(m_window->runsView());
    settle(800, [this] {
        if (!shoot(QStringLiteral("05-runs")))
            return fail(QStringLiteral("screenshot 05-runs failed"));
        explain();
    });
}

void TourDriver::explain()
{
    // Runs > Explain Selected Run, "Show attention" for a test window, then a what-if edit
    // (mask the query token) answered by `twb-cli whatif --serve`.
    auto *action = m_window->findChild<QAction *>(QStringLiteral("actionExplainRun"));
    if (!action || !action->isEnabled())
        return fail(QStringLiteral("Runs > Explain Selected Run is not available"));
    action->trigger();
    m_window->runViews()->waitForRun();
    AttentionPanel *panel = m_window->attentionPanel();
    WhatIfPanel *whatIf = panel->whatIf();
    connect(
        panel, &AttentionPanel::failed, this,
        [this](const QString &message) {
            // Models without attention (DLinear) have nothing to explain: the tour goes on.
            log(QStringLiteral("no attention to show: %1").arg(message));
            exportAll();
        },
        Qt::SingleShotConnection);
    connect(
        whatIf, &WhatIfPanel::resultShown, this,
        [this, panel, whatIf] {
            panel->disconnect(this);
            log(QStringLiteral("what-if: %1").arg(whatIf->statusText()));
            connect(
                whatIf, &WhatIfPanel::resultShown, this,
                [this, panel, whatIf] {
                    log(QStringLiteral("what-if: %1").arg(whatIf->statusText()));
                    // The Explain tab wants the room: the docks are hidden for its screenshots
                    // (View menu) and shown again after them.
                    QList<QDockWidget *> hidden;
                    for (QDockWidget *dock : m_window->findChildren<QDockWidget *>())
                        if (dock->isVisible()) {
                            dock->hide();
                            hidden << dock;
                        }
                    settle(800, [this, panel, whatIf, hidden] {
                        if (!shoot(QStringLiteral("06-explain")))
                            return fail(QStringLiteral("screenshot 06-explain failed"));
                        QWidget *w = panel;
                        while (w && !qobject_cast<QScrollArea *>(w))
                            w = w->parentWidget();
                        if (auto *area = qobject_cast<QScrollArea *>(w))
                            area->ensureWidgetVisible(whatIf, 0, 0);
                        settle(500, [this, hidden] {
                            if (!shoot(QStringLiteral("07-whatif")))
                                return fail(QStringLiteral("screenshot 07-whatif failed"));
                            for (QDockWidget *dock : hidden)
                                dock->show();
                            exportAll();
                        });
                    });
                },
                Qt::SingleShotConnection);
            panel->explorer()->setQuery(panel->explorer()->query() + 5);
            whatIf->maskTokenButton()->click();
        },
        Qt::SingleShotConnection);
    panel->sampleBox()->setValue(100);
    if (!panel->compute())
        fail(QStringLiteral("Show attention did not start: %1").arg(panel->statusText()));
}

void TourDriver::exportAll()
{
    // The forecast view through File > Export View, and the run's bundle (twb-cli export).
    m_window->centralTabs()->setCurrentWidget(m_window->forecastView());
    const QDir out(m_options.outDir);
    for (const auto &[format, suffix] : {std::pair{MainWindow::ExportFormat::Png, "png"},
                                         std::pair{MainWindow::ExportFormat::Svg, "svg"},
                                         std::pair{MainWindow::ExportFormat::Csv, "csv"}}) {
        const QString path = out.filePath(QStringLiteral("forecast.") + QLatin1String(suffix));
        if (const Status s = m_window->exportView(format, path); !s)
            return fail(s.error().toString());
        log(QStringLiteral("exported %1 (%2 bytes)").arg(path).arg(QFileInfo(path).size()));
    }
    const QString bundle = out.filePath(QStringLiteral("run-bundle.h5"));
    connect(
        m_window->bundleExport(), &RunBundleExport::finished, this,
        [this](bool ok, const QString &file, const QString &message) {
            if (!ok)
                return fail(message);
            log(QStringLiteral("exported %1 (%2 bytes)").arg(file).arg(QFileInfo(file).size()));
            m_done = true;
            m_watchdog.stop();
            log(QStringLiteral("tour done"));
            Q_EMIT finished(true, {});
        },
        Qt::SingleShotConnection);
    if (!m_window->exportRunBundle(m_runDir, bundle))
        fail(QStringLiteral("the bundle export did not start"));
}

} // namespace twb
