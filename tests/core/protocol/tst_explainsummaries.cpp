// The summaries `twb-cli attention --json` and `twb-cli forward --json` print
// (protocol/ExplainSummaries.h) survive encoding and decoding; non-finite statistics travel as
// null; a summary without its keys is refused with the key named.

#include "protocol/ExplainSummaries.h"

#include <QJsonArray>
#include <QTest>

#include <cmath>
#include <limits>

using namespace twb;

class tst_ExplainSummaries : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void attentionRoundTrip();
    void attentionWithoutOptionalParts();
    void forwardRoundTrip();
    void missingKeys_data();
    void missingKeys();
};

void tst_ExplainSummaries::attentionRoundTrip()
{
    AttentionSummary a;
    a.run = QStringLiteral("runs/patchtst-96");
    a.model = QStringLiteral("patchtst");
    a.sampleLabel = QStringLiteral("test window 100 (2017-11-03 04:00)");
    a.sampleIndex = 100;
    a.samples = 2785;
    a.averagedSamples = 4;
    a.channel = 6;
    a.channelName = QStringLiteral("OT");
    a.layers = 3;
    a.heads = 4;
    a.tokens = 42;
    a.perLayer = {{0, 4, 41, QStringLiteral("patch 41 (steps 328-335)"), 0.125},
                  {1, 4, 40, QStringLiteral("patch 40 (steps 320-335)"), 0.0625},
                  {2, 4, 3, QStringLiteral("steps [6,8)"), 0.5,
                   QStringLiteral("decoder layer 0 cross-attention"), 72, 21}};
    a.saliency = SaliencySummary{QStringLiteral("forecast of OT"), 336, 7, 0.75};
    a.out = QStringLiteral("attn.h5");
    Expected<AttentionSummary> back = AttentionSummary::fromJson(a.toJson());
    QVERIFY(back);
    QCOMPARE(back->run, a.run);
    QCOMPARE(back->model, a.model);
    QCOMPARE(back->sampleLabel, a.sampleLabel);
    QCOMPARE(back->sampleIndex, a.sampleIndex);
    QCOMPARE(back->samples, a.samples);
    QCOMPARE(back->averagedSamples, a.averagedSamples);
    QCOMPARE(back->channel, a.channel);
    QCOMPARE(back->channelName, a.channelName);
    QCOMPARE(back->layers, a.layers);
    QCOMPARE(back->heads, a.heads);
    QCOMPARE(back->tokens, a.tokens);
    QCOMPARE(back->perLayer.size(), a.perLayer.size());
    for (std::size_t i = 0; i < a.perLayer.size(); ++i) {
        QCOMPARE(back->perLayer[i].layer, a.perLayer[i].layer);
        QCOMPARE(back->perLayer[i].heads, a.perLayer[i].heads);
        QCOMPARE(back->perLayer[i].topKey, a.perLayer[i].topKey);
        QCOMPARE(back->perLayer[i].topKeyLabel, a.perLayer[i].topKeyLabel);
        QCOMPARE(back->perLayer[i].topKeyWeight, a.perLayer[i].topKeyWeight);
        QCOMPARE(back->perLayer[i].name, a.perLayer[i].name);
        QCOMPARE(back->perLayer[i].queries, a.perLayer[i].queries);
        QCOMPARE(back->perLayer[i].keys, a.perLayer[i].keys);
    }
    // The name and shape are in the JSON when given (older summaries have neither).
    const QJsonArray layers = a.toJson().value(QStringLiteral("per_layer")).toArray();
    QCOMPARE(layers[2].toObject().value(QStringLiteral("queries")).toInt(), 72);
    QCOMPARE(layers[2].toObject().value(QStringLiteral("keys")).toInt(), 21);
    QCOMPARE(layers[2].toObject().value(QStringLiteral("name")).toString(),
             QStringLiteral("decoder layer 0 cross-attention"));
    QVERIFY(!layers[0].toObject().contains(QStringLiteral("queries")));
    QVERIFY(back->saliency);
    QCOMPARE(back->saliency->target, a.saliency->target);
    QCOMPARE(back->saliency->rows, 336);
    QCOMPARE(back->saliency->cols, 7);
    QCOMPARE(back->saliency->maxAbs, 0.75);
    QCOMPARE(back->out, a.out);
}

