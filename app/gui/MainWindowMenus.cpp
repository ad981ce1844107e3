// The menus of MainWindow and the dialogs they open.
#include "MainWindow.h"

#include "RecentFiles.h"
#include "SampleData.h"
#include "blas/BlasStartup.h"
#include "widgets/common/SeriesChartView.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QRegularExpression>
#include <QSettings>

namespace twb {

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->setObjectName(QStringLiteral("fileMenu"));
    QAction *open = file->addAction(QIcon::fromTheme(QStringLiteral("document-open")),
                                    tr("&Open\u2026"), this, &MainWindow::chooseFile);
    open->setObjectName(QStringLiteral("actionOpen"));
    open->setShortcut(QKeySequence::Open);
    open->setStatusTip(tr("Open a CSV or HDF5 data set"));

    QAction *openLabelled =
        file->addAction(tr("Open &Labelled Data\u2026"), this, &MainWindow::chooseLabelledFile);
    openLabelled->setObjectName(QStringLiteral("actionOpenLabelled"));
    openLabelled->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    openLabelled->setStatusTip(tr("Open labelled cases to train a classifier: UCR/UEA .ts, "
                                  ".arff, labelled HDF5 or an audio manifest .csv"));
    QAction *openFolder =
        file->addAction(tr("Open &Audio Folder\u2026"), this, &MainWindow::chooseAudioFolder);
    openFolder->setObjectName(QStringLiteral("actionOpenAudioFolder"));
    openFolder->setStatusTip(tr("Open a folder of sounds to train a classifier: a sub-folder "
                                "per class, or files named LABEL_..."));

    QMenu *recent = file->addMenu(tr("Open &Recent"));
    recent->setObjectName(QStringLiteral("recentMenu"));
    m_recent->attachMenu(recent);

    QMenu *samples = file->addMenu(tr("&Sample Data"));
    samples->setObjectName(QStringLiteral("sampleMenu"));
    connect(samples, &QMenu::aboutToShow, this, [this, samples] { fillSampleMenu(samples); });
    fillSampleMenu(samples);

    file->addSeparator();
    createExportActions(file);

    file->addSeparator();
    QAction *quit = file->addAction(QIcon::fromTheme(QStringLiteral("application-exit")),
                                    tr("&Quit"), this, &QWidget::close);
    quit->setObjectName(QStringLiteral("actionQuit"));
    quit->setShortcut(
        QKeySequence(Qt::CTRL | Qt::Key_Q)); // QKeySequence::Quit is empty on some desktops
    quit->setMenuRole(QAction::QuitRole);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_channelDock->toggleViewAction());
    view->addAction(m_modelDock->toggleViewAction());
    view->addSeparator();
    QAction *showAll = view->addAction(tr("Show &All"), m_chart, &SeriesChartView::showAll);
    showAll->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    showAll->setStatusTip(tr("Show the whole time range (also: double click the plot)"));

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    createLessons(help);
    QAction *keys = help->addAction(tr("&Keyboard Shortcuts"), this, &MainWindow::showShortcuts);
    keys->setObjectName(QStringLiteral("actionShortcuts"));
    keys->setShortcut(QKeySequence::HelpContents);
    help->addAction(tr("About the &Sample Data"), this, &MainWindow::showAboutSamples);
    QAction *about =
        help->addAction(tr("&About Transformer Workbench"), this, &MainWindow::showAbout);
    about->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::fillSampleMenu(QMenu *menu)
{
    menu->clear();
    const std::vector<SampleInfo> samples = findSamples();
    for (const SampleInfo &s : samples) {
        QAction *action = menu->addAction(s.title);
        action->setToolTip(s.description.isEmpty() ? s.path : s.description);
        action->setStatusTip(s.path);
        action->setData(s.path);
        const QString path = s.path;
        connect(action, &QAction::triggered, this, [this, path] { openFile(path); });
    }
    if (samples.empty()) {
        QAction *none = menu->addAction(tr("No sample data found"));
        none->setEnabled(false);
        none->setToolTip(tr("Searched: %1").arg(sampleDirectories().join(QLatin1String(", "))));
    }
    menu->setToolTipsVisible(true);
    menu->addSeparator();
    menu->addAction(tr("About the Sample Data\u2026"), this, &MainWindow::showAboutSamples);
}

