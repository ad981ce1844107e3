#include "MainWindow.h"

#include "lessons/LessonRunner.h"

#include "RecentFiles.h"
#include "StartPage.h"
#include "data/DatasetLoader.h"
#include "widgets/common/SeriesChartView.h"
#include "widgets/data/ChannelTableModel.h"
#include "widgets/data/LabelledCasesView.h"
#include "widgets/training/HyperparameterForm.h"
#include "widgets/training/ModelListWidget.h"
#include "widgets/training/ModelPanel.h"

#include <QCloseEvent>
#include <QDateTime>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QMimeData>
#include <QScreen>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QtConcurrent/QtConcurrentRun>

namespace twb {

namespace {

const QString appName = QStringLiteral("Transformer Workbench");

/// The first local file of a drag, empty if none.
QString droppedFile(const QMimeData *mime)
{
    if (!mime || !mime->hasUrls())
        return {};
    for (const QUrl &url : mime->urls())
        if (url.isLocalFile())
            return url.toLocalFile();
    return {};
}

QString describe(const SeriesDataset &data)
{
    QString text = QObject::tr("%1 rows \u00d7 %2 channels").arg(data.rows()).arg(data.channels());
    const std::int64_t missing = data.missing.total();
    text += QStringLiteral(" \u00b7 ") +
            (missing ? QObject::tr("%1 missing").arg(missing) : QObject::tr("no missing"));
    if (data.hasTimestamps()) {
        const auto format = [](std::int64_t ms) {
            return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)
                .toString(QStringLiteral("yyyy-MM-dd hh:mm"));
        };
        text += QStringLiteral(" \u00b7 ") + format(data.timestamps.front()) +
                QStringLiteral(" \u2013 ") + format(data.timestamps.back());
    }
    return text;
}

/// The size of a window without saved geometry: 1280×800, or less so that it fits the available
/// area of `screen` (without the taskbar) with its frame and a margin (1366×768 screens).
QSize defaultWindowSize(const QScreen *screen)
{
    const QSize preferred(1280, 800);
    if (!screen)
        return preferred;
    const QSize frameAndMargin(48, 72); // window frame and title bar, and some room around
    return preferred.boundedTo(screen->availableGeometry().size() - frameAndMargin);
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setObjectName(QStringLiteral("MainWindow"));
    setAcceptDrops(true);

    m_chart = new SeriesChartView;
    m_chart->setObjectName(QStringLiteral("seriesChart"));
    // Drops go to the window, whichever child is under the cursor.
    m_chart->setAcceptDrops(false);
    m_chart->viewport()->setAcceptDrops(false);
    m_recent = new RecentFiles(this);
    connect(m_recent, &RecentFiles::openRequested, this, &MainWindow::openFile);

    m_startPage = new StartPage(m_recent);
    m_startPage->setObjectName(QStringLiteral("startPage"));
    connect(m_startPage, &StartPage::openFileRequested, this, &MainWindow::chooseFile);
    connect(m_startPage, &StartPage::fileRequested, this, &MainWindow::openFile);
    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("centralTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_startPage, tr("Start"));
    m_tabs->addTab(m_chart, tr("Series"));
    m_cases = new LabelledCasesView;
    m_cases->setObjectName(QStringLiteral("casesView"));
    m_tabs->addTab(m_cases, tr("Cases"));
    setCentralWidget(m_tabs);

    createDocks();
    createTraining();
    createViews();
    createMenus();
    createTrainingMenu();
    createRunsMenu();

    m_statusInfo = new QLabel;
    statusBar()->addPermanentWidget(m_statusInfo);
    connect(&m_loadWatcher, &QFutureWatcher<LoadedDataset>::finished, this,
            &MainWindow::onLoadFinished);
    connect(&m_labelledWatcher, &QFutureWatcher<LabelledDataSummary>::finished, this,
            &MainWindow::onLabelledLoaded);
    connect(&m_caseWatcher, &QFutureWatcher<LabelledDataSummary>::finished, this,
            &MainWindow::onLabelledCaseLoaded);

    resize(defaultWindowSize(screen()));
    restoreSettings();
    updateTitle();
}

MainWindow::~MainWindow()
{
    // The children are deleted after this body: hiding the Lessons dock then must not reach
    // the lesson runner (deleted before the dock) through the window's handlers.
    if (m_lessonDock)
        disconnect(m_lessonDock, nullptr, this, nullptr);
    if (m_lessonRunner)
        disconnect(m_lessonRunner, nullptr, this, nullptr);
}

void MainWindow::createDocks()
{
    m_channels = new ChannelTableModel(this);
    m_channelProxy = new QSortFilterProxyModel(this);
    m_channelProxy->setSourceModel(m_channels);
    m_channelProxy->setSortRole(ChannelTableModel::SortRole);

    m_channelView = new QTableView;
    m_channelView->setObjectName(QStringLiteral("channelTable"));
    m_channelView->setModel(m_channelProxy);
    m_channelView->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder); // file order
    m_channelView->setSortingEnabled(true);
    m_channelView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_channelView->setAlternatingRowColors(true);
    m_channelView->setWordWrap(false);
    m_channelView->verticalHeader()->setDefaultSectionSize(m_channelView->fontMetrics().height() +
                                                           6);
    connect(m_channels, &ChannelTableModel::checkedChannelsChanged, m_chart,
            &SeriesChartView::setVisibleChannels);

    m_channelDock = new QDockWidget(tr("Channels"), this);
    m_channelDock->setObjectName(QStringLiteral("channelDock"));
    m_channelDock->setWidget(m_channelView);
    addDockWidget(Qt::BottomDockWidgetArea, m_channelDock);

    m_modelPanel = new ModelPanel;
    m_modelPanel->setObjectName(QStringLiteral("modelPanel"));
    m_models = m_modelPanel->modelList();
    m_modelDock = new QDockWidget(tr("Model"), this);
    m_modelDock->setObjectName(QStringLiteral("modelDock"));
    m_modelDock->setWidget(m_modelPanel);
    // Channels below the views; the model panel (tall: list, forms, Train) at the right.
    addDockWidget(Qt::RightDockWidgetArea, m_modelDock);
    resizeDocks({m_modelDock}, {400}, Qt::Horizontal);
    resizeDocks({m_channelDock}, {240}, Qt::Vertical);
}

void MainWindow::setModelRegistry(const ModelRegistry &registry, const QStringList &searched)
{
    m_modelPanel->setRegistry(registry, searched);
}

void MainWindow::openFile(const QString &pathSpec)
{
    if (pathSpec.isEmpty())
        return;
    if (isAudioFile(pathSpec)) {
        openAudio(pathSpec);
        return;
    }
    if (isLabelledDataPath(pathSpec)) {
        openLabelled(pathSpec);
        return;
    }
    // Recent files and the title need the absolute path of the file part.
    const SeriesPathSpec spec = parseSeriesPathSpec(pathSpec);
    QString absolute = QFileInfo(spec.file).absoluteFilePath();
    if (!spec.dataset.isEmpty())
        absolute += QLatin1Char(':') + spec.dataset;
    m_loadingFile = absolute;
    statusBar()->showMessage(tr("Loading %1\u2026").arg(displayNameOf(absolute)));
    m_loadWatcher.setFuture(QtConcurrent::run(&loadAndSummarize, absolute));
}

bool MainWindow::isLoading() const
{
    return !m_loadingFile.isEmpty() || !m_loadingLabelled.isEmpty();
}

void MainWindow::openLabelled(const QString &path)
{
    if (path.isEmpty())
        return;
    // A newer request replaces an unfinished one: the watcher reports only its latest future
    // (the older load runs out on its worker and is dropped).
    statusBar()->showMessage(tr("Loading %1\u2026").arg(QFileInfo(path).fileName()));
    m_loadingLabelled = path;
    m_labelledWatcher.setFuture(QtConcurrent::run([path] { return summarizeLabelled(path); }));
}

void MainWindow::showLabelledCase(const QString &path, const QString &source)
{
    statusBar()->showMessage(tr("Loading %1\u2026").arg(QFileInfo(path).fileName()));
    m_caseSource = source;
    m_caseWatcher.setFuture(
        QtConcurrent::run([path, source] { return summarizeLabelled(path, source); }));
}

bool MainWindow::reportedLabelledError(const LabelledDataSummary &loaded)
{
    if (!loaded.error)
        return false;
    const QString message = loaded.error->toString();
    showError(tr("Cannot open %1").arg(QFileInfo(loaded.path).fileName()), message);
    Q_EMIT loadFailed(loaded.path, message);
    return true;
}

void MainWindow::onLabelledCaseLoaded()
{
    const LabelledDataSummary loaded = m_caseWatcher.result();
    statusBar()->clearMessage();
    if (reportedLabelledError(loaded))
        return;
    m_cases->setPreview(loaded.preview);
    m_cases->setHighlightedCase(m_caseSource);
    m_tabs->setCurrentWidget(m_cases);
    const bool found = m_cases->highlightedCaseDrawn();
    statusBar()->showMessage(found ? tr("%1 of %2").arg(m_caseSource, loaded.path)
                                   : tr("%1 has no case %2 (the file changed since the run?)")
                                         .arg(loaded.path, m_caseSource),
                             8000);
    Q_EMIT labelledCaseShown(m_caseSource, found);
}

void MainWindow::onLabelledLoaded()
{
    const LabelledDataSummary loaded = m_labelledWatcher.result();
    m_loadingLabelled.clear();
    statusBar()->clearMessage();
    if (reportedLabelledError(loaded))
        return;
    showLabelledChannels(loaded);
    m_modelPanel->setChannelNames({});
    m_modelPanel->setDataPath(loaded.path, Task::Classify);
    m_modelPanel->setAudioRate(loaded.sampleRate);
    m_cases->setPreview(loaded.preview);
    m_tabs->setCurrentWidget(m_cases);
    m_modelPanel->setDataSummary(loaded.summary);
    if (!loaded.testData.isEmpty())
        m_modelPanel->taskForm()->setValue(QStringLiteral("test_data"), loaded.testData);
    m_modelDock->show();
    m_modelDock->raise();
    if (isLabelledDataPath(loaded.path))
        m_recent->add(loaded.path);
    QSettings().setValue(QStringLiteral("lastDirectory"), QFileInfo(loaded.path).absolutePath());
    // Sound clips serve two objectives: the model panel's Objective chooses.
    statusBar()->showMessage(loaded.sampleRate > 0.0
                                 ? tr("Opened %1 to classify or separate").arg(loaded.path)
                                 : tr("Opened %1 for classification").arg(loaded.path),
                             10000); // the summary is beside it
    Q_EMIT labelledDataLoaded(loaded.path, loaded.summary);
}

void MainWindow::onLoadFinished()
{
    const LoadedDataset loaded = m_loadWatcher.result();
    if (loaded.path != m_loadingFile)
        return; // superseded by a later request
    m_loadingFile.clear();
    statusBar()->clearMessage();
    if (loaded.error || !loaded.data) {
        const QString message =
            loaded.error ? loaded.error->toString() : tr("%1: no data").arg(loaded.path);
        showError(tr("Cannot open %1").arg(displayNameOf(loaded.path)), message);
        Q_EMIT loadFailed(loaded.path, message);
        return;
    }
    showDataset(loaded);
}

void MainWindow::showDataset(const LoadedDataset &loaded)
{
    m_data = loaded.data;
    m_currentFile = loaded.path;

    // From the start page to the series; any other tab stays.
    if (m_tabs->currentWidget() == m_startPage)
        m_tabs->setCurrentWidget(m_chart);
    m_channels->setSummary(loaded.stats, m_data->missing, true);
    m_chart->setDataset(m_data, {});
    QList<int> initial;
    for (int c = 0; c < std::min<std::int64_t>(m_data->channels(), InitiallyVisibleChannels); ++c)
        initial << c;
    m_channels->setCheckedChannels(initial);
    m_channelView->resizeColumnsToContents();
    showDatasetInViews();
    // The inspector shows the first channel: select its row so the table says which.
    m_channelView->selectRow(0);
    m_modelPanel->setChannelNames(m_data->channelNames);
    m_modelPanel->setDataPath(loaded.path);

    m_recent->add(loaded.path);
    QSettings().setValue(QStringLiteral("lastDirectory"),
                         QFileInfo(parseSeriesPathSpec(loaded.path).file).absolutePath());
    m_statusInfo->setText(describe(*m_data));
    statusBar()->showMessage(tr("Opened %1").arg(loaded.path), 5000);
    updateTitle();
    Q_EMIT datasetLoaded(loaded.path);
}

void MainWindow::showError(const QString &title, const QString &message)
{
    // Non-blocking (window-modal, open()) so that no nested event loop runs.
    auto *box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setObjectName(QStringLiteral("loadErrorBox"));
    box->open();
}

void MainWindow::updateTitle()
{
    QStringList parts;
    if (!m_currentFile.isEmpty())
        parts << displayNameOf(m_currentFile);
    if (!m_runName.isEmpty())
        parts << m_runName;
    parts << appName;
    setWindowTitle(parts.join(QStringLiteral(" \u2014 ")));
}

void MainWindow::restoreSettings()
{
    const QSettings settings;
    const QByteArray geometry = settings.value(QStringLiteral("window/geometry")).toByteArray();
    if (!geometry.isEmpty())
        restoreGeometry(geometry);
    const QByteArray state = settings.value(QStringLiteral("window/state")).toByteArray();
    if (!state.isEmpty())
        restoreState(state);
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (!droppedFile(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QString file = droppedFile(event->mimeData());
    if (file.isEmpty())
        return;
    event->acceptProposedAction();
    openFile(file);
}

} // namespace twb
