// The cross-validation fold table of the Classification tab.
#include "widgets/classify/ClassificationView.h"
#include "widgets/classify/FoldTable.h"

#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

using namespace twb;

namespace {

CrossValidationTable sampleTable()
{
    CrossValidationTable t;
    t.dir = QStringLiteral("/runs/loso");
    t.cv = QStringLiteral("groups");
    t.groupBy = QStringLiteral("speaker");
    const auto fold = [](const char *name, double accuracy, double f1, qint64 examples,
                         const char *status) {
        FoldResult f;
        f.name = QLatin1String(name);
        f.runDir = QStringLiteral("/runs/loso/fold-") + f.name;
        f.status = QLatin1String(status);
        if (examples >= 0) {
            f.accuracy = accuracy;
            f.balancedAccuracy = accuracy - 0.01;
            f.macroF1 = f1;
            f.logLoss = 1.0 - accuracy;
            f.examples = examples;
        }
        return f;
    };
    t.folds = {fold("ann", 0.8, 0.75, 50, "finished"), fold("bob", 0.6, 0.55, 50, "early_stopped"),
               fold("cy", 0, 0, -1, "pending")};
    t.finished = 2;
    t.meanAccuracy = 0.7;
    t.sdAccuracy = 0.1414;
    t.minAccuracy = 0.6;
    t.maxAccuracy = 0.8;
    return t;
}

QString cell(QTableWidget *view, int row, int column)
{
    return view->item(row, column) ? view->item(row, column)->text() : QString();
}

} // namespace

class tst_FoldTable : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsEveryFoldAndTheMean()
    {
        FoldTable table;
        table.setTable(sampleTable(), QStringLiteral("/runs/loso/fold-bob"));
        QTableWidget *view = table.tableWidget();
        QCOMPARE(view->rowCount(), 4); // three folds and the mean
        QCOMPARE(cell(view, 0, FoldTable::FoldColumn), QStringLiteral("ann"));
        QCOMPARE(cell(view, 0, FoldTable::AccuracyColumn), QStringLiteral("80.0 %"));
        QCOMPARE(cell(view, 0, FoldTable::BalancedColumn), QStringLiteral("79.0 %"));
        QCOMPARE(cell(view, 0, FoldTable::MacroF1Column), QStringLiteral("0.750"));
        QCOMPARE(cell(view, 0, FoldTable::LogLossColumn), QStringLiteral("0.200"));
        QCOMPARE(cell(view, 0, FoldTable::CasesColumn), QStringLiteral("50"));
        QCOMPARE(cell(view, 1, FoldTable::FoldColumn), QStringLiteral("bob (shown)"));
        QVERIFY(view->item(1, FoldTable::AccuracyColumn)->font().bold());
        QVERIFY(!view->item(0, FoldTable::AccuracyColumn)->font().bold());
        QCOMPARE(cell(view, 1, FoldTable::StatusColumn), QStringLiteral("early_stopped"));
        QCOMPARE(cell(view, 2, FoldTable::AccuracyColumn), QStringLiteral("\u2013"));
        QCOMPARE(cell(view, 2, FoldTable::StatusColumn), QStringLiteral("pending"));
        // Mean and sample sd over the folds with results: accuracy (0.8, 0.6) -> 70.0 ± 14.1.
        QCOMPARE(cell(view, 3, FoldTable::FoldColumn), QStringLiteral("mean \u00b1 sd"));
        QCOMPARE(cell(view, 3, FoldTable::AccuracyColumn), QStringLiteral("70.0 % \u00b1 14.1"));
        QCOMPARE(cell(view, 3, FoldTable::MacroF1Column), QStringLiteral("0.650 \u00b1 0.141"));
        QCOMPARE(cell(view, 3, FoldTable::StatusColumn), QStringLiteral("2 of 3 folds"));
        QCOMPARE(table.titleText(),
                 QStringLiteral("Cross-validation: leave one speaker out \u00b7 2 of 3 folds "
                                "\u00b7 mean accuracy 70.0 % \u00b1 14.1 (60.0\u201380.0 %)"));
        table.setShownFold(QStringLiteral("/runs/loso/fold-ann"));
        QCOMPARE(table.shownRow(), 0);
        QCOMPARE(cell(view, 0, FoldTable::FoldColumn), QStringLiteral("ann (shown)"));
        QCOMPARE(cell(view, 1, FoldTable::FoldColumn), QStringLiteral("bob"));
    }

    void activatingAFoldAsksForItsRun()
    {
        FoldTable table;
        table.setTable(sampleTable(), {});
        QCOMPARE(table.shownRow(), -1);
        table.show();
        QSignalSpy activated(&table, &FoldTable::foldActivated);
        QTableWidget *view = table.tableWidget();
        Q_EMIT view->activated(view->model()->index(1, 0));
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated.first().first().toString(), QStringLiteral("/runs/loso/fold-bob"));
        // A pending fold and the mean row ask for nothing.
        Q_EMIT view->activated(view->model()->index(2, 0));
        Q_EMIT view->activated(view->model()->index(3, 0));
        QCOMPARE(activated.size(), 1);
    }

    void theClassificationViewShowsItOnlyForFolds()
    {
        ClassificationView view;
        view.show();
        QVERIFY(!view.foldTable()->isVisible());
        QSignalSpy activated(&view, &ClassificationView::foldActivated);
        view.setCrossValidation(sampleTable(), QStringLiteral("/runs/loso/fold-ann"));
        QVERIFY(view.foldTable()->isVisible());
        QCOMPARE(view.foldTable()->shownRow(), 0);
        QTableWidget *table = view.foldTable()->tableWidget();
        Q_EMIT table->activated(table->model()->index(1, 0));
        QCOMPARE(activated.size(), 1);
        view.clearCrossValidation();
        QVERIFY(!view.foldTable()->isVisible());
    }
};

QTEST_MAIN(tst_FoldTable)
#include "tst_foldtable.moc"
