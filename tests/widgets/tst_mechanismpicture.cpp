// The mechanism charts of the forward-pass view, drawn from hand-made traces: the chosen delays
// marked at their lags, the input rolled by a delay, Fourier-mode bars at their frequencies,
// ProbSparse's active queries per head, a spectrum with its chosen frequencies marked, and null for
// every stage that is not a mechanism.

#include "widgets/explain/MechanismPicture.h"

#include <QImage>
#include <QtTest>

#include <cmath>
#include <functional>
#include <numbers>

using namespace twb;
using namespace twb::explain;

namespace {

const QSize kSize(300, 140);

ForwardStage stage(const std::string &name, const std::vector<std::int64_t> &shape,
                   const std::vector<float> &values)
{
    return makeForwardStage(name, shape, values.data());
}

/// [1, 48, 2]: channel 1 (the last) a sine of period 12 steps.
ForwardStage periodicInput()
{
    std::vector<float> values;
    for (int t = 0; t < 48; ++t) {
        values.push_back(0.1f * float(t));
        values.push_back(float(std::sin(2.0 * std::numbers::pi * t / 12.0)));
    }
    return stage("input", {1, 48, 2}, values);
}

/// Pixels of column x (or of the box [x0, x1] x [y0, y1]) whose colour passes `test`.
int count(const QImage &image, int x0, int x1, int y0, int y1,
          const std::function<bool(QColor)> &test)
{
    int n = 0;
    for (int x = std::max(0, x0); x <= std::min(image.width() - 1, x1); ++x)
        for (int y = std::max(0, y0); y <= std::min(image.height() - 1, y1); ++y)
            n += test(image.pixelColor(x, y)) ? 1 : 0;
    return n;
}

bool reddish(QColor c)
{
    return c.red() > 170 && c.green() < 130 && c.blue() < 130;
}

bool blueish(QColor c)
{
    return c.blue() > 140 && c.red() < 90 && c.green() > 80 && c.green() < 160;
}

bool orange(QColor c)
{
    return c.red() > 220 && c.green() > 90 && c.green() < 160 && c.blue() < 60;
}

bool faint(QColor c)
{
    return std::abs(c.red() - 180) < 12 && std::abs(c.green() - 190) < 12 &&
           std::abs(c.blue() - 210) < 12;
}

/// The chart area of MechanismPicture: x from 8 to width - 8, y from 16 to height - 14.
int xOf(double value, double from, double to)
{
    return int(std::lround(8.0 + (value - from) / (to - from) * (kSize.width() - 16.0)));
}

} // namespace

class tst_MechanismPicture : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void otherStagesHaveNoChart();
    void autocorrelationMarksTheDelays();
    void delaysRollTheInput();
    void modeBarsStandAtTheirFrequencies();
    void activeQueriesPerHead();
    void decompositionOnlyInChannelSpace();
    void spectrumMarksTheChosenFrequencies();
};

void tst_MechanismPicture::otherStagesHaveNoChart()
{
    ForwardTrace trace;
    trace.stages.push_back(periodicInput());
    trace.stages.push_back(stage("encoder_layer_0", {1, 4, 2}, std::vector<float>(8, 1.0f)));
    trace.stages.push_back(stage("encoder_layer_0.delays", {1, 2}, {3.0f, 6.0f}));
    QVERIFY(mechanismPicture(trace, 0, kSize).isNull());
    QVERIFY(mechanismPicture(trace, 1, kSize).isNull());
    QVERIFY(!mechanismPicture(trace, 2, kSize).isNull());
    QVERIFY(mechanismPicture(trace, 3, kSize).isNull());
    QVERIFY(mechanismPicture(trace, -1, kSize).isNull());
    QVERIFY(mechanismPicture(trace, 2, QSize(20, 20)).isNull());
    // A mechanism name with the wrong rank is not drawn either.
    trace.stages.push_back(stage("encoder_layer_0.autocorrelation", {48}, std::vector<float>(48)));
    QVERIFY(mechanismPicture(trace, 3, kSize).isNull());
}

