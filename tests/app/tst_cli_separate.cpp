// twb-cli train --task separate and eval on mixtures of real recordings (a small FSDD subset):
// the parts hold no shared utterance (or speaker), the mixtures are listed in the run's
// configuration, and eval recomputes exactly the metrics the run reported.

#include "CliTestSupport.h"
#include "attention/AttentionFile.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using twb::test::Result;

class tst_CliSeparate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void convTasNetTrainsAndEvaluatesOnHeldOutTakes();
    void predictSeparatesARecording();
    void whatIfScoresTheSourcesBeforeAndAfter();
    void mixReadsSpeakersFromAManifest();
    void sepFormerTrainsOnHeldOutSpeakers();
    void tooFewSpeakersInAPartIsNamed();

private:
    Result run(const QStringList &args) { return twb::test::runCli(m_cli, m_tmp.path(), args); }
    QJsonObject readJson(const QString &path);

    QTemporaryDir m_tmp;
    QString m_cli;
    QString m_data;
    QString m_convTasNetRun;
};

namespace {

/// The tiny settings shared by the runs: quarter-second mixtures, few of them, one thread.
QStringList tinyRunArgs()
{
    return {"--mix-seconds",   "0.25", "--train-mixtures", "16", "--val-mixtures", "6",
            "--test-mixtures", "8",    "--epochs",         "2",  "--batch-size",   "4",
            "--threads",       "1",    "--seed",           "7"};
}

QString speakerOf(const QString &file)
{
    return QFileInfo(file).completeBaseName().section(QLatin1Char('_'), 1, 1);
}

} // namespace

QJsonObject tst_CliSeparate::readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

void tst_CliSeparate::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    m_cli = QStringLiteral(TWB_TEST_BIN_DIR "/twb-cli");
    QVERIFY2(QFile::exists(m_cli), qPrintable(m_cli + " is not built"));
    // Four speakers, digits 0-2, takes 0-5 of FSDD: 72 real utterances at 8 kHz.
    const QDir fsdd(QStringLiteral(TWB_SHARED_DATA_DIR "/fsdd/recordings"));
    m_data = m_tmp.filePath(QStringLiteral("voices"));
    QVERIFY(QDir().mkpath(m_data));
    for (const char *speaker : {"george", "jackson", "theo", "nicolas"})
        for (int digit = 0; digit < 3; ++digit)
            for (int take = 0; take < 6; ++take) {
                const QString name =
                    QStringLiteral("%1_%2_%3.wav").arg(digit).arg(QLatin1String(speaker)).arg(take);
                QVERIFY2(QFile::copy(fsdd.filePath(name), QDir(m_data).filePath(name)),
                         qPrintable(name));
            }
}

