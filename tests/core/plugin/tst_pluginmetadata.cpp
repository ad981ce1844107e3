#include "plugin/ModelPlugin.h"
#include "plugin/PluginMetadata.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace twb;

namespace {

/// What QPluginLoader::metaData() returns, with the plugin's own JSON under "MetaData".
QJsonObject qtMetaData(const QString &iid, const QByteArray &pluginJson)
{
    QJsonObject o;
    o.insert(QLatin1String("IID"), iid);
    o.insert(QLatin1String("className"), QStringLiteral("FooPlugin"));
    if (!pluginJson.isEmpty())
        o.insert(QLatin1String("MetaData"), QJsonDocument::fromJson(pluginJson).object());
    return o;
}

const char *const goodJson = R"({"id": "patchtst", "name": "PatchTST", "version": "1.0.0",
                                 "api": 1, "tasks": ["forecast", "reconstruct"]})";

} // namespace

class tst_PluginMetadata : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void accepted_data();
    void accepted();
    void refused_data();
    void refused();
};

void tst_PluginMetadata::accepted_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QStringList>("tasks");

    QTest::newRow("api as number")
        << QByteArray(goodJson) << QStringList{"forecast", "reconstruct"};
    QTest::newRow("api as version string")
        << QByteArray(R"({"id": "patchtst", "name": "PatchTST", "version": "1.0.0",
                          "api": "1.3", "tasks": ["classify"]})")
        << QStringList{"classify"};
    QTest::newRow("repeated task counted once")
        << QByteArray(R"({"id": "patchtst", "name": "PatchTST", "version": "1.0.0",
                          "api": 1, "tasks": ["forecast", "forecast"]})")
        << QStringList{"forecast"};
}

void tst_PluginMetadata::accepted()
{
    QFETCH(QByteArray, json);
    QFETCH(QStringList, tasks);

    const auto md = parsePluginMetadata(qtMetaData(QStringLiteral(TwbModelPlugin_iid), json));
    QVERIFY2(md.hasValue(), md ? "" : qPrintable(md.error().reason));
    QCOMPARE(md->iid, QStringLiteral("org.twb.ModelPlugin/1"));
    QCOMPARE(md->apiMajor, ModelPluginApiMajor);
    QCOMPARE(md->id, QStringLiteral("patchtst"));
    QCOMPARE(md->name, QStringLiteral("PatchTST"));
    QCOMPARE(md->version, QStringLiteral("1.0.0"));
    QCOMPARE(md->taskNames(), tasks);
}

void tst_PluginMetadata::refused_data()
{
    QTest::addColumn<QString>("iid");
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("reason");

    const QString iid = QStringLiteral(TwbModelPlugin_iid);
    QTest::newRow("no metadata at all: not a plugin")
        << QString() << QByteArray() << "not a Qt plugin (the library has no plugin metadata)";
    QTest::newRow("another interface")
        << "org.qt-project.Qt.QPA.QPlatformIntegrationFactoryInterface.5.3" << QByteArray(goodJson)
        << "not a Transformer Workbench model plugin (interface "
           "\"org.qt-project.Qt.QPA.QPlatformIntegrationFactoryInterface.5.3\", expected "
           "\"org.twb.ModelPlugin/1\")";
    QTest::newRow("API major 2") << "org.twb.ModelPlugin/2" << QByteArray(goodJson)
                                 << "built for plugin API 2, this build supports 1";
    QTest::newRow("malformed interface id") << "org.twb.ModelPlugin/x" << QByteArray(goodJson)
                                            << "malformed interface id \"org.twb.ModelPlugin/x\"";
    QTest::newRow("no JSON file") << iid << QByteArray()
                                  << "missing metadata: Q_PLUGIN_METADATA has no FILE with id, "
                                     "name, version, api and tasks";
    QTest::newRow("no id")
        << iid << QByteArray(R"({"name": "P", "version": "1", "api": 1, "tasks": ["forecast"]})")
        << "metadata has no \"id\"";
    QTest::newRow("id not lowercase")
        << iid
        << QByteArray(
               R"({"id": "PatchTST", "name": "P", "version": "1", "api": 1, "tasks": ["forecast"]})")
        << "metadata id \"PatchTST\" must start with a lowercase letter and contain only a-z, "
           "0-9, '_' and '-'";
    QTest::newRow("no name")
        << iid << QByteArray(R"({"id": "p", "version": "1", "api": 1, "tasks": ["forecast"]})")
        << "metadata has no \"name\"";
    QTest::newRow("version not a string")
        << iid
        << QByteArray(R"({"id": "p", "name": "P", "version": 1, "api": 1, "tasks": ["forecast"]})")
        << "metadata \"version\" must be a non-empty string";
    QTest::newRow("no api")
        << iid << QByteArray(R"({"id": "p", "name": "P", "version": "1", "tasks": ["forecast"]})")
        << "metadata has no \"api\"";
    QTest::newRow("api contradicts the interface id")
        << iid
        << QByteArray(
               R"({"id": "p", "name": "P", "version": "1", "api": 2, "tasks": ["forecast"]})")
        << "inconsistent metadata: \"api\" says plugin API 2 but the interface id says 1";
    QTest::newRow("api malformed")
        << iid
        << QByteArray(
               R"({"id": "p", "name": "P", "version": "1", "api": "one", "tasks": ["forecast"]})")
        << "metadata \"api\" must be a version number";
    QTest::newRow("no tasks") << iid
                              << QByteArray(R"({"id": "p", "name": "P", "version": "1", "api": 1})")
                              << "metadata \"tasks\" must be a non-empty array of task names";
    QTest::newRow("empty tasks")
        << iid << QByteArray(R"({"id": "p", "name": "P", "version": "1", "api": 1, "tasks": []})")
        << "metadata \"tasks\" must be a non-empty array of task names";
    QTest::newRow("unknown task")
        << iid
        << QByteArray(R"({"id": "p", "name": "P", "version": "1", "api": 1, "tasks": ["detect"]})")
        << "metadata names an unknown task \"detect\" (known: forecast, classify, reconstruct, "
           "separate)";
}

void tst_PluginMetadata::refused()
{
    QFETCH(QString, iid);
    QFETCH(QByteArray, json);
    QFETCH(QString, reason);

    const QJsonObject meta =
        iid.isEmpty() && json.isEmpty() ? QJsonObject() : qtMetaData(iid, json);
    const auto md = parsePluginMetadata(meta);
    QVERIFY(!md.hasValue());
    QCOMPARE(md.error().reason, reason);
    QVERIFY(md.error().file.isEmpty());
}

QTEST_GUILESS_MAIN(tst_PluginMetadata)
#include "tst_pluginmetadata.moc"
