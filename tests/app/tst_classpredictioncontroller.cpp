// "Predict New Data" under the classification view (issue 20, item 3): the real `twb-cli predict`
// on new recordings of a speaker the run never heard (a folder, no labels), on a labelled case
// file (GunPoint's test part, with how many are right), a missing path told by name, and the
// table saved as CSV.

#include "ClassPredictionController.h"
#include "CliTestSupport.h"
#include "widgets/classify/NewDataPredictionsView.h"

#include <QDir>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using twb::ClassPredictionController;
using twb::NewDataPredictionsView;

class TestClassPredictionController : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_cli;
    QString m_audioRun;
    QString m_newVoice;
    QString m_gunPointRun; ///< trained by aLabelledCaseFileCountsWhatIsRight

    bool train(const QStringList &args)
    {
        const twb::test::Result r = twb::test::runCli(m_cli, m_dir.path(), args, 120000);
        if (r.exitCode != 0)
            qWarning("%s", r.err.constData());
        return r.exitCode == 0;
    }

    /// Runs predict through the controller and waits for its outcome.
    static QList<QVariant> predict(ClassPredictionController &controller, const QString &path)
    {
        QSignalSpy finished(&controller, &ClassPredictionController::finished);
        controller.predict(path);
        if (!finished.wait(60000))
            return {};
        return finished.at(0);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_cli = QStringLiteral(TWB_TEST_BIN_DIR "/twb-cli");
        // Digits 0 and 1 of two speakers (takes 0-7) to train on; two recordings of each digit
        // by a third speaker as the new data.
        const QDir fsdd(QStringLiteral(TWB_SHARED_DATA_DIR "/fsdd/recordings"));
        const QString trainDir = m_dir.filePath(QStringLiteral("train"));
        m_newVoice = m_dir.filePath(QStringLiteral("new voice"));
        QVERIFY(QDir().mkpath(trainDir) && QDir().mkpath(m_newVoice));
        for (const char *digit : {"0", "1"}) {
            for (const char *speaker : {"george", "jackson"})
                for (int take = 0; take < 8; ++take) {
                    const QString name = QStringLiteral("%1_%2_%3.wav")
                                             .arg(QLatin1String(digit), QLatin1String(speaker))
                                             .arg(take);
                    QVERIFY(QFile::copy(fsdd.filePath(name), QDir(trainDir).filePath(name)));
                }
            for (int take = 0; take < 2; ++take) {
                const QString name =
                    QStringLiteral("%1_theo_%2.wav").arg(QLatin1String(digit)).arg(take);
                QVERIFY(QFile::copy(
                    fsdd.filePath(name),
                    QDir(m_newVoice)
                        .filePath(
                            QStringLiteral("clip %1%2.wav").arg(QLatin1String(digit)).arg(take))));
            }
        }
        m_audioRun = m_dir.filePath(QStringLiteral("digits"));
        QVERIFY(
            train({"train",       "--task",       "classify", "--data",     trainDir, "--test-glob",
                   "*_[0-1].wav", "--model",      "t2",       "--features", "mfcc",   "--epochs",
                   "1",           "--batch-size", "8",        "--threads",  "1",      "--seed",
                   "1",           "--run-dir",    m_audioRun, "--progress", "none"}));
    }

    void whatIsReadWithoutLabels()
    {
        QVERIFY(ClassPredictionController::readsUnlabelled(m_newVoice));
        QVERIFY(ClassPredictionController::readsUnlabelled(QStringLiteral("/x/clip.wav")));
        QVERIFY(ClassPredictionController::readsUnlabelled(QStringLiteral("/x/clip.FLAC")));
        QVERIFY(!ClassPredictionController::readsUnlabelled(QStringLiteral("/x/GunPoint.ts")));
        QVERIFY(!ClassPredictionController::readsUnlabelled(QStringLiteral("/x/a.arff")));
        QVERIFY(!ClassPredictionController::readsUnlabelled(QStringLiteral("/x/cases.h5")));
    }

    void newRecordingsOfAnUnheardVoice()
    {
        NewDataPredictionsView view;
        ClassPredictionController controller(&view);
        controller.setProgram(m_cli);
        QVERIFY(!view.folderButton()->isEnabled()); // no run yet
        controller.setRun(m_audioRun);
        QVERIFY(view.folderButton()->isEnabled());
        QVERIFY(!view.saveButton()->isEnabled());

        const QList<QVariant> outcome = predict(controller, m_newVoice);
        QVERIFY(!outcome.isEmpty());
        QVERIFY2(outcome.at(0).toBool(), qPrintable(outcome.at(1).toString()));
        // No label column: source, predicted, p(0) %, p(1) %.
        QStandardItemModel *model = view.model();
        QCOMPARE(model->rowCount(), 4);
        QCOMPARE(model->columnCount(), 4);
        QCOMPARE(model->headerData(1, Qt::Horizontal).toString(), QStringLiteral("Predicted"));
        QCOMPARE(model->headerData(2, Qt::Horizontal).toString(), QStringLiteral("p(0) %"));
        for (int row = 0; row < 4; ++row) {
            QVERIFY(model->item(row, 0)->text().startsWith(QStringLiteral("clip ")));
            const double p0 = model->item(row, 2)->data(Qt::DisplayRole).toDouble();
            const double p1 = model->item(row, 3)->data(Qt::DisplayRole).toDouble();
            QVERIFY(std::abs(p0 + p1 - 100.0) <= 0.11);
            QCOMPARE(model->item(row, 1)->text(),
                     p0 >= p1 ? QStringLiteral("0") : QStringLiteral("1"));
        }
        QVERIFY(view.summaryLabel()->text().startsWith(QStringLiteral("4 cases of")));
        QVERIFY(view.saveButton()->isEnabled());

        const QString saved = m_dir.filePath(QStringLiteral("new.csv"));
        QVERIFY(controller.savePredictions(saved).isOk());
        QFile file(saved);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY(bytes.startsWith("source,label,predicted,p_0,p_1\n"));
        QCOMPARE(bytes.count('\n'), 5);

        // Another run (or none): the table goes.
        controller.setRun(QString());
        QCOMPARE(model->rowCount(), 0);
        QVERIFY(!view.folderButton()->isEnabled());
    }

    void aLabelledCaseFileCountsWhatIsRight()
    {
        const QString gunPoint = QStringLiteral(TWB_SHARED_DATA_DIR "/ucr/GunPoint");
        const QString run = m_dir.filePath(QStringLiteral("gunpoint"));
        m_gunPointRun = run;
        QVERIFY(train({"train",
                       "--task",
                       "classify",
                       "--data",
                       gunPoint + "/GunPoint_TRAIN.ts",
                       "--test-data",
                       gunPoint + "/GunPoint_TEST.ts",
                       "--model",
                       "tst",
                       "--epochs",
                       "2",
                       "--batch-size",
                       "16",
                       "--set",
                       "num_layers=1",
                       "--set",
                       "d_model=32",
                       "--threads",
                       "1",
                       "--seed",
                       "1",
                       "--run-dir",
                       run,
                       "--progress",
                       "none"}));
        NewDataPredictionsView view;
        ClassPredictionController controller(&view);
        controller.setProgram(m_cli);
        controller.setRun(run);
        const QList<QVariant> outcome = predict(controller, gunPoint + "/GunPoint_TEST.ts");
        QVERIFY(!outcome.isEmpty());
        QVERIFY2(outcome.at(0).toBool(), qPrintable(outcome.at(1).toString()));
        QStandardItemModel *model = view.model();
        QCOMPARE(model->rowCount(), 150);
        QCOMPARE(model->headerData(1, Qt::Horizontal).toString(), QStringLiteral("Label"));
        int right = 0;
        for (int row = 0; row < 150; ++row)
            right += model->item(row, 1)->text() == model->item(row, 2)->text();
        QVERIFY2(view.summaryLabel()->text().contains(
                     QStringLiteral(": %1 of 150 with a label predicted right").arg(right)),
                 qPrintable(view.summaryLabel()->text()));
        if (qEnvironmentVariableIsSet("TWB_SCREENSHOT_DIR")) {
            view.resize(900, 300);
            view.grab().save(QDir(qEnvironmentVariable("TWB_SCREENSHOT_DIR"))
                                 .filePath(QStringLiteral("predict-new-data.png")));
        }
    }

    void soundForASeriesRunIsRefused()
    {
        // Sound files would be cut to GunPoint's 150 steps and classified without a word.
        QVERIFY(!m_gunPointRun.isEmpty());
        NewDataPredictionsView view;
        ClassPredictionController controller(&view);
        controller.setProgram(m_cli);
        controller.setRun(m_gunPointRun);
        const QList<QVariant> outcome = predict(controller, m_newVoice);
        QVERIFY(!outcome.isEmpty());
        QVERIFY(!outcome.at(0).toBool());
        QVERIFY2(outcome.at(1).toString().contains(
                     QStringLiteral("the run was trained on series, not sound")),
                 qPrintable(outcome.at(1).toString()));
    }

    void aMissingPathIsToldByName()
    {
        NewDataPredictionsView view;
        ClassPredictionController controller(&view);
        controller.setProgram(m_cli);
        controller.setRun(m_audioRun);
        const QString missing = m_dir.filePath(QStringLiteral("no such folder"));
        const QList<QVariant> outcome = predict(controller, missing);
        QVERIFY(!outcome.isEmpty());
        QVERIFY(!outcome.at(0).toBool());
        QVERIFY2(outcome.at(1).toString().contains(QStringLiteral("no such folder")),
                 qPrintable(outcome.at(1).toString()));
        QCOMPARE(view.summaryLabel()->text(), outcome.at(1).toString());
        QVERIFY(view.folderButton()->isEnabled());
        QVERIFY(!view.saveButton()->isEnabled());
    }
};

QTEST_MAIN(TestClassPredictionController)
#include "tst_classpredictioncontroller.moc"
