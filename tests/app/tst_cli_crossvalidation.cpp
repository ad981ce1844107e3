// twb-cli train --group-by / --cv: no speaker in two parts, one fold per speaker, cv.json, resume.

#include "../core/audio/SoundFiles.h"
#include "CliTestSupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <set>

using twb::test::Result;

class tst_CliCrossValidation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void testGroupsHoldOutASpeaker();
    void leaveOneSpeakerOutRunsOneFoldPerSpeaker();
    void resumeKeepsFinishedFolds();
    void kFoldWithoutGroups();
    void extraTrainingJoinsEveryFoldsTraining();
    void unknownGroupIsNamed();

private:
    Result run(const QStringList &args) { return twb::test::runCli(m_cli, m_tmp.path(), args); }
    QJsonObject readJson(const QString &path);
    QStringList commonArgs() const;

    QTemporaryDir m_tmp;
    QString m_cli;
    QString m_data;
    QString m_cvDir;
};

QJsonObject tst_CliCrossValidation::readJson(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

QStringList tst_CliCrossValidation::commonArgs() const
{
    return QStringList{"train",
                       "--task",
                       "classify",
                       "--data",
                       m_data,
                       "--features",
                       "logmel",
                       "--mel-bins",
                       "16",
                       "--epochs",
                       "1",
                       "--batch-size",
                       "4",
                       "--group-by",
                       "speaker",
                       "--feature-norm",
                       "cmvn",
                       "--augment",
                       "shift:0.02,gain:3"}
           << twb::test::tinyTstArgs();
}

void tst_CliCrossValidation::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    m_cli = QStringLiteral(TWB_TEST_BIN_DIR "/twb-cli");
    QVERIFY2(QFile::exists(m_cli), qPrintable(m_cli + " is not built"));
    // FSDD-style names {label}_{speaker}_{take}.wav: three speakers, two tones, three takes.
    m_data = m_tmp.filePath(QStringLiteral("recordings"));
    QVERIFY(QDir().mkpath(m_data));
    const QStringList speakers = {QStringLiteral("ann"), QStringLiteral("bob"),
                                  QStringLiteral("cy")};
    for (int s = 0; s < speakers.size(); ++s)
        for (int take = 0; take < 3; ++take) {
            const double shift = 15.0 * s + 5.0 * take;
            QVERIFY(twb::test::writeSound(
                QDir(m_data).filePath(QStringLiteral("lo_%1_%2.wav").arg(speakers[s]).arg(take)),
                twb::test::sine(300 + shift, 8000, 1600, 0.3 + 0.1 * s), 8000));
            QVERIFY(twb::test::writeSound(
                QDir(m_data).filePath(QStringLiteral("hi_%1_%2.wav").arg(speakers[s]).arg(take)),
                twb::test::sine(2500 + shift, 8000, 1600, 0.3 + 0.1 * s), 8000));
        }
    m_cvDir = m_tmp.filePath(QStringLiteral("loso"));
}

void tst_CliCrossValidation::testGroupsHoldOutASpeaker()
{
    const QString dir = m_tmp.filePath(QStringLiteral("held-out-cy"));
    const Result r = run(commonArgs() << "--test-groups"
                                      << "cy"
                                      << "--run-dir" << dir);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject config = readJson(QDir(dir).filePath(QStringLiteral("config.json")));
    const QJsonObject provenance = config.value(QStringLiteral("provenance")).toObject();
    QCOMPARE(provenance.value(QStringLiteral("split")).toString(), QStringLiteral("groups"));
    const QJsonObject groups = provenance.value(QStringLiteral("groups")).toObject();
    QCOMPARE(groups.value(QStringLiteral("test")).toArray(), QJsonArray({"cy"}));
    // Two speakers remain: too few to hold one out for validation, so it shares them.
    QVERIFY(groups.value(QStringLiteral("val_by_cases")).toBool());
    QCOMPARE(groups.value(QStringLiteral("train")).toArray(), QJsonArray({"ann", "bob"}));
    QCOMPARE(provenance.value(QStringLiteral("feature_norm")).toString(), QStringLiteral("cmvn"));
    QCOMPARE(config.value(QStringLiteral("augment")).toString(),
             QStringLiteral("shift:0.02,gain:3"));
    // The test cases are exactly cy's six recordings.
    const Result eval = run({"eval", dir, "--json"});
    QVERIFY2(eval.exitCode == 0, eval.err.constData());
    const QJsonObject metrics = QJsonDocument::fromJson(eval.out).object();
    QCOMPARE(metrics.value(QStringLiteral("examples")).toInt(), 6);
}

