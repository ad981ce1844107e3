// The messages of `twb-cli whatif` (protocol/WhatIfMessages.h): edits, requests and answers
// survive encoding and decoding, and malformed ones are refused with the key named.

#include "protocol/WhatIfMessages.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <cmath>
#include <limits>
#include <optional>

using namespace twb;

class tst_WhatIfMessages : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void editJsonRoundTrip();
    void editJsonErrors_data();
    void editJsonErrors();
    void requestRoundTrip();
    void requestNeedsAnIndex();
    void forecastAnswerRoundTrip();
    void classifyAnswerRoundTrip();
    void separateAnswerRoundTrip();
    void errorAnswer();
    void inconsistentAnswers_data();
    void inconsistentAnswers();
};

namespace {

WhatIfAnswer forecastAnswer()
{
    WhatIfAnswer a;
    a.index = 12;
    a.samples = 2785;
    a.label = QStringLiteral("test window 12 (2017-10-20 08:00)");
    a.rows = 2;
    a.cols = 2;
    a.names = {QStringLiteral("HUFL"), QStringLiteral("OT")};
    a.original = {1.5f, 2.0f, 2.5f, 3.0f};
    a.edited = {1.25f, 2.0f, 2.75f, 3.5f};
    a.lookback = 3;
    a.history = {0.5f, 1.0f, std::numeric_limits<float>::quiet_NaN(), 1.5f, 2.0f, 2.5f};
    a.editedHistory = {0.0f, 0.0f, 0.0f, 1.5f, 2.0f, 2.5f};
    a.truth = {1.0f, 2.0f, 3.0f, 4.0f};
    a.changedInputs = 3;
    a.inputValues = 6;
    a.inputRows = 3;
    a.inputNames = {QStringLiteral("HUFL"), QStringLiteral("OT")};
    a.change.meanAbsChange = 0.1875;
    a.change.maxAbsChange = 0.5;
    a.change.mseOriginal = 0.375;
    a.change.mseEdited = 0.25;
    a.milliseconds = 4.5;
    return a;
}

bool sameFloats(const std::vector<float> &a, const std::vector<float> &b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i]))))
            return false;
    return true;
}

} // namespace

void tst_WhatIfMessages::editJsonRoundTrip()
{
    WhatIfEdit edit;
    edit.tokens = {3, 4};
    edit.tokenChannel = 2;
    edit.regions = {{10, 20, 0, -1}, {0, -1, 1, 2}};
    edit.headsOff = {{0, 1}, {2, 0}};
    edit.fill = 0.5f;
    Expected<WhatIfEdit> back = WhatIfEdit::fromJson(edit.toJson());
    QVERIFY(back);
    QVERIFY(*back == edit);
    Expected<WhatIfEdit> empty = WhatIfEdit::fromJson({});
    QVERIFY(empty && empty->isEmpty());
}

void tst_WhatIfMessages::editJsonErrors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    QTest::newRow("tokens not array") << QByteArray(R"({"mask_tokens": 3})") << "mask_tokens";
    QTest::newRow("fractional token") << QByteArray(R"({"mask_tokens": [1.5]})") << "integers";
    QTest::newRow("negative token") << QByteArray(R"({"mask_tokens": [-2]})") << "start at 0";
    QTest::newRow("short region") << QByteArray(R"({"regions": [[1, 2, 3]]})") << "4 integers";
    QTest::newRow("empty region") << QByteArray(R"({"regions": [[5, 5, 0, -1]]})") << "empty";
    QTest::newRow("head pair") << QByteArray(R"({"heads_off": [[1]]})") << "heads_off";
    QTest::newRow("fill text") << QByteArray(R"({"fill": "zero"})") << "fill";
    // Numbers no integer holds (found by fuzz/targets/FuzzWhatIf.cpp): refused, not converted.
    QTest::newRow("huge token") << QByteArray(R"({"mask_tokens": [1e300]})") << "at most 2^53";
    QTest::newRow("token beyond int")
        << QByteArray(R"({"mask_tokens": [4294967296]})") << "no model has that many tokens";
    QTest::newRow("huge channel") << QByteArray(R"({"token_channel": 1e300})") << "token_channel";
    QTest::newRow("huge region") << QByteArray(R"({"regions": [[0, 1e19, 0, -1]]})")
                                 << "at most 2^53";
    QTest::newRow("negative head") << QByteArray(R"({"heads_off": [[0, -1]]})") << "counted from 0";
    QTest::newRow("head beyond int")
        << QByteArray(R"({"heads_off": [[4294967296, 0]]})") << "counted from 0";
}