namespace {

/// Help > About's paragraph on the BLAS library: the kernel set (core) the training processes
/// run on and what start-up decided about it (core/blas); `twb-cli info` shows the same.
QString blasAboutHtml(const blas::BlasStartupReport &report)
{
    const auto html = [](const std::string &text) {
        return QString::fromStdString(text).toHtmlEscaped();
    };
    QString text = QObject::tr("<p><b>Matrix products</b> (BLAS): ");
    if (report.runtime.isOpenBlas) {
        text += QObject::tr("%1, kernels <b>%2</b>. ")
                    .arg(html(report.runtime.config), html(report.runtime.core));
    }
    text += html(report.reason) + QStringLiteral(".");
    if (!report.selfCheck.empty())
        text += QObject::tr(" Self-check: %1.").arg(html(report.selfCheck));
    return text + QObject::tr(" <code>twb-cli info</code> shows the details.</p>");
}

} // namespace

QString MainWindow::lastDirectory()
{
    return QSettings().value(QStringLiteral("lastDirectory"), QDir::homePath()).toString();
}

void MainWindow::chooseFile()
{
    const QString start = lastDirectory();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Data Set"), start,
        tr("Data sets and sounds (*.csv *.tsv *.txt *.h5 *.hdf5 *.he5 *.wav *.flac *.ogg);;"
           "CSV files (*.csv *.tsv *.txt);;HDF5 files (*.h5 *.hdf5 *.he5);;"
           "Sounds (*.wav *.flac *.ogg *.oga *.aif *.aiff);;All files (*)"));
    openFile(path);
}

void MainWindow::chooseLabelledFile()
{
    const QString start = lastDirectory();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Labelled Data"), start,
        tr("Labelled cases (*.ts *.arff *.h5 *.hdf5 *.csv);;UCR/UEA (*.ts);;ARFF (*.arff);;"
           "Labelled HDF5 (*.h5 *.hdf5);;Audio manifest (*.csv);;All files (*)"));
    openLabelled(path);
}

void MainWindow::chooseAudioFolder()
{
    const QString start = lastDirectory();
    openLabelled(QFileDialog::getExistingDirectory(this, tr("Open Audio Folder"), start));
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About Transformer Workbench"),
        tr("<h3>Transformer Workbench %1</h3>"
           "<p>Load a time series, inspect it, train and look inside transformer models.</p>"
           "<p>Drag to zoom into the plot, use the wheel to zoom around the cursor, double "
           "click to show everything; tick channels in the Channels table to show them.</p>")
                .arg(QApplication::applicationVersion()) +
            blasAboutHtml(blas::blasStartupReport()));
}

namespace {

/// A menu entry's words without the mnemonic ("&Train" -> "Train") and the ellipsis.
QString plainText(const QAction *action)
{
    QString text = action->text();
    text.remove(QRegularExpression(QStringLiteral("&(?!&)")));
    text.replace(QStringLiteral("&&"), QStringLiteral("&"));
    if (text.endsWith(QChar(0x2026)))
        text.chop(1);
    return text;
}

void collectShortcuts(const QMenu *menu, const QString &path,
                      std::vector<std::pair<QString, QString>> &out)
{
    for (const QAction *action : menu->actions()) {
        if (action->isSeparator())
            continue;
        const QString where = path + QStringLiteral(" \u25b8 ") + plainText(action);
        if (action->menu())
            collectShortcuts(action->menu(), where, out);
        else if (!action->shortcut().isEmpty())
            out.emplace_back(where, action->shortcut().toString(QKeySequence::NativeText));
    }
}

} // namespace

std::vector<std::pair<QString, QString>> MainWindow::keyboardShortcuts() const
{
    std::vector<std::pair<QString, QString>> out;
    for (const QAction *top : menuBar()->actions())
        if (top->menu())
            collectShortcuts(top->menu(), plainText(top), out);
    return out;
}

void MainWindow::showShortcuts()
{
    QString rows;
    for (const auto &[where, keys] : keyboardShortcuts())
        rows += QStringLiteral("<tr><td>%1</td><td>&nbsp;&nbsp;<b>%2</b></td></tr>")
                    .arg(where.toHtmlEscaped(), keys.toHtmlEscaped());
    QMessageBox box(QMessageBox::Information, tr("Keyboard Shortcuts"),
                    tr("<table>%1</table><p>In the Classification tab, Space plays or stops the "
                       "selected sound; in a plot, the wheel zooms around the cursor and a double "
                       "click shows everything.</p>")
                        .arg(rows),
                    QMessageBox::Ok, this);
    box.setTextFormat(Qt::RichText);
    box.exec();
}

void MainWindow::showAboutSamples()
{
    QMessageBox box(QMessageBox::Information, tr("About the Sample Data"),
                    sampleDataAboutHtml(findSamples()), QMessageBox::Ok, this);
    box.setTextFormat(Qt::RichText);
    box.exec();
}

} // namespace twb
