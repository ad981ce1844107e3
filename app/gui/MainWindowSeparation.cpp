// MainWindow, the Separation tab: a speech separation run's examples (shown by the run views)
// and their export through file dialogs.

#include "MainWindow.h"

#include "RunViewsController.h"

#include "widgets/explain/AttentionPanel.h"
#include "widgets/explain/ForwardPassPanel.h"
#include "widgets/separate/SeparationView.h"

#include <QDir>
#include <QFileDialog>
#include <QStatusBar>

namespace twb {

void MainWindow::connectSeparationExports()
{
    connect(m_separation, &SeparationView::exportSourcesRequested, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(
            this, tr("Export the Estimated Sources as WAV"), lastDirectory());
        if (folder.isEmpty())
            return;
        Expected<QStringList> written = m_separation->exportSources(folder);
        if (!written)
            showError(tr("Cannot export the sources"), written.error().toString());
        else
            statusBar()->showMessage(
                tr("Saved %1 WAV files in %2").arg(written->size()).arg(folder), 5000);
    });
    connect(m_separation, &SeparationView::exportExampleRequested, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export the Example as HDF5"),
            QDir(lastDirectory()).filePath(m_separation->suggestedExampleFileName()),
            tr("HDF5 files (*.h5 *.hdf5)"));
        if (path.isEmpty())
            return;
        if (const Status saved = m_separation->exportExample(path); !saved)
            showError(tr("Cannot export the example"), saved.error().toString());
        else
            statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
    });
}

void MainWindow::showSeparationRun(const ShownRun &run)
{
    showTabOf(m_separation);
    // The Explain and Forward pass tabs trace the run's test mixtures (twb-cli attention and
    // forward rebuild them from the run's seed): SepFormer's intra- and inter-chunk attention,
    // either model's masks and encoder basis.
    if (!run.ok) {
        m_explain->setRun(run.runDir);
        m_forwardPass->setRun(run.runDir);
        statusBar()->showMessage(run.message, 8000);
        return;
    }
    m_explain->setRun(run.runDir, run.testSamples);
    m_forwardPass->setRun(run.runDir, run.testSamples);
}

} // namespace twb
