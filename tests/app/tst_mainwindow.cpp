#include "LabelledDataSummary.h"
#include "MainWindow.h"
#include "RecentFiles.h"
#include "blas/BlasStartup.h"
#include "widgets/classify/ClassificationView.h"
#include "widgets/common/CsvExportable.h"
#include "widgets/common/SeriesChartView.h"
#include "widgets/data/AutocorrelationView.h"
#include "widgets/data/ChannelHistogramView.h"
#include "widgets/data/ChannelTableModel.h"
#include "widgets/data/LabelledCasesView.h"
#include "widgets/training/HyperparameterForm.h"
#include "widgets/training/ModelListWidget.h"
#include "widgets/training/ModelPanel.h"
#include "widgets/training/RunsView.h"

#include <QAction>
#include <QDateTimeAxis>
#include <QDir>
#include <QDropEvent>
#include <QFile>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineSeries>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QXmlStreamReader>
#include <QtEndian>

#include <algorithm>

using namespace twb;

namespace {

/// A mono 16-bit PCM WAV file of `samples` samples of a ramp at `rate` Hz.
QByteArray pcm16Wav(int rate, int samples)
{
    QByteArray wav;
    const auto put32 = [&](quint32 v) {
        char b[4];
        qToLittleEndian(v, b);
        wav.append(b, 4);
    };
    const auto put16 = [&](quint16 v) {
        char b[2];
        qToLittleEndian(v, b);
        wav.append(b, 2);
    };
    wav.append("RIFF");
    put32(quint32(36 + 2 * samples));
    wav.append("WAVEfmt ");
    put32(16);
    put16(1); // PCM
    put16(1); // mono
    put32(quint32(rate));
    put32(quint32(2 * rate));
    put16(2);
    put16(16);
    wav.append("data");
    put32(quint32(2 * samples));
    for (int i = 0; i < samples; ++i)
        put16(quint16(qint16((i % 100) * 300 - 15000)));
    return wav;
}

} // namespace

namespace {

const char goodCsv[] = "date,temp,load\n"
                       "2020-01-01 00:00,1.5,10\n"
                       "2020-01-01 01:00,,11\n"
                       "2020-01-01 02:00,2.5,12\n"
                       "2020-01-01 03:00,3.0,13\n";

/// Line 3 has a word where a number belongs.
const char badCsv[] = "a,b\n"
                      "1,2\n"
                      "3,banana\n";

QString writeFile(const QTemporaryDir &dir, const QString &name, const char *content)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(content);
    return path;
}

std::int64_t totalMissing(const ChannelTableModel *model)
{
    std::int64_t n = 0;
    for (const ChannelStats &s : model->stats())
        n += s.missing;
    return n;
}

} // namespace

class tst_MainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aboutNamesTheBlasKernels()
    {
        // As at start-up, with the user's variable set so that nothing is restarted.
        qputenv("OPENBLAS_CORETYPE", "Haswell");
        twb::blas::selectBlasCoreAtStartup(nullptr);
        const twb::blas::BlasStartupReport &report = twb::blas::blasStartupReport();
        if (!report.runtime.isOpenBlas)
            QSKIP("LibTorch's BLAS is not OpenBLAS here");
        twb::MainWindow window;
        QAction *about = nullptr;
        for (QAction *action : window.findChildren<QAction *>())
            if (action->text() == QStringLiteral("&About Transformer Workbench"))
                about = action;
        QVERIFY(about != nullptr);
        QString text;
        QTimer::singleShot(0, &window, [&text] {
            if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
                text = box->text();
                box->accept();
            }
        });
        about->trigger();
        QVERIFY2(text.contains(QStringLiteral("kernels <b>Haswell</b>")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("OPENBLAS_CORETYPE=Haswell is set")));
        QVERIFY(text.contains(QStringLiteral("twb-cli info")));
    }

    void initTestCase();
    void init();
    void startsEmpty();
    void openGoodCsv();
    void badFileShowsError();
    void missingFileShowsError();
    void damagedHdf5CrashesOnlyAChild();
    void onlyTheLatestRequestCounts();
    void dropOpensFile();
    void sampleMenuListsSamples();
    void settingsPersist();
    void shortcuts();
    void opensEtth1();
    void opensBundledCo2Sample();
    void exportActionsFollowTheTab();
    void exportViewWritesPngSvgCsv();
    void exportViewReportsUnwritablePath();
    void splitBordersFollowTheSplit();
    void opensLabelledDataForClassification();
    void showsATestCaseAmongTheCases();
    void labelledDataReplacesTheSeries();

private:
    QTemporaryDir m_dir;
    QString m_good;
    QString m_bad;
};

