#include "plugin/ModelRegistry.h"
#include "widgets/training/ModelChoice.h"
#include "widgets/training/ModelListWidget.h"

#include <QLabel>
#include <QListWidget>
#include <QSignalSpy>
#include <QSplitter>
#include <QTest>
#include <QTextBrowser>
#include <QTreeWidget>

using namespace twb;

Q_DECLARE_METATYPE(std::vector<twb::ModelTasks>)

class tst_ModelListWidget : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void listsPluginsAndProblems();
    void nothingFoundNamesTheSearchedFolders();
    void layoutFollowsShape();
    void preferredModelFitsTheData_data();
    void preferredModelFitsTheData();
    void preferredTaskKeepsAFittingChoice();
    void soundClipsPreferTheSpectrogramModel();
    void modelsThatDoNotFitAreGrey();
};

void tst_ModelListWidget::listsPluginsAndProblems()
{
    ModelRegistry registry;
    registry.scan({QStringLiteral(TWB_DUMMY_PLUGIN_DIR)});
    QVERIFY(!registry.plugins().empty());
    QVERIFY(!registry.problems().empty());

    ModelListWidget widget;
    QSignalSpy selected(&widget, &ModelListWidget::modelSelected);
    widget.setRegistry(registry, {QStringLiteral(TWB_DUMMY_PLUGIN_DIR)});
    widget.resize(500, 600);
    widget.show();
    QVERIFY(QTest::qWaitForWindowExposed(&widget));

    QCOMPARE(widget.modelCount(), int(registry.plugins().size()));
    auto *tree = widget.findChild<QTreeWidget *>(QStringLiteral("modelTree"));
    QVERIFY(tree);
    QCOMPARE(tree->topLevelItemCount(), widget.modelCount());
    const QTreeWidgetItem *item = tree->topLevelItem(0);
    QCOMPARE(item->text(0), QStringLiteral("Dummy Good"));
    QCOMPARE(item->text(1), QStringLiteral("forecast, classify"));
    QCOMPARE(item->text(2), QStringLiteral("1.2.3"));

    // The first model is selected and described, with its paper.
    QCOMPARE(widget.selectedModel(), QStringLiteral("dummygood"));
    const QString details =
        widget.findChild<QTextBrowser *>(QStringLiteral("modelDetails"))->toPlainText();
    QVERIFY2(details.contains(QLatin1String("A test fixture of the plugin registry")),
             qPrintable(details));
    QVERIFY(details.contains(QLatin1String("None (test fixture), 2024.")));

    // Problems are visible: a banner with the count and one line per refused library.
    auto *box = widget.findChild<QWidget *>(QStringLiteral("problemBox"));
    QVERIFY(box && box->isVisible());
    QCOMPARE(widget.problemCount(), int(registry.problems().size()));
    auto *banner = widget.findChild<QLabel *>(QStringLiteral("problemBanner"));
    QVERIFY2(banner->text().startsWith(QString::number(widget.problemCount())),
             qPrintable(banner->text()));
    auto *list = widget.findChild<QListWidget *>(QStringLiteral("problemList"));
    QCOMPARE(list->count(), widget.problemCount());
    bool apiReported = false;
    for (int i = 0; i < list->count(); ++i)
        apiReported |= list->item(i)->text().contains(
            QLatin1String("twbdummy_api2.so: built for plugin API 2"));
    QVERIFY(apiReported);

    widget.selectModel(QStringLiteral("nope"));
    QCOMPARE(widget.selectedModel(), QStringLiteral("dummygood"));
}

void tst_ModelListWidget::nothingFoundNamesTheSearchedFolders()
{
    ModelRegistry registry;
    registry.scan({QStringLiteral("/nonexistent/plugins")});
    ModelListWidget widget;
    widget.setRegistry(registry, {QStringLiteral("/nonexistent/plugins")});
    widget.show();
    QCOMPARE(widget.modelCount(), 0);
    QCOMPARE(widget.problemCount(), 0);
    QVERIFY(widget.selectedModel().isEmpty());
    QVERIFY(!widget.findChild<QWidget *>(QStringLiteral("problemBox"))->isVisible());
    const QString details =
        widget.findChild<QTextBrowser *>(QStringLiteral("modelDetails"))->toPlainText();
    QVERIFY2(details.contains(QLatin1String("No model plugins found")), qPrintable(details));
    QVERIFY(details.contains(QLatin1String("/nonexistent/plugins")));
    QVERIFY(details.contains(QLatin1String("TWB_PLUGIN_PATH")));
}