void tst_CliSeparate::convTasNetTrainsAndEvaluatesOnHeldOutTakes()
{
    const QString runDir = m_tmp.filePath(QStringLiteral("convtasnet"));
    m_convTasNetRun = runDir;
    const Result train =
        run(QStringList{"train",   "--task",       "separate",    "--data",     m_data,
                        "--model", "convtasnet",   "--test-glob", "*_[01].wav", "--run-dir",
                        runDir,    "--progress",   "none",        "--set",      "filters=16",
                        "--set",   "bottleneck=8", "--set",       "hidden=16",  "--set",
                        "skip=8",  "--set",        "blocks=3",    "--set",      "repeats=1"}
            << tinyRunArgs());
    QVERIFY2(train.exitCode == 0, train.err.constData());

    // The configuration lists the test mixtures: two different speakers each, takes 0-1 only.
    const QJsonObject config = readJson(QDir(runDir).filePath(QStringLiteral("config.json")));
    const QJsonObject provenance = config.value(QStringLiteral("provenance")).toObject();
    QCOMPARE(provenance.value(QStringLiteral("sample_rate")).toDouble(), 8000.0);
    QCOMPARE(provenance.value(QStringLiteral("length")).toInt(), 2000);
    const QJsonArray test = provenance.value(QStringLiteral("test_mixtures")).toArray();
    QCOMPARE(test.size(), 8);
    for (const QJsonValue &m : test) {
        const QJsonArray files = m.toObject().value(QStringLiteral("files")).toArray();
        QCOMPARE(files.size(), 2);
        QVERIFY(speakerOf(files[0].toString()) != speakerOf(files[1].toString()));
        for (const QJsonValue &f : files)
            QVERIFY2(f.toString().contains(QRegularExpression(QStringLiteral("_[01]\\.wav$"))),
                     qPrintable(f.toString()));
    }
    QCOMPARE(provenance.value(QStringLiteral("validation_mixtures")).toArray().size(), 6);
    QVERIFY(QFile::exists(QDir(runDir).filePath(QStringLiteral("predictions.h5"))));

    // The run's test metrics, and eval recomputing them from the saved seed and settings.
    const QJsonObject status = readJson(QDir(runDir).filePath(QStringLiteral("status.json")));
    const QJsonObject reported = status.value(QStringLiteral("test")).toObject();
    QVERIFY2(reported.contains(QStringLiteral("si_snri")), QJsonDocument(status).toJson());
    const Result eval = run({"eval", runDir, "--json"});
    QVERIFY2(eval.exitCode == 0, eval.err.constData());
    const QJsonObject metrics = QJsonDocument::fromJson(eval.out).object();
    for (const char *key : {"si_snr", "si_snri", "sdr", "sdri"}) {
        const double v = metrics.value(QLatin1String(key)).toDouble(std::nan(""));
        QVERIFY2(std::isfinite(v), key);
        QVERIFY2(std::abs(v - reported.value(QLatin1String(key)).toDouble()) < 1e-4, key);
    }
    QCOMPARE(metrics.value(QStringLiteral("mixtures")).toInt(), 8);
    const QJsonArray perMixture = metrics.value(QStringLiteral("per_mixture")).toArray();
    QCOMPARE(perMixture.size(), 8);
    QCOMPARE(perMixture[0].toObject().value(QStringLiteral("si_snri")).toArray().size(), 2);
    // The mixture scored against itself is the baseline: SI-SNRi = SI-SNR - that of the mixture.
    const double mixtureBaseline = metrics.value(QStringLiteral("si_snr")).toDouble() -
                                   metrics.value(QStringLiteral("si_snri")).toDouble();
    QVERIFY2(mixtureBaseline > -10.0 && mixtureBaseline < 10.0,
             qPrintable(QString::number(mixtureBaseline))); // levels within +-5 dB

    // Export: weights, the test results and the waveforms to listen to, in one file.
    const Result exported =
        run({"export", runDir, "--out", m_tmp.filePath(QStringLiteral("sep.h5"))});
    QVERIFY2(exported.exitCode == 0, exported.err.constData());
    QVERIFY(QFileInfo(m_tmp.filePath(QStringLiteral("sep.h5"))).size() > 8 * 2 * 2000 * 4);

    // Other data: mixtures of another folder's utterances.
    const Result other = run({"eval", runDir, "--data", m_data, "--json"});
    QVERIFY2(other.exitCode == 0, other.err.constData());
    QCOMPARE(QJsonDocument::fromJson(other.out).object().value(QStringLiteral("mixtures")).toInt(),
             8);
}

void tst_CliSeparate::predictSeparatesARecording()
{
    QVERIFY(!m_convTasNetRun.isEmpty());
    // A 0.6 s mixture of two of the voices, as a user would record or make one.
    const Result mix = run({"mix", m_data, "--out", m_tmp.filePath(QStringLiteral("mixes")),
                            "--count", "1", "--seconds", "0.6", "--seed", "3"});
    QVERIFY2(mix.exitCode == 0, mix.err.constData());
    const QString recording = m_tmp.filePath(QStringLiteral("mixes/mix_00001.wav"));
    QVERIFY(QFile::exists(recording));
    const QString out = m_tmp.filePath(QStringLiteral("separated"));
    const Result predict = run({"predict", m_convTasNetRun, "--data", recording, "--out", out});
    QVERIFY2(predict.exitCode == 0, predict.err.constData());
    for (int s = 1; s <= 2; ++s) {
        const QFileInfo source(QDir(out).filePath(QStringLiteral("mix_00001_source%1.wav").arg(s)));
        QVERIFY2(source.exists(), qPrintable(source.filePath()));
        // 0.6 s at 8 kHz as float32 after the header: the whole recording, not the training length.
        QVERIFY2(source.size() >= 4800 * 4 && source.size() < 4800 * 4 + 200,
                 qPrintable(QString::number(source.size())));
    }
    // A file where the folder should be is refused by name.
    const Result onFile =
        run({"predict", m_convTasNetRun, "--data", recording, "--out", recording});
    QVERIFY(onFile.exitCode != 0);
    QVERIFY2(onFile.err.contains("must be a folder"), onFile.err.constData());
}

