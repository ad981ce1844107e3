#include "plugin/Hyperparameters.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <stdexcept>

using namespace twb;

namespace {

HyperparameterSchema sampleSchema()
{
    return HyperparameterSchema({
        HyperparameterSpec::integer(QStringLiteral("d_model"), QStringLiteral("Model width"), 128,
                                    1, 4096, QStringLiteral("Width of every token.")),
        HyperparameterSpec::real(QStringLiteral("dropout"), QStringLiteral("Dropout"), 0.1, 0.0,
                                 1.0, QStringLiteral("Probability of zeroing an activation.")),
        HyperparameterSpec::real(QStringLiteral("lr"), QStringLiteral("Learning rate"), 1e-3, 1e-7,
                                 1.0, QStringLiteral("Adam step size.")),
        HyperparameterSpec::boolean(QStringLiteral("revin"), QStringLiteral("RevIN"), true,
                                    QStringLiteral("Normalise each instance.")),
        HyperparameterSpec::choice(QStringLiteral("activation"), QStringLiteral("Activation"),
                                   {QStringLiteral("gelu"), QStringLiteral("relu")},
                                   QStringLiteral("gelu"), QStringLiteral("FFN activation.")),
    });
}

HyperparameterSpec textSpec()
{
    HyperparameterSpec s;
    s.key = QStringLiteral("note");
    s.label = QStringLiteral("Note");
    s.type = HyperparameterSpec::Type::Text;
    s.defaultValue = QStringLiteral("none");
    s.help = QStringLiteral("Free text.");
    return s;
}

/// The error of a failed result for a QVERIFY2 message (evaluated even when the check passes).
template<typename T>
QByteArray errorOf(const Expected<T> &result)
{
    return result ? QByteArray() : result.error().toString().toUtf8();
}

} // namespace

class tst_Hyperparameters : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validateOne_data();
    void validateOne();
    void validateDefaults();
    void validateOverrides();
    void validateRejects_data();
    void validateRejects();
    void invalidDefaultIsReported();
    void textType();
    void getters();
    void parseAssignment_data();
    void parseAssignment();
    void schemaJson();
    void valuesJson();
    void typeNames();
};

