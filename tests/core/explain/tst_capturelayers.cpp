// Attention captured from encoder-decoder models, with a small fake model instead of a plugin:
// distilled encoder layers over their own tokens, cross-attention (decoder tokens x the last
// encoder layer's tokens), per-layer validation, and a model without attention maps.

#include "explain/AttentionCapture.h"
#include "nn/Model.h"

#include <QtTest>

#include <string>

using namespace twb;
using namespace twb::explain;

namespace {

/// An Informer-shaped model over an 8-step lookback: encoder layer 0 attends over the 8 steps,
/// encoder layer 1 over 4 distilled tokens (steps [2i, 2i+2)), and one decoder layer's
/// cross-attention has 6 decoder tokens (label_len 2 + horizon 4) as queries and the 4 distilled
/// tokens as keys. The maps are softmax of fixed ramps, so a test can recompute them. Options
/// make it describe wrong token counts or return no maps at all.
class FakeInformer : public Model
{
public:
    int describedDistilledTokens = 4;
    int describedDecoderTokens = 6;
    bool maps = true;

    static torch::Tensor ramp(std::int64_t batch, std::int64_t heads, std::int64_t queries,
                              std::int64_t keys, double scale)
    {
        return (torch::arange(batch * heads * queries * keys, torch::kFloat) * scale)
            .sin()
            .reshape({batch, heads, queries, keys})
            .softmax(-1);
    }

    ModelOutput forward(const torch::Tensor &input, const ForwardOptions &options) override
    {
        ModelOutput out;
        const std::int64_t batch = input.size(0);
        out.prediction = torch::zeros({batch, 4, input.size(2)});
        if (!options.captureAttention)
            return out;
        if (!maps) {
            out.mechanisms.push_back({"encoder_layer_0/delays", torch::zeros({batch, 3})});
            return out;
        }
        out.attention.push_back(ramp(batch, 2, 8, 8, 0.1));
        out.attention.push_back(ramp(batch, 2, 4, 4, 0.2));
        out.crossAttention.push_back(ramp(batch, 2, 6, 4, 0.3));
        return out;
    }

    std::vector<TokenInfo> tokens() const override
    {
        std::vector<TokenInfo> result;
        for (int i = 0; i < 8; ++i)
            result.push_back(
                {TokenInfo::Kind::TimeStep, "step " + std::to_string(i), i, i + 1, -1, 0, 0});
        return result;
    }

    std::vector<TokenInfo> encoderLayerTokens(std::size_t layer) const override
    {
        if (layer == 0)
            return tokens();
        std::vector<TokenInfo> result;
        for (int i = 0; i < describedDistilledTokens; ++i)
            result.push_back(
                {TokenInfo::Kind::TimeRange,
                 "steps [" + std::to_string(2 * i) + "," + std::to_string(2 * i + 2) + ")", 2 * i,
                 2 * i + 2, -1, 0, 0});
        return result;
    }

    std::vector<TokenInfo> decoderTokens() const override
    {
        std::vector<TokenInfo> result;
        for (int i = 0; i < describedDecoderTokens; ++i) {
            const std::string label = i < 2 ? "decoder step t-" + std::to_string(2 - i)
                                            : "decoder step t+" + std::to_string(i - 1);
            result.push_back({TokenInfo::Kind::TimeStep, label, 6 + i, 7 + i, -1, 0, 0});
        }
        return result;
    }
};

std::vector<float> valuesOf(const torch::Tensor &t)
{
    const torch::Tensor c = t.contiguous();
    return {c.data_ptr<float>(), c.data_ptr<float>() + c.numel()};
}

} // namespace

class tst_CaptureLayers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void distilledAndCrossLayersHaveTheirShapesAndNames();
    void layerTokensThatDisagreeAreAnError();
    void crossTokensThatDisagreeAreAnError();
    void modelWithoutMapsSaysSo();
};