void tst_MainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // QSettings go to a test location
    QCoreApplication::setOrganizationName(QStringLiteral("TransformerWorkbenchTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
    QVERIFY(m_dir.isValid());
    m_good = writeFile(m_dir, QStringLiteral("good.csv"), goodCsv);
    m_bad = writeFile(m_dir, QStringLiteral("bad.csv"), badCsv);
    QVERIFY(!m_good.isEmpty() && !m_bad.isEmpty());
    QDir(m_dir.path()).mkdir(QStringLiteral("samples"));
    QVERIFY(QFile::copy(m_good, m_dir.filePath(QStringLiteral("samples/tiny.csv"))));
    qputenv("TWB_SAMPLE_DIR", m_dir.filePath(QStringLiteral("samples")).toUtf8());
}

void tst_MainWindow::init()
{
    QSettings().clear();
}

void tst_MainWindow::startsEmpty()
{
    MainWindow window;
    window.show();
    QCOMPARE(window.windowTitle(), QStringLiteral("Transformer Workbench"));
    QVERIFY(window.currentFile().isEmpty());
    QCOMPARE(window.channelModel()->rowCount(), 0);
    QVERIFY(window.chartView()->lines().isEmpty());
    QVERIFY(!window.isLoading());
}

void tst_MainWindow::openGoodCsv()
{
    MainWindow window;
    window.show();
    QSignalSpy loaded(&window, &MainWindow::datasetLoaded);
    window.openFile(m_good);
    QVERIFY(window.isLoading());
    QVERIFY(loaded.wait(10000));
    QVERIFY(!window.isLoading());
    QCOMPARE(loaded.takeFirst().at(0).toString(), m_good);

    QCOMPARE(window.windowTitle(), QStringLiteral("good.csv \u2014 Transformer Workbench"));
    QCOMPARE(window.currentFile(), m_good);

    const ChannelTableModel *table = window.channelModel();
    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(table->data(table->index(0, ChannelTableModel::Name)).toString(),
             QStringLiteral("temp"));
    QCOMPARE(table->data(table->index(0, ChannelTableModel::Missing)).toString(),
             QStringLiteral("1"));
    QCOMPARE(table->data(table->index(1, ChannelTableModel::Mean)).toString(),
             QStringLiteral("11.5"));
    QCOMPARE(table->checkedChannels(), (QList<int>{0, 1}));

    const SeriesChartView *chart = window.chartView();
    QVERIFY(chart->hasTimeAxis());
    QCOMPARE(chart->lines().size(), 2);
    QCOMPARE(chart->lines()[0]->name(), QStringLiteral("temp"));
    QCOMPARE(chart->lines()[0]->count(), 3); // the empty cell is not drawn
    QCOMPARE(chart->lines()[1]->count(), 4);

    // Unticking a channel in the table hides its line.
    QVERIFY(window.channelModel()->setData(table->index(0, ChannelTableModel::Name), Qt::Unchecked,
                                           Qt::CheckStateRole));
    QCOMPARE(chart->lines().size(), 1);
    QCOMPARE(chart->lines()[0]->name(), QStringLiteral("load"));

    QCOMPARE(window.recentFiles()->files().value(0), m_good);
}

void tst_MainWindow::badFileShowsError()
{
    MainWindow window;
    window.show();
    QSignalSpy loaded(&window, &MainWindow::datasetLoaded);
    QSignalSpy failed(&window, &MainWindow::loadFailed);
    window.openFile(m_good);
    QVERIFY(loaded.wait(10000));

    window.openFile(m_bad);
    QVERIFY(failed.wait(10000));
    const QString message = failed.takeFirst().at(1).toString();
    QVERIFY2(message.startsWith(m_bad + QLatin1String(":3: ")), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("banana")), qPrintable(message));

    // The error is shown in a (non-blocking) message box over the window...
    auto *box = window.findChild<QMessageBox *>(QStringLiteral("loadErrorBox"));
    QVERIFY(box);
    QVERIFY(box->isVisible());
    QCOMPARE(box->text(), message);
    QCOMPARE(box->windowTitle(), QStringLiteral("Cannot open bad.csv"));
    box->close();

    // ... and the data shown before stays.
    QCOMPARE(window.windowTitle(), QStringLiteral("good.csv \u2014 Transformer Workbench"));
    QCOMPARE(window.currentFile(), m_good);
    QCOMPARE(window.channelModel()->rowCount(), 2);
    QVERIFY(!window.recentFiles()->files().contains(m_bad));
}

void tst_MainWindow::missingFileShowsError()
{
    MainWindow window;
    window.show();
    QSignalSpy failed(&window, &MainWindow::loadFailed);
    const QString missing = m_dir.filePath(QStringLiteral("nope.csv"));
    window.openFile(missing);
    QVERIFY(failed.wait(10000));
    const QString message = failed.takeFirst().at(1).toString();
    QVERIFY2(message.startsWith(missing), qPrintable(message));
    QVERIFY(window.findChild<QMessageBox *>(QStringLiteral("loadErrorBox")));
    QCOMPARE(window.windowTitle(), QStringLiteral("Transformer Workbench"));
}

