#include "RunViewsController.h"

#include "client/ClassificationRun.h"
#include "client/ForecastRun.h"
#include "client/ReconstructionFile.h"
#include "client/RunWorkspace.h"
#include "client/SeparationFile.h"
#include "widgets/classify/ClassificationView.h"
#include "widgets/explain/ReconstructionView.h"
#include "widgets/forecast/ForecastView.h"
#include "widgets/separate/SeparationView.h"
#include "widgets/training/RunsView.h"

#include <QDir>
#include <QtConcurrent/QtConcurrentRun>

#include <optional>

namespace twb {

/// What the worker read of a run: its summary and either view's data, or the error.
struct RunViewsController::RunRead
{
    QString runDir;
    RunSummary summary;
    bool classify = false;
    bool pretrain = false;
    bool separate = false;
    std::optional<ForecastRunData> forecast;
    std::optional<ReconstructionSamples> reconstruction;
    std::optional<SeparationResults> separation;
    std::optional<ClassificationRunData> classification;
    QString error;
};

namespace {

/// Moves what a reader read into `value`, or its error (naming the file) into `error`.
template<typename T>
void take(Expected<T> read, std::optional<T> &value, QString &error)
{
    if (read)
        value = std::move(read).value();
    else
        error = read.error().toString();
}

} // namespace

RunViewsController::RunViewsController(RunsView *runs, ForecastView *forecast,
                                       ClassificationView *classification, QObject *parent)
    : QObject(parent)
    , m_runs(runs)
    , m_forecast(forecast)
    , m_classification(classification)
    , m_workspace(new RunWorkspace(this))
{
    connect(m_workspace, &RunWorkspace::runsChanged, m_runs,
            [this] { m_runs->setRuns(m_workspace->runs()); });
    connect(m_runs, &RunsView::refreshRequested, m_workspace, &RunWorkspace::refresh);
    connect(m_runs, &RunsView::selectionChanged, this, &RunViewsController::showCurves);
    connect(m_runs, &RunsView::deleteRequested, this, &RunViewsController::deleteRuns);
    connect(&m_reading, &QFutureWatcher<std::shared_ptr<RunRead>>::finished, this,
            &RunViewsController::onRunRead);
}

RunViewsController::~RunViewsController() = default;

void RunViewsController::setWorkspace(const QString &path)
{
    m_workspace->setPath(path);
}

void RunViewsController::showCurves(const QStringList &runDirs)
{
    std::vector<RunLossCurve> curves;
    QStringList problems;
    for (const QString &dir : runDirs) {
        Expected<std::vector<EpochRecord>> epochs = readRunEpochs(dir);
        if (epochs)
            curves.push_back({QDir(dir).dirName(), std::move(*epochs)});
        else
            problems << epochs.error().toString();
    }
    m_runs->setLossCurves(curves, problems);
}

void RunViewsController::deleteRuns(const QStringList &runDirs)
{
    const QStringList failed = m_workspace->moveToTrash(runDirs);
    m_runs->showDeleteResult(int(runDirs.size() - failed.size()), failed);
}

void RunViewsController::openRun(const QString &runDir)
{
    m_pending = true;
    m_reading.setFuture(QtConcurrent::run([runDir] {
        auto read = std::make_shared<RunRead>();
        read->runDir = runDir;
        read->summary = readRunSummary(runDir);
        read->classify = read->summary.task == QLatin1String("classify");
        read->pretrain = read->summary.task == QLatin1String("pretrain");
        read->separate = read->summary.task == QLatin1String("separate");
        if (read->classify)
            take(readClassificationRun(runDir), read->classification, read->error);
        else if (read->pretrain)
            take(readReconstructionSamples(runDir), read->reconstruction, read->error);
        else if (read->separate)
            take(readSeparationResults(runDir), read->separation, read->error);
        else
            take(readForecastRun(runDir), read->forecast, read->error);
        return read;
    }));
}

void RunViewsController::waitForRun()
{
    if (!m_pending)
        return;
    m_reading.waitForFinished();
    onRunRead(); // the watcher's finished() comes later and finds nothing pending
}

void RunViewsController::onRunRead()
{
    if (!m_pending || !m_reading.isFinished())
        return;
    m_pending = false;
    const std::shared_ptr<RunRead> read = m_reading.result();
    ShownRun shown;
    shown.runDir = read->runDir;
    shown.summary = read->summary;
    shown.classify = read->classify;
    shown.pretrain = read->pretrain;
    shown.separate = read->separate;
    shown.ok = read->error.isEmpty();
    shown.message = read->error;
    if (read->classify && read->classification) {
        shown.testSamples = int(read->classification->predictions->cases);
        m_classification->setRun(*read->classification);
    } else if (read->classify) {
        m_classification->showFailure(read->error);
    } else if (read->pretrain) {
        if (!m_reconstruction) {
            shown.ok = false;
            shown.message = tr("%1 is a pretraining run; this window has no reconstruction view")
                                .arg(read->runDir);
        } else if (read->reconstruction) {
            shown.testSamples = int(read->reconstruction->windows.size());
            shown.channels = int(read->reconstruction->channels.size());
            m_reconstruction->setSamples(std::move(*read->reconstruction));
        } else {
            m_reconstruction->showFailure(read->error);
        }
    } else if (read->separate) {
        if (!m_separation) {
            shown.ok = false;
            shown.message = tr("%1 is a speech separation run; this window has no separation view")
                                .arg(read->runDir);
        } else if (read->separation) {
            shown.testSamples = read->separation->mixtureCount();
            m_separation->setResults(std::move(*read->separation));
        } else {
            m_separation->showFailure(read->error);
        }
    } else if (read->forecast) {
        std::shared_ptr<const SeriesDataset> history =
            m_history ? m_history(read->summary) : nullptr;
        shown.withHistory = history != nullptr;
        shown.testSamples = int(read->forecast->predictions.windowStartRows.size());
        shown.channels = int(read->forecast->predictions.channelNames.size());
        m_forecast->setRun(std::move(*read->forecast), std::move(history));
    } else {
        m_forecast->showFailure(read->error);
    }
    Q_EMIT runShown(shown);
}

} // namespace twb