void tst_Hyperparameters::validateOne_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QVariant>("input");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QVariant>("expected"); // when ok
    QTest::addColumn<QString>("errorText"); // when not ok: exact reason

    const QVariant none;
    // Integers
    QTest::newRow("int from string")
        << "d_model" << QVariant("64") << true << QVariant(qint64(64)) << QString();
    QTest::newRow("int from padded string")
        << "d_model" << QVariant(" 64 ") << true << QVariant(qint64(64)) << QString();
    QTest::newRow("int from int") << "d_model" << QVariant(256) << true << QVariant(qint64(256))
                                  << QString();
    QTest::newRow("int from integral double (JSON)")
        << "d_model" << QVariant(64.0) << true << QVariant(qint64(64)) << QString();
    QTest::newRow("int rejects 3.5 string")
        << "d_model" << QVariant("3.5") << false << none << "d_model: \"3.5\" is not an integer";
    QTest::newRow("int rejects 3.5 double")
        << "d_model" << QVariant(3.5) << false << none << "d_model: 3.5 is not an integer";
    QTest::newRow("int rejects word")
        << "d_model" << QVariant("big") << false << none << "d_model: \"big\" is not an integer";
    QTest::newRow("int rejects bool")
        << "d_model" << QVariant(true) << false << none << "d_model: true is not an integer";
    QTest::newRow("int rejects empty")
        << "d_model" << QVariant("") << false << none << "d_model: \"\" is not an integer";
    QTest::newRow("int below minimum")
        << "d_model" << QVariant("0") << false << none << "d_model: 0 is below the minimum 1";
    QTest::newRow("int above maximum") << "d_model" << QVariant(5000) << false << none
                                       << "d_model: 5000 is above the maximum 4096";
    QTest::newRow("int at minimum")
        << "d_model" << QVariant("1") << true << QVariant(qint64(1)) << QString();
    QTest::newRow("int at maximum")
        << "d_model" << QVariant("4096") << true << QVariant(qint64(4096)) << QString();
    // Reals
    QTest::newRow("real scientific")
        << "lr" << QVariant("1e-4") << true << QVariant(1e-4) << QString();
    QTest::newRow("real decimal") << "dropout" << QVariant("0.25") << true << QVariant(0.25)
                                  << QString();
    QTest::newRow("real from int")
        << "dropout" << QVariant(1) << true << QVariant(1.0) << QString();
    QTest::newRow("real rejects word")
        << "dropout" << QVariant("half") << false << none << "dropout: \"half\" is not a number";
    QTest::newRow("real rejects nan") << "dropout" << QVariant("nan") << false << none
                                      << "dropout: \"nan\" is not a finite number";
    QTest::newRow("real above maximum")
        << "dropout" << QVariant("1.5") << false << none << "dropout: 1.5 is above the maximum 1";
    QTest::newRow("real below minimum")
        << "lr" << QVariant("0") << false << none << "lr: 0 is below the minimum 1e-07";
    // Booleans
    QTest::newRow("bool true") << "revin" << QVariant("true") << true << QVariant(true)
                               << QString();
    QTest::newRow("bool False") << "revin" << QVariant("False") << true << QVariant(false)
                                << QString();
    QTest::newRow("bool 1") << "revin" << QVariant("1") << true << QVariant(true) << QString();
    QTest::newRow("bool 0") << "revin" << QVariant("0") << true << QVariant(false) << QString();
    QTest::newRow("bool yes") << "revin" << QVariant("yes") << true << QVariant(true) << QString();
    QTest::newRow("bool no") << "revin" << QVariant("no") << true << QVariant(false) << QString();
    QTest::newRow("bool from bool")
        << "revin" << QVariant(false) << true << QVariant(false) << QString();
    QTest::newRow("bool from int 1")
        << "revin" << QVariant(1) << true << QVariant(true) << QString();
    QTest::newRow("bool rejects 2") << "revin" << QVariant(2) << false << none
                                    << "revin: 2 is not a boolean (use true/false, 1/0 or yes/no)";
    QTest::newRow("bool rejects maybe")
        << "revin" << QVariant("maybe") << false << none
        << "revin: \"maybe\" is not a boolean (use true/false, 1/0 or yes/no)";
    // Choices
    QTest::newRow("choice valid") << "activation" << QVariant("relu") << true
                                  << QVariant(QStringLiteral("relu")) << QString();
    QTest::newRow("choice invalid") << "activation" << QVariant("tanh") << false << none
                                    << "activation: \"tanh\" is not one of gelu, relu";
    QTest::newRow("choice is case sensitive") << "activation" << QVariant("GELU") << false << none
                                              << "activation: \"GELU\" is not one of gelu, relu";
    QTest::newRow("choice rejects number")
        << "activation" << QVariant(3) << false << none << "activation: 3 is not one of gelu, relu";
    // Unknown key
    QTest::newRow("unknown key")
        << "d_modle" << QVariant("64") << false << none
        << "unknown hyperparameter \"d_modle\" (valid keys: d_model, dropout, lr, revin, "
           "activation)";
}

void tst_Hyperparameters::validateOne()
{
    QFETCH(QString, key);
    QFETCH(QVariant, input);
    QFETCH(bool, ok);
    QFETCH(QVariant, expected);
    QFETCH(QString, errorText);

    const auto result = sampleSchema().validateOne(key, input);
    QCOMPARE(result.hasValue(), ok);
    if (ok) {
        QCOMPARE(result->metaType(), expected.metaType());
        QCOMPARE(*result, expected);
    } else {
        QCOMPARE(result.error().reason, errorText);
        QVERIFY(result.error().file.isEmpty());
    }
}

void tst_Hyperparameters::validateDefaults()
{
    const auto values = sampleSchema().validate({});
    QVERIFY2(values.hasValue(), errorOf(values).constData());
    QCOMPARE(values->map().size(), 5);
    QCOMPARE(values->integer(QStringLiteral("d_model")), 128);
    QCOMPARE(values->real(QStringLiteral("dropout")), 0.1);
    QCOMPARE(values->real(QStringLiteral("lr")), 1e-3);
    QCOMPARE(values->boolean(QStringLiteral("revin")), true);
    QCOMPARE(values->text(QStringLiteral("activation")), QStringLiteral("gelu"));
}