void tst_ModelListWidget::layoutFollowsShape()
{
    ModelListWidget widget;
    widget.show();
    auto *tree = widget.findChild<QTreeWidget *>(QStringLiteral("modelTree"));
    auto *splitter = qobject_cast<QSplitter *>(tree->parentWidget());
    QVERIFY(splitter);
    widget.resize(900, 250); // docked at the bottom
    QTRY_COMPARE(splitter->orientation(), Qt::Horizontal);
    widget.resize(350, 700); // docked at a side
    QTRY_COMPARE(splitter->orientation(), Qt::Vertical);
}

void tst_ModelListWidget::preferredModelFitsTheData_data()
{
    // The registry lists plugins sorted by id: the audio classifier AST comes first.
    const std::vector<ModelTasks> all{{"ast", {"classify"}},          {"dlinear", {"forecast"}},
                                      {"itransformer", {"forecast"}}, {"nlinear", {"forecast"}},
                                      {"patchtst", {"forecast"}},     {"t2", {"classify"}},
                                      {"tst", {"classify"}}};
    QTest::addColumn<std::vector<ModelTasks>>("models");
    QTest::addColumn<int>("task");
    QTest::addColumn<QString>("current");
    QTest::addColumn<QString>("expected");
    QTest::newRow("series data, nothing chosen: patchtst")
        << all << int(Task::Forecast) << QString() << QStringLiteral("patchtst");
    QTest::newRow("series data, AST selected: patchtst")
        << all << int(Task::Forecast) << QStringLiteral("ast") << QStringLiteral("patchtst");
    QTest::newRow("series data, user chose nlinear: kept")
        << all << int(Task::Forecast) << QStringLiteral("nlinear") << QStringLiteral("nlinear");
    QTest::newRow("labelled data, patchtst selected: tst")
        << all << int(Task::Classify) << QStringLiteral("patchtst") << QStringLiteral("tst");
    QTest::newRow("labelled data, user chose ast: kept")
        << all << int(Task::Classify) << QStringLiteral("ast") << QStringLiteral("ast");
    QTest::newRow("no patchtst: first forecast model")
        << std::vector<ModelTasks>{{"ast", {"classify"}},
                                   {"nlinear", {"forecast"}},
                                   {"zeta", {"forecast"}}}
        << int(Task::Forecast) << QStringLiteral("ast") << QStringLiteral("nlinear");
    QTest::newRow("no model fits: the choice stays")
        << std::vector<ModelTasks>{{"ast", {"classify"}}, {"tst", {"classify"}}}
        << int(Task::Forecast) << QStringLiteral("tst") << QStringLiteral("tst");
    QTest::newRow("no model fits, unknown choice: first")
        << std::vector<ModelTasks>{{"ast", {"classify"}}, {"tst", {"classify"}}}
        << int(Task::Forecast) << QStringLiteral("gone") << QStringLiteral("ast");
    // Speech separation: Conv-TasNet before SepFormer (listed first by id: ast, convtasnet,
    // sepformer), whatever classifier the sound clips had selected; a chosen SepFormer stays.
    const std::vector<ModelTasks> sound{{"ast", {"classify"}},
                                        {"convtasnet", {"separate"}},
                                        {"sepformer", {"separate"}},
                                        {"tst", {"classify"}}};
    QTest::newRow("separation, AST selected: convtasnet")
        << sound << int(Task::Separate) << QStringLiteral("ast") << QStringLiteral("convtasnet");
    QTest::newRow("separation, user chose sepformer: kept")
        << sound << int(Task::Separate) << QStringLiteral("sepformer")
        << QStringLiteral("sepformer");
    QTest::newRow("separation without convtasnet: sepformer")
        << std::vector<ModelTasks>{{"ast", {"classify"}}, {"sepformer", {"separate"}}}
        << int(Task::Separate) << QStringLiteral("ast") << QStringLiteral("sepformer");
    QTest::newRow("empty list") << std::vector<ModelTasks>{} << int(Task::Forecast)
                                << QStringLiteral("ast") << QString();
}

