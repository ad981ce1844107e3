// Reading a cross-validation's cv.json for the window: folds, results, summary, and which
// folder is a fold of which cross-validation.
#include "client/CrossValidationTable.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace twb;

namespace {

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

/// cv.json as twb-cli train --cv groups writes it (trimmed), two folds done, one pending.
const QByteArray kCvJson = R"({"kind": "cv", "cv": "groups", "group_by": "speaker",
    "config": {"model": "tst", "task": "classify"},
    "folds": [{"name": "ann", "run_dir": "fold-ann", "status": "finished",
               "test": {"accuracy": 0.8, "balanced_accuracy": 0.78, "macro_f1": 0.75,
                        "log_loss": 0.6, "examples": 50}},
              {"name": "bob", "run_dir": "fold-bob", "status": "early_stopped",
               "test": {"accuracy": 0.7, "balanced_accuracy": 0.69, "macro_f1": 0.65,
                        "log_loss": 0.9, "examples": 40}},
              {"name": "cy", "run_dir": "fold-cy", "status": "pending", "test": {}}],
    "finished": 2,
    "summary": {"accuracy": {"mean": 0.75, "sd": 0.0707, "min": 0.7, "max": 0.8}}})";

} // namespace

class tst_CrossValidationTable : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsFoldsAndSummary()
    {
        QTemporaryDir dir;
        const QString parent = dir.filePath(QStringLiteral("loso"));
        QVERIFY(writeFile(QDir(parent).filePath(QStringLiteral("cv.json")), kCvJson));
        QVERIFY(writeFile(QDir(parent).filePath(QStringLiteral("fold-ann/config.json")), "{}"));
        Expected<CrossValidationTable> t = readCrossValidation(parent);
        QVERIFY2(t, qPrintable(t ? QString() : t.error().toString()));
        QCOMPARE(t->cv, QStringLiteral("groups"));
        QCOMPARE(t->groupBy, QStringLiteral("speaker"));
        QCOMPARE(t->model, QStringLiteral("tst"));
        QCOMPARE(int(t->folds.size()), 3);
        QCOMPARE(t->finished, 2);
        const FoldResult &ann = t->folds[0];
        QCOMPARE(ann.name, QStringLiteral("ann"));
        QCOMPARE(ann.runDir, QDir::cleanPath(QDir(parent).filePath(QStringLiteral("fold-ann"))));
        QCOMPARE(ann.accuracy, 0.8);
        QCOMPARE(ann.balancedAccuracy, 0.78);
        QCOMPARE(ann.macroF1, 0.75);
        QCOMPARE(ann.logLoss, 0.6);
        QCOMPARE(ann.examples, qint64(50));
        QCOMPARE(t->folds[1].status, QStringLiteral("early_stopped"));
        QVERIFY(!t->folds[2].hasResult());
        QCOMPARE(t->folds[2].examples, qint64(-1));
        QCOMPARE(t->meanAccuracy, 0.75);
        QCOMPARE(t->describe(),
                 QStringLiteral("leave one speaker out \u00b7 2 of 3 folds \u00b7 "
                                "mean accuracy 75.0 % \u00b1 7.1 (70.0\u201380.0 %)"));
        QCOMPARE(t->indexOf(QDir(parent).filePath(QStringLiteral("fold-bob/"))), 1);
        QCOMPARE(t->indexOf(dir.filePath(QStringLiteral("elsewhere"))), -1);

        // The folder relations the window uses.
        QVERIFY(isCrossValidationDir(parent));
        QCOMPARE(crossValidationOf(QDir(parent).filePath(QStringLiteral("fold-ann"))),
                 QDir::cleanPath(parent));
        QCOMPARE(crossValidationOf(parent), QString());
    }

    void stratifiedFoldsAreNamedByTheirCount()
    {
        QTemporaryDir dir;
        QVERIFY(writeFile(dir.filePath(QStringLiteral("cv.json")),
                          R"({"kind": "cv", "cv": 5, "folds": [], "finished": 0})"));
        Expected<CrossValidationTable> t = readCrossValidation(dir.path());
        QVERIFY(t);
        QCOMPARE(t->cv, QStringLiteral("5"));
        QCOMPARE(t->describe(), QStringLiteral("stratified 5-fold \u00b7 0 of 0 folds"));
    }

    void errorsNameTheFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("cv.json"));
        Expected<CrossValidationTable> missing = readCrossValidation(dir.path());
        QVERIFY(!missing);
        QCOMPARE(missing.error().file, path);
        QVERIFY(writeFile(path, "{\"kind\": \"cv\", "));
        Expected<CrossValidationTable> broken = readCrossValidation(dir.path());
        QVERIFY(!broken);
        QCOMPARE(broken.error().file, path);
        QVERIFY2(broken.error().reason.startsWith(QStringLiteral("not a JSON object")),
                 qPrintable(broken.error().reason));
        QVERIFY(writeFile(path, "{\"kind\": \"run\"}"));
        Expected<CrossValidationTable> other = readCrossValidation(dir.path());
        QVERIFY(!other);
        QVERIFY(other.error().reason.contains(QStringLiteral("not a cross-validation")));
        // A run folder that also holds config.json is a run, not a cross-validation.
        QVERIFY(writeFile(dir.filePath(QStringLiteral("config.json")), "{}"));
        QVERIFY(!isCrossValidationDir(dir.path()));
    }
};

QTEST_GUILESS_MAIN(tst_CrossValidationTable)
#include "tst_crossvalidationtable.moc"
