#include "plugin/ModelPlugin.h"
#include "plugin/ModelRegistry.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace twb;

namespace {

const QString dummyDir = QStringLiteral(TWB_DUMMY_PLUGIN_DIR);

QString dummy(const QString &fileName)
{
    return dummyDir + QLatin1Char('/') + fileName;
}

QList<const PluginProblem *> problemsFor(const ModelRegistry &registry, const QString &path)
{
    QList<const PluginProblem *> found;
    for (const PluginProblem &p : registry.problems())
        if (p.path == path)
            found << &p;
    return found;
}

QByteArray describeProblems(const ModelRegistry &registry)
{
    QStringList lines;
    for (const PluginProblem &p : registry.problems())
        lines << p.path + QLatin1String(": ") + p.reason;
    return lines.join(QLatin1Char('\n')).toUtf8();
}

} // namespace

class tst_ModelRegistry : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void goodPluginFound();
    void badPluginsReported_data();
    void badPluginsReported();
    void onlyLibrariesConsidered();
    void missingAndRepeatedDirectories();
    void rescanReplacesContent();
    void defaultSearchPaths();
    void pluginPathEnvironmentIsSearchedFirst();
};

void tst_ModelRegistry::initTestCase()
{
    QVERIFY2(QFileInfo::exists(dummy(QStringLiteral("twbdummy_a_good.so"))),
             qPrintable(QStringLiteral("dummy plugins not built in ") + dummyDir));
}

void tst_ModelRegistry::cleanup()
{
    qunsetenv("TWB_PLUGIN_PATH");
}

void tst_ModelRegistry::goodPluginFound()
{
    ModelRegistry registry;
    registry.scan({dummyDir});

    QCOMPARE(registry.plugins().size(), std::size_t(1));
    const PluginRecord *rec = registry.record(QStringLiteral("dummygood"));
    QVERIFY(rec);
    QCOMPARE(rec, &registry.plugins().front());
    QCOMPARE(rec->id, QStringLiteral("dummygood"));
    QCOMPARE(rec->name, QStringLiteral("Dummy Good"));
    QCOMPARE(rec->version, QStringLiteral("1.2.3"));
    QCOMPARE(rec->apiMajor, 1);
    QCOMPARE(rec->tasks, QStringList({"forecast", "classify"}));
    QCOMPARE(rec->path, dummy(QStringLiteral("twbdummy_a_good.so")));
    QVERIFY(rec->plugin);

    const ModelPlugin *plugin = registry.find(QStringLiteral("dummygood"));
    QCOMPARE(plugin, rec->plugin);
    // A ModelPluginBase: id, name and tasks are those of its JSON.
    QCOMPARE(plugin->id(), QStringLiteral("dummygood"));
    QCOMPARE(plugin->displayName(), QStringLiteral("Dummy Good"));
    QCOMPARE(plugin->tasks(), QList<Task>({Task::Forecast, Task::Classify}));
    QVERIFY(!plugin->description().isEmpty());
    QVERIFY(!plugin->paper().isEmpty());

    const HyperparameterSchema schema = plugin->hyperparameters();
    QCOMPARE(schema.specs().size(), std::size_t(2));
    QCOMPARE(schema.specs()[0].key, QStringLiteral("d_model"));
    QCOMPARE(schema.specs()[1].key, QStringLiteral("dropout"));
    const auto values = schema.validate({{QStringLiteral("d_model"), QStringLiteral("32")}});
    QVERIFY(values.hasValue());
    QCOMPARE(values->integer(QStringLiteral("d_model")), 32);

    // The plugin's factory is reachable through the registry (the dummy refuses politely).
    const auto model = plugin->create(ModelSpec{}, *values);
    QVERIFY(!model.hasValue());
    QCOMPARE(model.error().reason, QStringLiteral("dummy plugin \"dummygood\" creates no model"));

    QCOMPARE(registry.find(QStringLiteral("nope")), nullptr);
    QCOMPARE(registry.record(QStringLiteral("nope")), nullptr);

    QCOMPARE(registry.forTask(Task::Forecast).size(), std::size_t(1));
    QCOMPARE(registry.forTask(Task::Forecast).front(), rec);
    QCOMPARE(registry.forTask(Task::Classify).size(), std::size_t(1));
    QVERIFY(registry.forTask(Task::Reconstruct).empty());
}

void tst_ModelRegistry::badPluginsReported_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QStringList>("words");

    QTest::newRow("API 2") << "twbdummy_api2.so"
                           << QStringList{"built for plugin API 2, this build supports 1"};
    QTest::newRow("duplicate id") << "twbdummy_b_duplicate.so"
                                  << QStringList{"duplicate", "\"dummygood\"",
                                                 dummy(QStringLiteral("twbdummy_a_good.so"))};
    QTest::newRow("undefined symbol")
        << "twbdummy_unresolved.so"
        << QStringList{"cannot be loaded", "undefined symbol", "twbDummyUndefinedSymbol"};
    // Plugins that implement ModelPlugin directly repeat their id and tasks in C++.
    QTest::newRow("JSON id differs from id()")
        << "twbdummy_idmismatch.so"
        << QStringList{"inconsistent metadata", "\"dummyjson\"", "\"dummycode\""};
    QTest::newRow("JSON tasks differ from tasks()")
        << "twbdummy_taskmismatch.so"
        << QStringList{"inconsistent metadata", "(forecast)", "(forecast, reconstruct)"};
    QTest::newRow("no JSON metadata") << "twbdummy_nometa.so" << QStringList{"missing metadata"};
    QTest::newRow("not a ModelPlugin")
        << "twbdummy_notinterface.so"
        << QStringList{"DummyNotInterfacePlugin", "does not implement twb::ModelPlugin"};
    QTest::newRow("not a Qt plugin")
        << "libtwbdummy_nonplugin.so" << QStringList{"not a Qt plugin"};
}