void tst_CliSeparate::whatIfScoresTheSourcesBeforeAndAfter()
{
    QVERIFY(!m_convTasNetRun.isEmpty());
    const Result eval = run({"eval", m_convTasNetRun, "--json"});
    QVERIFY2(eval.exitCode == 0, eval.err.constData());
    const QJsonObject first = QJsonDocument::fromJson(eval.out)
                                  .object()
                                  .value(QStringLiteral("per_mixture"))
                                  .toArray()
                                  .at(1)
                                  .toObject();

    // No edit: the estimates score what eval scored for the same test mixture.
    const Result same = run({"whatif", m_convTasNetRun, "--index", "1", "--json"});
    QVERIFY2(same.exitCode == 0, same.err.constData());
    const QJsonObject unedited = QJsonDocument::fromJson(same.out).object();
    QCOMPARE(unedited.value(QStringLiteral("task")).toString(), QStringLiteral("separate"));
    QCOMPARE(unedited.value(QStringLiteral("rows")).toInt(), 2000); // samples
    QCOMPARE(unedited.value(QStringLiteral("cols")).toInt(), 2);    // sources
    QCOMPARE(unedited.value(QStringLiteral("sample_rate")).toDouble(), 8000.0);
    QCOMPARE(unedited.value(QStringLiteral("names")).toArray(),
             (QJsonArray{"source 1", "source 2"}));
    QCOMPARE(unedited.value(QStringLiteral("history")).toArray().size(), 2000);
    const QJsonObject summary = unedited.value(QStringLiteral("summary")).toObject();
    const QJsonArray before = summary.value(QStringLiteral("si_snr_original")).toArray();
    const QJsonArray after = summary.value(QStringLiteral("si_snr_edited")).toArray();
    const QJsonArray evaluated = first.value(QStringLiteral("si_snr")).toArray();
    QCOMPARE(before.size(), 2);
    for (int s = 0; s < 2; ++s) {
        QVERIFY2(std::abs(before[s].toDouble() - evaluated[s].toDouble()) < 1e-3,
                 qPrintable(QStringLiteral("source %1: %2 vs eval %3")
                                .arg(s)
                                .arg(before[s].toDouble())
                                .arg(evaluated[s].toDouble())));
        QCOMPARE(after[s].toDouble(), before[s].toDouble());
    }
    double meanImprovement = 0.0;
    for (const QJsonValue &v : first.value(QStringLiteral("si_snri")).toArray())
        meanImprovement += v.toDouble() / 2.0;
    QVERIFY(std::abs(summary.value(QStringLiteral("si_snri_original")).toDouble() -
                     meanImprovement) < 1e-3);

    // The second half of the mixture silenced: the model hears half of it and its estimates
    // lose against the references; the text says so in dB.
    const Result muted =
        run({"whatif", m_convTasNetRun, "--index", "1", "--mask-rows", "1000:", "--json"});
    QVERIFY2(muted.exitCode == 0, muted.err.constData());
    const QJsonObject edited = QJsonDocument::fromJson(muted.out).object();
    const QJsonArray heard = edited.value(QStringLiteral("edited_history")).toArray();
    QVERIFY(heard.at(1999).toDouble() == 0.0 && heard.at(1500).toDouble() == 0.0);
    QVERIFY(edited.value(QStringLiteral("changed_inputs")).toInt() > 900);
    const QJsonObject change = edited.value(QStringLiteral("summary")).toObject();
    QVERIFY2(change.value(QStringLiteral("si_snri_edited")).toDouble() <
                 change.value(QStringLiteral("si_snri_original")).toDouble(),
             QJsonDocument(change).toJson().constData());
    const Result text = run({"whatif", m_convTasNetRun, "--index", "1", "--mask-rows", "1000:"});
    QVERIFY2(text.exitCode == 0, text.err.constData());
    QVERIFY2(text.out.contains("SI-SNRi") && text.out.contains("source 2"), text.out.constData());
    QVERIFY2(!text.out.contains("forecast"), text.out.constData());
}

