// MainWindow, export: File ▸ Export View (PNG / SVG / CSV of the current tab's view) and the
// Runs menu (open, refresh, the HDF5 bundle of the selected run through `twb-cli export`).
#include "MainWindow.h"

#include "client/RunBundleExport.h"
#include "client/TrainingProcess.h"
#include "data/DatasetLoader.h"
#include "widgets/common/CsvExportable.h"
#include "widgets/common/SeriesChartView.h"
#include "widgets/common/ViewExporter.h"
#include "widgets/spectrogram/SpectrogramPanel.h"
#include "widgets/spectrogram/SpectrogramView.h"
#include "widgets/training/RunsView.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollArea>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>

namespace twb {

namespace {

const QString exportDirectoryKey = QStringLiteral("export/lastDirectory");

QString suffixOf(MainWindow::ExportFormat format)
{
    switch (format) {
    case MainWindow::ExportFormat::Png:
        return QStringLiteral("png");
    case MainWindow::ExportFormat::Svg:
        return QStringLiteral("svg");
    case MainWindow::ExportFormat::Csv:
        break;
    }
    return QStringLiteral("csv");
}

/// `path` with `suffix` appended when the user typed none.
QString withSuffix(const QString &path, const QString &suffix)
{
    return QFileInfo(path).suffix().isEmpty() ? path + QLatin1Char('.') + suffix : path;
}

} // namespace

void MainWindow::createExportActions(QMenu *fileMenu)
{
    QMenu *menu = fileMenu->addMenu(tr("&Export View"));
    menu->setObjectName(QStringLiteral("exportMenu"));
    m_exportPng =
        menu->addAction(tr("&PNG Image\u2026"), this, [this] { exportViewAs(ExportFormat::Png); });
    m_exportPng->setObjectName(QStringLiteral("actionExportPng"));
    m_exportPng->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_exportPng->setStatusTip(tr("Save the current view as a PNG image"));
    m_exportSvg = menu->addAction(tr("&SVG Drawing\u2026"), this,
                                  [this] { exportViewAs(ExportFormat::Svg); });
    m_exportSvg->setObjectName(QStringLiteral("actionExportSvg"));
    m_exportSvg->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_E));
    m_exportSvg->setStatusTip(tr("Save the current view as an SVG vector drawing"));
    m_exportCsv =
        menu->addAction(tr("&CSV Data\u2026"), this, [this] { exportViewAs(ExportFormat::Csv); });
    m_exportCsv->setObjectName(QStringLiteral("actionExportCsv"));
    m_exportCsv->setStatusTip(tr("Save the data behind the current view as CSV"));
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::updateExportActions);
}

void MainWindow::createRunsMenu()
{
    m_bundleExport = new RunBundleExport(this);
    m_bundleExport->setProgram(cliProgram());
    connect(m_bundleExport, &RunBundleExport::finished, this, &MainWindow::onBundleExported);

    QMenu *menu = new QMenu(tr("&Runs"), this);
    menu->setObjectName(QStringLiteral("runsMenu"));
    const QList<QAction *> top = menuBar()->actions();
    menuBar()->insertMenu(top.isEmpty() ? nullptr : top.last(), menu); // before Help

    QAction *show =
        menu->addAction(tr("Show &Runs"), this, [this] { m_tabs->setCurrentWidget(m_runs); });
    show->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_3));
    QAction *open = menu->addAction(tr("&Open Forecast of Selected Run"), this, [this] {
        const QStringList dirs = m_runs->selectedRunDirs();
        if (!dirs.isEmpty())
            openRun(dirs.first());
    });
    open->setObjectName(QStringLiteral("actionOpenRun"));
    QAction *explain = menu->addAction(tr("E&xplain Selected Run"), this, [this] {
        const QStringList dirs = m_runs->selectedRunDirs();
        if (!dirs.isEmpty())
            explainRun(dirs.first());
    });
    explain->setObjectName(QStringLiteral("actionExplainRun"));
    explain->setStatusTip(tr("Show the attention of the run's test samples (twb-cli attention)"));
    QAction *refresh = menu->addAction(tr("Re&fresh"), m_runs, &RunsView::refresh);
    refresh->setShortcut(QKeySequence::Refresh);
    menu->addSeparator();
    m_exportBundle = menu->addAction(tr("&Export Run Bundle (HDF5)\u2026"), this,
                                     &MainWindow::exportSelectedRun);
    m_exportBundle->setObjectName(QStringLiteral("actionExportBundle"));
    m_exportBundle->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    m_exportBundle->setStatusTip(
        tr("Write the selected run's weights, predictions, metrics and configuration to one "
           "HDF5 file (twb-cli export)"));
    connect(m_runs, &RunsView::selectionChanged, this, &MainWindow::updateExportActions);
    connect(m_runs, &RunsView::selectionChanged, open, [open, explain](const QStringList &dirs) {
        open->setEnabled(dirs.size() == 1);
        explain->setEnabled(dirs.size() == 1);
    });
    open->setEnabled(false);
    explain->setEnabled(false);
    updateExportActions();
}

