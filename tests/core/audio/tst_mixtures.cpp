// Mixtures of different speakers: reproducible under a seed, never one speaker twice, the
// levels asked for, the mixture the sum of its sources; and the WAV writer that stores them
// (a round trip through the project's reader, atomic, refusing what it cannot write). Real
// recordings: FSDD's five speakers from ../shared/data.
#include "audio/AudioReader.h"
#include "audio/AudioWriter.h"
#include "audio/LabelledLoader.h"
#include "audio/Mixtures.h"
#include "data/CaseGroups.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <numeric>
#include <set>

using namespace twb;

namespace {

double rms(const std::vector<float> &v, std::int64_t n)
{
    double sum = 0.0;
    for (std::int64_t i = 0; i < n; ++i)
        sum += double(v[std::size_t(i)]) * double(v[std::size_t(i)]);
    return std::sqrt(sum / double(n));
}

/// A small speech data set: digits 0 and 1 of every FSDD speaker, takes 0-2 (30 files).
LabelledDataset smallFsdd(const QString &folder)
{
    const QDir source(QStringLiteral(TWB_SHARED_DATA_DIR "/fsdd/recordings"));
    for (const QString speaker : {"george", "jackson", "nicolas", "theo", "yweweler"})
        for (int digit = 0; digit < 2; ++digit)
            for (int take = 0; take < 3; ++take) {
                const QString name =
                    QStringLiteral("%1_%2_%3.wav").arg(digit).arg(speaker).arg(take);
                QFile::copy(source.filePath(name), folder + QLatin1Char('/') + name);
            }
    Expected<LabelledDataset> data = loadLabelled(folder);
    return data ? *data : LabelledDataset{};
}

} // namespace