void tst_MechanismPicture::autocorrelationMarksTheDelays()
{
    ForwardTrace trace;
    trace.stages.push_back(periodicInput());
    std::vector<float> r;
    for (int head = 0; head < 2; ++head)
        for (int tau = 0; tau < 48; ++tau)
            r.push_back(float(std::cos(2.0 * std::numbers::pi * tau / 12.0)) *
                        (1.0f - 0.1f * head));
    trace.stages.push_back(stage("encoder_layer_0.autocorrelation", {1, 2, 48}, r));
    trace.stages.push_back(stage("encoder_layer_0.delays", {1, 3}, {12.0f, 24.0f, 36.0f}));
    const QImage image = mechanismPicture(trace, 1, kSize);
    QCOMPARE(image.size(), kSize);
    const int top = 16, bottom = kSize.height() - 14;
    for (int tau : {12, 24, 36}) {
        const int x = xOf(tau, 0, 47);
        QVERIFY2(count(image, x - 1, x + 1, top, bottom, reddish) > 20,
                 qPrintable(QString::number(tau)));
    }
    for (int tau : {6, 18, 30}) {
        const int x = xOf(tau, 0, 47);
        QCOMPARE(count(image, x - 1, x + 1, top, bottom, reddish), 0);
    }
    // The mean of the heads is drawn.
    QVERIFY(count(image, 0, kSize.width(), top, bottom, blueish) > 100);
}

void tst_MechanismPicture::delaysRollTheInput()
{
    // Rolled by a whole period the input lies on itself (the grey line is hidden under the
    // red one); rolled by half a period it is the mirror image and the grey line shows.
    const auto faintPixels = [](float tau) {
        ForwardTrace trace;
        trace.stages.push_back(periodicInput());
        trace.stages.push_back(stage("encoder_layer_1.delays", {1, 2}, {tau, 7.0f}));
        const QImage image = mechanismPicture(trace, 1, kSize);
        return image.isNull() ? -1 : count(image, 0, kSize.width(), 16, kSize.height() - 14, faint);
    };
    const int whole = faintPixels(12.0f);
    const int half = faintPixels(6.0f);
    qInfo("grey pixels left visible: rolled by 12 steps %d, by 6 steps %d", whole, half);
    QVERIFY(whole >= 0);
    QVERIFY(half > 200);
    QVERIFY(whole * 4 < half);
    // The three strongest delays are drawn, each in its own colour; a fourth is not.
    ForwardTrace three;
    three.stages.push_back(periodicInput());
    three.stages.push_back(stage("encoder_layer_0.delays", {1, 4}, {3.0f, 6.0f, 9.0f, 1.0f}));
    const QImage image = mechanismPicture(three, 1, kSize);
    const int top = 16, bottom = kSize.height() - 14;
    const auto purple = [](QColor c) {
        return std::abs(c.red() - 148) < 20 && std::abs(c.green() - 103) < 20 &&
               std::abs(c.blue() - 189) < 20;
    };
    QVERIFY(count(image, 0, kSize.width(), top, bottom, reddish) > 100);
    QVERIFY(count(image, 0, kSize.width(), top, bottom, orange) > 50);
    QVERIFY(count(image, 0, kSize.width(), top, bottom, purple) > 50);
    // Without the input there is nothing to roll.
    ForwardTrace alone;
    alone.stages.push_back(stage("encoder_layer_1.delays", {1, 2}, {12.0f, 7.0f}));
    QVERIFY(mechanismPicture(alone, 0, kSize).isNull());
}

void tst_MechanismPicture::modeBarsStandAtTheirFrequencies()
{
    ForwardTrace trace;
    trace.stages.push_back(stage("encoder_layer_0.modes", {4}, {1.0f, 3.0f, 7.0f, 15.0f}));
    // Two heads; mode 7 twice as strong as the others.
    trace.stages.push_back(stage("encoder_layer_0.mode_magnitude", {2, 4},
                                 {1.0f, 1.0f, 2.0f, 1.0f, 1.0f, 1.0f, 2.0f, 1.0f}));
    const QImage image = mechanismPicture(trace, 1, kSize);
    QCOMPARE(image.size(), kSize);
    const int top = 16, bottom = kSize.height() - 14;
    const auto bar = [&](double frequency) {
        const int x = xOf(frequency + 0.5, 0, 16);
        return count(image, x, x, top, bottom, blueish);
    };
    QVERIFY(bar(1) > 10);
    QVERIFY(bar(15) > 10);
    QCOMPARE(bar(5), 0);
    QCOMPARE(bar(11), 0);
    QVERIFY2(std::abs(bar(7) - 2 * bar(3)) <= 2,
             qPrintable(QStringLiteral("%1 vs %2").arg(bar(7)).arg(bar(3))));
}