void tst_MainWindow::damagedHdf5CrashesOnlyAChild()
{
    // This file makes Debian's HDF5 1.10.8 dereference a wild pointer (SEGV in
    // H5F__accum_read): read in the window's process, it would take the window down with it.
    const QString damaged =
        QStringLiteral(TWB_FUZZ_DIR) +
        QStringLiteral("/known-library-issues/hdf5series/segv-h5f-accum-read.h5");
    MainWindow window;
    window.show();
    QSignalSpy loaded(&window, &MainWindow::datasetLoaded);
    QSignalSpy failed(&window, &MainWindow::loadFailed);
    window.openFile(m_good);
    QVERIFY(loaded.wait(10000));

    window.openFile(damaged);
    QVERIFY(failed.wait(30000));
    const QString message = failed.takeFirst().at(1).toString();
    // "reading it crashed the HDF5 library (Segmentation fault) …"; in the sanitizer build
    // AddressSanitizer ends the child first: "reading it ended the twb-cli … with exit code 1".
    QVERIFY2(message.startsWith(damaged + QLatin1String(": reading it ")), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("the file was not opened")) ||
                 message.contains(QLatin1String("and was not opened")),
             qPrintable(message));
    auto *box = window.findChild<QMessageBox *>(QStringLiteral("loadErrorBox"));
    QVERIFY(box);
    QCOMPARE(box->text(), message);
    box->close();

    // The window goes on: the data shown before stays, and the next file opens.
    QCOMPARE(window.currentFile(), m_good);
    QVERIFY(!window.recentFiles()->files().contains(damaged));
    window.openFile(m_good);
    QVERIFY(loaded.wait(10000));
}

void tst_MainWindow::onlyTheLatestRequestCounts()
{
    MainWindow window;
    window.show();
    QSignalSpy loaded(&window, &MainWindow::datasetLoaded);
    QSignalSpy failed(&window, &MainWindow::loadFailed);
    window.openFile(m_bad);
    window.openFile(m_good);
    QVERIFY(loaded.wait(10000));
    QTest::qWait(50);
    QCOMPARE(failed.size(), 0);
    QCOMPARE(loaded.size(), 1);
    QVERIFY(!window.findChild<QMessageBox *>(QStringLiteral("loadErrorBox")));
}

void tst_MainWindow::dropOpensFile()
{
    MainWindow window;
    window.show();
    QSignalSpy loaded(&window, &MainWindow::datasetLoaded);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(m_good)});
    const QPoint pos = window.rect().center();

    QDragEnterEvent enter(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(pos), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&window, &drop);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(window.currentFile(), m_good);

    // Something that is not a local file is refused.
    QMimeData text;
    text.setText(QStringLiteral("hello"));
    QDragEnterEvent refused(pos, Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
    refused.ignore();
    QCoreApplication::sendEvent(&window, &refused);
    QVERIFY(!refused.isAccepted());
}

void tst_MainWindow::sampleMenuListsSamples()
{
    MainWindow window;
    window.show();
    auto *menu = window.findChild<QMenu *>(QStringLiteral("sampleMenu"));
    QVERIFY(menu);
    Q_EMIT menu->aboutToShow();
    const QString tiny = QDir::cleanPath(m_dir.filePath(QStringLiteral("samples/tiny.csv")));
    QAction *sample = nullptr;
    for (QAction *a : menu->actions())
        if (a->data().toString() == tiny)
            sample = a;
    QVERIFY2(sample, "tiny.csv from TWB_SAMPLE_DIR is not in the Sample Data menu");
    QCOMPARE(sample->text(), QStringLiteral("tiny.csv"));

    QSignalSpy loaded(&window, &MainWindow::datasetLoaded);
    sample->trigger();
    QVERIFY(loaded.wait(10000));
    QCOMPARE(window.windowTitle(), QStringLiteral("tiny.csv \u2014 Transformer Workbench"));
}

