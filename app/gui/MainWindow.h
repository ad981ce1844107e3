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

namespace twb {

class ChannelTableModel;
class ModelListWidget;
class ModelRegistry;
class RecentFiles;
class SeriesChartView;

/// The workbench window: the series chart in the centre, the channel table and the model list
/// in docks, File ▸ Open / Open Recent / Sample data, drag and drop of files.
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
    /// loadFailed follows.
    void openFile(const QString &pathSpec);
    bool isLoading() const;

    QString currentFile() const { return m_currentFile; }
    std::shared_ptr<const SeriesDataset> dataset() const { return m_data; }
    SeriesChartView *chartView() const { return m_chart; }
    ChannelTableModel *channelModel() const { return m_channels; }
    ModelListWidget *modelList() const { return m_models; }
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
    ModelListWidget *m_models = nullptr;
    QDockWidget *m_channelDock = nullptr;
    QDockWidget *m_modelDock = nullptr;
    RecentFiles *m_recent = nullptr;
    QLabel *m_statusInfo = nullptr;

    QFutureWatcher<LoadedDataset> m_loadWatcher;
    QString m_loadingFile;
    QString m_currentFile;
    std::shared_ptr<const SeriesDataset> m_data;
};

} // namespace twb
