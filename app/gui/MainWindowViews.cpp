// MainWindow, the analysis views: the channel inspector (histogram and autocorrelation of the
// selected channel), the runs table of the workspace and the forecast view of a finished run.

#include "MainWindow.h"

#include "ClassPredictionController.h"
#include "ExplainController.h"
#include "FineTuneController.h"
#include "FutureForecastController.h"
#include "RecentFiles.h"
#include "RunViewsController.h"
#include "SplitPreview.h"
#include "audio/LabelledLoader.h"
#include "data/DatasetLoader.h"

#include "client/CrossValidationTable.h"
#include "client/RunSummary.h"
#include "client/TrainingProcess.h"
#include "widgets/classify/ClassificationView.h"
#include "widgets/classify/NewDataPredictionsView.h"
#include "widgets/common/SeriesChartView.h"
#include "widgets/data/AutocorrelationView.h"
#include "widgets/data/ChannelHistogramView.h"
#include "widgets/data/ChannelTableModel.h"
#include "widgets/data/LabelledCasesView.h"
#include "widgets/explain/AttentionPanel.h"
#include "widgets/explain/ForwardPassPanel.h"
#include "widgets/explain/ReconstructionView.h"
#include "widgets/forecast/ForecastView.h"
#include "widgets/separate/SeparationView.h"
#include "widgets/spectrogram/SpectrogramPanel.h"
#include "widgets/spectrogram/SpectrogramView.h"
#include "widgets/training/HyperparameterForm.h"
#include "widgets/training/ModelPanel.h"
#include "widgets/training/RunsView.h"

#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QItemSelectionModel>
#include <QLabel>
#include <QScrollArea>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>

#include <algorithm>
#include <utility>

namespace twb {

namespace {

/// A tab page that scrolls when the window is smaller than the view's minimum size, so that the
/// explain and classification views (many controls) never force the window to grow.
QScrollArea *scrollable(QWidget *view)
{
    auto *area = new QScrollArea;
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    area->setWidget(view);
    return area;
}

} // namespace

void MainWindow::createViews()
{
    m_histogram = new ChannelHistogramView;
    m_histogram->setObjectName(QStringLiteral("histogramView"));
    m_autocorrelation = new AutocorrelationView;
    m_autocorrelation->setObjectName(QStringLiteral("autocorrelationView"));
    // Histogram and autocorrelation of the selected channel side by side: both at a glance.
    auto *inspector = new QSplitter(Qt::Horizontal);
    inspector->setObjectName(QStringLiteral("inspectorSplitter"));
    inspector->addWidget(m_histogram);
    inspector->addWidget(m_autocorrelation);
    inspector->setChildrenCollapsible(false);
    m_inspectorDock = new QDockWidget(tr("Inspector"), this);
    m_inspectorDock->setObjectName(QStringLiteral("inspectorDock"));
    m_inspectorDock->setWidget(inspector);
    addDockWidget(Qt::BottomDockWidgetArea, m_inspectorDock);
    splitDockWidget(m_channelDock, m_inspectorDock, Qt::Horizontal);
    // The channel table needs ~500 px for its seven columns; the two charts get the rest.
    resizeDocks({m_channelDock, m_inspectorDock}, {500, 900}, Qt::Horizontal);
    resizeDocks({m_channelDock}, {300}, Qt::Vertical);
    connect(m_channelView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (!current.isValid())
                    return;
                const int channel = m_channelProxy->mapToSource(current).row();
                if (!m_channels->checkable()) { // labelled cases: the Cases view draws it
                    m_cases->setChannel(channel);
                    m_histogram->setChannel(channel);
                    return;
                }
                if (!m_data)
                    return;
                m_histogram->setChannel(channel);
                m_autocorrelation->setChannel(channel);
            });

