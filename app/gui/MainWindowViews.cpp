// MainWindow, the analysis views: the channel inspector (histogram and autocorrelation of the
// selected channel), the runs table of the workspace and the forecast view of a finished run.

#include "MainWindow.h"

#include "RecentFiles.h"
#include "SplitPreview.h"
#include "audio/LabelledLoader.h"
#include "data/DatasetLoader.h"

#include "widgets/AttentionPanel.h"
#include "widgets/AutocorrelationView.h"
#include "widgets/ChannelHistogramView.h"
#include "widgets/ChannelTableModel.h"
#include "widgets/ClassificationView.h"
#include "widgets/ForecastView.h"
#include "widgets/ForwardPassPanel.h"
#include "widgets/HyperparameterForm.h"
#include "widgets/LabelledCasesView.h"
#include "widgets/ModelPanel.h"
#include "widgets/RunSummary.h"
#include "widgets/RunsView.h"
#include "widgets/SeriesChartView.h"
#include "widgets/SpectrogramPanel.h"
#include "widgets/SpectrogramView.h"
#include "widgets/TrainingProcess.h"

#include <QDockWidget>
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
    m_runs->setWorkspace(runsDirectory());
    m_tabs->addTab(m_runs, tr("Runs"));
    m_forecast = new ForecastView;
    m_forecast->setObjectName(QStringLiteral("forecastView"));
    m_tabs->addTab(m_forecast, tr("Forecast"));
    m_classification = new ClassificationView;
    m_classification->setObjectName(QStringLiteral("classificationView"));
    m_tabs->addTab(scrollable(m_classification), tr("Classification"));
    m_explain = new AttentionPanel;
    m_explain->setObjectName(QStringLiteral("attentionPanel"));
    const QString cli = QSettings().value(QLatin1String(CliProgramKey)).toString();
    m_explain->setProgram(cli.isEmpty() ? TrainingProcess::defaultProgram() : cli);
    m_tabs->addTab(scrollable(m_explain), tr("Explain"));
    m_forwardPass = new ForwardPassPanel;
    m_forwardPass->setObjectName(QStringLiteral("forwardPassPanel"));
    m_forwardPass->setProgram(m_explain->program());
    m_tabs->addTab(scrollable(m_forwardPass), tr("Forward pass"));
    m_spectrogram = new SpectrogramPanel;
    m_spectrogram->setObjectName(QStringLiteral("spectrogramPanel"));
    m_tabs->addTab(m_spectrogram, tr("Spectrogram"));
    connect(m_spectrogram->view(), &SpectrogramView::readoutChanged, this,
            [this](const QString &text) { statusBar()->showMessage(text); });
    connect(m_modelPanel->taskForm(), &HyperparameterForm::valuesChanged, this,
            &MainWindow::updateSplitBorders);
    connect(m_runs, &RunsView::openRequested, this, &MainWindow::openRun);
    // A test case of a classification run: sound files open in the Spectrogram tab, table rows
    // ("/data/GunPoint_TEST.ts:17") in the Cases tab among the first cases of each class.
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

void MainWindow::openRun(const QString &runDir)
{
    const RunSummary summary = readRunSummary(runDir);
    if (summary.task == QLatin1String("classify"))
        openClassificationRun(runDir);
    else
        openForecastRun(runDir, summary);
}

void MainWindow::explainRun(const QString &runDir)
{
    openRun(runDir);
    showTabOf(m_explain);
}

void MainWindow::openClassificationRun(const QString &runDir)
{
    QString error;
    const bool shown = m_classification->openRun(runDir, &error);
    showTabOf(m_classification);
    if (!shown) {
        statusBar()->showMessage(error, 8000);
        m_explain->setRun(runDir);
        m_forwardPass->setRun(runDir);
        return;
    }
    const ClassPredictions *predictions = m_classification->predictions();
    m_explain->setRun(runDir, predictions ? int(predictions->cases) : 0);
    m_forwardPass->setRun(runDir, predictions ? int(predictions->cases) : 0);
}

void MainWindow::openForecastRun(const QString &runDir, const RunSummary &summary)
{
    // The history comes from the open data set only when it is the run's (by file name).
    const bool sameData =
        m_data && !m_currentFile.isEmpty() &&
        QFileInfo(parseSeriesPathSpec(m_currentFile).file).fileName() == summary.dataFile;
    const Status shown = m_forecast->setRun(runDir, sameData ? m_data : nullptr);
    m_tabs->setCurrentWidget(m_forecast);
    if (!shown) {
        statusBar()->showMessage(shown.error().toString(), 8000);
        m_explain->setRun(runDir);
        m_forwardPass->setRun(runDir);
        return;
    }
    const PredictionsRecord &predictions = m_forecast->predictions();
    m_explain->setRun(runDir, int(predictions.windowStartRows.size()),
                      int(predictions.channelNames.size()));
    m_forwardPass->setRun(runDir, int(predictions.windowStartRows.size()));
    if (!sameData && !summary.dataFile.isEmpty())
        statusBar()->showMessage(
            tr("Open %1 to see the history before each window").arg(summary.dataFile), 8000);
    // Show the channel being inspected (e.g. the target OT) rather than the first one.
    const QModelIndex current = m_channelView->currentIndex();
    if (sameData && current.isValid()) {
        const int channel = m_channelProxy->mapToSource(current).row();
        const int inRun = int(
            m_forecast->predictions().channelNames.indexOf(m_data->channelNames.value(channel)));
        if (inRun >= 0)
            m_forecast->setChannel(inRun);
    }
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