void tst_MainWindow::settingsPersist()
{
    QByteArray geometry;
    {
        MainWindow window;
        window.resize(1000, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy loaded(&window, &MainWindow::datasetLoaded);
        window.openFile(m_good);
        QVERIFY(loaded.wait(10000));
        window.close(); // saves geometry and dock state
        geometry = window.saveGeometry();
    }
    const QSettings settings;
    QCOMPARE(settings.value(QStringLiteral("window/geometry")).toByteArray(), geometry);
    QVERIFY(!settings.value(QStringLiteral("window/state")).toByteArray().isEmpty());
    QCOMPARE(settings.value(QStringLiteral("recentFiles")).toStringList(), QStringList{m_good});

    MainWindow again;
    QCOMPARE(again.recentFiles()->files(), QStringList{m_good});
    QCOMPARE(again.size(), QSize(1000, 700));
    auto *recent = again.findChild<QMenu *>(QStringLiteral("recentMenu"));
    QVERIFY(recent);
    QVERIFY(recent->actions().value(0));
    QCOMPARE(recent->actions().value(0)->text(), QStringLiteral("&1 good.csv"));
}

void tst_MainWindow::shortcuts()
{
    MainWindow window;
    window.show();
    auto *open = window.findChild<QAction *>(QStringLiteral("actionOpen"));
    auto *quit = window.findChild<QAction *>(QStringLiteral("actionQuit"));
    QVERIFY(open && quit);
    QCOMPARE(open->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_O));
    QCOMPARE(quit->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Q));
    // Help ▸ Keyboard Shortcuts lists every menu shortcut by its menu path, Training's too.
    QVERIFY(window.findChild<QAction *>(QStringLiteral("actionShortcuts")));
    const auto listed = window.keyboardShortcuts();
    const auto has = [&](const QString &where, const QKeySequence &keys) {
        const QString text = keys.toString(QKeySequence::NativeText);
        return std::any_of(listed.begin(), listed.end(), [&](const auto &entry) {
            return entry.first == where && entry.second == text;
        });
    };
    QVERIFY(has(QStringLiteral("File \u25b8 Open"), QKeySequence(Qt::CTRL | Qt::Key_O)));
    QVERIFY(has(QStringLiteral("Training \u25b8 Train"), QKeySequence(Qt::CTRL | Qt::Key_T)));
    QVERIFY(has(QStringLiteral("View \u25b8 Show All"), QKeySequence(Qt::CTRL | Qt::Key_0)));
    for (const QAction *action : window.findChildren<QAction *>())
        if (!action->shortcut().isEmpty() && !action->menu() &&
            !action->associatedObjects().isEmpty())
            QVERIFY2(std::any_of(listed.begin(), listed.end(),
                                 [&](const auto &entry) {
                                     return entry.second ==
                                            action->shortcut().toString(QKeySequence::NativeText);
                                 }),
                     qPrintable(action->text()));
    quit->trigger();
    QVERIFY(!window.isVisible());
}

void tst_MainWindow::opensEtth1()
{
    const QString path = QStringLiteral(TWB_SHARED_DATA_DIR "/ett/ETTh1.csv");
    if (!QFile::exists(path))
        QSKIP(qPrintable(QStringLiteral("shared data missing: ") + path));
    MainWindow window;
    window.show();
    QSignalSpy loaded(&window, &MainWindow::datasetLoaded);
    window.openFile(path);
    QVERIFY(loaded.wait(20000));
    QCOMPARE(window.windowTitle(), QStringLiteral("ETTh1.csv \u2014 Transformer Workbench"));
    QCOMPARE(window.dataset()->rows(), 17420);
    QCOMPARE(window.channelModel()->rowCount(), 7);
    QCOMPARE(window.chartView()->lines().size(), 7);
    QVERIFY(window.chartView()->hasTimeAxis());
    const int columns = window.chartView()->decimationColumns();
    for (const QLineSeries *line : window.chartView()->lines())
        QVERIFY(line->count() <= 2 * columns + 2);
}

void tst_MainWindow::opensBundledCo2Sample()
{
    const QString path = QStringLiteral(TWB_TEST_BIN_DIR "/../samples/co2.csv");
    if (!QFile::exists(path))
        QSKIP(qPrintable(QStringLiteral("sample missing (run scripts/fetch-samples.sh): ") + path));
    MainWindow window;
    window.show();
    QSignalSpy loaded(&window, &MainWindow::datasetLoaded);
    window.openFile(path);
    QVERIFY(loaded.wait(20000));
    QCOMPARE(window.dataset()->rows(), 2284);
    QCOMPARE(totalMissing(window.channelModel()), 59); // the 59 empty weeks
    bool co2Found = false;
    for (const ChannelStats &s : window.channelModel()->stats())
        if (s.name == QLatin1String("co2")) {
            co2Found = true;
            QCOMPARE(s.count, 2225);
            QCOMPARE(s.missing, 59);
        }
    QVERIFY(co2Found);
}