    // The Cases view's channel box and the channel table of labelled data follow each other.
    connect(m_cases, &LabelledCasesView::channelChanged, this, [this](int channel) {
        if (!m_channels->checkable() && channel >= 0)
            m_channelView->selectRow(
                m_channelProxy->mapFromSource(m_channels->index(channel, 0)).row());
    });

    m_runs = new RunsView;
    m_runs->setObjectName(QStringLiteral("runsView"));
    m_tabs->addTab(m_runs, tr("Runs"));
    m_forecast = new ForecastView;
    m_forecast->setObjectName(QStringLiteral("forecastView"));
    m_tabs->addTab(m_forecast, tr("Forecast"));
    m_classification = new ClassificationView;
    m_classification->setObjectName(QStringLiteral("classificationView"));
    m_tabs->addTab(scrollable(m_classification), tr("Classification"));
    m_reconstruction = new ReconstructionView;
    m_reconstruction->setObjectName(QStringLiteral("reconstructionView"));
    m_tabs->addTab(scrollable(m_reconstruction), tr("Reconstruction"));
    m_separation = new SeparationView;
    m_separation->setObjectName(QStringLiteral("separationView"));
    m_tabs->addTab(scrollable(m_separation), tr("Separation"));
    connectSeparationExports();
    m_runViews = new RunViewsController(m_runs, m_forecast, m_classification, this);
    m_runViews->setReconstructionView(m_reconstruction);
    m_runViews->setSeparationView(m_separation);
    m_runViews->setWorkspace(runsDirectory());
    // The history comes from the open data set only when it is the run's (by file name).
    m_runViews->setHistorySource([this](const RunSummary &run) {
        const bool sameData =
            m_data && !m_currentFile.isEmpty() &&
            QFileInfo(parseSeriesPathSpec(m_currentFile).file).fileName() == run.dataFile;
        return sameData ? m_data : nullptr;
    });
    connect(m_runViews, &RunViewsController::runShown, this, &MainWindow::showRun);
    createFutureForecast();
    createClassPredictions();
    m_explain = new AttentionPanel;
    m_explain->setObjectName(QStringLiteral("attentionPanel"));
    m_tabs->addTab(scrollable(m_explain), tr("Explain"));
    m_forwardPass = new ForwardPassPanel;
    m_forwardPass->setObjectName(QStringLiteral("forwardPassPanel"));
    m_tabs->addTab(scrollable(m_forwardPass), tr("Forward pass"));
    // The two tabs reach twb-cli through their controller (attention, forward, what-if).
    auto *explain = new ExplainController(this);
    explain->setObjectName(QStringLiteral("explainController"));
    explain->setProgram(cliProgram());
    explain->attach(m_explain);
    explain->attach(m_forwardPass);
    m_spectrogram = new SpectrogramPanel;
    m_spectrogram->setObjectName(QStringLiteral("spectrogramPanel"));
    m_tabs->addTab(m_spectrogram, tr("Spectrogram"));
    connect(m_spectrogram->view(), &SpectrogramView::readoutChanged, this,
            [this](const QString &text) { statusBar()->showMessage(text); });
    connect(m_modelPanel->taskForm(), &HyperparameterForm::valuesChanged, this,
            &MainWindow::updateSplitBorders);
    connect(m_runs, &RunsView::openRequested, this, &MainWindow::openRun);
    // An interrupted run (stopped, or its process killed) continues in the Training tab.
    connect(m_runs, &RunsView::resumeRequested, this,
            [this](const RunSummary &run) { onTrainRequested(resumeRequest(run)); });
    // Fine-tune: the model panel takes the run's model and architecture and lists what can be
    // frozen; without data open, the run's own data is opened (the user may open other data).
    m_fineTune = new FineTuneController(m_modelPanel, this);
    m_fineTune->setObjectName(QStringLiteral("fineTuneController"));
    m_fineTune->setProgram(cliProgram());
    connect(m_runs, &RunsView::fineTuneRequested, this,
            [this](const RunSummary &run) { startFineTune(run.dir); });
    connect(m_explain, &AttentionPanel::fineTuneRequested, this, &MainWindow::startFineTune);
    connect(m_fineTune, &FineTuneController::errorOccurred, this, &MainWindow::showError);
    // A test case of a classification run: sound files open in the Spectrogram tab, table rows
    // ("/data/GunPoint_TEST.ts:17") in the Cases tab among the first cases of each class.
    connect(m_classification, &ClassificationView::foldActivated, this,
            [this](const QString &runDir) { openRun(runDir); });
    connect(m_classification, &ClassificationView::exampleActivated, this,
            [this](const QString &source) {
                const qsizetype colon = source.lastIndexOf(QLatin1Char(':'));
                const QString file = colon > 0 ? source.left(colon) : QString();
                bool isRow = false;
                source.mid(colon + 1).toLongLong(&isRow);
                if (isAudioFile(source) && QFileInfo::exists(source))
                    openAudio(source);
                else if (colon > 0 && isRow && QFileInfo(file).isFile())
                    showLabelledCase(file, QFileInfo(file).fileName() + source.mid(colon));
                else
                    statusBar()->showMessage(
                        tr("%1 cannot be opened: the file is not there (moved since the run?)")
                            .arg(source),
                        8000);
            });
    connect(m_runs, &RunsView::errorOccurred, this,
            [this](const QString &message) { statusBar()->showMessage(message, 8000); });
}