void tst_CliSeparate::mixReadsSpeakersFromAManifest()
{
    // A CSV manifest (path,label,speaker) whose speaker column renames the voices: the mixtures
    // pair different speakers of the column, not of the file names, reproducibly.
    const QString manifest = m_tmp.filePath(QStringLiteral("voices.csv"));
    const QHash<QString, QString> speakerOfVoice{
        {"george", "spk1"}, {"jackson", "spk2"}, {"theo", "spk3"}, {"nicolas", "spk4"}};
    {
        QFile f(manifest);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Text));
        f.write("path,label,speaker\n");
        for (auto it = speakerOfVoice.cbegin(); it != speakerOfVoice.cend(); ++it)
            for (int digit = 0; digit < 3; ++digit)
                f.write(QStringLiteral("voices/%1_%2_0.wav,%1,%3\n")
                            .arg(digit)
                            .arg(it.key(), it.value())
                            .toUtf8());
    }
    const auto mix = [&](const QString &folder) {
        return run({"mix", manifest, "--group-by", "manifest", "--out", m_tmp.filePath(folder),
                    "--count", "6", "--seed", "9"});
    };
    const Result first = mix(QStringLiteral("manifest-mixes"));
    QVERIFY2(first.exitCode == 0, first.err.constData());
    QFile csv(m_tmp.filePath(QStringLiteral("manifest-mixes/mixtures.csv")));
    QVERIFY(csv.open(QIODevice::ReadOnly | QIODevice::Text));
    const QStringList lines = QString::fromUtf8(csv.readAll()).trimmed().split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 7); // header + 6 mixtures
    const QStringList header = lines[0].split(QLatin1Char(','));
    const qsizetype u1 = header.indexOf("utterance_1"), s1 = header.indexOf("speaker_1");
    const qsizetype u2 = header.indexOf("utterance_2"), s2 = header.indexOf("speaker_2");
    QVERIFY(u1 >= 0 && s1 >= 0 && u2 >= 0 && s2 >= 0);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QStringList row = lines[i].split(QLatin1Char(','));
        QVERIFY2(row[s1] != row[s2], qPrintable(lines[i]));
        // Each speaker is the manifest's name for the voice in the file's name.
        QCOMPARE(row[s1], speakerOfVoice.value(speakerOf(row[u1])));
        QCOMPARE(row[s2], speakerOfVoice.value(speakerOf(row[u2])));
        for (const QString &file : {row[0], row[1], row[2]})
            QVERIFY2(QFile::exists(m_tmp.filePath(QStringLiteral("manifest-mixes/") + file)),
                     qPrintable(file));
    }
    // The same seed, the same mixtures.
    const Result again = mix(QStringLiteral("manifest-mixes-again"));
    QVERIFY2(again.exitCode == 0, again.err.constData());
    QFile csvAgain(m_tmp.filePath(QStringLiteral("manifest-mixes-again/mixtures.csv")));
    QVERIFY(csvAgain.open(QIODevice::ReadOnly | QIODevice::Text));
    QCOMPARE(QString::fromUtf8(csvAgain.readAll()).trimmed(), lines.join(QLatin1Char('\n')));

    // One voice cannot be mixed with another: the manifest is named, nothing is written.
    const QString lonely = m_tmp.filePath(QStringLiteral("one-voice.csv"));
    {
        QFile f(lonely);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Text));
        f.write("path,label,speaker\nvoices/0_theo_0.wav,0,spk3\nvoices/1_theo_0.wav,1,spk3\n");
    }
    const QString nowhere = m_tmp.filePath(QStringLiteral("lonely-mixes"));
    const Result refused =
        run({"mix", lonely, "--group-by", "manifest", "--out", nowhere, "--count", "2"});
    QVERIFY(refused.exitCode != 0);
    QVERIFY2(refused.err.contains(lonely.toUtf8()) &&
                 refused.err.contains("only 1 speaker among the chosen cases, 2 needed"),
             refused.err.constData());
    QVERIFY(!QFileInfo::exists(QDir(nowhere).filePath(QStringLiteral("mixtures.csv"))));
}

