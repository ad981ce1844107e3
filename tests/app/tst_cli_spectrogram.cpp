// Runs the real twb-cli spectrogram on a real FSDD recording and on broken input.
#include "data/Hdf5File.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace twb;

namespace {

struct Result
{
    int exitCode = -1;
    QByteArray err;
};

} // namespace

class tst_CliSpectrogram : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void hdf5WithDefaults();
    void hdf5MelDb();
    void png();
    void brokenAudioNamesTheFile();
    void usageErrors_data();
    void usageErrors();

private:
    Result run(const QStringList &args);
    QString m_cli;
    QString m_wav;
    QTemporaryDir m_tmp;
};

Result tst_CliSpectrogram::run(const QStringList &args)
{
    QProcess p;
    p.start(m_cli, QStringList{QStringLiteral("spectrogram")} + args);
    Result r;
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.err = p.readAllStandardError();
    return r;
}

void tst_CliSpectrogram::initTestCase()
{
    m_cli = QDir(QStringLiteral(TWB_TEST_BIN_DIR)).filePath(QStringLiteral("twb-cli"));
    QVERIFY2(QFile::exists(m_cli), qPrintable(m_cli));
    QVERIFY(m_tmp.isValid());
    m_wav = QDir(QStringLiteral(TWB_SHARED_DATA_DIR))
                .filePath(QStringLiteral("fsdd/recordings/0_george_0.wav"));
}

void tst_CliSpectrogram::hdf5WithDefaults()
{
    if (!QFile::exists(m_wav))
        QSKIP(qPrintable(QStringLiteral("missing %1").arg(m_wav)));
    const QString out = m_tmp.filePath(QStringLiteral("default.h5"));
    const Result r = run({m_wav, QStringLiteral("--out"), out});
    QVERIFY2(r.exitCode == 0, r.err.constData());

    Expected<Hdf5Reader> h5 = Hdf5Reader::open(out);
    QVERIFY(h5);
    const QString ds = QStringLiteral("/spectrogram");
    Expected<Hdf5FloatArray> s = h5->readFloatArray(ds);
    QVERIFY(s);
    // 8 kHz file, n_fft 512, hop 128, centre padding: [257, 1 + samples / 128].
    QCOMPARE(s->dims.size(), std::size_t(2));
    QCOMPARE(s->dims[0], std::int64_t(257));
    QCOMPARE(*h5->numberAttribute(ds, QStringLiteral("sample_rate")), 8000.0);
    QCOMPARE(*h5->numberAttribute(ds, QStringLiteral("n_fft")), 512.0);
    QCOMPARE(*h5->numberAttribute(ds, QStringLiteral("hop")), 128.0);
    QCOMPARE(*h5->numberAttribute(ds, QStringLiteral("win_length")), 512.0);
    QCOMPARE(*h5->numberAttribute(ds, QStringLiteral("center")), 1.0);
    QCOMPARE(*h5->numberAttribute(ds, QStringLiteral("power")), 2.0);
    QCOMPARE(*h5->numberAttribute(ds, QStringLiteral("db")), 0.0);
    QCOMPARE(*h5->numberAttribute(ds, QStringLiteral("n_mels")), 0.0);
    QCOMPARE(*h5->stringAttribute(ds, QStringLiteral("window")), QStringLiteral("hann"));
    QCOMPARE(*h5->stringAttribute(ds, QStringLiteral("source")), m_wav);
    QCOMPARE(*h5->stringAttribute(ds, QStringLiteral("units")), QStringLiteral("power"));
    QCOMPARE(*h5->numberAttribute(ds, QStringLiteral("frames")), double(s->dims[1]));
    // The file has 2,384 samples: frames = 1 + 2384 / 128 = 19.
    QCOMPARE(s->dims[1], std::int64_t(19));
    const Hdf5Array hz = *h5->readArray(QStringLiteral("/frequencies"));
    QCOMPARE(hz.values[1], 8000.0 / 512);
    QCOMPARE(hz.values.back(), 4000.0);
    const Hdf5Array times = *h5->readArray(QStringLiteral("/times"));
    QCOMPARE(times.values[1], 128.0 / 8000.0);
    for (float v : s->values)
        QVERIFY(std::isfinite(v) && v >= 0.0f); // power
}

