// MainWindow, the analysis views: the channel inspector (histogram and autocorrelation of the
// selected channel), the runs table of the workspace and the forecast view of a finished run.

#include "MainWindow.h"

#include "RecentFiles.h"

#include "widgets/AutocorrelationView.h"
#include "widgets/ChannelHistogramView.h"
#include "widgets/ForecastView.h"
#include "widgets/RunsView.h"
#include "widgets/SpectrogramPanel.h"
#include "widgets/SpectrogramView.h"

#include <QDockWidget>
#include <QFileInfo>
#include <QItemSelectionModel>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>

namespace twb {

void MainWindow::createViews()
{
    m_histogram = new ChannelHistogramView;
    m_histogram->setObjectName(QStringLiteral("histogramView"));
    m_autocorrelation = new AutocorrelationView;
    m_autocorrelation->setObjectName(QStringLiteral("autocorrelationView"));
    auto *inspector = new QTabWidget;
    inspector->setDocumentMode(true);
    inspector->addTab(m_histogram, tr("Histogram"));
    inspector->addTab(m_autocorrelation, tr("Autocorrelation"));
    m_inspectorDock = new QDockWidget(tr("Inspector"), this);
    m_inspectorDock->setObjectName(QStringLiteral("inspectorDock"));
    m_inspectorDock->setWidget(inspector);
    addDockWidget(Qt::BottomDockWidgetArea, m_inspectorDock);
    splitDockWidget(m_channelDock, m_inspectorDock, Qt::Horizontal);
    connect(m_channelView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (!current.isValid() || !m_data)
                    return;
                const int channel = m_channelProxy->mapToSource(current).row();
                m_histogram->setChannel(channel);
                m_autocorrelation->setChannel(channel);
            });

    m_runs = new RunsView;
    m_runs->setObjectName(QStringLiteral("runsView"));
    m_runs->setWorkspace(runsDirectory());
    m_tabs->addTab(m_runs, tr("Runs"));
    m_forecast = new ForecastView;
    m_forecast->setObjectName(QStringLiteral("forecastView"));
    m_tabs->addTab(m_forecast, tr("Forecast"));
    m_spectrogram = new SpectrogramPanel;
    m_spectrogram->setObjectName(QStringLiteral("spectrogramPanel"));
    m_tabs->addTab(m_spectrogram, tr("Spectrogram"));
    connect(m_spectrogram->view(), &SpectrogramView::readoutChanged, this,
            [this](const QString &text) { statusBar()->showMessage(text); });
    connect(m_runs, &RunsView::openRequested, this, &MainWindow::openRun);
    connect(m_runs, &RunsView::errorOccurred, this,
            [this](const QString &message) { statusBar()->showMessage(message, 8000); });
}

void MainWindow::showDatasetInViews()
{
    m_histogram->setDataset(m_data, 0);
    m_autocorrelation->setDataset(m_data, 0);
}

bool MainWindow::isAudioFile(const QString &path)
{
    static const QStringList suffixes{QStringLiteral("wav"), QStringLiteral("flac"),
                                      QStringLiteral("ogg"), QStringLiteral("oga"),
                                      QStringLiteral("aif"), QStringLiteral("aiff")};
    return suffixes.contains(QFileInfo(path).suffix().toLower());
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
    const Status shown = m_forecast->setRun(runDir, m_data);
    m_tabs->setCurrentWidget(m_forecast);
    if (!shown)
        statusBar()->showMessage(shown.error().toString(), 8000);
}

} // namespace twb