class tst_Mixtures : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_data = smallFsdd(m_dir.path());
        QCOMPARE(m_data.size(), std::int64_t(30));
        QCOMPARE(m_data.sampleRate, 8000.0);
        Expected<GroupRule> rule = GroupRule::parse(QStringLiteral("speaker"));
        QVERIFY(rule);
        Expected<QStringList> speakers = caseGroups(m_data, *rule);
        QVERIFY(speakers);
        m_speakers = *speakers;
        m_all.resize(std::size_t(m_data.size()));
        std::iota(m_all.begin(), m_all.end(), 0);
    }

    void reproducibleAndNeverOneSpeakerTwice()
    {
        MixtureOptions options;
        options.seed = 7;
        const auto a = drawMixtures(m_data, m_speakers, m_all, 200, options);
        const auto b = drawMixtures(m_data, m_speakers, m_all, 200, options);
        QVERIFY(a && b);
        QCOMPARE(a->size(), std::size_t(200));
        std::set<QString> firstSpeakers;
        for (std::size_t m = 0; m < a->size(); ++m) {
            QCOMPARE((*a)[m].cases, (*b)[m].cases);
            QCOMPARE((*a)[m].gains, (*b)[m].gains);
            QCOMPARE((*a)[m].cases.size(), std::size_t(2));
            QVERIFY(m_speakers[(*a)[m].cases[0]] != m_speakers[(*a)[m].cases[1]]);
            firstSpeakers.insert(m_speakers[(*a)[m].cases[0]]);
        }
        QCOMPARE(firstSpeakers.size(), std::size_t(5)); // every speaker gets drawn
        options.seed = 8;
        const auto c = drawMixtures(m_data, m_speakers, m_all, 200, options);
        QVERIFY(c);
        int same = 0;
        for (std::size_t m = 0; m < c->size(); ++m)
            same += (*c)[m].cases == (*a)[m].cases ? 1 : 0;
        QVERIFY2(same < 20, qPrintable(QString::number(same)));
        // Three sources: three different speakers.
        options.sources = 3;
        const auto three = drawMixtures(m_data, m_speakers, m_all, 50, options);
        QVERIFY(three);
        for (const MixtureSpec &s : *three)
            QCOMPARE(std::set<QString>(
                         {m_speakers[s.cases[0]], m_speakers[s.cases[1]], m_speakers[s.cases[2]]})
                         .size(),
                     std::size_t(3));
    }

    void levelsAndRendering()
    {
        MixtureOptions options;
        options.minLevelDb = -5.0;
        options.maxLevelDb = 5.0;
        const auto mixtures = drawMixtures(m_data, m_speakers, m_all, 100, options);
        QVERIFY(mixtures);
        double lowest = 1e9, highest = -1e9;
        for (const MixtureSpec &spec : *mixtures) {
            // The first source's level over the second's lies in the range...
            const double level = -spec.levelsDb[1];
            QVERIFY(level >= -5.0 && level <= 5.0);
            lowest = std::min(lowest, level);
            highest = std::max(highest, level);
            QCOMPARE(spec.length, std::max(m_data.cases[std::size_t(spec.cases[0])].length,
                                           m_data.cases[std::size_t(spec.cases[1])].length));
            // ... and the rendered sources have it, measured over each utterance's own length.
            const RenderedMixture r = renderMixture(m_data, spec);
            const std::int64_t n0 = m_data.cases[std::size_t(spec.cases[0])].length;
            const std::int64_t n1 = m_data.cases[std::size_t(spec.cases[1])].length;
            const double measured =
                20.0 * std::log10(rms(r.sources[0], n0) / rms(r.sources[1], n1));
            QVERIFY2(std::abs(measured - level) < 1e-3,
                     qPrintable(QStringLiteral("%1 vs %2").arg(measured).arg(level)));
            float peak = 0.0f;
            for (std::int64_t i = 0; i < spec.length; ++i) {
                const float sum = r.sources[0][std::size_t(i)] + r.sources[1][std::size_t(i)];
                QVERIFY(std::abs(r.mixture[std::size_t(i)] - sum) < 1e-6f);
                peak = std::max(peak, std::abs(r.mixture[std::size_t(i)]));
            }
            QVERIFY(peak <= 0.9f + 1e-6f);
            // Zero-padded after the shorter utterance.
            const std::int64_t shorter = std::min(n0, n1);
            if (shorter < spec.length) {
                const std::size_t quiet = n0 < n1 ? 0 : 1;
                QCOMPARE(r.sources[quiet][std::size_t(spec.length - 1)], 0.0f);
            }
        }
        QVERIFY(lowest < -3.0 && highest > 3.0); // the range is used, not one end of it
        // A fixed length cuts or pads every source.
        options.length = 4000;
        const auto fixed = drawMixtures(m_data, m_speakers, m_all, 5, options);
        QVERIFY(fixed);
        for (const MixtureSpec &spec : *fixed) {
            const RenderedMixture r = renderMixture(m_data, spec);
            QCOMPARE(r.mixture.size(), std::size_t(4000));
            QCOMPARE(r.sources[1].size(), std::size_t(4000));
        }
    }

    void refusesWhatCannotBeMixed()
    {
        MixtureOptions options;
        // Candidates of one speaker only.
        std::vector<std::int64_t> george;
        for (std::int64_t i = 0; i < m_data.size(); ++i)
            if (m_speakers[qsizetype(i)] == QLatin1String("george"))
                george.push_back(i);
        auto r = drawMixtures(m_data, m_speakers, george, 10, options);
        QVERIFY(!r);
        QVERIFY(r.error().reason.contains(QLatin1String("only 1 speaker among")));
        QCOMPARE(r.error().file, m_data.sourcePath);
        options.sources = 6;
        QVERIFY(!drawMixtures(m_data, m_speakers, m_all, 10, options));
        options.sources = 2;
        QVERIFY(!drawMixtures(m_data, m_speakers, m_all, 0, options));
        QVERIFY(!drawMixtures(m_data, m_speakers, {999}, 10, options));
        options.minLevelDb = 6.0;
        QVERIFY(!drawMixtures(m_data, m_speakers, m_all, 10, options));
        options.minLevelDb = std::nan("");
        QVERIFY(!drawMixtures(m_data, m_speakers, m_all, 10, options));
        QVERIFY(!drawMixtures(m_data, m_speakers.mid(1), m_all, 10, MixtureOptions{}));
    }

    void wavRoundTrip()
    {
        std::vector<float> samples(1234);
        for (std::size_t i = 0; i < samples.size(); ++i)
            samples[i] = float(0.5 * std::sin(0.01 * double(i)) + 1e-7 * double(i));
        const QString path = m_dir.filePath(QStringLiteral("out.wav"));
        QVERIFY(writeWavFloat(path, samples, 8000.0));
        Expected<AudioClip> clip = readAudio(path);
        QVERIFY(clip);
        QCOMPARE(clip->sampleRate, 8000.0);
        QCOMPARE(clip->samples, samples); // float WAV: bit for bit
        // A refused write leaves the old file whole.
        QVERIFY(!writeWavFloat(path, {}, 8000.0));
        QVERIFY(!writeWavFloat(path, samples, 0.0));
        QVERIFY(!writeWavFloat(path, samples, 8000.5));
        std::vector<float> bad = samples;
        bad[3] = std::nanf("");
        const Status s = writeWavFloat(path, bad, 8000.0);
        QVERIFY(!s);
        QVERIFY(s.error().reason.contains(QLatin1String("sample 3")));
        QCOMPARE(s.error().file, path);
        QCOMPARE(readAudio(path)->samples, samples);
        QVERIFY(!writeWavFloat(m_dir.filePath(QStringLiteral("missing/folder/x.wav")), samples,
                               8000.0));
    }

private:
    QTemporaryDir m_dir;
    LabelledDataset m_data;
    QStringList m_speakers;
    std::vector<std::int64_t> m_all;
};

QTEST_GUILESS_MAIN(tst_Mixtures)
#include "tst_mixtures.moc"
