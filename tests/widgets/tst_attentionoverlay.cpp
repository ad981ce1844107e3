#include "tst_attentionsets.h"
#include "widgets/explain/AttentionInputOverlay.h"

#include <QTest>

#include <cmath>

using namespace twb;

class TestAttentionOverlay : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void patchRangeShadesItsSamples();
    void timeStepsShadeOneSampleEach();
    void variateBarsCarryChannelNames();
    void tilesCoverTheirFramesAndBins();
    void specialTokensAreListed();
    void wrongSizesAreRejected();
    void queryOutlinedOrNamedPastTheWindow();
    void soundIsDrawnAsItsSpectrogramLitWhereAttended();
};

void TestAttentionOverlay::patchRangeShadesItsSamples()
{
    const explain::AttentionSet set = test::patchSet();
    AttentionInputOverlay overlay;
    overlay.setTokens(set.tokens);
    QCOMPARE(overlay.layout(), AttentionInputOverlay::Layout::Series);
    std::vector<float> values(96 * 2);
    for (int t = 0; t < 96; ++t) {
        values[std::size_t(t * 2)] = std::sin(0.2f * float(t));
        values[std::size_t(t * 2 + 1)] = float(t);
    }
    overlay.setInputSeries(values, 96, 2, {"HUFL", "HULL"});
    overlay.resize(712, 260);
    const QRect plot = overlay.plotRect();
    QVERIFY(plot.width() > 600);
    // Token 3 covers samples [24, 40) of 96.
    const QRectF r = overlay.keyRect(3);
    QCOMPARE(r.left(), plot.left() + 24.0 * plot.width() / 96.0);
    QCOMPARE(r.right(), plot.left() + 40.0 * plot.width() / 96.0);
    QCOMPARE(r.top(), double(plot.top()));
    QCOMPARE(r.height(), double(plot.height()));
    // The last patch ends at the right edge.
    QCOMPARE(overlay.keyRect(10).right(), double(plot.left() + plot.width()));
    std::vector<float> weights(11, 0.0f);
    weights[3] = 0.7f;
    weights[4] = 0.3f;
    overlay.setWeights(weights, QStringLiteral("query 3"));
    QCOMPARE(overlay.weights(), weights);
    overlay.setChannel(1);
    QCOMPARE(overlay.channel(), 1);
    overlay.setChannel(5);
    QCOMPARE(overlay.channel(), 1); // clamped to the series
    QVERIFY(!overlay.grab().isNull());
}

void TestAttentionOverlay::timeStepsShadeOneSampleEach()
{
    std::vector<TokenInfo> tokens;
    for (int t = 0; t < 50; ++t)
        tokens.push_back(TokenInfo{TokenInfo::Kind::TimeStep,
                                   QStringLiteral("t%1").arg(t).toStdString(), t, t + 1, -1, 0, 0});
    AttentionInputOverlay overlay;
    overlay.setTokens(tokens);
    overlay.resize(512, 200);
    const QRect plot = overlay.plotRect();
    // Without a series the axis spans the tokens: 50 samples.
    QCOMPARE(overlay.keyRect(49).left(), plot.left() + 49.0 * plot.width() / 50.0);
    QCOMPARE(overlay.keyRect(49).width(), plot.width() / 50.0);
}

void TestAttentionOverlay::variateBarsCarryChannelNames()
{
    const explain::AttentionSet set = test::variateSet();
    AttentionInputOverlay overlay;
    overlay.setTokens(set.tokens);
    QCOMPARE(overlay.layout(), AttentionInputOverlay::Layout::Variates);
    const QStringList names{"HUFL", "HULL", "MUFL", "MULL", "LUFL", "LULL", "OT"};
    overlay.setInputSeries(std::vector<float>(96 * 7, 1.0f), 96, 7, names);
    overlay.resize(640, 300);
    const std::vector<float> weights{0.05f, 0.1f, 0.05f, 0.1f, 0.1f, 0.1f, 0.5f};
    overlay.setWeights(weights);
    const QRect plot = overlay.plotRect();
    for (int c = 0; c < 7; ++c)
        QCOMPARE(overlay.barLabel(c), names[c]);
    // Bars are stacked top-down and as long as weight / max weight of the plot's width.
    QCOMPARE(overlay.keyRect(6).width(), double(plot.width()));
    QCOMPARE(overlay.keyRect(1).width(), plot.width() * double(0.1f) / double(0.5f));
    for (int c = 1; c < 7; ++c)
        QVERIFY(overlay.keyRect(c).top() >= overlay.keyRect(c - 1).bottom());
    QVERIFY(!overlay.grab().isNull());
}