void tst_ModelRegistry::badPluginsReported()
{
    QFETCH(QString, fileName);
    QFETCH(QStringList, words);

    ModelRegistry registry;
    registry.scan({dummyDir});
    const auto problems = problemsFor(registry, dummy(fileName));
    QVERIFY2(problems.size() == 1, describeProblems(registry).constData());
    for (const QString &word : words)
        QVERIFY2(problems.front()->reason.contains(word),
                 qPrintable(problems.front()->reason + QLatin1String(" lacks ") + word));
    // The good plugin keeps working beside the bad one.
    QVERIFY(registry.find(QStringLiteral("dummygood")));
}

void tst_ModelRegistry::onlyLibrariesConsidered()
{
    ModelRegistry registry;
    registry.scan({dummyDir});
    QVERIFY(QFileInfo::exists(dummy(QStringLiteral("README.txt"))));
    QVERIFY(problemsFor(registry, dummy(QStringLiteral("README.txt"))).isEmpty());
    // One problem for each of the eight bad libraries, nothing else.
    QVERIFY2(registry.problems().size() == 8, describeProblems(registry).constData());
}

void tst_ModelRegistry::missingAndRepeatedDirectories()
{
    ModelRegistry registry;
    registry.scan({QStringLiteral("/nonexistent/twb/plugins"), dummyDir, dummyDir + "/.",
                   dummy(QStringLiteral("README.txt"))});
    QCOMPARE(registry.plugins().size(), std::size_t(1));
    QVERIFY2(registry.problems().size() == 8, describeProblems(registry).constData());

    registry.scan({});
    QVERIFY(registry.plugins().empty());
    QVERIFY(registry.problems().empty());
}

void tst_ModelRegistry::rescanReplacesContent()
{
    ModelRegistry registry;
    registry.scan({dummyDir});
    const ModelPlugin *first = registry.find(QStringLiteral("dummygood"));
    registry.scan({dummyDir});
    QCOMPARE(registry.plugins().size(), std::size_t(1));
    QCOMPARE(registry.problems().size(), std::size_t(8));
    // Plugins are never unloaded: the instance is the same one.
    QCOMPARE(registry.find(QStringLiteral("dummygood")), first);
    QCOMPARE(first->id(), QStringLiteral("dummygood"));
}

void tst_ModelRegistry::defaultSearchPaths()
{
    qunsetenv("TWB_PLUGIN_PATH");
    const QStringList paths = ModelRegistry::defaultSearchPaths();
    const QString appPlugins = QDir::cleanPath(QCoreApplication::applicationDirPath() +
                                               QLatin1String("/../lib/twb/plugins"));
    QVERIFY(!paths.isEmpty());
    QCOMPARE(paths.front(), appPlugins);
    QVERIFY2(paths.size() == 2 || paths.size() == 1, qPrintable(paths.join(QLatin1Char(' '))));
    for (const QString &p : paths) {
        QVERIFY2(QDir::isAbsolutePath(p), qPrintable(p));
        QVERIFY2(p.endsWith(QLatin1String("twb/plugins")), qPrintable(p));
    }
}

void tst_ModelRegistry::pluginPathEnvironmentIsSearchedFirst()
{
    QTemporaryDir other;
    QVERIFY(other.isValid());
    qputenv("TWB_PLUGIN_PATH",
            QByteArray("/nonexistent/twb::") + other.path().toUtf8() + ':' + dummyDir.toUtf8());
    const QStringList paths = ModelRegistry::defaultSearchPaths();
    QVERIFY(paths.size() >= 3);
    QCOMPARE(paths.mid(0, 3),
             QStringList({"/nonexistent/twb", QDir::cleanPath(other.path()), dummyDir}));

    // With an empty extra folder the dummies come from TWB_PLUGIN_PATH.
    ModelRegistry registry;
    registry.scan();
    QVERIFY(registry.record(QStringLiteral("dummygood")));
    QCOMPARE(registry.record(QStringLiteral("dummygood"))->path,
             dummy(QStringLiteral("twbdummy_a_good.so")));

    // A plugin in an earlier folder wins over a later one with the same id.
    const QString copy = other.path() + QLatin1String("/twbdummy_copy.so");
    QVERIFY(QFile::copy(dummy(QStringLiteral("twbdummy_b_duplicate.so")), copy));
    registry.scan();
    const PluginRecord *rec = registry.record(QStringLiteral("dummygood"));
    QVERIFY(rec);
    QCOMPARE(rec->path, copy);
    QCOMPARE(rec->name, QStringLiteral("Dummy Duplicate"));
    const auto refused = problemsFor(registry, dummy(QStringLiteral("twbdummy_a_good.so")));
    QCOMPARE(refused.size(), 1);
    QVERIFY(refused.front()->reason.contains(QLatin1String("duplicate")));
    QVERIFY(refused.front()->reason.contains(copy));
}

QTEST_GUILESS_MAIN(tst_ModelRegistry)
#include "tst_modelregistry.moc"
