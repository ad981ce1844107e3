#pragma once

#include "DatasetLoadJob.h"
#include "LabelledDataSummary.h"
#include "common/Expected.h"

#include <QFutureWatcher>
#include <QMainWindow>
#include <QStringList>

#include <functional>
#include <memory>
#include <utility>
#include <vector>

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QSortFilterProxyModel;
class QTableView;
class QTabWidget;

namespace twb {

class AttentionPanel;
class ForwardPassPanel;
class AutocorrelationView;
class ClassificationView;
class CsvExportable;
class RunBundleExport;
class ChannelHistogramView;
class ChannelTableModel;
class ForecastView;
class ReconstructionView;
class RunViewsController;
class SeparationView;
class FutureForecastController;
class FineTuneController;
class ClassPredictionController;
class LessonPanel;
class LessonRunner;
class RunsView;
struct ShownRun;
class SpectrogramPanel;
class LabelledCasesView;
class ModelListWidget;
class ModelPanel;
class ModelRegistry;
class RecentFiles;
class SeriesChartView;
class StartPage;
class TrainingController;
class TrainingDashboard;
struct TrainRequest;

/// The workbench window: the series chart and the training dashboard as central tabs, the
/// channel table and the model panel (models, hyperparameters, task, Train) in docks,
/// File ▸ Open / Open Recent / Sample data, drag and drop of files, Training ▸ Train (Ctrl+T) /
/// Pause / Resume / Step / Stop, File ▸ Export View ▸ PNG / SVG / CSV (the current tab's view;
/// CSV only for views that hand out their data), Runs ▸ Export Run Bundle (HDF5) (`twb-cli
/// export` as a child process for the run selected in the Runs tab).
///
/// Train queues a `twb-cli train` run in the dashboard; its folder is a new directory
/// "<model>-<data>-<timestamp>" in runsDirectory().
///
/// Files load on a worker thread (loadAndSummarize); the window stays responsive and shows
/// the result, or the error in a non-blocking message box, when the load finishes. Only the
/// latest request counts. Geometry, dock layout and recent files persist in QSettings.
///
/// Threading: GUI thread only.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Shows the registry's plugins and problems; `searched` are the directories scanned.
    /// The window copies what it shows.
    void setModelRegistry(const ModelRegistry &registry, const QStringList &searched);

    /// Starts loading `pathSpec` (a file, or "file.h5:/group/dataset"); datasetLoaded or
    /// loadFailed follows. Sound files (.wav, .flac, .ogg, .aif) open in the Spectrogram tab
    /// instead (read on the calling thread; the spectrogram tiles on workers).
    void openFile(const QString &pathSpec);
    /// Opens labelled cases for classification (an audio folder, a manifest .csv, a .ts,
    /// .arff or labelled .h5 file; openFile() sends folders, .ts and .arff here): loads them
    /// on a worker to check and describe them, then sets the model panel to classify them
    /// (with the matching _TEST file as test data when there is one). labelledDataLoaded or
    /// loadFailed follows.
    void openLabelled(const QString &path);
    /// Shows the case `source` ("GunPoint_TEST.ts:17", as the loaders name cases) of the
    /// labelled file `path` in the Cases tab, on top of the first cases of each class (the file
    /// is read on a worker; the model panel is left as it is). labelledCaseShown or loadFailed
    /// follows. A test case activated in the Classification tab opens this way.
    void showLabelledCase(const QString &path, const QString &source);
    bool isLoading() const;

    /// The series file or the labelled data opened last (empty before).
    QString currentFile() const { return m_currentFile; }
    /// The series opened last; null while labelled data is open.
    std::shared_ptr<const SeriesDataset> dataset() const { return m_data; }
    SeriesChartView *chartView() const { return m_chart; }
    /// The first tab, current while no data is open: samples, recent files, lessons.
    StartPage *startPage() const { return m_startPage; }
    /// The "Cases" tab: the first cases of each class of the labelled data opened last.
    LabelledCasesView *casesView() const { return m_cases; }
    ChannelTableModel *channelModel() const { return m_channels; }
    ModelListWidget *modelList() const { return m_models; }
    ModelPanel *modelPanel() const { return m_modelPanel; }
    TrainingDashboard *trainingDashboard() const { return m_dashboard; }
    /// Runs the dashboard's queue of training runs.
    TrainingController *trainingController() const { return m_training; }
    QTabWidget *centralTabs() const { return m_tabs; }
    RunsView *runsView() const { return m_runs; }
    ForecastView *forecastView() const { return m_forecast; }
    ClassificationView *classificationView() const { return m_classification; }
    SeparationView *separationView() const { return m_separation; }
    AttentionPanel *attentionPanel() const { return m_explain; }
    ForwardPassPanel *forwardPassPanel() const { return m_forwardPass; }
    /// Shows a finished run: the Forecast tab, the Classification tab for a classification
    /// run, the Reconstruction tab for a pretraining run, the Separation tab for a speech
    /// separation run; the Explain and Forward pass tabs are
    /// set to the same run. The run is read on a
    /// worker (runViews()): it is shown when runViews() emits runShown.
    void openRun(const QString &runDir);
    /// A new run from `runDir`'s weights: the model panel takes its model and architecture
    /// (FineTuneController), the run's data opens when none is, the model dock shows.
    void startFineTune(const QString &runDir);
    /// openRun, then the Explain tab (the attention of its test samples).
    void explainRun(const QString &runDir);
    /// Reads runs and workspace for the Runs, Forecast and Classification tabs.
    RunViewsController *runViews() const { return m_runViews; }
    FineTuneController *fineTuneController() const { return m_fineTune; }
    QTableView *channelTable() const { return m_channelView; }
    QDockWidget *inspectorDock() const { return m_inspectorDock; }