void tst_CliCrossValidation::leaveOneSpeakerOutRunsOneFoldPerSpeaker()
{
    const Result r = run(commonArgs() << "--cv"
                                      << "groups"
                                      << "--run-dir" << m_cvDir);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.out.contains("mean accuracy"), r.out.constData());
    const QJsonObject cv = readJson(QDir(m_cvDir).filePath(QStringLiteral("cv.json")));
    QCOMPARE(cv.value(QStringLiteral("kind")).toString(), QStringLiteral("cv"));
    QCOMPARE(cv.value(QStringLiteral("finished")).toInt(), 3);
    const QJsonArray folds = cv.value(QStringLiteral("folds")).toArray();
    QCOMPARE(folds.size(), 3);
    std::set<QString> heldOut;
    double sum = 0;
    for (const QJsonValue &v : folds) {
        const QJsonObject fold = v.toObject();
        const QString name = fold.value(QStringLiteral("name")).toString();
        heldOut.insert(name);
        QCOMPARE(fold.value(QStringLiteral("run_dir")).toString(), QStringLiteral("fold-") + name);
        const QJsonObject config = readJson(QDir(m_cvDir).filePath(
            fold.value(QStringLiteral("run_dir")).toString() + QStringLiteral("/config.json")));
        QCOMPARE(config.value(QStringLiteral("test-groups")).toArray(), QJsonArray({name}));
        QCOMPARE(config.value(QStringLiteral("cv")).toString(), QString());
        const QJsonObject groups = config.value(QStringLiteral("provenance"))
                                       .toObject()
                                       .value(QStringLiteral("groups"))
                                       .toObject();
        QVERIFY(!groups.value(QStringLiteral("train")).toArray().contains(name));
        const QJsonObject test = fold.value(QStringLiteral("test")).toObject();
        QCOMPARE(test.value(QStringLiteral("examples")).toInt(), 6);
        sum += test.value(QStringLiteral("accuracy")).toDouble();
    }
    // Every speaker is held out exactly once.
    QCOMPARE(heldOut, (std::set<QString>{"ann", "bob", "cy"}));
    const QJsonObject accuracy =
        cv.value(QStringLiteral("summary")).toObject().value(QStringLiteral("accuracy")).toObject();
    QVERIFY(std::abs(accuracy.value(QStringLiteral("mean")).toDouble() - sum / 3.0) < 1e-12);
    QVERIFY(accuracy.value(QStringLiteral("sd")).toDouble() >= 0.0);
    // A second start in the same folder is refused: it is not empty.
    const Result again = run(commonArgs() << "--cv"
                                          << "groups"
                                          << "--run-dir" << m_cvDir);
    QCOMPARE(again.exitCode, 1);
    QVERIFY2(again.err.contains("not empty"), again.err.constData());
}