void MainWindow::showDatasetInViews()
{
    m_histogram->setDataset(m_data, 0);
    m_autocorrelation->setDataset(m_data, 0);
    updateSplitBorders();
}

void MainWindow::showLabelledChannels(const LabelledDataSummary &loaded)
{
    m_data.reset();
    m_currentFile = loaded.path;
    m_chart->setDataset(nullptr, {});
    updateSplitBorders();
    m_histogram->setDataset(loaded.allSteps, 0);
    m_autocorrelation->showUnavailable(
        tr("No autocorrelation: labelled cases are many separate series"));
    m_channels->setSummary(loaded.channelStats, {}, false);
    m_channelView->resizeColumnsToContents();
    m_channelView->selectRow(0);
    m_statusInfo->setText(loaded.summary);
    updateTitle();
}

QList<qint64> MainWindow::splitBorderRows() const
{
    if (!m_data)
        return {};
    const QString chosen =
        m_modelPanel->taskForm()->rawValues().value(QStringLiteral("split")).toString();
    return previewSplitBorders(m_currentFile, chosen, m_data->rows());
}

void MainWindow::updateSplitBorders()
{
    if (!m_data) {
        m_chart->setSplitBorders({});
        return;
    }
    const QString chosen =
        m_modelPanel->taskForm()->rawValues().value(QStringLiteral("split")).toString();
    m_chart->setSplitBorders(splitBorderRows(),
                             previewSplitLabels(m_currentFile, chosen, m_data->rows()));
}

bool MainWindow::isAudioFile(const QString &path)
{
    return isSoundFileName(path);
}

void MainWindow::openAudio(const QString &path)
{
    const Status loaded = m_spectrogram->view()->loadAudioFile(path);
    if (!loaded) {
        showError(tr("Cannot open the sound"), loaded.error().toString());
        Q_EMIT loadFailed(path, loaded.error().toString());
        return;
    }
    m_tabs->setCurrentWidget(m_spectrogram);
    m_recent->add(QFileInfo(path).absoluteFilePath());
    statusBar()->showMessage(tr("Opened %1").arg(path), 5000);
    Q_EMIT datasetLoaded(path);
}

