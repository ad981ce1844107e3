#include "audio/AudioReader.h"

#include "SoundFiles.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace twb;

class TestAudioReader : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    QString writeBytes(const QString &name, const QByteArray &bytes)
    {
        QFile file(path(name));
        if (!file.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(name));
        file.write(bytes);
        return file.fileName();
    }

    QByteArray readBytes(const QString &file)
    {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly))
            qFatal("cannot read %s", qPrintable(file));
        return f.readAll();
    }

    void expectError(const QString &file, const QString &fragment)
    {
        const auto clip = readAudio(file);
        QVERIFY2(!clip, "the file should have been refused");
        QCOMPARE(clip.error().file, file);
        QVERIFY2(clip.error().reason.contains(fragment), qPrintable(clip.error().toString()));
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void stereoMixDown()
    {
        // Left +0.25, right -0.75 (float WAV, exact), the mean is -0.25.
        std::vector<float> frames;
        for (int n = 0; n < 800; ++n) {
            frames.push_back(0.25f);
            frames.push_back(-0.75f);
        }
        const QString file = path(QStringLiteral("stereo.wav"));
        QVERIFY(test::writeSound(file, frames, 8000, 2, SF_FORMAT_WAV | SF_FORMAT_FLOAT));
        const auto clip = readAudio(file);
        QVERIFY2(clip, qPrintable(clip ? QString() : clip.error().toString()));
        QCOMPARE(clip->frames(), 800);
        QCOMPARE(clip->sampleRate, 8000.0);
        QCOMPARE(clip->originalRate, 8000.0);
        QCOMPARE(clip->originalChannels, 2);
        QCOMPARE(clip->path, file);
        QCOMPARE(clip->seconds(), 0.1);
        for (float v : clip->samples)
            QCOMPARE(v, -0.25f);
    }

    void flacAndOgg()
    {
        const std::vector<float> tone = test::sine(440.0, 16000.0, 16000, 0.5);
        const QString flac = path(QStringLiteral("tone.flac"));
        QVERIFY(test::writeSound(flac, tone, 16000, 1, SF_FORMAT_FLAC | SF_FORMAT_PCM_16));
        const auto lossless = readAudio(flac);
        QVERIFY2(lossless, qPrintable(lossless ? QString() : lossless.error().toString()));
        QCOMPARE(lossless->frames(), 16000);
        for (std::size_t i = 0; i < tone.size(); ++i)
            QVERIFY(std::abs(lossless->samples[i] - tone[i]) <= 1.0f / 32768.0f);

        const QString ogg = path(QStringLiteral("tone.ogg"));
        QVERIFY(test::writeSound(ogg, tone, 16000, 1, SF_FORMAT_OGG | SF_FORMAT_VORBIS));
        const auto lossy = readAudio(ogg);
        QVERIFY2(lossy, qPrintable(lossy ? QString() : lossy.error().toString()));
        QCOMPARE(lossy->frames(), 16000);
        QCOMPARE(lossy->sampleRate, 16000.0);
    }

    void resampleOnRead()
    {
        const QString file = path(QStringLiteral("tone8k.wav"));
        QVERIFY(test::writeSound(file, test::sine(500.0, 8000.0, 4000, 0.5), 8000, 1,
                                 SF_FORMAT_WAV | SF_FORMAT_FLOAT));
        AudioReadOptions options;
        options.targetRate = 16000.0;
        const auto clip = readAudio(file, options);
        QVERIFY(clip);
        QCOMPARE(clip->frames(), 8000);
        QCOMPARE(clip->sampleRate, 16000.0);
        QCOMPARE(clip->originalRate, 8000.0);
        const std::vector<float> want = test::sine(500.0, 16000.0, 8000, 0.5);
        for (std::size_t n = 800; n < 7200; ++n)
            QVERIFY(std::abs(clip->samples[n] - want[n]) < 1e-3f);
    }

    void realSpokenDigit()
    {
        const QString file = QStringLiteral(TWB_SHARED_DATA_DIR "/fsdd/recordings/0_george_0.wav");
        if (!QFile::exists(file))
            QSKIP(qPrintable(QStringLiteral("needs %1").arg(file)));
        const auto clip = readAudio(file);
        QVERIFY(clip);
        QCOMPARE(clip->frames(), 2384); // 4,768 data bytes of 16-bit mono
        QCOMPARE(clip->sampleRate, 8000.0);
        QCOMPARE(clip->originalChannels, 1);
        for (float v : clip->samples)
            QVERIFY(v >= -1.0f && v < 1.0f);
    }

    void truncatedWav()
    {
        const QString whole = path(QStringLiteral("whole.wav"));
        QVERIFY(test::writeSound(whole, test::sine(440.0, 8000.0, 2000, 0.5), 8000));
        const QByteArray bytes = readBytes(whole); // 44-byte header + 4000 data bytes
        QCOMPARE(bytes.size(), 4044);
        const QString cut = writeBytes(QStringLiteral("truncated.wav"), bytes.left(3000));
        expectError(cut, QStringLiteral("truncated: its header announces 4000 bytes of audio "
                                        "data, only 2956 are present"));
        AudioReadOptions lenient;
        lenient.allowTruncated = true;
        const auto partial = readAudio(cut, lenient);
        QVERIFY(partial);
        QCOMPARE(partial->frames(), 1478);
    }

    void brokenFiles()
    {
        const QString whole = path(QStringLiteral("good.wav"));
        QVERIFY(test::writeSound(whole, std::vector<float>(100, 0.1f), 8000));
        QByteArray bytes = readBytes(whole);

        QByteArray noRiff = bytes;
        noRiff.replace(0, 4, "JUNK");
        expectError(writeBytes(QStringLiteral("junk.wav"), noRiff),
                    QStringLiteral("Format not recognised"));

        QByteArray badFmt = bytes; // "fmt " chunk claims 2 bytes
        badFmt[16] = 2;
        const auto malformed = readAudio(writeBytes(QStringLiteral("badfmt.wav"), badFmt));
        QVERIFY(!malformed);
        QVERIFY2(malformed.error().reason.startsWith(QStringLiteral("libsndfile cannot read it")),
                 qPrintable(malformed.error().toString()));

        expectError(writeBytes(QStringLiteral("empty.wav"), {}),
                    QStringLiteral("the file is empty (0 bytes)"));
        expectError(writeBytes(QStringLiteral("text.flac"), "this is not audio\n"),
                    QStringLiteral("Format not recognised"));
        expectError(writeBytes(QStringLiteral("header-only.wav"), bytes.left(44)),
                    QStringLiteral("truncated: its header announces 200 bytes of audio data, "
                                   "only 0 are present"));
        const QString silent = path(QStringLiteral("no-frames.wav"));
        QVERIFY(test::writeSound(silent, {}, 8000));
        expectError(silent, QStringLiteral("the file holds no audio frames"));
        expectError(path(QStringLiteral("missing.wav")), QStringLiteral("does not exist"));
        expectError(m_dir.path(), QStringLiteral("not a file"));
    }

    // Hostile sizes (issue 16): a WAV whose RIFF and data sizes claim 2 GB over 200 bytes of
    // samples is refused as truncated; read leniently it gives the 100 frames that are there.
    void wavHeaderLyingAboutItsLength()
    {
        const QString whole = path(QStringLiteral("short.wav"));
        QVERIFY(test::writeSound(whole, std::vector<float>(100, 0.25f), 8000));
        QByteArray bytes = readBytes(whole);
        QCOMPARE(bytes.size(), 244);
        const auto setSize = [&bytes](int at, quint32 value) {
            for (int i = 0; i < 4; ++i)
                bytes[at + i] = char((value >> (8 * i)) & 0xFF);
        };
        setSize(4, 0x7FFFFFF0u);  // RIFF size
        setSize(40, 0x7FFFFF00u); // data size
        const QString lying = writeBytes(QStringLiteral("lying.wav"), bytes);
        expectError(lying, QStringLiteral("the file is truncated: its header announces 2147483392 "
                                          "bytes of audio data, only 200 are present"));
        AudioReadOptions lenient;
        lenient.allowTruncated = true;
        const auto partial = readAudio(lying, lenient);
        QVERIFY2(partial, qPrintable(partial ? QString() : partial.error().toString()));
        QCOMPARE(partial->frames(), 100);
    }

    // A FLAC stream whose STREAMINFO claims 2^36 - 1 frames of 8 channels (2.2 TB of floats) and
    // holds no frame: refused from the claim, nothing allocated for it. Without a lie too large
    // to allocate, a claim the stream does not keep is reported as truncation.
    void flacClaimingAbsurdLength()
    {
        const auto flac = [](quint64 frames) {
            QByteArray bytes("fLaC\x80\x00\x00\x22", 8); // last block: STREAMINFO, 34 bytes
            bytes += QByteArray("\x10\x00\x10\x00", 4);  // block sizes 4096
            bytes += QByteArray(6, '\0');                // frame sizes unknown
            const quint64 bits =
                (quint64(44100) << 44) | (quint64(7) << 41) | (quint64(15) << 36) | frames;
            for (int i = 7; i >= 0; --i)
                bytes += char((bits >> (8 * i)) & 0xFF);
            return bytes + QByteArray(16, '\0'); // MD5
        };
        const QString absurd =
            writeBytes(QStringLiteral("absurd.flac"), flac((quint64(1) << 36) - 1));
        expectError(absurd, QStringLiteral("the header's 68719476735 frames (8 channels at 44100 "
                                           "Hz) would need 256.0 GB (6.9e10 values of 4 bytes), "
                                           "more than the "));
        const QString empty = writeBytes(QStringLiteral("claims.flac"), flac(1000000));
        expectError(empty, QStringLiteral("the file is truncated: 0 of 1000000 frames could be "
                                          "decoded"));
    }
};

QTEST_GUILESS_MAIN(TestAudioReader)
#include "tst_audioreader.moc"