void tst_CliCrossValidation::resumeKeepsFinishedFolds()
{
    // Lose the last fold, as if the process had been killed before it started.
    const QString last = QDir(m_cvDir).filePath(QStringLiteral("fold-cy"));
    const QByteArray before = readJson(QDir(m_cvDir).filePath(QStringLiteral("cv.json")))
                                  .value(QStringLiteral("folds"))
                                  .toArray()
                                  .at(0)
                                  .toObject()
                                  .value(QStringLiteral("test"))
                                  .toObject()
                                  .value(QStringLiteral("accuracy"))
                                  .toVariant()
                                  .toByteArray();
    QVERIFY(QDir(last).removeRecursively());
    const QDateTime annTime =
        QFileInfo(QDir(m_cvDir).filePath(QStringLiteral("fold-ann/status.json"))).lastModified();
    const Result r = run({"train", "--run-dir", m_cvDir, "--resume", "--progress", "none"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.out.contains("fold 3 of 3: cy"), r.out.constData());
    QVERIFY2(!r.out.contains("fold 1 of 3"), r.out.constData()); // ann was not trained again
    QCOMPARE(
        QFileInfo(QDir(m_cvDir).filePath(QStringLiteral("fold-ann/status.json"))).lastModified(),
        annTime);
    const QJsonObject cv = readJson(QDir(m_cvDir).filePath(QStringLiteral("cv.json")));
    QCOMPARE(cv.value(QStringLiteral("finished")).toInt(), 3);
    QCOMPARE(cv.value(QStringLiteral("folds"))
                 .toArray()
                 .at(0)
                 .toObject()
                 .value(QStringLiteral("test"))
                 .toObject()
                 .value(QStringLiteral("accuracy"))
                 .toVariant()
                 .toByteArray(),
             before);
    QVERIFY(QFile::exists(QDir(last).filePath(QStringLiteral("predictions.h5"))));
}

void tst_CliCrossValidation::kFoldWithoutGroups()
{
    const QString dir = m_tmp.filePath(QStringLiteral("kfold"));
    const Result r = run(QStringList{"train", "--task", "classify", "--data", m_data, "--features",
                                     "logmel", "--mel-bins", "16", "--epochs", "1", "--batch-size",
                                     "4", "--cv", "3", "--run-dir", dir}
                         << twb::test::tinyTstArgs());
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject cv = readJson(QDir(dir).filePath(QStringLiteral("cv.json")));
    const QJsonArray folds = cv.value(QStringLiteral("folds")).toArray();
    QCOMPARE(folds.size(), 3);
    int tested = 0;
    for (const QJsonValue &v : folds) {
        const QJsonObject fold = v.toObject();
        tested += fold.value(QStringLiteral("test")).toObject().value("examples").toInt();
        const QJsonObject config = readJson(QDir(dir).filePath(
            fold.value(QStringLiteral("run_dir")).toString() + QStringLiteral("/config.json")));
        QCOMPARE(config.value(QStringLiteral("folds")).toInt(), 3);
        QCOMPARE(config.value(QStringLiteral("provenance"))
                     .toObject()
                     .value(QStringLiteral("split"))
                     .toString(),
                 QStringLiteral("fold %1/3").arg(config.value(QStringLiteral("fold")).toInt()));
    }
    QCOMPARE(tested, 18); // every case is tested exactly once over the folds
}

void tst_CliCrossValidation::extraTrainingJoinsEveryFoldsTraining()
{
    // A fourth voice in its own folder: training material for every fold, never a fold itself.
    const QString extra = m_tmp.filePath(QStringLiteral("more-voices"));
    QVERIFY(QDir().mkpath(extra));
    for (int take = 0; take < 2; ++take) {
        QVERIFY(
            twb::test::writeSound(QDir(extra).filePath(QStringLiteral("lo_dee_%1.wav").arg(take)),
                                  twb::test::sine(330 + 7.0 * take, 8000, 1600, 0.4), 8000));
        QVERIFY(
            twb::test::writeSound(QDir(extra).filePath(QStringLiteral("hi_dee_%1.wav").arg(take)),
                                  twb::test::sine(2600 + 7.0 * take, 8000, 1600, 0.4), 8000));
    }
    const QString dir = m_tmp.filePath(QStringLiteral("loso-extra"));
    const Result r = run(commonArgs() << "--cv"
                                      << "groups"
                                      << "--extra-train" << extra << "--run-dir" << dir);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonArray folds = readJson(QDir(dir).filePath(QStringLiteral("cv.json")))
                                 .value(QStringLiteral("folds"))
                                 .toArray();
    QCOMPARE(folds.size(), 3); // ann, bob, cy: the extra voice is no fold
    for (const QJsonValue &v : folds) {
        const QJsonObject fold = v.toObject();
        const QJsonObject config = readJson(QDir(dir).filePath(
            fold.value(QStringLiteral("run_dir")).toString() + QStringLiteral("/config.json")));
        QCOMPARE(config.value(QStringLiteral("extra-train")).toArray(), QJsonArray({extra}));
        const QJsonObject provenance = config.value(QStringLiteral("provenance")).toObject();
        QCOMPARE(provenance.value(QStringLiteral("extra_train_cases")).toInt(), 4);
        const QJsonObject cases = provenance.value(QStringLiteral("cases")).toObject();
        // Two speakers' 12 recordings split into training and validation, plus the 4 extra.
        QCOMPARE(cases.value(QStringLiteral("train")).toInt() +
                     cases.value(QStringLiteral("val")).toInt(),
                 12 + 4);
        QCOMPARE(
            fold.value(QStringLiteral("test")).toObject().value(QStringLiteral("examples")).toInt(),
            6);
    }
}

void tst_CliCrossValidation::unknownGroupIsNamed()
{
    const Result r = run(commonArgs() << "--test-groups"
                                      << "dave"
                                      << "--run-dir" << m_tmp.filePath(QStringLiteral("dave")));
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("the group \"dave\" is not one of the 3 groups: ann, bob, cy"),
             r.err.constData());
    QVERIFY2(r.err.contains("recordings"), r.err.constData());
    const Result noGroup =
        run(QStringList{"train", "--task", "classify", "--data", m_data, "--group-by", "field:5",
                        "--cv", "groups", "--run-dir", m_tmp.filePath(QStringLiteral("nogroup"))}
            << twb::test::tinyTstArgs());
    QCOMPARE(noGroup.exitCode, 1);
    QVERIFY2(noGroup.err.contains("has no group"), noGroup.err.constData());
}

QTEST_GUILESS_MAIN(tst_CliCrossValidation)
#include "tst_cli_crossvalidation.moc"