void tst_CaptureLayers::distilledAndCrossLayersHaveTheirShapesAndNames()
{
    FakeInformer model;
    const torch::Tensor x = torch::randn({1, 8, 2});
    Expected<AttentionSet> set =
        captureModelAttention(model, x, -1, {}, QStringLiteral("informer"));
    QVERIFY2(set, set ? "" : qPrintable(set.error().toString()));
    QCOMPARE(set->tokenCount(), 8);
    QCOMPARE(set->channel, std::int64_t(-1));
    QCOMPARE(set->layerCount(), 3);

    // Encoder layer 0: over the input's tokens (no lists of its own).
    const AttentionLayer &first = set->layers[0];
    QCOMPARE(first.name, std::string("encoder layer 0"));
    QCOMPARE(first.kind, AttentionLayer::Kind::SelfAttention);
    QCOMPARE(first.heads, 2);
    QCOMPARE(first.queries, 8);
    QCOMPARE(first.keys, 8);
    QVERIFY(first.usesSetTokens());
    QCOMPARE(first.weights, valuesOf(FakeInformer::ramp(1, 2, 8, 8, 0.1)[0]));

    // Encoder layer 1: the 4 distilled tokens, queries and keys.
    const AttentionLayer &distilled = set->layers[1];
    QCOMPARE(distilled.name, std::string("encoder layer 1"));
    QCOMPARE(distilled.queries, 4);
    QCOMPARE(distilled.keys, 4);
    QCOMPARE(distilled.queryTokens.size(), std::size_t(4));
    QCOMPARE(distilled.keyTokens.size(), std::size_t(4));
    QCOMPARE(distilled.queryTokens[3].label, std::string("steps [6,8)"));
    QCOMPARE(distilled.queryTokens[3].kind, TokenInfo::Kind::TimeRange);
    QCOMPARE(distilled.weights, valuesOf(FakeInformer::ramp(1, 2, 4, 4, 0.2)[0]));

    // The cross-attention map after the encoder layers: decoder queries x distilled keys.
    const AttentionLayer &cross = set->layers[2];
    QCOMPARE(cross.name, std::string("decoder layer 0 cross-attention"));
    QCOMPARE(cross.kind, AttentionLayer::Kind::CrossAttention);
    QCOMPARE(cross.heads, 2);
    QCOMPARE(cross.queries, 6);
    QCOMPARE(cross.keys, 4);
    QCOMPARE(set->queryTokens(2).size(), std::size_t(6));
    QCOMPARE(set->queryTokens(2)[5].label, std::string("decoder step t+4"));
    QCOMPARE(set->queryTokens(2)[2].begin, std::int64_t(8)); // the horizon's first step
    QCOMPARE(set->keyTokens(2).size(), std::size_t(4));
    QCOMPARE(set->keyTokens(2)[0].label, std::string("steps [0,2)"));
    QCOMPARE(cross.weights, valuesOf(FakeInformer::ramp(1, 2, 6, 4, 0.3)[0]));
    QCOMPARE(cross.at(1, 5, 3), FakeInformer::ramp(1, 2, 6, 4, 0.3)[0][1][5][3].item<float>());

    // Rollout and layer average may only combine encoder layer 0.
    QCOMPARE(set->inputTokenChain(), 1);
    QCOMPARE(set->layerName(2), std::string("decoder layer 0 cross-attention"));
}

void tst_CaptureLayers::layerTokensThatDisagreeAreAnError()
{
    FakeInformer model;
    model.describedDistilledTokens = 3; // the map has 4
    Expected<AttentionSet> set = captureModelAttention(model, torch::randn({1, 8, 2}), -1);
    QVERIFY(!set);
    QCOMPARE(set.error().reason,
             QStringLiteral("attention: encoder layer 1 is [1, 2, 4, 4]: 4 queries x 4 keys, but "
                            "the model describes 3 query and 3 key tokens for it "
                            "(encoderLayerTokens(1))"));
}

void tst_CaptureLayers::crossTokensThatDisagreeAreAnError()
{
    FakeInformer model;
    model.describedDecoderTokens = 5; // the map has 6 decoder queries
    Expected<AttentionSet> set = captureModelAttention(model, torch::randn({1, 8, 2}), -1);
    QVERIFY(!set);
    QVERIFY2(set.error().reason.startsWith(
                 QStringLiteral("attention: decoder layer 0 cross-attention is [1, 2, 6, 4]: 6 "
                                "queries x 4 keys, but the model describes 5 query and 4 key "
                                "tokens")),
             qPrintable(set.error().reason));
}

void tst_CaptureLayers::modelWithoutMapsSaysSo()
{
    FakeInformer model;
    model.maps = false;
    Expected<AttentionSet> set =
        captureModelAttention(model, torch::randn({1, 8, 2}), -1, {}, QStringLiteral("autoformer"));
    QVERIFY(!set);
    QVERIFY2(set.error().reason.startsWith(
                 QStringLiteral("attention: autoformer has no attention maps: its mechanism")),
             qPrintable(set.error().reason));
    QVERIFY(set.error().reason.contains(QStringLiteral("forward-pass view")));
    QCOMPARE(noAttentionMapsMessage({}).left(32),
             QStringLiteral("this model has no attention maps"));
}

QTEST_GUILESS_MAIN(tst_CaptureLayers)
#include "tst_capturelayers.moc"
