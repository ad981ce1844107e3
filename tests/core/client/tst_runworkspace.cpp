// The runs of a workspace: one run's summary and epochs, every run of a folder
// (readWorkspaceRuns), and RunWorkspace keeping the list up to date (watching the folder,
// refresh, moving runs to the trash).

#include "../../widgets/RunsFixture.h"
#include "client/RunWorkspace.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace twb;
using namespace twb::test;

namespace {

QStringList names(const std::vector<RunSummary> &runs)
{
    QStringList n;
    for (const RunSummary &r : runs)
        n << r.name;
    return n;
}

} // namespace

class tst_RunWorkspace : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void summaryOfAFinishedRun();
    void readsEveryRunOfAFolder();
    void watcherSeesNewRuns();
    void movesRunsToTheTrash();
    void aCrossValidationIsOneEntryFollowedByItsFolds();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_workspace;
};

void tst_RunWorkspace::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    // The trash lives beside the workspace (same file system), never in the user's home.
    qputenv("XDG_DATA_HOME", m_dir->filePath("xdg").toUtf8());
    QDir().mkpath(m_dir->filePath("xdg"));
    m_workspace = m_dir->filePath("runs");
    writeWorkspace(m_workspace);
}

void tst_RunWorkspace::summaryOfAFinishedRun()
{
    const RunSummary s = readRunSummary(QDir(m_workspace).filePath("a-dlinear"));
    QVERIFY(s.readable);
    QCOMPARE(s.name, QStringLiteral("a-dlinear"));
    QCOMPARE(s.model, QStringLiteral("dlinear"));
    QCOMPARE(s.dataFile, QStringLiteral("ETTh1.csv"));
    QCOMPARE(s.lookback, 336);
    QCOMPARE(s.horizon, 96);
    QCOMPARE(s.batchSize, 32);
    QCOMPARE(s.lr, 0.0001);
    QCOMPARE(s.hyperparameters, QStringLiteral("d_model=16, individual=false"));
    QCOMPARE(s.state, QStringLiteral("finished"));
    QCOMPARE(s.bestEpoch, 3);
    QCOMPARE(s.testMse, 0.377);
    QCOMPARE(s.testMae, 0.377 + 0.02);
    QCOMPARE(s.testMseOriginal, 3.77);
    QCOMPARE(s.created, QDateTime(QDate(2026, 1, 2), QTime(10, 0), Qt::UTC));

    Expected<std::vector<EpochRecord>> epochs = readRunEpochs(s.dir);
    QVERIFY(epochs);
    QCOMPARE(epochs->size(), std::size_t(3));
    QCOMPARE(epochs->back().valLoss, 0.5);

    const RunSummary broken = readRunSummary(QDir(m_workspace).filePath("d-broken"));
    QVERIFY(!broken.readable);
    QVERIFY2(broken.problem.startsWith(QStringLiteral("config.json: not a JSON object")),
             qPrintable(broken.problem));
}

void tst_RunWorkspace::readsEveryRunOfAFolder()
{
    const std::vector<RunSummary> runs = readWorkspaceRuns(m_workspace);
    // By folder name; "notes" has no config.json and is not a run.
    QCOMPARE(names(runs), (QStringList{"a-dlinear", "b-patchtst", "c-itransformer", "d-broken"}));
    QCOMPARE(runs[0].dir, QDir(m_workspace).filePath("a-dlinear"));
    QCOMPARE(runs[2].state, QStringLiteral("running"));
    QVERIFY(!runs[3].readable);
    QVERIFY(readWorkspaceRuns(m_dir->filePath("does-not-exist")).empty());
    QVERIFY(readWorkspaceRuns(QString()).empty());
}

void tst_RunWorkspace::watcherSeesNewRuns()
{
    RunWorkspace workspace;
    QSignalSpy changed(&workspace, &RunWorkspace::runsChanged);
    workspace.setPath(m_workspace);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(workspace.path(), m_workspace);
    QCOMPARE(workspace.runs().size(), std::size_t(4));
    writeRun(m_workspace, {"e-new", "nlinear", 0.41, 1, "2026-01-04T10:00:00.000Z"});
    QTRY_COMPARE_WITH_TIMEOUT(workspace.runs().size(), std::size_t(5), 5000);
    QDir(QDir(m_workspace).filePath("e-new")).removeRecursively();
    QTRY_COMPARE_WITH_TIMEOUT(workspace.runs().size(), std::size_t(4), 5000);
    // The explicit slot works too.
    writeRun(m_workspace, {"f-new", "nlinear", 0.42, 1, "2026-01-05T10:00:00.000Z"});
    changed.clear();
    workspace.refresh();
    QCOMPARE(changed.count(), 1);
    QCOMPARE(workspace.runs().size(), std::size_t(5));

    // A workspace that does not exist yet is watched once refresh() finds it.
    RunWorkspace later;
    const QString path = m_dir->filePath("later");
    later.setPath(path);
    QVERIFY(later.runs().empty());
    writeRun(path, {"g-first", "dlinear", 0.4, 1, "2026-01-06T10:00:00.000Z"});
    later.refresh();
    QCOMPARE(later.runs().size(), std::size_t(1));
    writeRun(path, {"h-second", "dlinear", 0.4, 1, "2026-01-07T10:00:00.000Z"});
    QTRY_COMPARE_WITH_TIMEOUT(later.runs().size(), std::size_t(2), 5000);
}

