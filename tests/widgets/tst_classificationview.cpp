#include "ClassificationFixture.h"
#include "client/ClassificationRun.h"
#include "widgets/classify/ClassMetricsModel.h"
#include "widgets/classify/ClassificationView.h"
#include "widgets/classify/ConfusionMatrixView.h"
#include "widgets/classify/MisclassifiedModel.h"
#include "widgets/common/SoundPlayer.h"
#include "widgets/common/ViewExporter.h"

#include <QFile>
#include <QFileInfo>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace twb;

namespace {

QString fsddDir()
{
    return QStringLiteral(TWB_SHARED_DATA_DIR "/fsdd/recordings");
}

/// Real FSDD file names for the fixture's cases: digit = truth, takes 0-4 (the test part).
QStringList fsddSources()
{
    const QStringList speakers{"george", "jackson", "nicolas", "theo", "yweweler"};
    QStringList s;
    for (std::size_t i = 0; i < twb::test::kTruth.size(); ++i)
        s << QStringLiteral("%1_%2_%3.wav")
                 .arg(twb::test::kTruth[i])
                 .arg(speakers[int(i) % speakers.size()])
                 .arg(int(i) % 5);
    return s;
}

/// What RunViewsController does with a run folder (there on a worker): read it, then show it
/// or why it could not be read. False with the reader's error in *error on failure.
bool openRun(ClassificationView &view, const QString &runDir, QString *error = nullptr)
{
    Expected<ClassificationRunData> run = readClassificationRun(runDir);
    if (!run) {
        view.showFailure(run.error().toString());
        if (error)
            *error = run.error().toString();
        return false;
    }
    view.setRun(*run);
    return true;
}

} // namespace

