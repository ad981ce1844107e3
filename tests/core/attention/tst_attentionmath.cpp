// Head and layer averages, rollout, query rows and entropy against matrices worked out by hand.

#include "attention/AttentionMath.h"

#include <QtTest>

#include <cmath>

using namespace twb::explain;

namespace {

AttentionLayer layer(int heads, int n, std::vector<float> weights)
{
    return AttentionLayer{heads, n, n, std::move(weights)};
}

/// Two tokens, two heads.
///   head 0 = [[1, 0], [0.5, 0.5]], head 1 = [[0.5, 0.5], [0, 1]]
AttentionLayer layer0()
{
    return layer(2, 2, {1.0f, 0.0f, 0.5f, 0.5f, /* head 1 */ 0.5f, 0.5f, 0.0f, 1.0f});
}

///   head 0 = [[0, 1], [0, 1]], head 1 = [[0.5, 0.5], [1, 0]]
AttentionLayer layer1()
{
    return layer(2, 2, {0.0f, 1.0f, 0.0f, 1.0f, /* head 1 */ 0.5f, 0.5f, 1.0f, 0.0f});
}

void compareWeights(const AttentionLayer &actual, const std::vector<float> &expected)
{
    QCOMPARE(actual.weights.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i)
        QVERIFY2(std::abs(actual.weights[i] - expected[i]) < 1e-6f,
                 qPrintable(QStringLiteral("entry %1: %2 != %3")
                                .arg(i)
                                .arg(actual.weights[i])
                                .arg(expected[i])));
}

} // namespace

class tst_AttentionMath : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void headAverage2x2();
    void layerAverage2x2();
    void layerAverageRefusesOtherShapes();
    void averagesCombineOnlyTheLayersOverTheInputTokens();
    void rolloutTwoLayers();
    void rolloutFirstLayerOnly();
    void rolloutThreeTokensRenormalises();
    void rolloutRefusesRectangularMaps();
    void queryRowOfHeadAndMean();
    void entropy();
    void invalidInputGivesEmpty();
    void meanOverSamples();
};

void tst_AttentionMath::headAverage2x2()
{
    // (head0 + head1) / 2 = [[(1+0.5)/2, (0+0.5)/2], [(0.5+0)/2, (0.5+1)/2]]
    //                     = [[0.75, 0.25], [0.25, 0.75]]
    const AttentionLayer mean = headAverage(layer0());
    QCOMPARE(mean.heads, 1);
    QCOMPARE(mean.queries, 2);
    QCOMPARE(mean.keys, 2);
    compareWeights(mean, {0.75f, 0.25f, 0.25f, 0.75f});
    // layer 1: [[(0+0.5)/2, (1+0.5)/2], [(0+1)/2, (1+0)/2]] = [[0.25, 0.75], [0.5, 0.5]]
    compareWeights(headAverage(layer1()), {0.25f, 0.75f, 0.5f, 0.5f});
}

void tst_AttentionMath::layerAverage2x2()
{
    // Head by head over the layers:
    //   head 0: ([[1,0],[0.5,0.5]] + [[0,1],[0,1]]) / 2 = [[0.5, 0.5], [0.25, 0.75]]
    //   head 1: ([[0.5,0.5],[0,1]] + [[0.5,0.5],[1,0]]) / 2 = [[0.5, 0.5], [0.5, 0.5]]
    const AttentionLayer mean = layerAverage({layer0(), layer1()});
    QCOMPARE(mean.heads, 2);
    compareWeights(mean, {0.5f, 0.5f, 0.25f, 0.75f, 0.5f, 0.5f, 0.5f, 0.5f});
}

void tst_AttentionMath::layerAverageRefusesOtherShapes()
{
    const AttentionLayer oneHead = layer(1, 2, {1.0f, 0.0f, 0.0f, 1.0f});
    QVERIFY(!layerAverage({layer0(), oneHead}).isValid());
    QVERIFY(!layerAverage({}).isValid());
}