void tst_WhatIfMessages::editJsonErrors()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    Expected<WhatIfEdit> edit = WhatIfEdit::fromJson(QJsonDocument::fromJson(json).object());
    QVERIFY(!edit);
    QVERIFY2(edit.error().reason.contains(expected), qPrintable(edit.error().reason));
}

void tst_WhatIfMessages::requestRoundTrip()
{
    WhatIfRequest r;
    r.id = 7;
    r.index = 3;
    r.edit.tokens = {0, 5};
    r.edit.tokenChannel = 6;
    r.edit.headsOff = {{1, 0}};
    Expected<WhatIfRequest> back = WhatIfRequest::fromJson(r.toJson());
    QVERIFY(back);
    QCOMPARE(back->id, QJsonValue(7));
    QCOMPARE(back->index, 3);
    QVERIFY(back->edit == r.edit);

    // The edit's keys sit beside "index" and "id", as a client writes them by hand.
    Expected<WhatIfRequest> typed = WhatIfRequest::fromJson(
        QJsonDocument::fromJson(R"({"id": "x", "index": 2, "regions": [[0, 4, 1, 2]]})").object());
    QVERIFY(typed);
    QCOMPARE(typed->id, QJsonValue(QStringLiteral("x")));
    QCOMPARE(typed->edit.regions.size(), std::size_t(1));
    QVERIFY((typed->edit.regions[0] == InputRegion{0, 4, 1, 2}));
    const WhatIfRequest withoutId{QJsonValue(QJsonValue::Undefined), 1, {}};
    QVERIFY(!withoutId.toJson().contains("id"));
}

void tst_WhatIfMessages::requestNeedsAnIndex()
{
    for (const char *json : {R"({})", R"({"index": -1})", R"({"index": "3"})",
                             R"({"index": 1.1e32})", R"({"index": 2.5})"}) {
        Expected<WhatIfRequest> r = WhatIfRequest::fromJson(QJsonDocument::fromJson(json).object());
        QVERIFY2(!r, json);
        QVERIFY(r.error().reason.contains(QLatin1String("index")));
    }
    Expected<WhatIfRequest> badEdit = WhatIfRequest::fromJson(
        QJsonDocument::fromJson(R"({"index": 1, "heads_off": [[1]]})").object());
    QVERIFY(!badEdit);
    QVERIFY(badEdit.error().reason.contains(QLatin1String("heads_off")));
}

