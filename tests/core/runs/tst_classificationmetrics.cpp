#include "runs/ClassificationMetrics.h"

#include <QJsonArray>
#include <QTest>

#include <cmath>

using namespace twb;

/// Metrics against values computed by hand for a small three-class example.
class TestClassificationMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void threeClassesByHand()
    {
        const std::vector<int> labels{0, 0, 1, 1, 2, 2};
        const std::vector<float> p{0.7f, 0.2f,  0.1f,   // -> 0, right
                                   0.3f, 0.4f,  0.3f,   // -> 1, wrong
                                   0.1f, 0.8f,  0.1f,   // -> 1, right
                                   0.2f, 0.3f,  0.5f,   // -> 2, wrong
                                   0.1f, 0.1f,  0.8f,   // -> 2, right
                                   0.5f, 0.25f, 0.25f}; // -> 0, wrong
        const ClassificationMetrics m = computeClassificationMetrics(p, labels, 3);
        QCOMPARE(m.examples, 6);
        QCOMPARE(m.accuracy, 0.5);
        QCOMPARE(m.confusion,
                 (std::vector<std::vector<std::int64_t>>{{1, 1, 0}, {0, 1, 1}, {1, 0, 1}}));
        QCOMPARE(m.balancedAccuracy, 0.5);
        QCOMPARE(m.macroF1, 0.5);
        for (const ClassScores &s : m.perClass) {
            QCOMPARE(s.precision, 0.5);
            QCOMPARE(s.recall, 0.5);
            QCOMPARE(s.support, 2);
        }
        const auto ln = [](float p) {
            return std::log(double(p));
        };
        const double logLoss =
            -(ln(0.7f) + ln(0.3f) + ln(0.8f) + ln(0.3f) + ln(0.8f) + ln(0.25f)) / 6.0;
        QVERIFY(std::abs(m.logLoss - logLoss) < 1e-6);
        // p(true class): .7, .3, .8, .3, .8, .25.
        // One-vs-rest AUCs: class 0 7/8, class 1 7/8, class 2 6/8 (pairs counted by hand).
        QVERIFY(std::abs(m.rocAucOvr - (0.875 + 0.875 + 0.75) / 3.0) < 1e-12);
    }

    void imbalancedBalancedAccuracy()
    {
        // 8 of class 0 all right, 2 of class 1 all predicted 0: accuracy .8, balanced .5.
        std::vector<int> labels(10, 0);
        labels[8] = labels[9] = 1;
        std::vector<float> p;
        for (int i = 0; i < 10; ++i) {
            p.push_back(0.9f);
            p.push_back(0.1f);
        }
        const ClassificationMetrics m = computeClassificationMetrics(p, labels, 2);
        QCOMPARE(m.accuracy, 0.8);
        QCOMPARE(m.balancedAccuracy, 0.5);
        QCOMPARE(m.perClass[1].precision, 0.0);
        QCOMPARE(m.perClass[1].f1, 0.0);
        // F1 of class 0: precision .8, recall 1 -> 2*.8/(1.8).
        QVERIFY(std::abs(m.macroF1 - (2 * 0.8 / 1.8 + 0.0) / 2.0) < 1e-12);
        QCOMPARE(m.rocAucOvr, 0.5); // every score tied
    }

    void aucTiesAndDegenerateCases()
    {
        QCOMPARE(rocAuc({0.5f, 0.5f}, {true, false}), 0.5);
        QCOMPARE(rocAuc({0.9f, 0.1f}, {true, false}), 1.0);
        QCOMPARE(rocAuc({0.1f, 0.9f}, {true, false}), 0.0);
        QVERIFY(std::isnan(rocAuc({0.1f, 0.9f}, {true, true})));
    }

    void logLossClipsZeroProbability()
    {
        const ClassificationMetrics m = computeClassificationMetrics({1.0f, 0.0f}, {1}, 2);
        QVERIFY(std::abs(m.logLoss - -std::log(1e-15)) < 1e-9);
    }

    void jsonHasTheContractKeys()
    {
        const ClassificationMetrics m =
            computeClassificationMetrics({0.9f, 0.1f, 0.2f, 0.8f}, {0, 1}, 2);
        const QJsonObject json = m.toJson({QStringLiteral("a"), QStringLiteral("b")});
        for (const char *key : {"accuracy", "balanced_accuracy", "macro_f1", "log_loss",
                                "roc_auc_ovr", "confusion", "per_class"})
            QVERIFY2(json.contains(QLatin1String(key)), key);
        QCOMPARE(json[QStringLiteral("confusion")].toArray()[1].toArray()[1].toInt(), 1);
        QCOMPARE(json[QStringLiteral("per_class")]
                     .toArray()[1]
                     .toObject()[QStringLiteral("class")]
                     .toString(),
                 QStringLiteral("b"));
    }

    void refusesInconsistentInput()
    {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 computeClassificationMetrics({0.5f, 0.5f}, {0, 1}, 2));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 computeClassificationMetrics({0.5f, 0.5f}, {2}, 2));
    }
};

QTEST_APPLESS_MAIN(TestClassificationMetrics)
#include "tst_classificationmetrics.moc"
