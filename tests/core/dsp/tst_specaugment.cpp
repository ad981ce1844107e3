#include "dsp/SpecAugment.h"

#include <QTest>

using namespace twb::dsp;

Q_DECLARE_METATYPE(SpectrogramLayout)

class TestSpecAugment : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void masksAreWhereTheyAreReported_data()
    {
        QTest::addColumn<SpectrogramLayout>("layout");
        QTest::newRow("[bins, frames]") << SpectrogramLayout::BinsFrames;
        QTest::newRow("[frames, bins]") << SpectrogramLayout::FramesBins;
    }
    void masksAreWhereTheyAreReported()
    {
        QFETCH(SpectrogramLayout, layout);
        const std::int64_t bins = 128, frames = 300;
        std::vector<float> values(std::size_t(bins * frames), 1.0f);
        SpecAugmentOptions o;
        o.freqMaskParam = 27;
        o.timeMaskParam = 40;
        o.fill = -3.0f;
        std::mt19937_64 rng(2024);
        auto masks = applySpecAugment(values, bins, frames, layout, o, rng);
        QVERIFY(masks);
        QCOMPARE(masks->frequency.size(), std::size_t(2));
        QCOMPARE(masks->time.size(), std::size_t(2));
        auto masked = [&](std::int64_t b, std::int64_t t) {
            for (const MaskSpan &m : masks->frequency)
                if (b >= m.start && b < m.start + m.width)
                    return true;
            for (const MaskSpan &m : masks->time)
                if (t >= m.start && t < m.start + m.width)
                    return true;
            return false;
        };
        std::int64_t filled = 0;
        for (std::int64_t b = 0; b < bins; ++b)
            for (std::int64_t t = 0; t < frames; ++t) {
                const std::size_t i = std::size_t(
                    layout == SpectrogramLayout::BinsFrames ? b * frames + t : t * bins + b);
                QCOMPARE(values[i], masked(b, t) ? -3.0f : 1.0f);
                filled += masked(b, t);
            }
        for (const MaskSpan &m : masks->frequency)
            QVERIFY(m.width >= 0 && m.width <= 27 && m.start >= 0 && m.start + m.width <= bins);
        for (const MaskSpan &m : masks->time)
            QVERIFY(m.width >= 0 && m.width <= 40 && m.start >= 0 && m.start + m.width <= frames);
        QVERIFY(filled > 0);

        // The same seed gives the same masks in either layout.
        std::mt19937_64 again(2024);
        const AppliedMasks drawn = drawSpecAugmentMasks(bins, frames, o, again);
        QCOMPARE(drawn.frequency, masks->frequency);
        QCOMPARE(drawn.time, masks->time);
    }

    void widthsCoverTheirWholeRange()
    {
        // Over many draws every width 0..F appears and none exceeds F; starts stay inside.
        SpecAugmentOptions o;
        o.freqMaskParam = 5;
        o.freqMasks = 1;
        o.timeMaskParam = 100;
        o.timeMasks = 1;
        o.maxTimeFraction = 0.2; // p: at most 0.2 * 50 = 10 frames
        std::mt19937_64 rng(1);
        std::vector<int> seen(6, 0);
        for (int i = 0; i < 2000; ++i) {
            const AppliedMasks m = drawSpecAugmentMasks(20, 50, o, rng);
            QVERIFY(m.frequency[0].width <= 5);
            ++seen[std::size_t(m.frequency[0].width)];
            QVERIFY(m.time[0].width <= 10);
            QVERIFY(m.time[0].start + m.time[0].width <= 50);
        }
        for (int count : seen)
            QVERIFY(count > 200); // about 333 each
    }

    void parameterLargerThanTheAxis()
    {
        SpecAugmentOptions o;
        o.freqMaskParam = 100;
        o.timeMaskParam = 100;
        std::mt19937_64 rng(3);
        for (int i = 0; i < 200; ++i) {
            const AppliedMasks m = drawSpecAugmentMasks(8, 4, o, rng);
            for (const MaskSpan &s : m.frequency)
                QVERIFY(s.start >= 0 && s.start + s.width <= 8);
            for (const MaskSpan &s : m.time)
                QVERIFY(s.start >= 0 && s.start + s.width <= 4);
        }
    }

    void errors()
    {
        std::vector<float> values(10);
        std::mt19937_64 rng(0);
        auto wrong = applySpecAugment(values, 3, 4, SpectrogramLayout::BinsFrames, {}, rng);
        QVERIFY(!wrong);
        QCOMPARE(wrong.error().reason,
                 QStringLiteral("the buffer holds 10 values, not 3 bins x 4 frames"));
        SpecAugmentOptions o;
        o.timeMasks = -1;
        QVERIFY(!applySpecAugment(values, 2, 5, SpectrogramLayout::BinsFrames, o, rng));
    }
};

QTEST_GUILESS_MAIN(TestSpecAugment)
#include "tst_specaugment.moc"