    enum class ExportFormat { Png, Svg, Csv };
    /// The widget File ▸ Export View writes for the current tab (the tab's view).
    QWidget *exportWidget() const;
    /// The current tab's view as CsvExportable; nullptr when it cannot hand out its data
    /// (the CSV action is then disabled).
    const CsvExportable *exportTable() const;
    /// Writes the current tab's view to `path` (atomically); the error names the path.
    Status exportView(ExportFormat format, const QString &path);
    /// Asks for a file to write: (caption, suggested path, filter) -> path, empty = cancelled.
    /// Default: QFileDialog::getSaveFileName. Tests inject their own.
    using SavePathAsker = std::function<QString(const QString &, const QString &, const QString &)>;
    void setSavePathAsker(SavePathAsker asker) { m_askSavePath = std::move(asker); }
    /// Starts `twb-cli export runDir --out outFile` (non-blocking); the result goes to the status
    /// bar, and failures to a message box naming the file. False when an export runs already.
    bool exportRunBundle(const QString &runDir, const QString &outFile);
    RunBundleExport *bundleExport() const { return m_bundleExport; }

    /// The rows drawn as train/validation/test borders on the series plot for the current data
    /// set and the split chosen in the model panel (empty without data or a valid split).
    QList<qint64> splitBorderRows() const;

    /// The workspace folder of the runs: QSettings "workspace/runsDirectory", default
    /// QStandardPaths::AppDataLocation/runs.
    static QString runsDirectory();
    /// QSettings key of runsDirectory().
    static constexpr const char *RunsDirectoryKey = "workspace/runsDirectory";
    /// QSettings key of the twb-cli path; default: twb-cli next to this executable.
    static constexpr const char *CliProgramKey = "training/cliProgram";
    /// Whether a run started from the window opens its results when it finishes (default on).
    static constexpr const char *OpenFinishedRunsKey = "training/openFinishedRuns";
    RecentFiles *recentFiles() const { return m_recent; }

    /// How many channels are shown when a file opens.
    static constexpr int InitiallyVisibleChannels = 8;

    /// Every menu action that has a keyboard shortcut, in menu order: its menu path
    /// ("Training ▸ Train") and its key sequence in the platform's text ("Ctrl+T"). Help ▸
    /// Keyboard Shortcuts lists them.
    std::vector<std::pair<QString, QString>> keyboardShortcuts() const;

    /// Help ▸ Lessons: shows the Lessons dock; with an id, starts that lesson at step 1.
    void showLessons(const QString &lessonId = QString());
    LessonPanel *lessonPanel() const { return m_lessonPanel; }
    LessonRunner *lessonRunner() const { return m_lessonRunner; }
    QDockWidget *lessonDock() const { return m_lessonDock; }

Q_SIGNALS:
    void datasetLoaded(const QString &pathSpec);
    /// After openLabelled succeeded; `summary` is what the model panel shows.
    void labelledDataLoaded(const QString &path, const QString &summary);
    /// After showLabelledCase drew the case (`highlighted`: it was found in the file).
    void labelledCaseShown(const QString &source, bool highlighted);
    /// File ▸ Export View wrote `path`, or failed with `message` (also shown to the user).
    void viewExported(const QString &path, bool ok, const QString &message);
    /// A run's results are in their view (Forecast or Classification tab), after openRun.
    void runShown(const QString &runDir);
    /// After the error message box was opened.
    void loadFailed(const QString &pathSpec, const QString &message);

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    // MainWindowMenus.cpp
    void createMenus();
    void fillSampleMenu(QMenu *menu);
    void chooseFile();
    void chooseLabelledFile();
    void chooseAudioFolder();
    void onLabelledLoaded();
    void onLabelledCaseLoaded();
    /// Shows and signals (loadFailed) the error of a labelled load; false when there is none.
    bool reportedLabelledError(const LabelledDataSummary &loaded);
    void showAbout();
    void showAboutSamples();
    void showShortcuts();
    // MainWindowLessons.cpp
    void createLessons(QMenu *helpMenu);

