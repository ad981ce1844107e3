// The reader of reconstruction.json (issue 19): a good file round-trips; every malformed one is
// refused with a message that names the file and the problem, never a crash.

#include "client/ReconstructionFile.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace twb;

namespace {

QJsonArray rows(int channels, int steps, double value)
{
    QJsonArray out;
    for (int c = 0; c < channels; ++c) {
        QJsonArray row;
        for (int s = 0; s < steps; ++s)
            row.append(value + c + 0.1 * s);
        out.append(row);
    }
    return out;
}

/// A valid file: 2 channels, lookback 4, one window with the last two steps hidden.
QJsonObject goodFile()
{
    QJsonArray hidden;
    for (int c = 0; c < 2; ++c)
        hidden.append(QJsonArray{0, 0, 1, 1});
    const QJsonObject window{{"index", 3},
                             {"start_row", 120},
                             {"masked_mse", 0.25},
                             {"values", rows(2, 4, 1.0)},
                             {"reconstruction", rows(2, 4, 1.5)},
                             {"hidden", hidden}};
    return {{"format", "twb-reconstruction"},
            {"lookback", 4},
            {"test_windows", 10},
            {"channels", QJsonArray{"a", "b"}},
            {"masking", QJsonObject{{"kind", "patches"}, {"patch_len", 2}, {"ratio", 0.5}}},
            {"windows", QJsonArray{window}}};
}

} // namespace

class tst_ReconstructionFile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void goodFileIsRead();
    void badFilesAreRefusedByName_data();
    void badFilesAreRefusedByName();

private:
    QString write(const QByteArray &bytes);
    QTemporaryDir m_tmp;
    int m_count = 0;
};

QString tst_ReconstructionFile::write(const QByteArray &bytes)
{
    const QString dir = m_tmp.filePath(QString::number(++m_count));
    QDir().mkpath(dir);
    QFile f(QDir(dir).filePath("reconstruction.json"));
    if (f.open(QIODevice::WriteOnly))
        f.write(bytes);
    return dir;
}

void tst_ReconstructionFile::goodFileIsRead()
{
    const Expected<ReconstructionSamples> s =
        readReconstructionSamples(write(QJsonDocument(goodFile()).toJson()));
    QVERIFY2(s, qPrintable(s ? QString() : s.error().toString()));
    QCOMPARE(s->lookback, std::int64_t(4));
    QCOMPARE(s->channels, (QStringList{"a", "b"}));
    QCOMPARE(s->testWindows, std::int64_t(10));
    QCOMPARE(s->masking, QStringLiteral("patches of 2 steps, 50 % hidden"));
    QCOMPARE(int(s->windows.size()), 1);
    const ReconstructionWindow &w = s->windows.front();
    QCOMPARE(w.index, std::int64_t(3));
    QCOMPARE(w.startRow, std::int64_t(120));
    QCOMPARE(w.maskedMse, 0.25);
    QCOMPARE(w.values[1][2], 1.0f + 1.0f + 0.2f);
    QCOMPARE(w.reconstruction[0][0], 1.5f);
    QCOMPARE(w.hidden[0], (std::vector<bool>{false, false, true, true}));
}

void tst_ReconstructionFile::badFilesAreRefusedByName_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("problem");
    auto with = [](const char *key, const QJsonValue &value) {
        QJsonObject o = goodFile();
        o[key] = value;
        return QJsonDocument(o).toJson();
    };
    auto windowWith = [](const char *key, const QJsonValue &value) {
        QJsonObject o = goodFile();
        QJsonObject w = o["windows"].toArray().first().toObject();
        w[key] = value;
        o["windows"] = QJsonArray{w};
        return QJsonDocument(o).toJson();
    };
    QTest::newRow("not json") << QByteArray("{\"format\": \"twb-rec") << "";
    QTest::newRow("empty") << QByteArray() << "";
    QTest::newRow("another format") << with("format", "twb-attention") << "format";
    QTest::newRow("no channels") << with("channels", QJsonArray{}) << "no channels";
    QTest::newRow("no windows") << with("windows", QJsonArray{}) << "no windows";
    QTest::newRow("a channel missing") << windowWith("values", rows(1, 4, 0.0)) << "channels";
    QTest::newRow("short channel") << windowWith("reconstruction", rows(2, 3, 0.0)) << "steps";
    QTest::newRow("text in the mask")
        << windowWith("hidden", QJsonArray{QJsonArray{0, 0, "x", 1}, QJsonArray{0, 0, 1, 1}})
        << "not a number";
}

void tst_ReconstructionFile::badFilesAreRefusedByName()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, problem);
    const QString dir = write(bytes);
    const Expected<ReconstructionSamples> s = readReconstructionSamples(dir);
    QVERIFY(!s);
    const QString message = s.error().toString();
    QVERIFY2(message.contains("reconstruction.json"), qPrintable(message));
    QVERIFY2(message.contains(problem), qPrintable(message));
}

QTEST_GUILESS_MAIN(tst_ReconstructionFile)
#include "tst_reconstructionfile.moc"