class TestClassificationView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void opensRun()
    {
        QTemporaryDir dir;
        const QString run = dir.filePath("run");
        QVERIFY(twb::test::writeRun(run, dir.path(), twb::test::wavSources()));
        ClassificationView view;
        QString error;
        QVERIFY2(openRun(view, run, &error), qPrintable(error));
        QVERIFY(error.isEmpty());
        QCOMPARE(view.summaryText(),
                 QStringLiteral("accuracy 0.7000 \u00b7 balanced accuracy 0.7222 \u00b7 macro-F1 "
                                "0.6984 \u00b7 log-loss 0.8404 \u00b7 10 cases"));
        QCOMPARE(view.metrics().examples, 10);
        const ConfusionMatrixView *matrix = view.matrixView();
        QCOMPARE(matrix->classes(), 3);
        for (int t = 0; t < 3; ++t)
            for (int p = 0; p < 3; ++p)
                QCOMPARE(matrix->count(t, p), view.metrics().confusion[t][p]);
        QCOMPARE(view.metricsModel()->rowCount(), 4);
        QCOMPARE(view.examplesModel()->rowCount(), 3); // misclassified
        QCOMPARE(view.runDir(), QDir(run).absolutePath());
        view.setShowRowPercent(true);
        QCOMPARE(matrix->cellText(), ConfusionMatrixView::CellText::RowPercent);
        QCOMPARE(matrix->cellLabel(0, 0), QStringLiteral("50 %"));
    }

    void cellClickFiltersAndActivates()
    {
        QTemporaryDir dir;
        const QString run = dir.filePath("run");
        QVERIFY(twb::test::writeRun(run, dir.path(), twb::test::wavSources()));
        ClassificationView view;
        view.resize(1000, 700);
        QVERIFY(openRun(view, run));
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        ConfusionMatrixView *matrix = view.matrixView();
        QTest::mouseClick(matrix, Qt::LeftButton, Qt::NoModifier, matrix->cellRect(2, 2).center());
        QCOMPARE(view.examplesModel()->filter(), MisclassifiedModel::Filter::Cell);
        QCOMPARE(view.examplesModel()->rowCount(), 3);
        QCOMPARE(view.examplesModel()->caseAt(0), 7);

        QSignalSpy activated(&view, &ClassificationView::exampleActivated);
        QTableView *table = view.examplesTable();
        QVERIFY(view.selectCase(7));
        QCOMPARE(view.selectedCase(), 7);
        // Enter activates the current case.
        table->setFocus();
        QTest::keyClick(table, Qt::Key_Return);
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.first().at(0).toString(),
                 QDir(dir.path()).absoluteFilePath("2_george_7.wav"));
        QCOMPARE(activated.first().at(1).toInt(), 7);
        // So does a double click (press, release, then the double click on the same row).
        const QPoint second = table->visualRect(table->model()->index(1, 0)).center();
        QTest::mouseClick(table->viewport(), Qt::LeftButton, Qt::NoModifier, second);
        QTest::mouseDClick(table->viewport(), Qt::LeftButton, Qt::NoModifier, second);
        QCOMPARE(activated.count(), 2);
        QCOMPARE(activated.last().at(1).toInt(), 8);

        view.showMisclassified();
        QCOMPARE(view.examplesModel()->rowCount(), 3);
        view.showAllCases();
        QCOMPARE(view.examplesModel()->rowCount(), 10);
    }

    void brokenFolders()
    {
        QTemporaryDir dir;
        ClassificationView view;
        QString error;
        // No folder at all.
        QVERIFY(!openRun(view, dir.filePath("missing"), &error));
        QVERIFY2(error.contains("missing"), qPrintable(error));
        // A run without predictions.h5.
        const QString noPredictions = dir.filePath("nopred");
        {
            Expected<RunStore> store = RunStore::create(noPredictions);
            QVERIFY(store);
            QVERIFY(store->writeConfig(QJsonObject{{"task", "classify"}, {"data", "/x"}}));
        }
        QVERIFY(!openRun(view, noPredictions, &error));
        QVERIFY2(error.contains(QDir(noPredictions).filePath("predictions.h5")), qPrintable(error));
        // A forecasting run.
        const QString forecast = dir.filePath("forecast");
        {
            Expected<RunStore> store = RunStore::create(forecast);
            QVERIFY(store);
            QVERIFY(store->writeConfig(QJsonObject{{"task", "forecast"}, {"data", "/x.csv"}}));
        }
        QVERIFY(!openRun(view, forecast, &error));
        QVERIFY2(error.contains("not a classification run (task \"forecast\")"), qPrintable(error));
        // Sources and class names that do not fit the probabilities.
        const QString bad = dir.filePath("bad");
        QVERIFY(twb::test::writeRun(bad, dir.path(), {"a.wav"}));
        QVERIFY(!openRun(view, bad, &error));
        QVERIFY2(error.contains("/sources has 1 entries, expected 10"), qPrintable(error));
        // A good run, then a broken one: the view is cleared.
        const QString good = dir.filePath("good");
        QVERIFY(twb::test::writeRun(good, dir.path(), twb::test::wavSources()));
        QVERIFY(openRun(view, good, &error));
        QVERIFY(!openRun(view, bad));
        QCOMPARE(view.matrixView()->classes(), 0);
        QCOMPARE(view.examplesModel()->rowCount(), 0);
        QVERIFY(view.summaryText().isEmpty());
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(!view.grab().isNull());
    }

    void resolvesFsddSources()
    {
        if (!QFileInfo(fsddDir()).isDir())
            QSKIP(qPrintable("FSDD not found at " + fsddDir()));
        QTemporaryDir dir;
        const QString run = dir.filePath("run");
        QVERIFY(twb::test::writeRun(run, fsddDir(), fsddSources()));
        ClassificationView view;
        QVERIFY(openRun(view, run));
        for (int i = 0; i < 10; ++i) {
            const QString path = view.exampleLocation(i);
            QCOMPARE(path, QDir(fsddDir()).absoluteFilePath(fsddSources()[i]));
            QVERIFY2(QFileInfo(path).isAbsolute() && QFile::exists(path), qPrintable(path));
        }
        // "test-data" wins over "data" as the root.
        const QString run2 = dir.filePath("run2");
        QVERIFY(twb::test::writeRun(run2, "/elsewhere/train", fsddSources(), fsddDir()));
        QVERIFY(openRun(view, run2));
        QCOMPARE(view.exampleLocation(3), QDir(fsddDir()).absoluteFilePath("0_theo_3.wav"));
        // Table rows are not files.
        QVERIFY(!ExampleSources::isAudioSource("GunPoint_TEST.ts:17"));
        QCOMPARE(ExampleSources(fsddDir()).audioPath("GunPoint_TEST.ts:17"), QString());
        // They name a file and a line: relative to the root like sound files.
        QCOMPARE(ExampleSources("/data/GunPoint/GunPoint_TEST.ts").tablePath("GunPoint_TEST.ts:17"),
                 QStringLiteral("/data/GunPoint/GunPoint_TEST.ts"));
        QCOMPARE(ExampleSources(fsddDir()).tablePath("0_theo_3.wav"), QString());
        QCOMPARE(ExampleSources().tablePath("GunPoint_TEST.ts:17"), QString());
        QStringList rows;
        for (int i = 0; i < 10; ++i)
            rows << QStringLiteral("GunPoint_TEST.ts:%1").arg(8 + i);
        const QString run3 = dir.filePath("run3");
        QVERIFY(twb::test::writeRun(run3, "/data/GunPoint/GunPoint_TRAIN.ts", rows,
                                    "/data/GunPoint/GunPoint_TEST.ts"));
        QVERIFY(openRun(view, run3));
        QCOMPARE(view.exampleLocation(2), QStringLiteral("/data/GunPoint/GunPoint_TEST.ts:10"));
        QCOMPARE(
            ExampleSources(fsddDir() + "/../manifest.csv").audioPath("recordings/1_theo_0.wav"),
            QDir(fsddDir()).absoluteFilePath("1_theo_0.wav"));
    }

    void playWithoutDeviceReportsError()
    {
        if (!QFileInfo(fsddDir()).isDir())
            QSKIP(qPrintable("FSDD not found at " + fsddDir()));
        QTemporaryDir dir;
        const QString run = dir.filePath("run");
        QVERIFY(twb::test::writeRun(run, fsddDir(), fsddSources()));
        ClassificationView view;
        QVERIFY(openRun(view, run));
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(!view.playSelected()); // nothing selected
        QCOMPARE(view.statusText(), QStringLiteral("Select a case to play."));
        QVERIFY(view.selectCase(3));
        QVERIFY(view.playButton()->isEnabled());
        const bool played = view.playSelected();
        if (played) { // a machine with sound
            QCOMPARE(view.player()->state(), SoundPlayer::State::Playing);
            view.stopPlayback();
        } else {
            QCOMPARE(view.player()->state(), SoundPlayer::State::Error);
            QVERIFY2(view.statusText().contains(view.exampleLocation(3)),
                     qPrintable(view.statusText()));
        }
        // Space on the table does the same, without crashing.
        view.examplesTable()->setFocus();
        QTest::keyClick(view.examplesTable(), Qt::Key_Space);
        QVERIFY(!view.statusText().isEmpty());
        QVERIFY(view.player()->state() != SoundPlayer::State::Stopped);
        view.stopPlayback();
    }

    void exportsCsv()
    {
        QTemporaryDir dir;
        const QString run = dir.filePath("run");
        QVERIFY(twb::test::writeRun(run, dir.path(), twb::test::wavSources()));
        ClassificationView view;
        view.resize(900, 600);
        QVERIFY(openRun(view, run));
        const QString csv = dir.filePath("confusion.csv");
        QVERIFY(ViewExporter::save(&view, csv));
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(
            QString::fromUtf8(f.readAll()),
            QStringLiteral("truth \\ predicted,zero,one,two\nzero,2,1,1\none,1,2,0\ntwo,0,0,3\n"));
        const QString png = dir.filePath("view.png");
        QVERIFY(ViewExporter::save(&view, png));
        QVERIFY(!QImage(png).isNull());
    }
};

QTEST_MAIN(TestClassificationView)
#include "tst_classificationview.moc"