void tst_CliSpectrogram::hdf5MelDb()
{
    if (!QFile::exists(m_wav))
        QSKIP(qPrintable(QStringLiteral("missing %1").arg(m_wav)));
    const QString out = m_tmp.filePath(QStringLiteral("mel.h5"));
    const Result r = run({m_wav,
                          QStringLiteral("--out"),
                          out,
                          QStringLiteral("--n-fft"),
                          QStringLiteral("256"),
                          QStringLiteral("--hop"),
                          QStringLiteral("80"),
                          QStringLiteral("--win-length"),
                          QStringLiteral("200"),
                          QStringLiteral("--window"),
                          QStringLiteral("hamming"),
                          QStringLiteral("--no-center"),
                          QStringLiteral("--mel"),
                          QStringLiteral("40"),
                          QStringLiteral("--fmin"),
                          QStringLiteral("20"),
                          QStringLiteral("--fmax"),
                          QStringLiteral("3800"),
                          QStringLiteral("--mel-scale"),
                          QStringLiteral("htk"),
                          QStringLiteral("--db"),
                          QStringLiteral("--sample-rate"),
                          QStringLiteral("16000")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    Expected<Hdf5Reader> h5 = Hdf5Reader::open(out);
    QVERIFY(h5);
    const QString ds = QStringLiteral("/spectrogram");
    Expected<Hdf5FloatArray> s = h5->readFloatArray(ds);
    QVERIFY(s);
    QCOMPARE(s->dims[0], std::int64_t(40));
    QCOMPARE(*h5->numberAttribute(ds, QStringLiteral("sample_rate")), 16000.0); // resampled
    QCOMPARE(*h5->numberAttribute(ds, QStringLiteral("n_fft")), 256.0);
    QCOMPARE(*h5->numberAttribute(ds, QStringLiteral("hop")), 80.0);
    QCOMPARE(*h5->numberAttribute(ds, QStringLiteral("win_length")), 200.0);
    QCOMPARE(*h5->numberAttribute(ds, QStringLiteral("center")), 0.0);
    QCOMPARE(*h5->numberAttribute(ds, QStringLiteral("db")), 1.0);
    QCOMPARE(*h5->numberAttribute(ds, QStringLiteral("top_db")), 80.0);
    QCOMPARE(*h5->numberAttribute(ds, QStringLiteral("n_mels")), 40.0);
    QCOMPARE(*h5->numberAttribute(ds, QStringLiteral("fmin")), 20.0);
    QCOMPARE(*h5->numberAttribute(ds, QStringLiteral("fmax")), 3800.0);
    QCOMPARE(*h5->stringAttribute(ds, QStringLiteral("mel_scale")), QStringLiteral("htk"));
    QCOMPARE(*h5->stringAttribute(ds, QStringLiteral("window")), QStringLiteral("hamming"));
    QCOMPARE(*h5->stringAttribute(ds, QStringLiteral("units")), QStringLiteral("dB"));
    // Resampled to 4,768 samples, no centre padding: frames = 1 + (4768 - 256) / 80 = 57.
    QCOMPARE(s->dims[1], std::int64_t(57));
    const Hdf5Array times = *h5->readArray(QStringLiteral("/times"));
    QCOMPARE(times.values[0], 128.0 / 16000.0); // the first frame is centred at n_fft / 2
    // dB with top_db 80: everything within 80 dB of the maximum.
    const float top = *std::max_element(s->values.begin(), s->values.end());
    const float bottom = *std::min_element(s->values.begin(), s->values.end());
    QVERIFY(top - bottom <= 80.0f + 1e-3f);
    QVERIFY(top - bottom > 40.0f);
}

void tst_CliSpectrogram::png()
{
    if (!QFile::exists(m_wav))
        QSKIP(qPrintable(QStringLiteral("missing %1").arg(m_wav)));
    const QString out = m_tmp.filePath(QStringLiteral("digit.png"));
    const Result r = run({m_wav, QStringLiteral("--out"), out, QStringLiteral("--colormap"),
                          QStringLiteral("grey"), QStringLiteral("--hop"), QStringLiteral("64")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QImage image(out);
    QVERIFY(!image.isNull());
    QCOMPARE(image.height(), 257);          // one pixel row per bin
    QCOMPARE(image.width(), 1 + 2384 / 64); // one pixel column per frame
    // Grey: the loudest element is white, and it is near the bottom (speech is low-pitched).
    int whiteRow = -1;
    for (int y = 0; y < image.height() && whiteRow < 0; ++y)
        for (int x = 0; x < image.width(); ++x)
            if (image.pixel(x, y) == qRgb(255, 255, 255))
                whiteRow = y;
    QVERIFY(whiteRow >= 0);
    QVERIFY2(whiteRow > image.height() / 2, qPrintable(QString::number(whiteRow)));
    QVERIFY(!QDir(m_tmp.path()).entryList({QStringLiteral("digit.png.*")}).size());
}

void tst_CliSpectrogram::brokenAudioNamesTheFile()
{
    const QString broken = m_tmp.filePath(QStringLiteral("broken.wav"));
    QFile f(broken);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("RIFF\x24\x00\x00\x00WAVEfmt garbage", 24);
    f.close();
    const QString out = m_tmp.filePath(QStringLiteral("broken.h5"));
    const Result r = run({broken, QStringLiteral("--out"), out});
    QVERIFY(r.exitCode != 0);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(broken.toUtf8()), r.err.constData());
    QVERIFY(!QFile::exists(out));

    const QString missing = m_tmp.filePath(QStringLiteral("missing.wav"));
    const Result m = run({missing, QStringLiteral("--out"), out});
    QCOMPARE(m.exitCode, 1);
    QVERIFY(m.err.contains(missing.toUtf8()));
}

void tst_CliSpectrogram::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("bad suffix") << QStringList{QStringLiteral("--out"), QStringLiteral("x.bmp")};
    QTest::newRow("bad window") << QStringList{QStringLiteral("--out"), QStringLiteral("x.h5"),
                                               QStringLiteral("--window"), QStringLiteral("gauss")};
    QTest::newRow("power 3") << QStringList{QStringLiteral("--out"), QStringLiteral("x.h5"),
                                            QStringLiteral("--power"), QStringLiteral("3")};
    QTest::newRow("window longer than n_fft") << QStringList{
        QStringLiteral("--out"), QStringLiteral("x.h5"),         QStringLiteral("--n-fft"),
        QStringLiteral("256"),   QStringLiteral("--win-length"), QStringLiteral("400")};
    QTest::newRow("no output") << QStringList{};
}

void tst_CliSpectrogram::usageErrors()
{
    QFETCH(QStringList, args);
    const Result r = run(QStringList{m_wav} + args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY(!r.err.isEmpty());
}

QTEST_GUILESS_MAIN(tst_CliSpectrogram)
#include "tst_cli_spectrogram.moc"
