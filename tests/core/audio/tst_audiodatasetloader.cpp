#include "audio/AudioDatasetLoader.h"
#include "audio/LabelledLoader.h"

#include "SoundFiles.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace twb;

namespace {

const QString fsdd = QStringLiteral(TWB_SHARED_DATA_DIR "/fsdd/recordings");

} // namespace

class TestAudioDatasetLoader : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString makeFolder(const QString &name)
    {
        const QString folder = m_dir.filePath(name);
        if (!QDir().mkpath(folder))
            qFatal("cannot create %s", qPrintable(folder));
        return folder;
    }

    // A clip of `frames` samples of the constant `value` (16-bit WAV at `rate`).
    void writeClip(const QString &file, int frames, float value = 0.25f, int rate = 8000)
    {
        QDir().mkpath(QFileInfo(file).absolutePath());
        if (!test::writeSound(file, std::vector<float>(std::size_t(frames), value), rate))
            qFatal("cannot write %s", qPrintable(file));
    }

    void writeText(const QString &file, const QByteArray &bytes)
    {
        QFile f(file);
        if (!f.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(file));
        f.write(bytes);
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void naturalOrder()
    {
        QStringList names = {QStringLiteral("10"), QStringLiteral("2"),   QStringLiteral("b"),
                             QStringLiteral("A"),  QStringLiteral("a10"), QStringLiteral("a9"),
                             QStringLiteral("1")};
        std::sort(names.begin(), names.end(), naturalLess);
        QCOMPARE(names, QStringList({QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("10"),
                                     QStringLiteral("A"), QStringLiteral("a9"),
                                     QStringLiteral("a10"), QStringLiteral("b")}));
        QVERIFY(naturalLess(QStringLiteral("x_2_y"), QStringLiteral("x_10_a")));
        QVERIFY(!naturalLess(QStringLiteral("7"), QStringLiteral("7")));
        QVERIFY(naturalLess(QStringLiteral("7"), QStringLiteral("07")) !=
                naturalLess(QStringLiteral("07"), QStringLiteral("7")));
    }

    void freeSpokenDigits()
    {
        if (!QFileInfo::exists(fsdd))
            QSKIP(qPrintable(QStringLiteral("needs %1").arg(fsdd)));
        QElapsedTimer timer;
        timer.start();
        const auto loaded = loadAudioDataset(fsdd);
        const qint64 ms = timer.elapsed();
        QVERIFY2(loaded, qPrintable(loaded ? QString() : loaded.error().toString()));
        const LabelledDataset &data = loaded->data;
        qInfo("FSDD: %lld files loaded in %lld ms", qlonglong(data.size()), qlonglong(ms));
        QCOMPARE(data.size(), 2500);
        QVERIFY2(data.skipped.isEmpty(), qPrintable(data.skipped.join(QLatin1Char('\n'))));
        QCOMPARE(data.classNames.size(), 10);
        QCOMPARE(data.classNames.front(), QStringLiteral("0"));
        QCOMPARE(data.classNames.back(), QStringLiteral("9"));
        QCOMPARE(data.classCounts(), std::vector<std::int64_t>(10, 250));
        QCOMPARE(data.sampleRate, 8000.0);
        QCOMPARE(data.channelNames, QStringList{QStringLiteral("audio")});
        QCOMPARE(data.cases.front().source, QStringLiteral("0_george_0.wav"));
        QCOMPARE(data.cases.front().length, 2384);
        QCOMPARE(loaded->splitTags.size(), 2500);
        QVERIFY(loaded->splitTags.front().isEmpty());
        // Natural order: take 2 before take 10.
        QCOMPARE(data.cases[2].source, QStringLiteral("0_george_2.wav"));
        const double seconds = [&data] {
            double s = 0;
            for (const LabelledCase &c : data.cases)
                s += double(c.length) / data.sampleRate;
            return s;
        }();
        qInfo("FSDD: %.1f s of audio, %lld to %lld samples per clip", seconds,
              qlonglong(data.minLength()), qlonglong(data.maxLength()));

        // The usual test part: takes 0-4 of every speaker and digit.
        const std::vector<std::uint8_t> test =
            casesMatchingGlob(data, QStringLiteral("*_[0-4].wav"));
        QCOMPARE(std::count(test.begin(), test.end(), 1), 250);
        std::vector<std::int64_t> perClass(10, 0);
        for (std::size_t i = 0; i < test.size(); ++i)
            if (test[i])
                perClass[std::size_t(data.cases[i].label)] += 1;
        QCOMPARE(perClass, std::vector<std::int64_t>(10, 25));

        // One thread gives the same data set.
        AudioDatasetOptions serial;
        serial.threads = 1;
        timer.restart();
        const auto one = loadAudioDataset(fsdd, serial);
        qInfo("FSDD on one thread: %lld ms", qlonglong(timer.elapsed()));
        QVERIFY(one);
        QCOMPARE(one->data.fingerprint(), data.fingerprint());
        QCOMPARE(one->data.cases.back().source, data.cases.back().source);

        // Resampled to 16 kHz on load.
        AudioDatasetOptions options;
        options.sampleRate = 16000.0;
        timer.restart();
        const auto up = loadAudioDataset(fsdd, options);
        const qint64 upMs = timer.elapsed();
        QVERIFY(up);
        qInfo("FSDD resampled to 16 kHz: %lld files in %lld ms", qlonglong(up->data.size()),
              qlonglong(upMs));
        QCOMPARE(up->data.sampleRate, 16000.0);
        QCOMPARE(up->data.cases.front().length, 4768);
    }

    void classFolders()
    {
        const QString root = makeFolder(QStringLiteral("folders"));
        writeClip(root + QStringLiteral("/10/a.wav"), 100);
        writeClip(root + QStringLiteral("/2/b.wav"), 200);
        writeClip(root + QStringLiteral("/2/deeper/c.flac"), 0); // header only: no frames
        writeClip(root + QStringLiteral("/cat/d.WAV"), 300);
        writeText(root + QStringLiteral("/cat/notes.txt"), "ignored\n");
        writeText(root + QStringLiteral("/2/empty.wav"), {});
        writeClip(root + QStringLiteral("/loose.wav"), 50);

        const auto loaded = loadAudioDataset(root);
        QVERIFY2(loaded, qPrintable(loaded ? QString() : loaded.error().toString()));
        const LabelledDataset &data = loaded->data;
        QCOMPARE(data.classNames,
                 QStringList({QStringLiteral("2"), QStringLiteral("10"), QStringLiteral("cat")}));
        QCOMPARE(data.size(), 3);
        QCOMPARE(data.cases[0].source, QStringLiteral("2/b.wav"));
        QCOMPARE(data.cases[0].label, 0);
        QCOMPARE(data.cases[0].length, 200);
        QCOMPARE(data.cases[0].values.front(), 0.25f);
        QCOMPARE(data.cases[1].source, QStringLiteral("10/a.wav"));
        QCOMPARE(data.cases[1].label, 1);
        QCOMPARE(data.cases[2].source, QStringLiteral("cat/d.WAV"));
        QCOMPARE(data.cases[2].label, 2);
        // The empty file, the file without frames and the file outside a class folder.
        QCOMPARE(data.skipped.size(), 3);
        const QString skipped = data.skipped.join(QLatin1Char('\n'));
        QVERIFY2(skipped.contains(QStringLiteral("empty.wav: the file is empty (0 bytes)")),
                 qPrintable(skipped));
        QVERIFY2(skipped.contains(QStringLiteral("c.flac: ")), qPrintable(skipped));
        QVERIFY2(skipped.contains(QStringLiteral("loose.wav: not inside a class folder")),
                 qPrintable(skipped));

        // A given class list (a training set's): other labels are skipped.
        AudioDatasetOptions options;
        options.classNames = {QStringLiteral("cat"), QStringLiteral("2")};
        const auto restricted = loadAudioDataset(root, options);
        QVERIFY(restricted);
        QCOMPARE(restricted->data.size(), 2);
        QCOMPARE(restricted->data.cases[0].label, 1);
        QCOMPARE(restricted->data.cases[1].label, 0);
        QVERIFY(restricted->data.skipped.join(QLatin1Char('\n'))
                    .contains(QStringLiteral("the label '10' is not one of the classes")));
    }

    void labelPrefixAndRates()
    {
        const QString root = makeFolder(QStringLiteral("prefixed"));
        writeClip(root + QStringLiteral("/yes_1.wav"), 160, 0.5f, 16000);
        writeClip(root + QStringLiteral("/no_1.wav"), 80, 0.5f, 8000);
        writeClip(root + QStringLiteral("/yes_2.wav"), 40, 0.5f, 8000);
        writeClip(root + QStringLiteral("/nolabel.wav"), 40);
        writeClip(root + QStringLiteral("/_x.wav"), 40);

        // Rate 0: the first file in order (no_1.wav, 8 kHz) fixes it; yes_1 is resampled.
        const auto loaded = loadAudioDataset(root);
        QVERIFY2(loaded, qPrintable(loaded ? QString() : loaded.error().toString()));
        const LabelledDataset &data = loaded->data;
        QCOMPARE(data.classNames, QStringList({QStringLiteral("no"), QStringLiteral("yes")}));
        QCOMPARE(data.sampleRate, 8000.0);
        QCOMPARE(data.size(), 3);
        QCOMPARE(data.cases[0].source, QStringLiteral("no_1.wav"));
        QCOMPARE(data.cases[1].source, QStringLiteral("yes_1.wav"));
        QCOMPARE(data.cases[1].length, 80);
        QCOMPARE(data.cases[2].length, 40);
        QCOMPARE(data.skipped.size(), 2);

        const std::vector<std::uint8_t> picked = casesMatchingGlob(data, QStringLiteral("yes_*"));
        QCOMPARE(picked, std::vector<std::uint8_t>({0, 1, 1}));
        QCOMPARE(casesMatchingGlob(data, QStringLiteral("YES_*")),
                 std::vector<std::uint8_t>({0, 0, 0}));
    }

    void manifest()
    {
        const QString root = makeFolder(QStringLiteral("manifest"));
        writeClip(root + QStringLiteral("/clips/a.wav"), 10);
        writeClip(root + QStringLiteral("/clips/b.wav"), 20);
        const QString outside = makeFolder(QStringLiteral("elsewhere")) + QStringLiteral("/c.wav");
        writeClip(outside, 30);
        const QString csv = root + QStringLiteral("/list.csv");
        writeText(csv, "label,path,split\n"
                       "dog,clips/b.wav,train\n"
                       "cat,clips/a.wav, test \n"
                       "\"dog\",\"" +
                           outside.toUtf8() +
                           "\",train\n"
                           "cat,clips/missing.wav,train\n"
                           ",clips/a.wav,train\n");
        const auto loaded = loadAudioDataset(csv);
        QVERIFY2(loaded, qPrintable(loaded ? QString() : loaded.error().toString()));
        const LabelledDataset &data = loaded->data;
        QCOMPARE(data.classNames, QStringList({QStringLiteral("cat"), QStringLiteral("dog")}));
        QCOMPARE(data.size(), 3);
        QCOMPARE(data.cases[0].source, QStringLiteral("clips/b.wav"));
        QCOMPARE(data.cases[0].label, 1);
        QCOMPARE(data.cases[1].label, 0);
        QCOMPARE(data.cases[2].source, QStringLiteral("../elsewhere/c.wav"));
        QCOMPARE(data.cases[2].length, 30);
        QCOMPARE(loaded->splitTags, QStringList({QStringLiteral("train"), QStringLiteral("test"),
                                                 QStringLiteral("train")}));
        QCOMPARE(data.skipped.size(), 2);
        QVERIFY(data.skipped.join(QLatin1Char('\n'))
                    .contains(QStringLiteral("missing.wav: the file does not exist")));
        QVERIFY(data.skipped.join(QLatin1Char('\n'))
                    .contains(QStringLiteral("list.csv:6: the path or the label is empty")));

        // Without a header: path, label by position.
        const QString plain = root + QStringLiteral("/plain.csv");
        writeText(plain, "clips/a.wav;x\nclips/b.wav;y\n");
        const auto positional = loadAudioDataset(plain);
        QVERIFY(positional);
        QCOMPARE(positional->data.size(), 2);
        QCOMPARE(positional->data.classNames,
                 QStringList({QStringLiteral("x"), QStringLiteral("y")}));
        QCOMPARE(positional->splitTags, QStringList({QString(), QString()}));

        // Structural problems refuse the manifest.
        const QString oneColumn = root + QStringLiteral("/one.csv");
        writeText(oneColumn, "clips/a.wav\n");
        const auto refused = loadAudioDataset(oneColumn);
        QVERIFY(!refused);
        QCOMPARE(refused.error().line, 1);
        QVERIFY(refused.error().reason.contains(QStringLiteral("two columns")));
    }

    void nothingLoadable()
    {
        const QString root = makeFolder(QStringLiteral("broken"));
        writeText(root + QStringLiteral("/a_1.wav"), "not audio");
        const auto loaded = loadAudioDataset(root);
        QVERIFY(!loaded);
        QVERIFY2(loaded.error().reason.contains(QStringLiteral("Format not recognised")),
                 qPrintable(loaded.error().toString()));
        const auto empty = loadAudioDataset(makeFolder(QStringLiteral("nothing")));
        QVERIFY(!empty);
        QVERIFY(empty.error().reason.contains(QStringLiteral("no audio files")));
        QVERIFY(!loadAudioDataset(m_dir.filePath(QStringLiteral("absent"))));
    }

    void singleEntryPoint()
    {
        const QString root = makeFolder(QStringLiteral("entry"));
        writeClip(root + QStringLiteral("/a_1.wav"), 10);
        writeClip(root + QStringLiteral("/b_1.wav"), 10);
        LabelledLoadOptions options;
        options.sampleRate = 16000.0;
        const auto folder = loadLabelled(root, options);
        QVERIFY(folder);
        QCOMPARE(folder->size(), 2);
        QCOMPARE(folder->sampleRate, 16000.0);
        QCOMPARE(folder->cases[0].length, 20);

        const QString ts = m_dir.filePath(QStringLiteral("x.ts"));
        writeText(ts, "@univariate true\n@classLabel true p q\n@data\n1,2:q\n");
        const auto table = loadLabelled(ts);
        QVERIFY(table);
        QCOMPARE(table->size(), 1);
        QCOMPARE(table->cases[0].label, 1);

        const auto single = loadLabelled(root + QStringLiteral("/a_1.wav"));
        QVERIFY(!single);
        QVERIFY(single.error().reason.contains(QStringLiteral("no label")));
        QVERIFY(!loadLabelled(m_dir.filePath(QStringLiteral("absent.ts"))));
    }

    void unlabelledRecordings()
    {
        // New recordings to classify: any names, sub-folders, no labels.
        const QString root = makeFolder(QStringLiteral("recordings"));
        writeClip(root + QStringLiteral("/kitchen 10.wav"), 10);
        writeClip(root + QStringLiteral("/kitchen 9.wav"), 12);
        writeClip(root + QStringLiteral("/later/take.flac"), 14);
        writeText(root + QStringLiteral("/notes.txt"), "not audio");
        LabelledLoadOptions options;
        options.unlabelled = true;
        options.classNames = {QStringLiteral("yes"), QStringLiteral("no")};
        const auto folder = loadLabelled(root, options);
        QVERIFY2(folder, folder ? "" : qPrintable(folder.error().toString()));
        QCOMPARE(folder->size(), 3);
        QCOMPARE(folder->classNames, options.classNames);
        QCOMPARE(folder->cases[0].source, QStringLiteral("kitchen 9.wav")); // natural order
        QCOMPARE(folder->cases[1].source, QStringLiteral("kitchen 10.wav"));
        QCOMPARE(folder->cases[2].source, QStringLiteral("later/take.flac"));
        for (const LabelledCase &c : folder->cases)
            QCOMPARE(c.label, -1);
        QCOMPARE(folder->cases[0].length, 12);
        QVERIFY(folder->skipped.isEmpty());

        const auto one = loadLabelled(root + QStringLiteral("/later/take.flac"), options);
        QVERIFY(one);
        QCOMPARE(one->size(), 1);
        QCOMPARE(one->cases[0].source, QStringLiteral("take.flac"));
        QCOMPARE(one->cases[0].label, -1);

        // A .ts file may declare no labels; other files are still refused; an empty folder has
        // nothing to read.
        const QString ts = m_dir.filePath(QStringLiteral("new.ts"));
        writeText(ts, "@univariate false\n@dimensions 2\n@classLabel false\n@data\n"
                      "1,2,3:4,5,6\n7,8:9,?\n");
        const auto series = loadLabelled(ts, options);
        QVERIFY2(series, series ? "" : qPrintable(series.error().toString()));
        QCOMPARE(series->size(), 2);
        QCOMPARE(series->channels(), 2);
        QCOMPARE(series->classNames, options.classNames);
        QCOMPARE(series->cases[1].label, -1);
        QCOMPARE(series->cases[1].length, 2);
        QCOMPARE(series->cases[1].values[2], 8.0f); // [time, channels]
        QCOMPARE(series->missingValues, 1);
        const auto refused = loadLabelled(ts); // labels required unless asked otherwise
        QVERIFY(!refused);
        QVERIFY2(refused.error().toString().contains(QStringLiteral("--unlabelled")),
                 qPrintable(refused.error().toString()));
        const auto text = loadLabelled(root + QStringLiteral("/notes.txt"), options);
        QVERIFY(!text);
        QVERIFY(text.error().reason.contains(QStringLiteral("unknown labelled format")));
        const auto empty = loadLabelled(makeFolder(QStringLiteral("silent")), options);
        QVERIFY(!empty);
        QVERIFY(empty.error().reason.contains(QStringLiteral("no audio files")));
    }
};

QTEST_GUILESS_MAIN(TestAudioDatasetLoader)
#include "tst_audiodatasetloader.moc"