void TestAttentionOverlay::tilesCoverTheirFramesAndBins()
{
    const explain::AttentionSet set = test::astSet();
    AttentionInputOverlay overlay;
    overlay.setTokens(set.tokens);
    QCOMPARE(overlay.layout(), AttentionInputOverlay::Layout::Tiles);
    dsp::FloatMatrix spectrogram(26, 36); // [bins, frames]
    for (std::int64_t b = 0; b < 26; ++b)
        for (std::int64_t f = 0; f < 36; ++f)
            spectrogram(b, f) = float(b - f);
    overlay.setInputSpectrogram(spectrogram);
    overlay.resize(36 * 16 + 12, 26 * 8 + 80);
    const QRect plot = overlay.plotRect();
    const double sx = plot.width() / 36.0;
    const double sy = plot.height() / 26.0;
    const double bottom = plot.top() + plot.height();
    QVERIFY(overlay.keyRect(0).isEmpty()); // CLS covers nothing
    QVERIFY(overlay.keyRect(1).isEmpty());
    // Token 2 + f * 3 + t: frames [10t, 10t+16) x bins [10f, 10f+16), bin 0 at the bottom.
    for (int f = 0; f < 2; ++f)
        for (int t = 0; t < 3; ++t) {
            const QRectF r = overlay.keyRect(2 + f * 3 + t);
            QCOMPARE(r.left(), plot.left() + 10.0 * t * sx);
            QCOMPARE(r.width(), 16.0 * sx);
            QCOMPARE(r.bottom(), bottom - 10.0 * f * sy);
            QCOMPARE(r.height(), 16.0 * sy);
        }
    // The top frequency tile reaches the plot's top edge.
    QCOMPARE(overlay.keyRect(5).top(), double(plot.top()));
    std::vector<float> weights(8, 0.05f);
    weights[6] = 0.7f;
    overlay.setWeights(weights);
    QVERIFY(!overlay.grab().isNull());
}

void TestAttentionOverlay::specialTokensAreListed()
{
    const explain::AttentionSet set = test::astSet();
    AttentionInputOverlay overlay;
    overlay.setTokens(set.tokens);
    QVERIFY(overlay.specialText().isEmpty()); // no weights yet
    overlay.setWeights({0.1f, 0.05f, 0.2f, 0.1f, 0.1f, 0.1f, 0.3f, 0.05f});
    QCOMPARE(overlay.specialText(), QStringLiteral("CLS 0.100   DIST 0.050"));
}

void TestAttentionOverlay::wrongSizesAreRejected()
{
    const explain::AttentionSet set = test::patchSet();
    AttentionInputOverlay overlay;
    overlay.setTokens(set.tokens);
    overlay.setWeights({0.5f, 0.5f}); // 2 weights for 11 tokens
    QVERIFY(overlay.weights().empty());
    overlay.setInputSeries(std::vector<float>(10), 96, 1); // 10 values for 96 samples
    overlay.resize(400, 200);
    // The axis falls back to the tokens' extent (96 samples).
    const QRect plot = overlay.plotRect();
    QCOMPARE(overlay.keyRect(10).right(), double(plot.left() + plot.width()));
    QVERIFY(!overlay.grab().isNull());
}

void TestAttentionOverlay::queryOutlinedOrNamedPastTheWindow()
{
    // Cross-attention: encoder steps as keys; the query a decoder step, first one of the label
    // part (inside the window), then one of the horizon (past it).
    std::vector<TokenInfo> keys;
    for (int t = 0; t < 32; ++t) {
        TokenInfo token;
        token.kind = TokenInfo::Kind::TimeStep;
        token.begin = t;
        token.end = t + 1;
        token.label = "encoder step t-" + std::to_string(32 - t);
        keys.push_back(token);
    }
    AttentionInputOverlay overlay;
    overlay.setTokens(keys);
    overlay.setInputSeries(std::vector<float>(32, 0.5f), 32, 1);
    overlay.resize(640, 200);
    QVERIFY(overlay.queryRect().isEmpty());
    TokenInfo query;
    query.kind = TokenInfo::Kind::TimeStep;
    query.begin = 28;
    query.end = 29;
    query.label = "decoder step t-4";
    overlay.setQueryToken(query);
    QVERIFY(!overlay.queryPastTheWindow());
    QCOMPARE(overlay.queryRect(), overlay.keyRect(28));
    query.begin = 44;
    query.end = 45;
    query.label = "decoder step t+12";
    overlay.setQueryToken(query);
    QVERIFY(overlay.queryPastTheWindow());
    const QRectF marker = overlay.queryRect();
    QVERIFY(!marker.isEmpty());
    QCOMPARE(marker.right(), double(overlay.plotRect().left() + overlay.plotRect().width()));
    QVERIFY(marker.width() < overlay.plotRect().width() / 2);
    // The marker is drawn: the picture differs from the one without a query.
    const QImage with = overlay.grab().toImage();
    overlay.setQueryToken(std::nullopt);
    QVERIFY(overlay.queryRect().isEmpty());
    QVERIFY(with != overlay.grab().toImage());
}

