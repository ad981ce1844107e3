#include "widgets/common/SoundPlayer.h"

#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <cmath>

using namespace twb;

class TestSoundPlayer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pcm16Conversion()
    {
        const QByteArray pcm = SoundPlayer::toPcm16({0.0f, 1.0f, -1.0f, 0.5f, 2.0f, -3.0f, NAN});
        QCOMPARE(pcm.size(), 14);
        auto at = [&](int i) {
            return qFromLittleEndian<qint16>(pcm.constData() + 2 * i);
        };
        QCOMPARE(at(0), qint16(0));
        QCOMPARE(at(1), qint16(32767));
        QCOMPARE(at(2), qint16(-32767));
        QCOMPARE(at(3), qint16(16384)); // round(16383.5)
        QCOMPARE(at(4), qint16(32767)); // clipped
        QCOMPARE(at(5), qint16(-32767));
        QCOMPARE(at(6), qint16(0)); // NaN -> silence
        const QByteArray stereo = SoundPlayer::toPcm16({0.5f, -0.25f}, 2);
        QCOMPARE(stereo.size(), 8);
        QCOMPARE(qFromLittleEndian<qint16>(stereo.constData() + 2), qint16(16384));
        QCOMPARE(qFromLittleEndian<qint16>(stereo.constData() + 4), qint16(-8192));
        QCOMPARE(qFromLittleEndian<qint16>(stereo.constData() + 6), qint16(-8192));
    }

    void realFilePlaysOrReportsError()
    {
        const QString path =
            QStringLiteral(TWB_SHARED_DATA_DIR "/fsdd/recordings/7_jackson_32.wav");
        if (!QFile::exists(path))
            QSKIP(qPrintable("FSDD file not found: " + path));
        SoundPlayer player;
        QSignalSpy states(&player, &SoundPlayer::stateChanged);
        QSignalSpy errors(&player, &SoundPlayer::errorOccurred);
        const bool ok = player.play(path);
        QCOMPARE(player.currentFile(), path);
        QCOMPARE(states.count(), 1);
        if (ok) { // a machine with an audio device
            QCOMPARE(player.state(), SoundPlayer::State::Playing);
            QVERIFY(errors.isEmpty());
            player.stop();
            QCOMPARE(player.state(), SoundPlayer::State::Stopped);
        } else { // CI / offscreen: no device, or it refused to open
            QCOMPARE(player.state(), SoundPlayer::State::Error);
            QCOMPARE(errors.count(), 1);
            QVERIFY2(player.errorString().startsWith(path + ": "),
                     qPrintable(player.errorString()));
            QCOMPARE(errors.first().at(0).toString(), player.errorString());
            qInfo("no playback here: %s", qPrintable(player.errorString()));
        }
        QTest::qWait(50); // let any queued sink notifications arrive
        player.stop();
        QCOMPARE(player.state(), SoundPlayer::State::Stopped);
    }

    void brokenFileReportsError()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("broken.wav");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("RIFF\x10\x00\x00\x00WAVEjunk", 16);
        f.close();
        SoundPlayer player;
        QVERIFY(!player.play(path));
        QCOMPARE(player.state(), SoundPlayer::State::Error);
        // The decoder's reason, not the device's: files are checked first.
        QVERIFY2(player.errorString().startsWith(path + ": "), qPrintable(player.errorString()));
        QVERIFY2(!player.errorString().contains("audio output device"),
                 qPrintable(player.errorString()));
        QVERIFY(!player.play(dir.filePath("missing.wav")));
        QVERIFY(player.errorString().startsWith(dir.filePath("missing.wav") + ": "));
        QVERIFY(!player.errorString().contains("audio output device"));
    }

    void samplesPlayOrReportError()
    {
        SoundPlayer player;
        QSignalSpy errors(&player, &SoundPlayer::errorOccurred);
        // Refused before any device is looked for, naming the sound.
        QVERIFY(!player.playSamples({}, 8000.0, QStringLiteral("empty")));
        QCOMPARE(player.errorString(), QStringLiteral("empty: cannot play: no samples"));
        QVERIFY(!player.playSamples({0.1f, 0.2f}, 0.0, QStringLiteral("rateless")));
        QVERIFY(player.errorString().startsWith(QStringLiteral("rateless: ")));
        QVERIFY(player.errorString().contains(QStringLiteral("not positive")));
        QCOMPARE(errors.count(), 2);

        // A 440 Hz tone of a quarter second at 8 kHz (a rate devices often refuse: resampled).
        std::vector<float> tone(2000);
        for (std::size_t t = 0; t < tone.size(); ++t)
            tone[t] = float(0.2 * std::sin(2.0 * M_PI * 440.0 * double(t) / 8000.0));
        const bool ok = player.playSamples(tone, 8000.0, QStringLiteral("Mixture 1"));
        QCOMPARE(player.currentFile(), QStringLiteral("Mixture 1"));
        if (ok) {
            QCOMPARE(player.state(), SoundPlayer::State::Playing);
            player.stop();
        } else {
            QCOMPARE(player.state(), SoundPlayer::State::Error);
            QVERIFY2(player.errorString().startsWith(QStringLiteral("Mixture 1: ")),
                     qPrintable(player.errorString()));
        }
        QTest::qWait(50);
        player.stop();
        QCOMPARE(player.state(), SoundPlayer::State::Stopped);
    }
};

QTEST_MAIN(TestSoundPlayer)
#include "tst_soundplayer.moc"