void tst_Hyperparameters::validateOverrides()
{
    const QVariantMap given{{QStringLiteral("d_model"), QStringLiteral("512")},
                            {QStringLiteral("lr"), QStringLiteral("1e-4")},
                            {QStringLiteral("revin"), QStringLiteral("no")},
                            {QStringLiteral("activation"), QStringLiteral("relu")}};
    const auto values = sampleSchema().validate(given);
    QVERIFY2(values.hasValue(), errorOf(values).constData());
    QCOMPARE(values->integer(QStringLiteral("d_model")), 512);
    QCOMPARE(values->real(QStringLiteral("lr")), 1e-4);
    QCOMPARE(values->real(QStringLiteral("dropout")), 0.1); // default kept
    QCOMPARE(values->boolean(QStringLiteral("revin")), false);
    QCOMPARE(values->text(QStringLiteral("activation")), QStringLiteral("relu"));
}

void tst_Hyperparameters::validateRejects_data()
{
    QTest::addColumn<QVariantMap>("given");
    QTest::addColumn<QString>("errorText");

    QTest::newRow("one unknown key")
        << QVariantMap{{QStringLiteral("heads"), 8}}
        << "unknown hyperparameter \"heads\" (valid keys: d_model, dropout, lr, revin, "
           "activation)";
    QTest::newRow("two unknown keys")
        << QVariantMap{{QStringLiteral("heads"), 8}, {QStringLiteral("layers"), 2}}
        << "unknown hyperparameters \"heads\", \"layers\" (valid keys: d_model, dropout, lr, "
           "revin, activation)";
    QTest::newRow("unknown key beside a valid one")
        << QVariantMap{{QStringLiteral("d_model"), 64}, {QStringLiteral("droput"), 0.2}}
        << "unknown hyperparameter \"droput\" (valid keys: d_model, dropout, lr, revin, "
           "activation)";
    QTest::newRow("out of range") << QVariantMap{{QStringLiteral("d_model"), QStringLiteral("0")}}
                                  << "d_model: 0 is below the minimum 1";
    QTest::newRow("wrong type")
        << QVariantMap{{QStringLiteral("revin"), QStringLiteral("sometimes")}}
        << "revin: \"sometimes\" is not a boolean (use true/false, 1/0 or yes/no)";
}

void tst_Hyperparameters::validateRejects()
{
    QFETCH(QVariantMap, given);
    QFETCH(QString, errorText);
    const auto values = sampleSchema().validate(given);
    QVERIFY(!values.hasValue());
    QCOMPARE(values.error().reason, errorText);
}

void tst_Hyperparameters::invalidDefaultIsReported()
{
    // A plugin bug (default outside its own range) is reported, not passed to the model.
    const HyperparameterSchema schema({HyperparameterSpec::integer(
        QStringLiteral("layers"), QStringLiteral("Layers"), 0, 1, 8, QStringLiteral("Depth."))});
    const auto values = schema.validate({});
    QVERIFY(!values.hasValue());
    QCOMPARE(values.error().reason,
             QStringLiteral("the model's default is invalid: layers: 0 is below the minimum 1"));
}

void tst_Hyperparameters::textType()
{
    const HyperparameterSchema schema({textSpec()});
    auto v = schema.validate({});
    QVERIFY(v.hasValue());
    QCOMPARE(v->text(QStringLiteral("note")), QStringLiteral("none"));
    v = schema.validate({{QStringLiteral("note"), QStringLiteral("a b=c")}});
    QVERIFY(v.hasValue());
    QCOMPARE(v->text(QStringLiteral("note")), QStringLiteral("a b=c"));
    const auto bad = schema.validateOne(QStringLiteral("note"), QVariant(QStringList{"x"}));
    QVERIFY(!bad.hasValue());
    QVERIFY2(bad.error().reason.startsWith(QLatin1String("note: ")),
             qPrintable(bad.error().reason));
    QVERIFY(bad.error().reason.endsWith(QLatin1String(" is not text")));
}

void tst_Hyperparameters::getters()
{
    const auto values = sampleSchema().validate({});
    QVERIFY(values.hasValue());
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, values->integer(QStringLiteral("nope")));
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, values->text(QStringLiteral("nope")));
    // Asking for the wrong type is a programming error too.
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, values->integer(QStringLiteral("dropout")));
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, values->boolean(QStringLiteral("d_model")));
    // An integer reads losslessly as a real.
    QCOMPARE(values->real(QStringLiteral("d_model")), 128.0);
}