void TestAttentionOverlay::soundIsDrawnAsItsSpectrogramLitWhereAttended()
{
    // One second at 8 kHz: a 1 kHz tone for the first half, silence after. Four keys of a
    // quarter second each (as SepFormer's inter-chunk tokens cover the mixture).
    const int n = 8000;
    std::vector<float> sound(std::size_t(n), 0.0f);
    for (int t = 0; t < n / 2; ++t)
        sound[std::size_t(t)] = 0.5f * std::sin(2.0f * float(M_PI) * 1000.0f * float(t) / 8000.0f);
    std::vector<TokenInfo> tokens;
    for (int k = 0; k < 4; ++k)
        tokens.push_back(
            TokenInfo{TokenInfo::Kind::TimeRange, "chunk", k * 2000, (k + 1) * 2000, -1, 0, 0});
    AttentionInputOverlay overlay;
    overlay.setTokens(tokens);
    overlay.setInputSeries(sound, n, 1, {"mixture"});
    QVERIFY(!overlay.showsSound());
    overlay.setInputSound(sound, 8000.0);
    QVERIFY(overlay.showsSound());
    // 256-sample frames, hop 64, centred: 1 + 8000 / 64 frames, 129 bins.
    QCOMPARE(overlay.soundImage().width(), 1 + n / 64);
    QCOMPARE(overlay.soundImage().height(), 129);
    QCOMPARE(overlay.partialKeyExtent(), 0.0); // the keys span the whole mixture
    overlay.resize(800, 300);
    overlay.setWeights({1.0f, 0.0f, 0.0f, 0.0f}, QStringLiteral("query chunk 0"));
    const QImage image = overlay.grab().toImage();
    const QRect plot = overlay.plotRect();
    // The tone's row (1 kHz = bin 32 of 128 above the bottom) is bright where the query
    // attends (key 0) and darkened in key 1, where the same tone sounds.
    const int y = plot.bottom() - int(0.25 * plot.height());
    const int inKey0 = int(overlay.keyRect(0).center().x());
    const int inKey1 = int(overlay.keyRect(1).center().x());
    const int lit = qGray(image.pixel(inKey0, y));
    const int veiled = qGray(image.pixel(inKey1, y));
    QVERIFY2(lit > veiled + 40,
             qPrintable(QStringLiteral("lit %1, veiled %2").arg(lit).arg(veiled)));
    // Unattended silence stays dark; the attended key's bar along the bottom is the shade.
    QVERIFY(qGray(image.pixel(int(overlay.keyRect(3).center().x()), y)) < 40);
    const QColor bar = image.pixelColor(inKey0, plot.bottom() - 1);
    QVERIFY2(bar.red() > 200 && bar.blue() < 80, qPrintable(bar.name()));

    // Keys that cover only the start of the input (offsets within a chunk) are named.
    std::vector<TokenInfo> offsets;
    for (int k = 0; k < 10; ++k)
        offsets.push_back(
            TokenInfo{TokenInfo::Kind::TimeRange, "frame", k * 8, k * 8 + 16, -1, 0, 0});
    overlay.setTokens(offsets);
    QCOMPARE(overlay.partialKeyExtent(), 88.0);
    QVERIFY(overlay.showsSound());
    // Another series drops the sound: it belonged to the old one.
    overlay.setInputSeries(sound, n, 1);
    QVERIFY(!overlay.showsSound());
    overlay.setInputSound({}, 8000.0);
    QVERIFY(!overlay.showsSound());
}

QTEST_MAIN(TestAttentionOverlay)
#include "tst_attentionoverlay.moc"