void tst_AttentionMath::averagesCombineOnlyTheLayersOverTheInputTokens()
{
    // Two layers over the 2 input tokens, a distilled layer over 1 token of its own and a
    // cross-attention map [3 decoder tokens, 1 key]: the chain is the first two.
    AttentionSet set;
    set.tokens.resize(2);
    AttentionLayer distilled = layer(2, 1, {1.0f, 1.0f});
    distilled.queryTokens.resize(1);
    distilled.keyTokens.resize(1);
    AttentionLayer cross{2, 3, 1, std::vector<float>(6, 1.0f)};
    cross.kind = AttentionLayer::Kind::CrossAttention;
    cross.queryTokens.resize(3);
    cross.keyTokens.resize(1);
    set.layers = {layer0(), layer1(), distilled, cross};
    QCOMPARE(set.inputTokenChain(), 2);
    QVERIFY(set.overInputTokens(1));
    QVERIFY(!set.overInputTokens(2));
    QVERIFY(!set.overInputTokens(3));
    QCOMPARE(set.queryTokens(3).size(), std::size_t(3));
    QCOMPARE(set.keyTokens(0).size(), std::size_t(2));
    QCOMPARE(set.layerName(3), std::string("layer 3"));

    // All four layers cannot be averaged or rolled out; the first two can.
    QVERIFY(!layerAverage(set.layers).isValid());
    compareWeights(layerAverage(set.layers, set.inputTokenChain()),
                   layerAverage({layer0(), layer1()}).weights);
    QVERIFY(!rollout(set.layers).isValid());
    compareWeights(rollout(set.layers, set.inputTokenChain() - 1),
                   rollout({layer0(), layer1()}).weights);

    // A square layer of the right size but with tokens of its own ends the chain too.
    AttentionSet own = set;
    own.layers[1].queryTokens.resize(2);
    own.layers[1].keyTokens.resize(2);
    QCOMPARE(own.inputTokenChain(), 1);
}

void tst_AttentionMath::rolloutTwoLayers()
{
    // Â0 = 0.5 * [[0.75, 0.25], [0.25, 0.75]] + 0.5 * I = [[0.875, 0.125], [0.125, 0.875]]
    // Â1 = 0.5 * [[0.25, 0.75], [0.5, 0.5]]   + 0.5 * I = [[0.625, 0.375], [0.25, 0.75]]
    // (rows already sum to 1). R = Â1 · Â0:
    //   R[0,0] = 0.625*0.875 + 0.375*0.125 = 0.546875 + 0.046875 = 0.59375
    //   R[0,1] = 0.625*0.125 + 0.375*0.875 = 0.078125 + 0.328125 = 0.40625
    //   R[1,0] = 0.25*0.875  + 0.75*0.125  = 0.21875  + 0.09375  = 0.3125
    //   R[1,1] = 0.25*0.125  + 0.75*0.875  = 0.03125  + 0.65625  = 0.6875
    const AttentionLayer r = rollout({layer0(), layer1()});
    QCOMPARE(r.heads, 1);
    QCOMPARE(r.queries, 2);
    compareWeights(r, {0.59375f, 0.40625f, 0.3125f, 0.6875f});
    // upToLayer = 1 is the last layer: the same product.
    compareWeights(rollout({layer0(), layer1()}, 1), {0.59375f, 0.40625f, 0.3125f, 0.6875f});
}

void tst_AttentionMath::rolloutFirstLayerOnly()
{
    // Only Â0 = [[0.875, 0.125], [0.125, 0.875]].
    compareWeights(rollout({layer0(), layer1()}, 0), {0.875f, 0.125f, 0.125f, 0.875f});
    // Past the last layer: empty.
    QVERIFY(!rollout({layer0(), layer1()}, 2).isValid());
}

