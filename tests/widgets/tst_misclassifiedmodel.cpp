#include "ClassificationFixture.h"
#include "widgets/classify/MisclassifiedModel.h"

#include <QSortFilterProxyModel>
#include <QTest>

using namespace twb;

class TestMisclassifiedModel : public QObject
{
    Q_OBJECT

    static std::shared_ptr<ClassPredictions> predictions()
    {
        auto p = std::make_shared<ClassPredictions>();
        p->cases = 10;
        p->classes = 3;
        p->probabilities = twb::test::probabilities();
        p->labels = twb::test::kTruth;
        p->predicted = twb::test::kPredicted;
        p->sources = twb::test::wavSources();
        p->classNames = twb::test::kClassNames;
        return p;
    }

    static std::vector<qint64> cases(const MisclassifiedModel &m)
    {
        std::vector<qint64> out;
        for (int r = 0; r < m.rowCount(); ++r)
            out.push_back(m.caseAt(r));
        return out;
    }

private Q_SLOTS:
    void misclassifiedByDefault()
    {
        MisclassifiedModel model;
        model.setPredictions(predictions());
        QCOMPARE(model.filter(), MisclassifiedModel::Filter::Misclassified);
        QCOMPARE(cases(model), (std::vector<qint64>{2, 3, 6}));
        QCOMPARE(model.filterDescription(), QStringLiteral("misclassified: 3 of 10 cases"));
        using M = MisclassifiedModel;
        // Row 1 = case 3: truth zero, predicted two.
        QCOMPARE(model.index(1, M::CaseColumn).data().toString(), QStringLiteral("3"));
        QCOMPARE(model.index(1, M::SourceColumn).data().toString(),
                 QStringLiteral("0_george_3.wav"));
        QCOMPARE(model.index(1, M::TruthColumn).data().toString(), QStringLiteral("zero"));
        QCOMPARE(model.index(1, M::PredictedColumn).data().toString(), QStringLiteral("two"));
        QCOMPARE(model.index(1, M::ConfidenceColumn).data().toString(), QStringLiteral("0.600"));
        QCOMPARE(model.index(1, M::TruthProbabilityColumn).data().toString(),
                 QStringLiteral("0.200"));
        QCOMPARE(model.index(1, 0).data(M::CaseIndexRole).toLongLong(), 3);
        QCOMPARE(model.index(1, 0).data(M::SourceRole).toString(),
                 QStringLiteral("0_george_3.wav"));
        QCOMPARE(model.index(1, M::ConfidenceColumn).data(M::SortRole).toDouble(), double(0.6f));
    }

    void filters()
    {
        MisclassifiedModel model;
        model.setPredictions(predictions());
        model.showAll();
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(model.filterDescription(), QStringLiteral("all 10 cases"));
        model.showCell(1, 0);
        QCOMPARE(cases(model), (std::vector<qint64>{6}));
        QCOMPARE(model.filterDescription(), QStringLiteral("truth one, predicted zero: 1 case"));
        model.showCell(2, 2); // a diagonal cell: the correct cases of "two"
        QCOMPARE(cases(model), (std::vector<qint64>{7, 8, 9}));
        model.showCell(1, 2);
        QCOMPARE(model.rowCount(), 0);
        model.showCell(7, 0);
        QCOMPARE(model.rowCount(), 0);
        model.showMisclassified();
        QCOMPARE(model.rowCount(), 3);
        // The filter stays when new predictions arrive; nullptr empties.
        model.setPredictions(nullptr);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.caseAt(0), -1);
    }

    void sortsThroughProxy()
    {
        auto p = predictions();
        p->probabilities[6 * 3 + 0] = 0.9f; // case 6 very confident in class zero
        p->probabilities[6 * 3 + 1] = 0.05f;
        p->probabilities[6 * 3 + 2] = 0.05f;
        MisclassifiedModel model;
        model.setPredictions(p);
        QSortFilterProxyModel proxy;
        proxy.setSortRole(MisclassifiedModel::SortRole);
        proxy.setSourceModel(&model);
        proxy.sort(MisclassifiedModel::ConfidenceColumn, Qt::DescendingOrder);
        QCOMPARE(proxy.index(0, 0).data(MisclassifiedModel::CaseIndexRole).toLongLong(), 6);
        QCOMPARE(proxy.index(0, MisclassifiedModel::TruthProbabilityColumn).data().toString(),
                 QStringLiteral("0.050"));
    }
};

QTEST_GUILESS_MAIN(TestMisclassifiedModel)
#include "tst_misclassifiedmodel.moc"