void tst_WhatIfMessages::forecastAnswerRoundTrip()
{
    const WhatIfAnswer a = forecastAnswer();
    const QJsonObject json = a.toJson();
    QVERIFY(json.value("history").toArray().at(2).isNull()); // NaN travels as null
    Expected<WhatIfAnswer> back = WhatIfAnswer::fromJson(json);
    QVERIFY2(back, back ? "" : qPrintable(back.error().reason));
    QVERIFY(!back->classify);
    QCOMPARE(back->index, a.index);
    QCOMPARE(back->samples, a.samples);
    QCOMPARE(back->label, a.label);
    QCOMPARE(back->rows, a.rows);
    QCOMPARE(back->cols, a.cols);
    QCOMPARE(back->names, a.names);
    QVERIFY(sameFloats(back->original, a.original));
    QVERIFY(sameFloats(back->edited, a.edited));
    QVERIFY(sameFloats(back->history, a.history));
    QVERIFY(sameFloats(back->editedHistory, a.editedHistory));
    QVERIFY(sameFloats(back->truth, a.truth));
    QCOMPARE(back->lookback, a.lookback);
    QCOMPARE(back->changedInputs, a.changedInputs);
    QCOMPARE(back->inputValues, a.inputValues);
    QCOMPARE(back->inputRows, a.inputRows);
    QCOMPARE(back->inputNames, a.inputNames);
    QCOMPARE(back->change.meanAbsChange, a.change.meanAbsChange);
    QCOMPARE(back->change.maxAbsChange, a.change.maxAbsChange);
    QCOMPARE(back->change.mseOriginal, a.change.mseOriginal);
    QCOMPARE(back->change.mseEdited, a.change.mseEdited);
    QCOMPARE(back->milliseconds, a.milliseconds);
    QCOMPARE(back->column(back->original, 1), (std::vector<float>{2.0f, 3.0f}));
    QVERIFY(back->column(back->original, 2).empty());
}

void tst_WhatIfMessages::classifyAnswerRoundTrip()
{
    WhatIfAnswer a;
    a.classify = true;
    a.index = 3;
    a.samples = 300;
    a.label = QStringLiteral("0_george_0.wav");
    a.rows = 1;
    a.cols = 3;
    a.names = {QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("2")};
    a.original = {0.75f, 0.125f, 0.125f};
    a.edited = {0.25f, 0.5f, 0.25f};
    a.truthClass = QStringLiteral("0");
    a.change.classOriginal = QStringLiteral("0");
    a.change.classEdited = QStringLiteral("1");
    a.change.pOriginal = 0.75;
    a.change.pEdited = 0.5;
    a.change.pEditedOfOriginalClass = 0.25;
    const QJsonObject json = a.toJson();
    QVERIFY(!json.contains("history"));
    Expected<WhatIfAnswer> back = WhatIfAnswer::fromJson(json);
    QVERIFY(back);
    QVERIFY(back->classify);
    QCOMPARE(back->truthClass, a.truthClass);
    QVERIFY(sameFloats(back->edited, a.edited));
    QCOMPARE(back->change.classOriginal, a.change.classOriginal);
    QCOMPARE(back->change.classEdited, a.change.classEdited);
    QCOMPARE(back->change.pOriginal, a.change.pOriginal);
    QCOMPARE(back->change.pEdited, a.change.pEdited);
    QCOMPARE(back->change.pEditedOfOriginalClass, a.change.pEditedOfOriginalClass);
    QVERIFY(!back->change.mseOriginal);
}