void tst_MainWindow::exportActionsFollowTheTab()
{
    MainWindow window;
    window.show();
    auto *png = window.findChild<QAction *>(QStringLiteral("actionExportPng"));
    auto *svg = window.findChild<QAction *>(QStringLiteral("actionExportSvg"));
    auto *csv = window.findChild<QAction *>(QStringLiteral("actionExportCsv"));
    auto *bundle = window.findChild<QAction *>(QStringLiteral("actionExportBundle"));
    QVERIFY(png && svg && csv && bundle);
    QCOMPARE(png->shortcut(), QKeySequence(QStringLiteral("Ctrl+E")));
    QCOMPARE(bundle->shortcut(), QKeySequence(QStringLiteral("Ctrl+Shift+E")));
    QTabWidget *tabs = window.centralTabs();
    const QList<std::pair<QString, bool>> expected{
        {QStringLiteral("Start"), false},         {QStringLiteral("Series"), true},
        {QStringLiteral("Cases"), true},          {QStringLiteral("Training"), true},
        {QStringLiteral("Runs"), true},           {QStringLiteral("Forecast"), true},
        {QStringLiteral("Classification"), true}, {QStringLiteral("Reconstruction"), true},
        {QStringLiteral("Separation"), true},     {QStringLiteral("Explain"), true},
        {QStringLiteral("Forward pass"), true},   {QStringLiteral("Spectrogram"), true}};
    QCOMPARE(tabs->count(), expected.size());
    for (int i = 0; i < tabs->count(); ++i) {
        tabs->setCurrentIndex(i);
        QCOMPARE(tabs->tabText(i), expected[i].first);
        QVERIFY(png->isEnabled() && svg->isEnabled());
        QVERIFY2(csv->isEnabled() == expected[i].second, qPrintable(expected[i].first));
        QCOMPARE(window.exportTable() != nullptr, expected[i].second);
    }
    // No run selected: nothing to bundle.
    QVERIFY(!bundle->isEnabled());
}

void tst_MainWindow::exportViewWritesPngSvgCsv()
{
    QTemporaryDir out;
    QVERIFY(out.isValid());
    // A workspace with one run (config.json only) for the Runs tab's CSV.
    const QString workspace = out.filePath(QStringLiteral("workspace"));
    QVERIFY(QDir().mkpath(workspace + QStringLiteral("/run-a")));
    QFile config(workspace + QStringLiteral("/run-a/config.json"));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(QJsonDocument(QJsonObject{{"model", "dlinear"},
                                           {"data", "/data/ETTh1.csv"},
                                           {"lookback", 336},
                                           {"horizon", 96}})
                     .toJson());
    config.close();
    QSettings().setValue(QLatin1String(MainWindow::RunsDirectoryKey), workspace);

    MainWindow window;
    window.resize(1200, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy loaded(&window, &MainWindow::datasetLoaded);
    window.openFile(m_good);
    QVERIFY(loaded.wait(10000));

    QString asked;
    QString answer;
    window.setSavePathAsker([&](const QString &, const QString &suggested, const QString &) {
        asked = suggested;
        return answer;
    });
    QSignalSpy exported(&window, &MainWindow::viewExported);

    // PNG of the Series tab: the chart at its size, not blank.
    answer = out.filePath(QStringLiteral("series")); // no suffix: .png is added
    window.findChild<QAction *>(QStringLiteral("actionExportPng"))->trigger();
    QCOMPARE(QFileInfo(asked).fileName(), QStringLiteral("good-series.png"));
    QCOMPARE(exported.size(), 1);
    QCOMPARE(exported.first().at(0).toString(), answer + QStringLiteral(".png"));
    QVERIFY(exported.first().at(1).toBool());
    QImage image;
    QVERIFY(image.load(answer + QStringLiteral(".png"), "PNG"));
    const QSize chart = window.chartView()->size() * window.chartView()->devicePixelRatio();
    QCOMPARE(image.size(), chart);
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7)
        for (int x = 0; x < image.width(); x += 7)
            colours.insert(image.pixel(x, y));
    QVERIFY2(colours.size() > 3, "the exported PNG is blank");

    // SVG: an <svg> root whose view box is the chart's logical size.
    answer = out.filePath(QStringLiteral("series.svg"));
    window.findChild<QAction *>(QStringLiteral("actionExportSvg"))->trigger();
    QCOMPARE(exported.size(), 2);
    QFile svgFile(answer);
    QVERIFY(svgFile.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&svgFile);
    QVERIFY(xml.readNextStartElement());
    QCOMPARE(xml.name().toString(), QStringLiteral("svg"));
    QCOMPARE(xml.attributes().value(QStringLiteral("viewBox")).toString(),
             QStringLiteral("0 0 %1 %2")
                 .arg(window.chartView()->width())
                 .arg(window.chartView()->height()));
    while (!xml.atEnd())
        xml.readNext();
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));

    // CSV of the Series tab: every visible row at full resolution, the missing value as "nan".
    auto *csv = window.findChild<QAction *>(QStringLiteral("actionExportCsv"));
    answer = out.filePath(QStringLiteral("series.csv"));
    csv->trigger();
    QCOMPARE(exported.size(), 3);
    QFile seriesCsv(answer);
    QVERIFY(seriesCsv.open(QIODevice::ReadOnly));
    const QList<QByteArray> seriesLines = seriesCsv.readAll().split('\n');
    QCOMPARE(seriesLines.value(0), QByteArray("date,temp,load"));
    QCOMPARE(seriesLines.value(1), QByteArray("2020-01-01 00:00:00.000,1.5,10"));
    QCOMPARE(seriesLines.value(2), QByteArray("2020-01-01 01:00:00.000,nan,11"));
    QCOMPARE(seriesLines.size(), 6); // header, 4 rows, empty after the last "\n"

    window.centralTabs()->setCurrentWidget(window.runsView());
    QTRY_COMPARE(window.runsView()->model()->rowCount(), 1);
    answer = out.filePath(QStringLiteral("runs.csv"));
    csv->trigger();
    QCOMPARE(QFileInfo(asked).fileName(), QStringLiteral("good-runs.csv"));
    QCOMPARE(exported.size(), 4);
    QFile csvFile(answer);
    QVERIFY(csvFile.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = csvFile.readAll().split('\n');
    const CsvTable table = window.runsView()->csvTable();
    QCOMPARE(lines.value(0), table.header.join(QLatin1Char(',')).toUtf8());
    QCOMPARE(lines.value(1), table.rows.value(0).join(QLatin1Char(',')).toUtf8());
    const QStringList cells = QString::fromUtf8(lines.value(1)).split(QLatin1Char(','));
    for (const char *cell : {"run-a", "dlinear", "ETTh1.csv", "336", "96"})
        QVERIFY2(cells.contains(QLatin1String(cell)), cell);
    QCOMPARE(cells.last(), QDir(workspace).filePath(QStringLiteral("run-a")));
    QCOMPARE(lines.size(), 3); // header, one run, empty after the last "\n"
    QCOMPARE(window.statusBar()->currentMessage(), QStringLiteral("Exported ") + answer);

    // Cancelled dialog: nothing happens.
    answer.clear();
    csv->trigger();
    QCOMPARE(exported.size(), 4);
}