void tst_MechanismPicture::activeQueriesPerHead()
{
    ForwardTrace trace;
    trace.stages.push_back(stage("decoder_layer_0", {1, 20, 4}, std::vector<float>(80, 0.0f)));
    trace.stages.push_back(stage("decoder_layer_0.self_active_queries", {1, 2, 3},
                                 {0.0f, 5.0f, 19.0f, 2.0f, 3.0f, 4.0f}));
    const QImage image = mechanismPicture(trace, 1, kSize);
    QCOMPARE(image.size(), kSize);
    const int top = 16, bottom = kSize.height() - 14, middle = (top + bottom) / 2;
    const auto active = [&](int query, int head) {
        const int x = xOf(query + 0.5, 0, 20);
        return count(image, x, x, head == 0 ? top : middle + 1, head == 0 ? middle - 1 : bottom,
                     orange) > 0;
    };
    for (int q = 0; q < 20; ++q) {
        QCOMPARE(active(q, 0), q == 0 || q == 5 || q == 19);
        QCOMPARE(active(q, 1), q >= 2 && q <= 4);
    }
}

void tst_MechanismPicture::decompositionOnlyInChannelSpace()
{
    ForwardTrace trace;
    trace.stages.push_back(periodicInput());
    trace.stages.push_back(
        stage("input_decomposition.trend", {1, 48, 2}, std::vector<float>(96, 0.5f)));
    trace.stages.push_back(stage("encoder_layer_0.after_attention.seasonal", {1, 48, 16},
                                 std::vector<float>(768, 0.5f)));
    QVERIFY(!mechanismPicture(trace, 1, kSize).isNull());
    QVERIFY(mechanismPicture(trace, 2, kSize).isNull());
}

void tst_MechanismPicture::spectrumMarksTheChosenFrequencies()
{
    // TimesNet's spectrum over f = 0..48 (T = 96) with peaks at f 4 and 8 (periods 24, 12).
    ForwardTrace trace;
    std::vector<float> amplitude(49, 0.5f);
    amplitude[0] = 0.0f;
    amplitude[4] = 48.0f;
    amplitude[8] = 24.0f;
    trace.stages.push_back(stage("times_block_0", {1, 96, 4}, std::vector<float>(384, 0.0f)));
    trace.stages.push_back(stage("times_block_0.spectrum", {49}, amplitude));
    trace.stages.push_back(stage("times_block_0.frequencies", {2}, {4.0f, 8.0f}));
    trace.stages.push_back(stage("times_block_0.periods", {2}, {24.0f, 12.0f}));
    const QImage image = mechanismPicture(trace, 1, kSize);
    QCOMPARE(image.size(), kSize);
    const int top = 16, bottom = kSize.height() - 14;
    for (int f : {4, 8}) {
        const int x = xOf(f, 0, 48);
        QVERIFY2(count(image, x - 1, x + 1, top, bottom, reddish) > 20,
                 qPrintable(QString::number(f)));
    }
    for (int f : {20, 30, 40}) {
        const int x = xOf(f, 0, 48);
        QCOMPARE(count(image, x - 1, x + 1, top, bottom, reddish), 0);
    }
    // The amplitude is drawn, highest at f 4.
    QVERIFY(count(image, 0, kSize.width(), top, bottom, blueish) > 50);
    const int peak = xOf(4, 0, 48);
    QVERIFY(count(image, peak - 3, peak + 3, top, top + 10, blueish) > 0);
    // Without its siblings the spectrum is still drawn; other ranks are not.
    ForwardTrace alone;
    alone.stages.push_back(stage("times_block_0.spectrum", {1, 49}, amplitude));
    QVERIFY(!mechanismPicture(alone, 0, kSize).isNull());
    alone.stages.push_back(stage("times_block_1.spectrum", {2, 2, 49}, std::vector<float>(196)));
    QVERIFY(mechanismPicture(alone, 1, kSize).isNull());
    // The block's folds are heat maps (no chart).
    trace.stages.push_back(stage("times_block_0.fold_0", {1, 4, 24}, std::vector<float>(96)));
    QVERIFY(mechanismPicture(trace, 4, kSize).isNull());
}

QTEST_MAIN(tst_MechanismPicture)
#include "tst_mechanismpicture.moc"