void tst_RunWorkspace::movesRunsToTheTrash()
{
    RunWorkspace workspace;
    workspace.setPath(m_workspace);
    const QString a = QDir(m_workspace).filePath("a-dlinear");
    const QString gone = QDir(m_workspace).filePath("never-there");
    QSignalSpy changed(&workspace, &RunWorkspace::runsChanged);
    const QStringList failed = workspace.moveToTrash({a, gone});
    QCOMPARE(failed, QStringList{gone});
    QCOMPARE(changed.count(), 1);
    QVERIFY(!QFileInfo::exists(a));
    QCOMPARE(names(workspace.runs()), (QStringList{"b-patchtst", "c-itransformer", "d-broken"}));
    // In the trash with its files (XDG layout), restorable.
    const QString trashed = m_dir->filePath("xdg/Trash/files/a-dlinear/config.json");
    QVERIFY2(QFileInfo::exists(trashed), qPrintable(trashed));
}

void tst_RunWorkspace::aCrossValidationIsOneEntryFollowedByItsFolds()
{
    // A leave-one-speaker-out parent as twb-cli writes it: cv.json and a run per fold.
    const QString parent = QDir(m_workspace).filePath("c-loso");
    writeClassifyRun(parent, "fold-ann");
    writeClassifyRun(parent, "fold-bob");
    QFile cv(QDir(parent).filePath("cv.json"));
    QVERIFY(cv.open(QIODevice::WriteOnly));
    cv.write(R"({"kind": "cv", "cv": "groups", "group_by": "speaker",
        "config": {"data": "/data/fsdd/recordings", "task": "classify", "model": "t2",
                   "epochs": 30, "batch-size": 32, "lr": 0.001},
        "folds": [{"name": "ann", "run_dir": "fold-ann", "status": "finished",
                   "test": {"accuracy": 0.8, "macro_f1": 0.75}},
                  {"name": "bob", "run_dir": "fold-bob", "status": "finished",
                   "test": {"accuracy": 0.7, "macro_f1": 0.65}},
                  {"name": "cy", "run_dir": "fold-cy", "status": "pending", "test": {}}],
        "finished": 2,
        "summary": {"accuracy": {"mean": 0.75, "sd": 0.0707, "min": 0.7, "max": 0.8},
                    "macro_f1": {"mean": 0.7, "sd": 0.0707, "min": 0.65, "max": 0.75}}})");
    cv.close();
    const std::vector<RunSummary> runs = readWorkspaceRuns(m_workspace);
    QCOMPARE(names(runs), (QStringList{"a-dlinear", "b-patchtst", "c-itransformer", "c-loso",
                                       "c-loso/fold-ann", "c-loso/fold-bob", "d-broken"}));
    const RunSummary &loso = runs[3];
    QVERIFY(loso.readable);
    QVERIFY(loso.crossValidation);
    QCOMPARE(loso.model, QStringLiteral("t2"));
    QCOMPARE(loso.dataFile, QStringLiteral("recordings"));
    QCOMPARE(loso.state, QStringLiteral("incomplete")); // cy has not run
    QCOMPARE(loso.testAccuracy, 0.75);
    QCOMPARE(loso.testMacroF1, 0.7);
    QCOMPARE(loso.hyperparameters,
             QStringLiteral("cv groups (3 folds): ann 80.0 %, bob 70.0 %, cy pending; sd 7.1"));
    QVERIFY(!canResume(loso)); // the command line resumes a cross-validation
    QVERIFY(runs[4].readable);
    QCOMPARE(runs[4].testAccuracy, 0.9533333333333334);
}

QTEST_GUILESS_MAIN(tst_RunWorkspace)
#include "tst_runworkspace.moc"
