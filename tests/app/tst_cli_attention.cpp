// `twb-cli attention` on a tiny PatchTST trained for one epoch on ETTh1 (the real twb-cli
// binary through QProcess, the patchtst plugin of the build tree).

#include "CliTestSupport.h"
#include "attention/AttentionFile.h"
#include "attention/AttentionMath.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>

using namespace twb;

namespace {} // namespace

using twb::test::Result;

class tst_CliAttention : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void hdf5WithSaliencyAndJson();
    void pngGrid();
    void meanOverSeveralSamples();
    void badInput_data();
    void badInput();

private:
    Result run(const QStringList &args, int timeoutMs = 240000);

    QTemporaryDir m_tmp;
    QString m_cli;
    QString m_csv;
    QString m_runDir;
};

Result tst_CliAttention::run(const QStringList &args, int timeoutMs)
{
    return test::runCli(m_cli, m_tmp.path(), args, timeoutMs);
}

void tst_CliAttention::initTestCase()
{
    m_cli = QStringLiteral(TWB_TEST_BIN_DIR "/twb-cli");
    QVERIFY2(QFile::exists(m_cli), qPrintable(m_cli + " is not built"));
    m_csv = QStringLiteral(TWB_SHARED_DATA_DIR "/ett/ETTh1.csv");
    if (!QFile::exists(m_csv))
        QSKIP(qPrintable(QStringLiteral("missing %1").arg(m_csv)));
    QVERIFY(m_tmp.isValid());
    m_runDir = m_tmp.filePath(QStringLiteral("run"));
    const Result r = run(test::tinyPatchTstTrainArgs(m_csv, m_runDir));
    QVERIFY2(r.exitCode == 0, r.err.constData());
}