void tst_ModelListWidget::preferredModelFitsTheData()
{
    QFETCH(std::vector<ModelTasks>, models);
    QFETCH(int, task);
    QFETCH(QString, current);
    QFETCH(QString, expected);
    QCOMPARE(preferredModel(models, Task(task), current), expected);
}

void tst_ModelListWidget::soundClipsPreferTheSpectrogramModel()
{
    const std::vector<ModelTasks> all{
        {"ast", {"classify"}}, {"patchtst", {"forecast"}}, {"tst", {"classify"}}};
    QCOMPARE(preferredModel(all, Task::Classify, QStringLiteral("tst"), true),
             QStringLiteral("ast"));
    QCOMPARE(preferredModel(all, Task::Classify, QStringLiteral("tst"), false),
             QStringLiteral("tst"));
    // Without an AST the usual rules hold; sound means nothing for forecasting.
    const std::vector<ModelTasks> noAst{{"patchtst", {"forecast"}}, {"tst", {"classify"}}};
    QCOMPARE(preferredModel(noAst, Task::Classify, QStringLiteral("patchtst"), true),
             QStringLiteral("tst"));
    QCOMPARE(preferredModel(all, Task::Forecast, QString(), true), QStringLiteral("patchtst"));
}

void tst_ModelListWidget::preferredTaskKeepsAFittingChoice()
{
    ModelRegistry registry;
    registry.scan({QStringLiteral(TWB_DUMMY_PLUGIN_DIR)});
    ModelListWidget widget;
    QCOMPARE(widget.preferredTask(), Task::Forecast);
    widget.setRegistry(registry);
    QCOMPARE(widget.selectedModel(), QStringLiteral("dummygood"));
    QSignalSpy selected(&widget, &ModelListWidget::modelSelected);
    // dummygood does both: switching the data kind keeps it, and nothing is re-selected.
    widget.setPreferredTask(Task::Classify);
    QCOMPARE(widget.preferredTask(), Task::Classify);
    QCOMPARE(widget.selectedModel(), QStringLiteral("dummygood"));
    QCOMPARE(selected.count(), 0);
    widget.setRegistry(registry); // a rescan keeps the choice too
    QCOMPARE(widget.selectedModel(), QStringLiteral("dummygood"));
}

void tst_ModelListWidget::modelsThatDoNotFitAreGrey()
{
    ModelRegistry registry;
    registry.scan({QStringLiteral(TWB_DUMMY_PLUGIN_DIR)});
    ModelListWidget widget;
    widget.setRegistry(registry);
    auto *tree = widget.findChild<QTreeWidget *>(QStringLiteral("modelTree"));
    QVERIFY(tree && tree->topLevelItemCount() > 0);
    const auto greyed = [tree] {
        QStringList ids;
        for (int i = 0; i < tree->topLevelItemCount(); ++i)
            if (tree->topLevelItem(i)->data(1, Qt::ForegroundRole).isValid())
                ids << tree->topLevelItem(i)->data(0, Qt::UserRole).toString();
        return ids;
    };
    QVERIFY(greyed().isEmpty()); // no data yet: no task to fit
    // No dummy separates: every one is grey, its tooltip says why and still names its file.
    widget.setPreferredTask(Task::Separate, true);
    QCOMPARE(greyed().size(), tree->topLevelItemCount());
    const QString tip = tree->topLevelItem(0)->toolTip(0);
    QVERIFY2(tip.startsWith(QStringLiteral("Not for this data: it does not separate.\n")),
             qPrintable(tip));
    QVERIFY(tip.endsWith(registry.plugins().front().path));
    // dummygood classifies: it is listed as usual again for labelled data.
    widget.setPreferredTask(Task::Classify);
    QVERIFY(!greyed().contains(QStringLiteral("dummygood")));
}

QTEST_MAIN(tst_ModelListWidget)
#include "tst_modellistwidget.moc"