void tst_MainWindow::exportViewReportsUnwritablePath()
{
    MainWindow window;
    window.show();
    const QString path = m_dir.filePath(QStringLiteral("no/such/folder/view.png"));
    window.setSavePathAsker(
        [&](const QString &, const QString &, const QString &) { return path; });
    QSignalSpy exported(&window, &MainWindow::viewExported);
    window.findChild<QAction *>(QStringLiteral("actionExportPng"))->trigger();
    QCOMPARE(exported.size(), 1);
    QVERIFY(!exported.first().at(1).toBool());
    const QString message = exported.first().at(2).toString();
    QVERIFY2(message.startsWith(path), qPrintable(message));
    auto *box = window.findChild<QMessageBox *>(QStringLiteral("loadErrorBox"));
    QVERIFY(box);
    QCOMPARE(box->text(), message);
    QVERIFY(!QFile::exists(path));
}

void tst_MainWindow::splitBordersFollowTheSplit()
{
    const QString path = QStringLiteral(TWB_SHARED_DATA_DIR "/ett/ETTh1.csv");
    if (!QFile::exists(path))
        QSKIP(qPrintable(QStringLiteral("shared data missing: ") + path));
    MainWindow window;
    window.show();
    QVERIFY(window.splitBorderRows().isEmpty());
    QSignalSpy loaded(&window, &MainWindow::datasetLoaded);
    window.openFile(path);
    QVERIFY(loaded.wait(20000));
    // ETTh1 is split 12/4/4 months of 30 days by default; its 17,420 rows go on after that.
    QCOMPARE(window.chartView()->splitBorders(), (QList<qint64>{8640, 11520, 14400}));
    // The first channel is selected, so the table says what the inspector shows.
    QCOMPARE(window.channelTable()->currentIndex().row(), 0);
    // The shuffled split (the teaching mistake) has no borders: one label for the whole series.
    window.modelPanel()->taskForm()->setValue(QStringLiteral("split"), QStringLiteral("shuffled"));
    QVERIFY(window.chartView()->splitBorders().isEmpty());
    QCOMPARE(window.chartView()->splitLabels(),
             QStringList{QStringLiteral("shuffled windows (leaks the future)")});
    window.modelPanel()->taskForm()->setValue(QStringLiteral("split"), QStringLiteral("auto"));
    QCOMPARE(window.chartView()->splitBorders(), (QList<qint64>{8640, 11520, 14400}));

    window.openFile(m_good); // 4 rows: too short for 70/10/20 with a row in every part
    QVERIFY(loaded.wait(10000));
    QVERIFY(window.chartView()->splitBorders().isEmpty());
}