void MainWindow::startFineTune(const QString &runDir)
{
    if (!m_fineTune->start(runDir))
        return;
    // Without data open, the run's own data (the user may open other data before Train).
    const RunSummary run = readRunSummary(runDir);
    if (m_modelPanel->dataPath().isEmpty() && !run.dataPath.isEmpty())
        openFile(run.dataPath);
    m_modelDock->show();
    m_modelDock->raise();
    statusBar()->showMessage(
        tr("Fine-tuning from %1: choose the data, the recipe and what to freeze, then Train")
            .arg(run.name),
        10000);
}

void MainWindow::openRun(const QString &runDir)
{
    m_explainAfterRun = false;
    // A cross-validation is not one run: the Classification tab shows its fold table (cv.json,
    // a few kB) and below it the first fold with results; activating a fold shows that one.
    if (isCrossValidationDir(runDir)) {
        Expected<CrossValidationTable> table = readCrossValidation(runDir);
        if (!table) {
            showError(tr("Cannot open the cross-validation"), table.error().toString());
            return;
        }
        const auto first = std::find_if(table->folds.begin(), table->folds.end(),
                                        [](const FoldResult &f) { return f.hasResult(); });
        const QString fold = first == table->folds.end() ? QString() : first->runDir;
        m_classification->setCrossValidation(*table, fold);
        showTabOf(m_classification);
        if (fold.isEmpty()) {
            statusBar()->showMessage(tr("%1: no fold of this cross-validation has results yet")
                                         .arg(QDir(runDir).dirName()),
                                     8000);
            return;
        }
        m_runViews->openRun(fold);
        return;
    }
    // A fold keeps its table; any other run hides it.
    const QString parent = crossValidationOf(runDir);
    Expected<CrossValidationTable> table = Error{};
    if (!parent.isEmpty())
        table = readCrossValidation(parent);
    if (table)
        m_classification->setCrossValidation(*table, runDir);
    else
        m_classification->clearCrossValidation();
    m_runViews->openRun(runDir); // read on a worker; showRun follows
}

void MainWindow::explainRun(const QString &runDir)
{
    openRun(runDir);
    m_explainAfterRun = true;
}

void MainWindow::showRun(const ShownRun &run)
{
    if (run.classify)
        showClassificationRun(run);
    else if (run.pretrain)
        showPretrainRun(run);
    else if (run.separate)
        showSeparationRun(run);
    else
        showForecastRun(run);
    if (std::exchange(m_explainAfterRun, false))
        showTabOf(m_explain);
    Q_EMIT runShown(run.runDir);
}

void MainWindow::showClassificationRun(const ShownRun &run)
{
    showTabOf(m_classification);
    m_classPredictions->setRun(run.ok ? run.runDir : QString());
    if (!run.ok) {
        statusBar()->showMessage(run.message, 8000);
        m_explain->setRun(run.runDir);
        m_forwardPass->setRun(run.runDir);
        return;
    }
    m_explain->setRun(run.runDir, run.testSamples);
    m_forwardPass->setRun(run.runDir, run.testSamples);
}

void MainWindow::showPretrainRun(const ShownRun &run)
{
    showTabOf(m_reconstruction);
    m_futureForecast->setRun(QString(), run.summary);
    // A pretraining model reconstructs its input: it has no forecast to explain, but the
    // Explain tab still offers to fine-tune it.
    m_explain->setRun(run.runDir);
    m_forwardPass->setRun(run.runDir);
    if (!run.ok)
        statusBar()->showMessage(run.message, 8000);
}

void MainWindow::showForecastRun(const ShownRun &run)
{
    m_tabs->setCurrentWidget(m_forecast);
    m_futureForecast->setRun(run.ok ? run.runDir : QString(), run.summary);
    if (!run.ok) {
        statusBar()->showMessage(run.message, 8000);
        m_explain->setRun(run.runDir);
        m_forwardPass->setRun(run.runDir);
        return;
    }
    m_explain->setRun(run.runDir, run.testSamples, run.channels);
    m_forwardPass->setRun(run.runDir, run.testSamples);
    if (!run.withHistory && !run.summary.dataFile.isEmpty())
        statusBar()->showMessage(
            tr("Open %1 to see the history before each window").arg(run.summary.dataFile), 8000);
    // Show the channel being inspected (e.g. the target OT) rather than the first one.
    const QModelIndex current = m_channelView->currentIndex();
    if (run.withHistory && current.isValid()) {
        const int channel = m_channelProxy->mapToSource(current).row();
        const int inRun = int(
            m_forecast->predictions().channelNames.indexOf(m_data->channelNames.value(channel)));
        if (inRun >= 0)
            m_forecast->setChannel(inRun);
    }
}