QWidget *MainWindow::exportWidget() const
{
    QWidget *current = m_tabs->currentWidget();
    if (current == m_spectrogram)
        return m_spectrogram->view();
    if (auto *area = qobject_cast<QScrollArea *>(current))
        return area->widget(); // the classification and explain views
    return current;
}

const CsvExportable *MainWindow::exportTable() const
{
    return dynamic_cast<const CsvExportable *>(exportWidget());
}

Status MainWindow::exportView(ExportFormat format, const QString &path)
{
    QWidget *widget = exportWidget();
    if (widget == m_spectrogram->view())
        return m_spectrogram->view()->exportTo(path); // computes the visible tiles first
    switch (format) {
    case ExportFormat::Png:
        return ViewExporter::savePng(widget, path);
    case ExportFormat::Svg:
        return ViewExporter::saveSvg(widget, path, windowTitle());
    case ExportFormat::Csv:
        break;
    }
    const CsvExportable *table = exportTable();
    if (!table)
        return Error{tr("the %1 view has no data to export as CSV")
                         .arg(m_tabs->tabText(m_tabs->currentIndex())),
                     path};
    return ViewExporter::saveCsv(*table, path);
}

QString MainWindow::exportBaseName() const
{
    QString base = m_currentFile.isEmpty()
                       ? QStringLiteral("twb")
                       : QFileInfo(parseSeriesPathSpec(m_currentFile).file).completeBaseName();
    return base + QLatin1Char('-') + m_tabs->tabText(m_tabs->currentIndex()).toLower();
}

QString MainWindow::askSavePath(const QString &caption, const QString &suggested,
                                const QString &filter) const
{
    if (m_askSavePath)
        return m_askSavePath(caption, suggested, filter);
    return QFileDialog::getSaveFileName(const_cast<MainWindow *>(this), caption, suggested, filter);
}

void MainWindow::exportViewAs(ExportFormat format)
{
    if (format == ExportFormat::Csv && !exportTable())
        return;
    const QString suffix = suffixOf(format);
    const QString directory = QSettings().value(exportDirectoryKey, QDir::homePath()).toString();
    const QString suggested =
        QDir(directory).filePath(exportBaseName() + QLatin1Char('.') + suffix);
    const QString filter = format == ExportFormat::Png   ? tr("PNG images (*.png)")
                           : format == ExportFormat::Svg ? tr("SVG drawings (*.svg)")
                                                         : tr("CSV files (*.csv)");
    QString path = askSavePath(tr("Export View"), suggested, filter);
    if (path.isEmpty())
        return;
    path = withSuffix(path, suffix);
    QSettings().setValue(exportDirectoryKey, QFileInfo(path).absolutePath());
    const Status written = exportView(format, path);
    if (!written) {
        showError(tr("Cannot export the view"), written.error().toString());
        Q_EMIT viewExported(path, false, written.error().toString());
        return;
    }
    statusBar()->showMessage(tr("Exported %1").arg(path), 8000);
    Q_EMIT viewExported(path, true, {});
}

void MainWindow::exportSelectedRun()
{
    const QStringList dirs = m_runs->selectedRunDirs();
    if (dirs.size() != 1 || m_bundleExport->isRunning())
        return;
    const QString run = dirs.first();
    const QString directory = QSettings().value(exportDirectoryKey, QDir::homePath()).toString();
    const QString suggested =
        QDir(directory).filePath(QFileInfo(run).fileName() + QStringLiteral(".h5"));
    QString path = askSavePath(tr("Export Run Bundle"), suggested, tr("HDF5 files (*.h5)"));
    if (path.isEmpty())
        return;
    path = withSuffix(path, QStringLiteral("h5"));
    QSettings().setValue(exportDirectoryKey, QFileInfo(path).absolutePath());
    exportRunBundle(run, path);
}

bool MainWindow::exportRunBundle(const QString &runDir, const QString &outFile)
{
    if (!m_bundleExport->start(runDir, outFile))
        return false;
    statusBar()->showMessage(
        tr("Exporting %1 to %2\u2026").arg(QFileInfo(runDir).fileName(), outFile));
    updateExportActions();
    return true;
}

void MainWindow::onBundleExported(bool ok, const QString &outFile, const QString &message)
{
    updateExportActions();
    if (ok) {
        statusBar()->showMessage(tr("Run bundle written to %1").arg(outFile), 10000);
        return;
    }
    statusBar()->showMessage(tr("Run bundle export to %1 failed").arg(outFile), 10000);
    showError(tr("Cannot export the run bundle"),
              tr("%1 was not written: %2").arg(outFile, message));
}

void MainWindow::updateExportActions()
{
    if (!m_exportCsv || !m_exportBundle)
        return; // during construction
    const bool csv = exportTable() != nullptr;
    m_exportCsv->setEnabled(csv);
    m_exportCsv->setToolTip(csv ? QString() : tr("This view has no data to export as CSV"));
    m_exportBundle->setEnabled(m_runs->selectedRunDirs().size() == 1 &&
                               !m_bundleExport->isRunning());
}

} // namespace twb