void tst_WhatIfMessages::separateAnswerRoundTrip()
{
    // Three samples of a two-source separation: the mixture, the references, the estimates.
    WhatIfAnswer a;
    a.separate = true;
    a.sampleRate = 8000.0;
    a.index = 4;
    a.samples = 500;
    a.label = QStringLiteral("test mixture 4: 0_george_1.wav + 3_theo_2.wav");
    a.rows = 3;
    a.cols = 2;
    a.names = {QStringLiteral("source 1"), QStringLiteral("source 2")};
    a.original = {0.5f, 0.25f, -0.5f, 0.0f, 0.25f, -0.25f};
    a.edited = {0.0f, 0.0f, -0.25f, 0.0f, 0.25f, -0.25f};
    a.lookback = 3;
    a.history = {0.75f, -0.5f, 0.0f};
    a.editedHistory = {0.0f, -0.5f, 0.0f};
    a.truth = {0.5f, 0.25f, -0.5f, 0.0f, 0.0f, 0.0f};
    a.change.siSnrOriginal = {12.0, 8.0};
    a.change.siSnrEdited = {2.0, 7.0};
    a.change.siSnrMixture = {1.0, -1.0};
    const QJsonObject json = a.toJson();
    QCOMPARE(json.value("task").toString(), QStringLiteral("separate"));
    const QJsonObject summary = json.value("summary").toObject();
    QCOMPARE(summary.value("si_snri_original").toDouble(), 10.0); // ((12-1) + (8+1)) / 2
    QCOMPARE(summary.value("si_snri_edited").toDouble(), 4.5);    // ((2-1) + (7+1)) / 2
    Expected<WhatIfAnswer> back = WhatIfAnswer::fromJson(json);
    QVERIFY2(back, back ? "" : qPrintable(back.error().reason));
    QVERIFY(back->separate && !back->classify);
    QCOMPARE(back->sampleRate, 8000.0);
    QVERIFY(sameFloats(back->history, a.history)); // one mixture, not one per source
    QVERIFY(sameFloats(back->truth, a.truth));
    QCOMPARE(back->column(back->edited, 0), (std::vector<float>{0.0f, -0.25f, 0.25f}));
    QCOMPARE(back->change.siSnrOriginal, a.change.siSnrOriginal);
    QCOMPARE(back->change.siSnrEdited, a.change.siSnrEdited);
    QCOMPARE(back->change.siSnrMixture, a.change.siSnrMixture);
    QCOMPARE(back->change.meanSiSnri(true), std::optional<double>(4.5));

    // A separation answer without its rate, or with a mixture of another length, is refused.
    QJsonObject noRate = json;
    noRate.remove("sample_rate");
    Expected<WhatIfAnswer> rateless = WhatIfAnswer::fromJson(noRate);
    QVERIFY(!rateless);
    QVERIFY2(rateless.error().reason.contains("sample rate"), qPrintable(rateless.error().reason));
    QJsonObject shortMixture = json;
    shortMixture.insert("history", QJsonArray{0.5, 0.25});
    QVERIFY(!WhatIfAnswer::fromJson(shortMixture));
    // Per-source lists that disagree give no mean rather than a wrong one.
    WhatIfChange partial;
    partial.siSnrOriginal = {3.0, 4.0};
    partial.siSnrMixture = {1.0};
    QVERIFY(!partial.meanSiSnri(false));
}

void tst_WhatIfMessages::errorAnswer()
{
    Expected<WhatIfAnswer> e =
        WhatIfAnswer::fromJson(WhatIfAnswer::errorJson(QStringLiteral("layer 9 does not exist")));
    QVERIFY(!e);
    QCOMPARE(e.error().reason, QStringLiteral("layer 9 does not exist"));
    Expected<WhatIfAnswer> empty = WhatIfAnswer::fromJson({});
    QVERIFY(!empty);
    QVERIFY(empty.error().reason.contains(QLatin1String("no result")));
}

void tst_WhatIfMessages::inconsistentAnswers_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("expected");
    QTest::newRow("short prediction") << "edited" << QJsonValue(QJsonArray{1, 2, 3}) << "2 x 2";
    QTest::newRow("names") << "names" << QJsonValue(QJsonArray{"OT"}) << "names 1 columns";
    QTest::newRow("history") << "history" << QJsonValue(QJsonArray{1}) << "lookback 3";
    QTest::newRow("truth") << "truth" << QJsonValue(QJsonArray{1, 2}) << "lookback 3";
    QTest::newRow("no rows") << "rows" << QJsonValue(0) << "0 x 2";
}

void tst_WhatIfMessages::inconsistentAnswers()
{
    QFETCH(QString, key);
    QFETCH(QJsonValue, value);
    QFETCH(QString, expected);
    QJsonObject json = forecastAnswer().toJson();
    json.insert(key, value);
    Expected<WhatIfAnswer> a = WhatIfAnswer::fromJson(json);
    QVERIFY(!a);
    QVERIFY2(a.error().reason.contains(expected), qPrintable(a.error().reason));
}

QTEST_GUILESS_MAIN(tst_WhatIfMessages)
#include "tst_whatifmessages.moc"