void tst_AttentionMath::rolloutThreeTokensRenormalises()
{
    // One head, three tokens, rows that do not sum to 1 (e.g. a map cut from a larger one):
    //   A = [[2, 0, 0], [0, 0, 1], [1, 1, 1]]
    //   0.5 A + 0.5 I = [[1.5, 0, 0], [0, 0.5, 0.5], [0.5, 0.5, 1.0]]
    //   row sums 1.5, 1, 2 -> Â = [[1, 0, 0], [0, 0.5, 0.5], [0.25, 0.25, 0.5]]
    const AttentionLayer a = layer(1, 3, {2, 0, 0, 0, 0, 1, 1, 1, 1});
    compareWeights(rollout({a}), {1, 0, 0, 0, 0.5f, 0.5f, 0.25f, 0.25f, 0.5f});
    // Two such layers: Â · Â
    //   row 0: [1, 0, 0]
    //   row 1: 0.5*[0, 0.5, 0.5] + 0.5*[0.25, 0.25, 0.5] = [0.125, 0.375, 0.5]
    //   row 2: 0.25*[1,0,0] + 0.25*[0,0.5,0.5] + 0.5*[0.25,0.25,0.5] = [0.375, 0.25, 0.375]
    compareWeights(rollout({a, a}), {1, 0, 0, 0.125f, 0.375f, 0.5f, 0.375f, 0.25f, 0.375f});
}

void tst_AttentionMath::rolloutRefusesRectangularMaps()
{
    const AttentionLayer rect{1, 2, 3, std::vector<float>(6, 1.0f / 3.0f)};
    QVERIFY(!rollout({rect}).isValid());
    QVERIFY(!rollout({}).isValid());
}

void tst_AttentionMath::queryRowOfHeadAndMean()
{
    QCOMPARE(queryRow(layer0(), 0, 1), (std::vector<float>{0.5f, 0.5f}));
    QCOMPARE(queryRow(layer0(), 1, 0), (std::vector<float>{0.5f, 0.5f}));
    // Mean over heads of query 1: [(0.5+0)/2, (0.5+1)/2] = [0.25, 0.75]
    QCOMPARE(queryRow(layer0(), -1, 1), (std::vector<float>{0.25f, 0.75f}));
    QVERIFY(queryRow(layer0(), 2, 0).empty());
    QVERIFY(queryRow(layer0(), 0, 2).empty());
}

void tst_AttentionMath::entropy()
{
    // head 0: [1, 0] -> 0; [0.5, 0.5] -> ln 2. head 1: [0.5, 0.5] -> ln 2; [0, 1] -> 0.
    const std::vector<float> e = rowEntropy(layer0());
    QCOMPARE(e.size(), std::size_t(4));
    const float ln2 = float(std::log(2.0));
    QCOMPARE(e[0], 0.0f);
    QVERIFY(std::abs(e[1] - ln2) < 1e-6f);
    QVERIFY(std::abs(e[2] - ln2) < 1e-6f);
    QCOMPARE(e[3], 0.0f);
}

void tst_AttentionMath::invalidInputGivesEmpty()
{
    const AttentionLayer broken{2, 2, 2, {1.0f}};
    QVERIFY(!headAverage(broken).isValid());
    QVERIFY(rowEntropy(broken).empty());
    QVERIFY(!rollout({broken}).isValid());
}

void tst_AttentionMath::meanOverSamples()
{
    // Three samples' sets of one layer: the running mean is the element-wise mean.
    AttentionSet a, b, c;
    a.layers = {layer0()};
    b.layers = {layer1()};
    c.layers = {layer0()};
    a.sampleLabel = "first";
    AttentionSet mean;
    QVERIFY(addToMean(mean, a, 0));
    QCOMPARE(mean.sampleLabel, std::string("first")); // the first set is copied
    QVERIFY(addToMean(mean, b, 1));
    QVERIFY(addToMean(mean, c, 2));
    std::vector<float> expected(8);
    for (std::size_t i = 0; i < 8; ++i)
        expected[i] = (2.0f * layer0().weights[i] + layer1().weights[i]) / 3.0f;
    compareWeights(mean.layers[0], expected);

    // Another shape is refused and changes nothing.
    AttentionSet other;
    other.layers = {layer(1, 2, {1.0f, 0.0f, 0.0f, 1.0f})};
    QVERIFY(!addToMean(mean, other, 3));
    compareWeights(mean.layers[0], expected);
    AttentionSet twoLayers;
    twoLayers.layers = {layer0(), layer1()};
    QVERIFY(!addToMean(mean, twoLayers, 3));
}

QTEST_GUILESS_MAIN(tst_AttentionMath)
#include "tst_attentionmath.moc"