void tst_MainWindow::opensLabelledDataForClassification()
{
    // A UCR pair: opening _TRAIN.ts (through openFile, as a drop or a recent file would) puts
    // the model panel into classification with _TEST.ts as the test data.
    const char header[] = "@problemName Tiny\n@timeStamps false\n@missing false\n"
                          "@univariate true\n@equalLength false\n@classLabel true a b\n@data\n";
    const QString train = writeFile(m_dir, QStringLiteral("Tiny_TRAIN.ts"),
                                    (QByteArray(header) + "1,2,3:a\n3,2,1:b\n1,2,3,4:a\n"
                                                          "4,3,2,1:b\n2,3,4:a\n")
                                        .constData());
    const QString test = writeFile(m_dir, QStringLiteral("Tiny_TEST.ts"),
                                   (QByteArray(header) + "1,2,3:a\n3,2,1:b\n").constData());
    QCOMPARE(matchingTestFile(train), test);
    QVERIFY(isLabelledDataPath(train));
    QVERIFY(isLabelledDataPath(m_dir.path()));
    QVERIFY(!isLabelledDataPath(m_good));

    MainWindow window;
    window.show();
    QSignalSpy labelled(&window, &MainWindow::labelledDataLoaded);
    QSignalSpy failed(&window, &MainWindow::loadFailed);
    window.openFile(train);
    QVERIFY(window.isLoading());
    QVERIFY(labelled.wait(10000));
    QVERIFY(!window.isLoading());
    const QString summary = labelled.first().at(1).toString();
    QCOMPARE(summary, QStringLiteral("5 cases \u00b7 2 classes (a: 3, b: 2) \u00b7 1 channel "
                                     "\u00b7 lengths 3\u20134"));
    ModelPanel *panel = window.modelPanel();
    QCOMPARE(panel->task(), Task::Classify);
    QCOMPARE(panel->dataPath(), train);
    QCOMPARE(panel->taskForm()->values()->text(QStringLiteral("test_data")), test);
    QCOMPARE(window.statusBar()->currentMessage(),
             QStringLiteral("Opened %1 for classification").arg(train));
    QVERIFY(panel->findChild<QLabel *>(QStringLiteral("dataLabel"))->text().contains(summary));
    QCOMPARE(window.recentFiles()->files().value(0), train);
    // The Cases tab comes forward with the cases: 3 of a, both of b.
    QCOMPARE(window.centralTabs()->currentWidget(), window.casesView());
    QCOMPARE(window.casesView()->lines().size(), 5);
    QCOMPARE(window.casesView()->preview().counts, (std::vector<std::int64_t>{3, 2}));

    // A broken file: the message names it, the panel keeps what it had.
    const QString broken = writeFile(m_dir, QStringLiteral("Broken_TRAIN.ts"),
                                     "@problemName Broken\n@classLabel true a b\n@data\n"
                                     "1,2,x:a\n");
    window.openFile(broken);
    QVERIFY(failed.wait(10000));
    const QString message = failed.takeFirst().at(1).toString();
    QVERIFY2(message.contains(broken), qPrintable(message));
    QCOMPARE(panel->dataPath(), train);
    if (auto *box = window.findChild<QMessageBox *>(QStringLiteral("loadErrorBox")))
        box->close();

    // Sound clips named {label}_...: the form adds the audio settings, which reach the command.
    QDir(m_dir.path()).mkdir(QStringLiteral("clips"));
    for (const char *name : {"0_a_0.wav", "0_a_1.wav", "1_a_0.wav", "1_a_1.wav"}) {
        QFile clip(m_dir.filePath(QStringLiteral("clips/") + QLatin1String(name)));
        QVERIFY(clip.open(QIODevice::WriteOnly));
        clip.write(pcm16Wav(8000, 800));
    }
    labelled.clear();
    window.openFile(m_dir.filePath(QStringLiteral("clips")));
    QVERIFY(labelled.wait(10000));
    QVERIFY2(labelled.first().at(1).toString().contains(QStringLiteral("8000 Hz")),
             qPrintable(labelled.first().at(1).toString()));
    // The form adds the audio settings, naming the clips' rate (tst_modelpanel checks that
    // they reach the command line); the Cases tab draws the clips of the first class.
    HyperparameterForm *form = panel->taskForm();
    QVERIFY(form->findChild<QSpinBox *>(QStringLiteral("hp_mel_bins")));
    QVERIFY(form->findChild<QWidget *>(QStringLiteral("hp_sample_rate"))
                ->toolTip()
                .contains(QStringLiteral("8000 Hz")));
    QCOMPARE(window.casesView()->shownClass(), 0); // sound clips: the first class
    QCOMPARE(window.casesView()->lines().size(), 2);
    // The status bar names both things sound clips are for.
    QVERIFY2(window.statusBar()->currentMessage().contains(QStringLiteral("separate")),
             qPrintable(window.statusBar()->currentMessage()));

    // A series afterwards: back to forecasting.
    QSignalSpy loaded(&window, &MainWindow::datasetLoaded);
    window.openFile(m_good);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(panel->task(), Task::Forecast);
}