    void createDocks();
    // MainWindowExport.cpp
    void createExportActions(QMenu *fileMenu);
    void createRunsMenu();
    void exportViewAs(ExportFormat format);
    void exportSelectedRun();
    void updateExportActions();
    void onBundleExported(bool ok, const QString &outFile, const QString &message);
    QString askSavePath(const QString &caption, const QString &suggested,
                        const QString &filter) const;
    QString exportBaseName() const;
    void updateSplitBorders();
    // MainWindowViews.cpp
    void createViews();
    void createFutureForecast();
    void createClassPredictions();
    /// Asks where to save a CSV (starting at lastDirectory()/fileName) and calls `save`;
    /// its error goes to an error box, success to the status line.
    void saveCsvCopy(const QString &title, const QString &fileName,
                     const std::function<Status(const QString &)> &save);
    /// The twb-cli the window's children run: the setting CliProgramKey, else the default.
    static QString cliProgram();
    /// Where the file dialogs start: the folder of the last file opened, else home.
    static QString lastDirectory();
    void showDatasetInViews();
    /// Labelled data replaces the series: the series view is emptied, the channel table and the
    /// histogram describe every step of every case, the title names the data.
    void showLabelledChannels(const LabelledDataSummary &loaded);
    /// After runViews() showed a run: its tab, the Explain and Forward pass tabs, the status.
    void showRun(const ShownRun &run);
    void showForecastRun(const ShownRun &run);
    /// Makes the tab that shows `view` current (the view itself or inside a scroll area).
    void showTabOf(QWidget *view);
    void showClassificationRun(const ShownRun &run);
    /// A pretraining run: its reconstruction samples (the Reconstruction tab).
    void showPretrainRun(const ShownRun &run);
    // MainWindowSeparation.cpp
    /// A speech separation run: its examples (the Separation tab).
    void showSeparationRun(const ShownRun &run);
    /// The Separation tab's export buttons ask for a folder or a file, then export.
    void connectSeparationExports();
    void openAudio(const QString &path);
    static bool isAudioFile(const QString &path);
    // MainWindowTraining.cpp
    void createTraining();
    void createTrainingMenu();
    void onTrainRequested(const TrainRequest &request);
    void onLoadFinished();
    void showDataset(const LoadedDataset &loaded);
    void showError(const QString &title, const QString &message);
    void updateTitle();
    void restoreSettings();
    void saveSettings() const;

    StartPage *m_startPage = nullptr;
    SeriesChartView *m_chart = nullptr;
    LabelledCasesView *m_cases = nullptr;
    ChannelTableModel *m_channels = nullptr;
    QSortFilterProxyModel *m_channelProxy = nullptr;
    QTableView *m_channelView = nullptr;
    ModelListWidget *m_models = nullptr; ///< inside m_modelPanel
    ModelPanel *m_modelPanel = nullptr;
    TrainingDashboard *m_dashboard = nullptr;
    TrainingController *m_training = nullptr;
    QTabWidget *m_tabs = nullptr;
    QString m_runName; ///< the current run, for the title
    QDockWidget *m_channelDock = nullptr;
    QDockWidget *m_inspectorDock = nullptr;
    ChannelHistogramView *m_histogram = nullptr;
    AutocorrelationView *m_autocorrelation = nullptr;
    RunsView *m_runs = nullptr;
    ForecastView *m_forecast = nullptr;
    ClassificationView *m_classification = nullptr;
    ReconstructionView *m_reconstruction = nullptr; ///< pretraining runs
    SeparationView *m_separation = nullptr;         ///< speech separation runs
    RunViewsController *m_runViews = nullptr;
    FineTuneController *m_fineTune = nullptr;                ///< Fine-tune from a run (Runs tab)
    FutureForecastController *m_futureForecast = nullptr;    ///< Forecast Beyond the Data
    ClassPredictionController *m_classPredictions = nullptr; ///< Predict new data
    bool m_explainAfterRun = false; ///< explainRun: the Explain tab once the run is shown
    AttentionPanel *m_explain = nullptr;
    ForwardPassPanel *m_forwardPass = nullptr;
    SpectrogramPanel *m_spectrogram = nullptr;
    QDockWidget *m_modelDock = nullptr;
    RecentFiles *m_recent = nullptr;
    QLabel *m_statusInfo = nullptr;
    QAction *m_exportPng = nullptr;
    QAction *m_exportSvg = nullptr;
    QAction *m_exportCsv = nullptr;
    QAction *m_exportBundle = nullptr;
    RunBundleExport *m_bundleExport = nullptr;
    SavePathAsker m_askSavePath;
    LessonRunner *m_lessonRunner = nullptr;
    LessonPanel *m_lessonPanel = nullptr;
    QDockWidget *m_lessonDock = nullptr;
    QList<QDockWidget *> m_docksBeforeLesson; ///< hidden while a lesson runs

    QFutureWatcher<LoadedDataset> m_loadWatcher;
    QFutureWatcher<LabelledDataSummary> m_labelledWatcher;
    QString m_loadingLabelled; ///< the labelled data being loaded; empty = none
    QFutureWatcher<LabelledDataSummary> m_caseWatcher; ///< showLabelledCase's load
    QString m_caseSource;                              ///< the case it is to highlight
    QString m_loadingFile;
    QString m_currentFile;
    std::shared_ptr<const SeriesDataset> m_data;
};

} // namespace twb
