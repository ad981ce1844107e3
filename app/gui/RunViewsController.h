#pragma once

#include "client/RunSummary.h"

#include <QFutureWatcher>
#include <QObject>

#include <functional>
#include <memory>

namespace twb {

class ClassificationView;
class ForecastView;
class ReconstructionView;
class RunWorkspace;
class SeparationView;
class RunsView;
struct SeriesDataset;

/// What the run views show of a run after RunViewsController::openRun, for the window's other
/// tabs (Explain, Forward pass) and its status line.
struct ShownRun
{
    QString runDir;
    RunSummary summary;    ///< config.json and status.json of the run
    bool classify = false; ///< in the classification view (else the forecast view)
    bool pretrain = false; ///< a pretraining run: in the reconstruction view
    bool separate = false; ///< a speech separation run: in the separation view
    bool ok = false;       ///< false: the view shows `message` instead
    QString message;       ///< why the run could not be shown, naming the file
    /// test windows (forecast), test cases (classification) or mixtures (separation) shown
    int testSamples = 0;
    int channels = 0;         ///< channels of the forecasts; 0 for a classification run
    bool withHistory = false; ///< the forecast view draws the history of the open data set
};

/// Wires the run views to the run folders (Sonic Visualiser's svapp): the views draw what they
/// are given, this controller reads the files (core/client's readers) and hands them over.
///
///  - RunsView: the runs of a RunWorkspace (re-read when sub-folders appear or vanish, on the
///    view's refreshRequested, after a delete), the loss curves of the selection (readRunEpochs,
///    on the GUI thread: metrics.jsonl is small) and the move to the trash of deleteRequested.
///  - ForecastView / ClassificationView / ReconstructionView / SeparationView: openRun() reads
///    the run on a worker thread (QtConcurrent: readRunSummary, then readForecastRun,
///    readClassificationRun, readReconstructionSamples or readSeparationResults by its task;
///    a large predictions.h5 takes a while) and gives the result, or the reason it failed, to
///    the view on the GUI thread. Only the latest request is shown: a newer one replaces an
///    unfinished one.
///
/// Ownership: the views are not owned and must outlive the controller (the window owns both).
/// Threading: GUI thread; runShown is emitted there.
class RunViewsController : public QObject
{
    Q_OBJECT

public:
    RunViewsController(RunsView *runs, ForecastView *forecast, ClassificationView *classification,
                       QObject *parent = nullptr);
    ~RunViewsController() override;

    /// Lists (and watches) the runs of the workspace folder `path` in the runs view.
    void setWorkspace(const QString &path);
    /// Where pretraining runs (task "pretrain") are shown: their reconstruction.json. Not
    /// owned; without it they are reported as not shown.
    void setReconstructionView(ReconstructionView *view) { m_reconstruction = view; }
    /// Where speech separation runs (task "separate") are shown: their predictions.h5. Not
    /// owned; without it they are reported as not shown.
    void setSeparationView(SeparationView *view) { m_separation = view; }
    RunWorkspace *workspace() const { return m_workspace; }

    /// The data set drawn as history before each forecast window of a run (given its summary);
    /// null when the open data is not the run's. Asked on the GUI thread when a forecast run is
    /// shown. Default: no history.
    using HistorySource = std::function<std::shared_ptr<const SeriesDataset>(const RunSummary &)>;
    void setHistorySource(HistorySource source) { m_history = std::move(source); }

    /// Reads the run in `runDir` on a worker and shows it in the view of its task (forecast,
    /// classification, reconstruction or separation); runShown follows on the GUI thread.
    void openRun(const QString &runDir);
    /// A run is being read (openRun has not shown it yet).
    bool isReading() const { return m_pending; }
    /// Blocks until the run being read is shown (tests, the tour); returns at once when none is.
    void waitForRun();

Q_SIGNALS:
    /// The view shows the run opened last, or why it could not.
    void runShown(const twb::ShownRun &run);

private:
    struct RunRead;
    void onRunRead();
    void showCurves(const QStringList &runDirs);
    void deleteRuns(const QStringList &runDirs);

    RunsView *m_runs = nullptr;
    ForecastView *m_forecast = nullptr;
    ClassificationView *m_classification = nullptr;
    ReconstructionView *m_reconstruction = nullptr;
    SeparationView *m_separation = nullptr;
    RunWorkspace *m_workspace = nullptr; ///< owned (child)
    HistorySource m_history;
    QFutureWatcher<std::shared_ptr<RunRead>> m_reading;
    bool m_pending = false; ///< m_reading's result is not shown yet
};

} // namespace twb