void tst_CliAttention::hdf5WithSaliencyAndJson()
{
    const QString out = m_tmp.filePath(QStringLiteral("attn.h5"));
    const Result r = run({"attention", m_runDir, "--data", m_csv, "--index", "5", "--out", out,
                          "--channel", "OT", "--saliency", "--json"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject j = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(j.value("model").toString(), QStringLiteral("patchtst"));
    QCOMPARE(j.value("layers").toInt(), 2);
    QCOMPARE(j.value("heads").toInt(), 2);
    QCOMPARE(j.value("tokens").toInt(), 12);
    QCOMPARE(j.value("channel").toInt(), 6);
    QCOMPARE(j.value("channel_name").toString(), QStringLiteral("OT"));
    // ETTh1's test part starts 96 rows before row 11520 (12 + 4 months of 30 days): window 5
    // starts at row 11429, 2017-10-20 05:00 in the file.
    QCOMPARE(j.value("sample_label").toString(),
             QStringLiteral("test window 5 (2017-10-20 05:00)"));
    QCOMPARE(j.value("sample_index").toInt(), 5);
    QCOMPARE(j.value("saliency").toObject().value("target").toString(),
             QStringLiteral("sum of the forecast of OT"));

    Expected<explain::AttentionSet> set = explain::readAttentionFile(out);
    QVERIFY2(set, set ? "" : qPrintable(set.error().toString()));
    QCOMPARE(set->modelId, std::string("patchtst"));
    QCOMPARE(set->channel, std::int64_t(6));
    QCOMPARE(set->layerCount(), 2);
    QCOMPARE(set->tokenCount(), 12);
    QCOMPARE(set->tokens[3].begin, std::int64_t(24));
    QCOMPARE(set->tokens[3].end, std::int64_t(40));
    QCOMPARE(set->channelNames.size(), std::size_t(7));
    QCOMPARE(set->channelNames.back(), std::string("OT"));
    QCOMPARE(set->sampleLabel, std::string("test window 5 (2017-10-20 05:00)"));
    QCOMPARE(set->inputRows, 96);
    QCOMPARE(set->inputCols, 7);
    QCOMPARE(set->input.size(), std::size_t(96 * 7));
    // The JSON's top key per layer is the column of the head average with the largest sum.
    const QJsonArray layers = j.value("per_layer").toArray();
    QCOMPARE(layers.size(), 2);
    for (int l = 0; l < 2; ++l) {
        const explain::AttentionLayer mean = explain::headAverage(set->layers[std::size_t(l)]);
        std::vector<double> received(12, 0.0);
        for (int q = 0; q < 12; ++q)
            for (int k = 0; k < 12; ++k)
                received[std::size_t(k)] += mean.at(0, q, k);
        const int best = int(std::max_element(received.begin(), received.end()) - received.begin());
        QCOMPARE(layers[l].toObject().value("top_key").toInt(), best);
        QCOMPARE(layers[l].toObject().value("top_key_label").toString(),
                 QString::fromStdString(set->tokens[std::size_t(best)].label));
    }

    // Gradient x input of OT's forecast: PatchTST is channel-independent, so every other
    // channel's column is exactly 0 and OT's is not.
    Expected<explain::AttentionSaliency> s = explain::readAttentionSaliency(out);
    QVERIFY(s);
    QCOMPARE(s->rows, 96);
    QCOMPARE(s->cols, 7);
    QCOMPARE(s->target, std::string("sum of the forecast of OT"));
    double ot = 0.0;
    for (int t = 0; t < 96; ++t) {
        for (int c = 0; c < 6; ++c)
            QVERIFY(s->values[std::size_t(t * 7 + c)] == 0.0f);
        ot += std::abs(s->values[std::size_t(t * 7 + 6)]);
    }
    QVERIFY(ot > 0.0);
}

void tst_CliAttention::pngGrid()
{
    const QString out = m_tmp.filePath(QStringLiteral("attn.png"));
    const Result r = run({"attention", m_runDir, "--index", "0", "--out", out});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QImage image(out);
    QVERIFY(!image.isNull());
    // 2 layer averages + rollout, 12 tokens at 16 px: 3 maps of 192 px with 6 px gaps.
    QCOMPARE(image.width(), 6 + 3 * (192 + 6));
    QCOMPARE(image.height(), 6 + 192 + 6);
    QCOMPARE(image.pixel(2, 2), qRgb(40, 40, 40));
    QVERIFY(image.pixel(6 + 8, 6 + 8) != qRgb(40, 40, 40));
}

void tst_CliAttention::meanOverSeveralSamples()
{
    const QString mean = m_tmp.filePath(QStringLiteral("mean.h5"));
    const Result r = run({"attention", m_runDir, "--index", "5", "--count", "3", "--channel", "OT",
                          "--out", mean, "--json"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject j = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(j.value("averaged_samples").toInt(), 3);
    QVERIFY2(
        j.value("sample_label")
            .toString()
            .startsWith(QStringLiteral("mean of 3 test samples 5–7 (input shown: test window 5")),
        qPrintable(j.value("sample_label").toString()));
    Expected<explain::AttentionSet> averaged = explain::readAttentionFile(mean);
    QVERIFY(averaged);

    // The same as the mean of the three samples captured one by one.
    std::vector<explain::AttentionSet> single;
    for (int index : {5, 6, 7}) {
        const QString out = m_tmp.filePath(QStringLiteral("one-%1.h5").arg(index));
        const Result one = run({"attention", m_runDir, "--index", QString::number(index),
                                "--channel", "OT", "--out", out});
        QVERIFY2(one.exitCode == 0, one.err.constData());
        Expected<explain::AttentionSet> set = explain::readAttentionFile(out);
        QVERIFY(set);
        single.push_back(std::move(*set));
    }
    QCOMPARE(averaged->input, single[0].input); // the first sample's input is shown
    for (std::size_t l = 0; l < 2; ++l) {
        const std::vector<float> &m = averaged->layers[l].weights;
        for (std::size_t i = 0; i < m.size(); ++i) {
            const double expected =
                (double(single[0].layers[l].weights[i]) + single[1].layers[l].weights[i] +
                 single[2].layers[l].weights[i]) /
                3.0;
            QVERIFY(std::abs(m[i] - expected) < 1e-6);
        }
    }

    const Result withSaliency =
        run({"attention", m_runDir, "--index", "5", "--count", "3", "--saliency", "--out", mean});
    QCOMPARE(withSaliency.exitCode, 1);
    QVERIFY(withSaliency.err.contains("cannot be combined with --count 3"));
    const Result pastTheEnd =
        run({"attention", m_runDir, "--index", "5", "--count", "100000", "--out", mean});
    QCOMPARE(pastTheEnd.exitCode, 1);
    QVERIFY2(QString::fromUtf8(pastTheEnd.err)
                 .contains(QRegularExpression(
                     "index 100004 is outside the \\d+ windows of the test part")),
             pastTheEnd.err.constData());
}

void tst_CliAttention::badInput_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("index out of range")
        << QStringList{"--index", "99999", "--out", "x.h5"}
        << QStringLiteral("index 99999 is outside the \\d+ windows of the test part");
    QTest::newRow("bad output suffix") << QStringList{"--index", "0", "--out", "x.txt"}
                                       << QStringLiteral("must end in .h5, .hdf5 or .png");
    QTest::newRow("unknown channel")
        << QStringList{"--index", "0", "--out", "x.h5", "--channel", "XYZ"}
        << QStringLiteral("--channel XYZ is neither a channel name nor a number below 7");
}

void tst_CliAttention::badInput()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Result r = run(QStringList{"attention", m_runDir} + args);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(QString::fromUtf8(r.err).contains(QRegularExpression(message)), r.err.constData());
    QVERIFY(!QFile::exists(m_tmp.filePath(QStringLiteral("x.h5"))));

    const Result notRun = run({"attention", m_tmp.path(), "--index", "0", "--out", "y.h5"});
    QCOMPARE(notRun.exitCode, 1);
}

QTEST_GUILESS_MAIN(tst_CliAttention)
#include "tst_cli_attention.moc"