void tst_ExplainSummaries::attentionWithoutOptionalParts()
{
    AttentionSummary a;
    a.run = QStringLiteral("runs/fsdd");
    a.model = QStringLiteral("ast");
    a.label = QStringLiteral("7");
    a.layers = 2;
    a.heads = 4;
    a.tokens = 60;
    const QJsonObject json = a.toJson();
    QVERIFY(!json.contains("channel_name"));
    QVERIFY(!json.contains("saliency"));
    Expected<AttentionSummary> back = AttentionSummary::fromJson(json);
    QVERIFY(back);
    QCOMPARE(back->channel, -1);
    QCOMPARE(back->label, QStringLiteral("7"));
    QVERIFY(!back->saliency);
    QVERIFY(back->perLayer.empty());
}

void tst_ExplainSummaries::forwardRoundTrip()
{
    ForwardSummary f;
    f.run = QStringLiteral("runs/patchtst-96");
    f.model = QStringLiteral("patchtst");
    f.sampleLabel = QStringLiteral("test window 3");
    f.sampleIndex = 3;
    f.samples = 2785;
    f.stages = {{QStringLiteral("revin_in"), {1, 336, 7}, -2.5, 3.0, 0.0, 1.0},
                {QStringLiteral("patches"),
                 {7, 42, 16},
                 std::numeric_limits<double>::quiet_NaN(),
                 std::numeric_limits<double>::infinity(),
                 0.5,
                 0.25}};
    f.prediction = {QStringLiteral("prediction"), {1, 96, 7}, -1.0, 1.0, 0.125, 0.5};
    f.parameterTensors = 31;
    f.parameters = 80512;
    f.out = QStringLiteral("trace.h5");
    const QJsonObject json = f.toJson();
    QVERIFY(json.value("stages").toArray().at(1).toObject().value("min").isNull());
    Expected<ForwardSummary> back = ForwardSummary::fromJson(json);
    QVERIFY(back);
    QCOMPARE(back->run, f.run);
    QCOMPARE(back->sampleIndex, f.sampleIndex);
    QCOMPARE(back->stages.size(), std::size_t(2));
    QCOMPARE(back->stages[0].name, QStringLiteral("revin_in"));
    QCOMPARE(back->stages[0].shape, (std::vector<std::int64_t>{1, 336, 7}));
    QCOMPARE(back->stages[0].min, -2.5);
    QCOMPARE(back->stages[0].std, 1.0);
    QVERIFY(std::isnan(back->stages[1].min)); // null comes back as NaN
    QVERIFY(std::isnan(back->stages[1].max));
    QCOMPARE(back->stages[1].mean, 0.5);
    QCOMPARE(back->prediction.shape, (std::vector<std::int64_t>{1, 96, 7}));
    QCOMPARE(back->prediction.mean, 0.125);
    QCOMPARE(back->parameterTensors, 31);
    QCOMPARE(back->parameters, 80512);
    QCOMPARE(back->out, f.out);
}

void tst_ExplainSummaries::missingKeys_data()
{
    QTest::addColumn<bool>("attention");
    QTest::addColumn<QString>("key");
    QTest::newRow("attention without layers") << true << "layers";
    QTest::newRow("attention without out") << true << "out";
    QTest::newRow("forward without stages") << false << "stages";
    QTest::newRow("forward without prediction") << false << "prediction";
}

void tst_ExplainSummaries::missingKeys()
{
    QFETCH(bool, attention);
    QFETCH(QString, key);
    QJsonObject json = attention ? AttentionSummary{}.toJson() : ForwardSummary{}.toJson();
    json.remove(key);
    const QString reason = attention ? AttentionSummary::fromJson(json).error().reason
                                     : ForwardSummary::fromJson(json).error().reason;
    QVERIFY2(reason.contains(QLatin1Char('"') + key + QLatin1Char('"')), qPrintable(reason));
}

QTEST_GUILESS_MAIN(tst_ExplainSummaries)
#include "tst_explainsummaries.moc"