void tst_Hyperparameters::parseAssignment_data()
{
    QTest::addColumn<QString>("assignment");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("errorText");

    QTest::newRow("simple") << "d_model=64" << true << "d_model"
                            << "64" << QString();
    QTest::newRow("spaces trimmed") << " lr = 1e-4 " << true << "lr"
                                    << "1e-4" << QString();
    QTest::newRow("value with '='") << "note=a=b" << true << "note"
                                    << "a=b" << QString();
    QTest::newRow("empty value") << "note=" << true << "note"
                                 << "" << QString();
    QTest::newRow("no '='") << "d_model" << false << QString() << QString()
                            << "expected key=value, got \"d_model\"";
    QTest::newRow("no key") << "=64" << false << QString() << QString()
                            << "missing key before '=' in \"=64\"";
    QTest::newRow("space in key") << "d model=64" << false << QString() << QString()
                                  << "key \"d model\" contains a space";
}

void tst_Hyperparameters::parseAssignment()
{
    QFETCH(QString, assignment);
    QFETCH(bool, ok);
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(QString, errorText);

    const auto result = HyperparameterSchema::parseAssignment(assignment);
    QCOMPARE(result.hasValue(), ok);
    if (ok) {
        QCOMPARE(result->first, key);
        QCOMPARE(result->second, value);
    } else {
        QCOMPARE(result.error().reason, errorText);
    }
}

void tst_Hyperparameters::schemaJson()
{
    const QJsonArray json = sampleSchema().toJson();
    QCOMPARE(json.size(), 5);

    const QJsonObject dModel = json.at(0).toObject();
    QCOMPARE(dModel.value("key").toString(), QStringLiteral("d_model"));
    QCOMPARE(dModel.value("label").toString(), QStringLiteral("Model width"));
    QCOMPARE(dModel.value("type").toString(), QStringLiteral("int"));
    QCOMPARE(dModel.value("default").toInteger(), 128);
    QCOMPARE(dModel.value("min").toInteger(), 1);
    QCOMPARE(dModel.value("max").toInteger(), 4096);
    QVERIFY(dModel.value("choices").toArray().isEmpty());
    QCOMPARE(dModel.value("help").toString(), QStringLiteral("Width of every token."));

    const QJsonObject lr = json.at(2).toObject();
    QCOMPARE(lr.value("type").toString(), QStringLiteral("real"));
    QCOMPARE(lr.value("default").toDouble(), 1e-3);

    const QJsonObject revin = json.at(3).toObject();
    QCOMPARE(revin.value("type").toString(), QStringLiteral("bool"));
    QCOMPARE(revin.value("default").toBool(), true);
    QVERIFY(revin.value("min").isNull());
    QVERIFY(revin.value("max").isNull());

    const QJsonObject act = json.at(4).toObject();
    QCOMPARE(act.value("type").toString(), QStringLiteral("choice"));
    QCOMPARE(act.value("default").toString(), QStringLiteral("gelu"));
    QCOMPARE(act.value("choices").toArray(), QJsonArray({"gelu", "relu"}));

    // The order of the schema is kept, and the JSON survives a round trip through text.
    const QJsonArray reparsed = QJsonDocument::fromJson(QJsonDocument(json).toJson()).array();
    QCOMPARE(reparsed, json);
}

void tst_Hyperparameters::valuesJson()
{
    const auto values = sampleSchema().validate({{QStringLiteral("d_model"), "96"}});
    QVERIFY(values.hasValue());
    const QJsonObject json = values->toJson();
    QCOMPARE(json.size(), 5);
    QCOMPARE(json.value("d_model").toInteger(), 96);
    QCOMPARE(json.value("dropout").toDouble(), 0.1);
    QCOMPARE(json.value("revin").toBool(), true);
    QCOMPARE(json.value("activation").toString(), QStringLiteral("gelu"));

    // Values written to a run configuration validate back to the same values.
    const auto again = sampleSchema().validate(json.toVariantMap());
    QVERIFY2(again.hasValue(), errorOf(again).constData());
    QCOMPARE(again->map(), values->map());
}

void tst_Hyperparameters::typeNames()
{
    QCOMPARE(hyperparameterTypeName(HyperparameterSpec::Type::Int), QStringLiteral("int"));
    QCOMPARE(hyperparameterTypeName(HyperparameterSpec::Type::Real), QStringLiteral("real"));
    QCOMPARE(hyperparameterTypeName(HyperparameterSpec::Type::Bool), QStringLiteral("bool"));
    QCOMPARE(hyperparameterTypeName(HyperparameterSpec::Type::Choice), QStringLiteral("choice"));
    QCOMPARE(hyperparameterTypeName(HyperparameterSpec::Type::Text), QStringLiteral("text"));
}

QTEST_GUILESS_MAIN(tst_Hyperparameters)
#include "tst_hyperparameters.moc"
