#include "ClassificationFixture.h"
#include "widgets/classify/ClassMetricsModel.h"

#include <QTest>

using namespace twb;

class TestClassMetricsModel : public QObject
{
    Q_OBJECT

    static double value(const QAbstractItemModel &m, int row, int column)
    {
        return m.index(row, column).data(ClassMetricsModel::SortRole).toDouble();
    }
    static QString text(const QAbstractItemModel &m, int row, int column)
    {
        return m.index(row, column).data().toString();
    }

private Q_SLOTS:
    void valuesMatchHandComputed()
    {
        ClassMetricsModel model;
        model.setMetrics(
            computeClassificationMetrics(twb::test::probabilities(), twb::test::kTruth, 3),
            twb::test::kClassNames);
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.columnCount(), 5);
        using M = ClassMetricsModel;
        const double expected[3][4] = {{2.0 / 3, 1.0 / 2, 4.0 / 7, 4},
                                       {2.0 / 3, 2.0 / 3, 2.0 / 3, 3},
                                       {3.0 / 4, 1.0, 6.0 / 7, 3}};
        for (int r = 0; r < 3; ++r) {
            QCOMPARE(text(model, r, M::ClassColumn), twb::test::kClassNames[r]);
            QVERIFY(qFuzzyCompare(value(model, r, M::PrecisionColumn), expected[r][0]));
            QVERIFY(qFuzzyCompare(value(model, r, M::RecallColumn), expected[r][1]));
            QVERIFY(qFuzzyCompare(value(model, r, M::F1Column), expected[r][2]));
            QCOMPARE(value(model, r, M::SupportColumn), expected[r][3]);
        }
        QCOMPARE(text(model, 0, M::F1Column), QStringLiteral("0.571"));
        QCOMPARE(text(model, 2, M::PrecisionColumn), QStringLiteral("0.750"));
        // Macro row: unweighted means, total support.
        QCOMPARE(text(model, 3, M::ClassColumn), QStringLiteral("macro"));
        QVERIFY(qFuzzyCompare(value(model, 3, M::PrecisionColumn), (2.0 / 3 + 2.0 / 3 + 0.75) / 3));
        QVERIFY(qFuzzyCompare(value(model, 3, M::RecallColumn), (0.5 + 2.0 / 3 + 1.0) / 3));
        QVERIFY(qFuzzyCompare(value(model, 3, M::F1Column), (4.0 / 7 + 2.0 / 3 + 6.0 / 7) / 3));
        QCOMPARE(text(model, 3, M::SupportColumn), QStringLiteral("10"));
        QVERIFY(model.index(3, 0).data(M::IsMacroRole).toBool());
    }

    void sortKeepsMacroLast()
    {
        ClassMetricsModel model;
        model.setMetrics(
            computeClassificationMetrics(twb::test::probabilities(), twb::test::kTruth, 3),
            twb::test::kClassNames);
        ClassMetricsSortProxy proxy;
        proxy.setSourceModel(&model);
        proxy.sort(ClassMetricsModel::F1Column, Qt::DescendingOrder);
        QCOMPARE(text(proxy, 0, 0), QStringLiteral("two"));
        QCOMPARE(text(proxy, 1, 0), QStringLiteral("one"));
        QCOMPARE(text(proxy, 2, 0), QStringLiteral("zero"));
        QCOMPARE(text(proxy, 3, 0), QStringLiteral("macro"));
        proxy.sort(ClassMetricsModel::RecallColumn, Qt::AscendingOrder);
        QCOMPARE(text(proxy, 0, 0), QStringLiteral("zero"));
        QCOMPARE(text(proxy, 2, 0), QStringLiteral("two"));
        QCOMPARE(text(proxy, 3, 0), QStringLiteral("macro"));
    }

    void mismatchedNamesEmpty()
    {
        ClassMetricsModel model;
        model.setMetrics(
            computeClassificationMetrics(twb::test::probabilities(), twb::test::kTruth, 3),
            {"a", "b"});
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestClassMetricsModel)
#include "tst_classmetricsmodel.moc"
