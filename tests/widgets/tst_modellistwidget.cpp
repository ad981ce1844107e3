#include "plugin/ModelRegistry.h"
#include "widgets/ModelListWidget.h"

#include <QLabel>
#include <QListWidget>
#include <QSignalSpy>
#include <QSplitter>
#include <QTest>
#include <QTextBrowser>
#include <QTreeWidget>

using namespace twb;

class tst_ModelListWidget : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void listsPluginsAndProblems();
    void nothingFoundNamesTheSearchedFolders();
    void layoutFollowsShape();
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

QTEST_MAIN(tst_ModelListWidget)
#include "tst_modellistwidget.moc"