void tst_CliSeparate::sepFormerTrainsOnHeldOutSpeakers()
{
    const QString runDir = m_tmp.filePath(QStringLiteral("sepformer"));
    const Result train =
        run(QStringList{"train",          "--task",        "separate",       "--data",
                        m_data,           "--model",       "sepformer",      "--group-by",
                        "speaker",        "--test-groups", "george,jackson", "--val-by",
                        "cases",          "--run-dir",     runDir,           "--progress",
                        "none",           "--set",         "filters=16",     "--set",
                        "chunk=20",       "--set",         "blocks=1",       "--set",
                        "intra_layers=1", "--set",         "inter_layers=1", "--set",
                        "n_heads=2",      "--set",         "d_ff=32"}
            << tinyRunArgs());
    QVERIFY2(train.exitCode == 0, train.err.constData());
    const QJsonObject provenance = readJson(QDir(runDir).filePath(QStringLiteral("config.json")))
                                       .value(QStringLiteral("provenance"))
                                       .toObject();
    QCOMPARE(provenance.value(QStringLiteral("test_speakers")).toArray(),
             (QJsonArray{"george", "jackson"}));
    QCOMPARE(provenance.value(QStringLiteral("train_speakers")).toArray(),
             (QJsonArray{"nicolas", "theo"}));
    QSet<QString> testSpeakers;
    for (const QJsonValue &m : provenance.value(QStringLiteral("test_mixtures")).toArray())
        for (const QJsonValue &f : m.toObject().value(QStringLiteral("files")).toArray())
            testSpeakers.insert(speakerOf(f.toString()));
    QCOMPARE(testSpeakers, (QSet<QString>{"george", "jackson"}));
    const Result eval = run({"eval", runDir});
    QVERIFY2(eval.exitCode == 0, eval.err.constData());
    QVERIFY2(eval.out.contains("SI-SNRi"), eval.out.constData());

    // Its attention: intra-chunk then inter-chunk maps over test mixture 0, whose waveform is
    // the file's input with its rate (the explorer draws its spectrogram under the chunks).
    const QString attention = m_tmp.filePath(QStringLiteral("sepformer-attention.h5"));
    const Result attn = run({"attention", runDir, "--index", "0", "--out", attention});
    QVERIFY2(attn.exitCode == 0, attn.err.constData());
    const twb::Expected<twb::explain::AttentionSet> set =
        twb::explain::readAttentionFile(attention);
    QVERIFY2(set, set ? "" : qPrintable(set.error().toString()));
    QCOMPARE(set->inputCols, 1);
    QCOMPARE(set->inputRows, 2000); // tinyRunArgs: 0.25 s mixtures at 8 kHz
    QCOMPARE(set->inputSampleRate, 8000.0);
    QCOMPARE(set->layerCount(), 2);
    QVERIFY2(QString::fromStdString(set->keyTokens(1).back().label).startsWith("chunk "),
             set->keyTokens(1).back().label.c_str());
    QCOMPARE(set->keyTokens(1).back().end, std::int64_t(2000)); // the last chunk reaches the end
}

void tst_CliSeparate::tooFewSpeakersInAPartIsNamed()
{
    const Result train =
        run(QStringList{"train", "--task", "separate", "--data", m_data, "--model", "convtasnet",
                        "--group-by", "speaker", "--test-groups", "george", "--val-by", "cases",
                        "--run-dir", m_tmp.filePath(QStringLiteral("one-speaker"))}
            << tinyRunArgs());
    QVERIFY(train.exitCode != 0);
    QVERIFY2(train.err.contains("test part has 1 speaker"), train.err.constData());
    QVERIFY2(train.err.contains("voices"), train.err.constData()); // names the data
}

QTEST_GUILESS_MAIN(tst_CliSeparate)
#include "tst_cli_separate.moc"