void MainWindow::createFutureForecast()
{
    // The data to forecast after: the open file when it is the run's, else the run's own
    // (absolute) data path when the file is there.
    m_futureForecast = new FutureForecastController(
        m_forecast,
        [this](const RunSummary &run) -> QString {
            if (m_data && !m_currentFile.isEmpty() &&
                QFileInfo(parseSeriesPathSpec(m_currentFile).file).fileName() == run.dataFile)
                return m_currentFile;
            const QFileInfo file(parseSeriesPathSpec(run.dataPath).file);
            return file.isAbsolute() && file.isFile() ? run.dataPath : QString();
        },
        this);
    m_futureForecast->setProgram(cliProgram());
    connect(m_futureForecast, &FutureForecastController::finished, this,
            [this](bool ok, const QString &message) {
                if (!ok)
                    statusBar()->showMessage(message, 10000);
            });
    connect(m_forecast, &ForecastView::saveFutureForecastRequested, this, [this] {
        saveCsvCopy(tr("Save Forecast Beyond the Data"), QStringLiteral("forecast.csv"),
                    [this](const QString &path) { return m_futureForecast->saveForecast(path); });
    });
}

void MainWindow::createClassPredictions()
{
    NewDataPredictionsView *view = m_classification->newDataPredictions();
    m_classPredictions = new ClassPredictionController(view, this);
    m_classPredictions->setProgram(cliProgram());
    connect(m_classPredictions, &ClassPredictionController::finished, this,
            [this](bool ok, const QString &message) {
                if (!ok)
                    statusBar()->showMessage(message, 10000);
            });
    connect(view, &NewDataPredictionsView::folderRequested, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(
            this, tr("Classify the Sound Files of a Folder"), lastDirectory());
        if (!folder.isEmpty())
            m_classPredictions->predict(folder);
    });
    connect(view, &NewDataPredictionsView::fileRequested, this, [this] {
        const QString file = QFileDialog::getOpenFileName(
            this, tr("Classify a File"), lastDirectory(),
            tr("Sound files and labelled cases (*.wav *.flac *.ogg *.mp3 *.aiff *.ts *.arff *.h5 "
               "*.hdf5);;All files (*)"));
        if (!file.isEmpty())
            m_classPredictions->predict(file);
    });
    connect(view, &NewDataPredictionsView::saveRequested, this, [this] {
        saveCsvCopy(
            tr("Save Predictions"), QStringLiteral("predictions.csv"),
            [this](const QString &path) { return m_classPredictions->savePredictions(path); });
    });
}

void MainWindow::saveCsvCopy(const QString &title, const QString &fileName,
                             const std::function<Status(const QString &)> &save)
{
    const QString path = QFileDialog::getSaveFileName(
        this, title, QDir(lastDirectory()).filePath(fileName), tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    if (const Status saved = save(path); !saved)
        showError(tr("Cannot save %1").arg(fileName), saved.error().toString());
    else
        statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
}

void MainWindow::showTabOf(QWidget *view)
{
    for (int i = 0; i < m_tabs->count(); ++i) {
        QWidget *page = m_tabs->widget(i);
        auto *area = qobject_cast<QScrollArea *>(page);
        if (page == view || (area && area->widget() == view)) {
            m_tabs->setCurrentIndex(i);
            return;
        }
    }
}

} // namespace twb
