#pragma once

#include "DatasetLoadJob.h"

#include <QFutureWatcher>
#include <QMainWindow>
#include <QStringList>

#include <memory>

class QDockWidget;
class QLabel;
class QMenu;
class QSortFilterProxyModel;
class QTableView;
class QTabWidget;

namespace twb {

class AutocorrelationView;
class ChannelHistogramView;
class ChannelTableModel;
class ForecastView;
class RunsView;
class SpectrogramPanel;
class ModelListWidget;
class ModelPanel;
class ModelRegistry;
class RecentFiles;
class SeriesChartView;
class TrainingDashboard;
struct TrainRequest;

/// The workbench window: the series chart and the training dashboard as central tabs, the
/// channel table and the model panel (models, hyperparameters, task, Train) in docks,
/// File ▸ Open / Open Recent / Sample data, drag and drop of files, Training ▸ Train (Ctrl+T) /
/// Pause / Resume / Step / Stop.
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
    bool isLoading() const;

    QString currentFile() const { return m_currentFile; }
    std::shared_ptr<const SeriesDataset> dataset() const { return m_data; }
    SeriesChartView *chartView() const { return m_chart; }
    ChannelTableModel *channelModel() const { return m_channels; }
    ModelListWidget *modelList() const { return m_models; }
    ModelPanel *modelPanel() const { return m_modelPanel; }
    TrainingDashboard *trainingDashboard() const { return m_dashboard; }
    QTabWidget *centralTabs() const { return m_tabs; }

    /// The workspace folder of the runs: QSettings "workspace/runsDirectory", default
    /// QStandardPaths::AppDataLocation/runs.
    static QString runsDirectory();
    /// QSettings key of runsDirectory().
    static constexpr const char *RunsDirectoryKey = "workspace/runsDirectory";
    /// QSettings key of the twb-cli path; default: twb-cli next to this executable.
    static constexpr const char *CliProgramKey = "training/cliProgram";
    RecentFiles *recentFiles() const { return m_recent; }

    /// How many channels are shown when a file opens.
    static constexpr int InitiallyVisibleChannels = 8;

Q_SIGNALS:
    void datasetLoaded(const QString &pathSpec);
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
    void showAbout();
    void showAboutSamples();

    void createDocks();
    // MainWindowViews.cpp
    void createViews();
    void showDatasetInViews();
    void openRun(const QString &runDir);
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

    SeriesChartView *m_chart = nullptr;
    ChannelTableModel *m_channels = nullptr;
    QSortFilterProxyModel *m_channelProxy = nullptr;
    QTableView *m_channelView = nullptr;
    ModelListWidget *m_models = nullptr; ///< inside m_modelPanel
    ModelPanel *m_modelPanel = nullptr;
    TrainingDashboard *m_dashboard = nullptr;
    QTabWidget *m_tabs = nullptr;
    QString m_runName; ///< the current run, for the title
    QDockWidget *m_channelDock = nullptr;
    QDockWidget *m_inspectorDock = nullptr;
    ChannelHistogramView *m_histogram = nullptr;
    AutocorrelationView *m_autocorrelation = nullptr;
    RunsView *m_runs = nullptr;
    ForecastView *m_forecast = nullptr;
    SpectrogramPanel *m_spectrogram = nullptr;
    QDockWidget *m_modelDock = nullptr;
    RecentFiles *m_recent = nullptr;
    QLabel *m_statusInfo = nullptr;

    QFutureWatcher<LoadedDataset> m_loadWatcher;
    QString m_loadingFile;
    QString m_currentFile;
    std::shared_ptr<const SeriesDataset> m_data;
};

} // namespace twb