void tst_MainWindow::labelledDataReplacesTheSeries()
{
    MainWindow window;
    window.show();
    QSignalSpy series(&window, &MainWindow::datasetLoaded);
    QSignalSpy labelled(&window, &MainWindow::labelledDataLoaded);
    window.openFile(m_good);
    QVERIFY(series.wait(10000));
    QVERIFY(window.dataset());

    // Two channels, unequal lengths: the channel table describes every step of every case.
    const QString ts = writeFile(m_dir, QStringLiteral("Two_TRAIN.ts"),
                                 "@problemName Two\n@timeStamps false\n@missing false\n"
                                 "@univariate false\n@dimensions 2\n@equalLength false\n"
                                 "@classLabel true a b\n@data\n"
                                 "1,2,3:10,20,30:a\n4,6:40,60:b\n");
    window.openFile(ts);
    QVERIFY(labelled.wait(10000));
    QVERIFY(!window.dataset());
    QCOMPARE(window.currentFile(), ts);
    QCOMPARE(window.windowTitle(), QStringLiteral("Two_TRAIN.ts \u2014 Transformer Workbench"));
    QVERIFY(window.chartView()->lines().isEmpty());
    const ChannelTableModel *table = window.channelModel();
    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(table->data(table->index(1, ChannelTableModel::Name)).toString(),
             QStringLiteral("dim_1"));
    QCOMPARE(table->data(table->index(0, ChannelTableModel::Count)).toString(),
             QStringLiteral("5"));
    QCOMPARE(table->data(table->index(1, ChannelTableModel::Mean)).toString(),
             QStringLiteral("32"));
    // The Cases view draws one channel at a time: no check boxes; the current row picks it.
    QVERIFY(!table->checkable());
    QVERIFY(!(table->flags(table->index(0, ChannelTableModel::Name)) & Qt::ItemIsUserCheckable));
    QVERIFY(!table->data(table->index(0, ChannelTableModel::Name), Qt::CheckStateRole).isValid());
    auto *view = window.findChild<QTableView *>(QStringLiteral("channelTable"));
    QVERIFY(view);
    QCOMPARE(window.casesView()->channel(), 0);
    view->selectRow(1);
    QCOMPARE(window.casesView()->channel(), 1);
    window.casesView()->setChannel(0); // and back from the Cases view's channel box
    QCOMPARE(view->currentIndex().row(), 0);
    view->selectRow(1);
    // The histogram pools the channel's values over the cases; no autocorrelation.
    auto *histogram = window.findChild<ChannelHistogramView *>();
    QVERIFY(histogram);
    QCOMPARE(histogram->histogram().values, 5);
    QVERIFY(histogram->chart()->title().startsWith(QStringLiteral("dim_1: 5 values")));
    auto *autocorrelation = window.findChild<AutocorrelationView *>();
    QVERIFY(autocorrelation);
    QVERIFY(autocorrelation->chart()->title().contains(QStringLiteral("No autocorrelation")));

    // A series again: check boxes back, the first channels drawn.
    series.clear();
    window.openFile(m_good);
    QVERIFY(series.wait(10000));
    QVERIFY(window.dataset());
    QVERIFY(window.channelModel()->checkable());
    QCOMPARE(window.channelModel()->checkedChannels(), (QList<int>{0, 1}));
    QCOMPARE(window.chartView()->lines().size(), 2);
}

void tst_MainWindow::showsATestCaseAmongTheCases()
{
    // Cases on lines 8 (a), 9 (b), 10 (a), 11 (b), 12 (a).
    const QString file = writeFile(m_dir, QStringLiteral("Cases_TEST.ts"),
                                   "@problemName Cases\n@timeStamps false\n@missing false\n"
                                   "@univariate true\n@equalLength false\n@classLabel true a b\n"
                                   "@data\n1,2,3:a\n3,2,1:b\n1,2,3,4:a\n4,3,2,1:b\n2,3,4:a\n");
    MainWindow window;
    window.show();
    QSignalSpy shown(&window, &MainWindow::labelledCaseShown);
    // Activated in the Classification tab as the view reports it: absolute file and line.
    Q_EMIT window.classificationView()->exampleActivated(file + QStringLiteral(":12"), 4);
    QVERIFY(shown.wait(10000));
    QCOMPARE(shown.first().at(0).toString(), QStringLiteral("Cases_TEST.ts:12"));
    QVERIFY(shown.first().at(1).toBool());
    QCOMPARE(window.centralTabs()->currentWidget(), window.casesView());
    LabelledCasesView *cases = window.casesView();
    QCOMPARE(cases->highlightedCase(), QStringLiteral("Cases_TEST.ts:12"));
    QCOMPARE(cases->lines().size(), 5); // two other a, both b, the case on top
    QCOMPARE(cases->lines().last()->name(), QStringLiteral("Cases_TEST.ts:12 (class a)"));
    QCOMPARE(cases->lines().last()->count(), 3);
    // The model panel is not touched.
    QCOMPARE(window.modelPanel()->task(), Task::Forecast);

    // A line that holds no case (the file changed): the cases without a highlight.
    shown.clear();
    window.showLabelledCase(file, QStringLiteral("Cases_TEST.ts:99"));
    QVERIFY(shown.wait(10000));
    QVERIFY(!shown.first().at(1).toBool());
    QCOMPARE(cases->lines().size(), 5);
    QVERIFY(!cases->highlightedCaseDrawn());
}

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
