#include "data/LabelledSplit.h"
#include "data/TsLoader.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <limits>
#include <set>

using namespace twb;

namespace {

// `counts[k]` cases of class k, each of length 2 with one channel; values encode the case.
LabelledDataset makeSet(const std::vector<int> &counts)
{
    LabelledDataset data;
    data.channelNames = {QStringLiteral("v")};
    for (std::size_t k = 0; k < counts.size(); ++k) {
        data.classNames.append(QStringLiteral("c%1").arg(k));
        for (int i = 0; i < counts[k]; ++i) {
            const float id = float(data.cases.size());
            data.cases.push_back({{id, id}, 2, int(k), QString(), {}});
        }
    }
    return data;
}

std::vector<std::int64_t> countPerClass(const LabelledDataset &data,
                                        const std::vector<std::int64_t> &part)
{
    std::vector<std::int64_t> counts(std::size_t(data.classNames.size()), 0);
    for (std::int64_t i : part)
        ++counts[std::size_t(data.cases[std::size_t(i)].label)];
    return counts;
}

} // namespace

class TestLabelledSplit : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keepsProportions()
    {
        const LabelledDataset data = makeSet({100, 50, 10});
        const auto split = stratifiedSplit(data, 0.1, 0.2, 42);
        QVERIFY(split);
        QCOMPARE(countPerClass(data, split->test), std::vector<std::int64_t>({20, 10, 2}));
        QCOMPARE(countPerClass(data, split->validation), std::vector<std::int64_t>({10, 5, 1}));
        QCOMPARE(countPerClass(data, split->train), std::vector<std::int64_t>({70, 35, 7}));
        // A partition of all cases, each part sorted.
        std::set<std::int64_t> all;
        for (const auto *part : {&split->train, &split->validation, &split->test}) {
            QVERIFY(std::is_sorted(part->begin(), part->end()));
            all.insert(part->begin(), part->end());
        }
        QCOMPARE(all.size(), std::size_t(160));
        QCOMPARE(split->train.size() + split->validation.size() + split->test.size(),
                 std::size_t(160));
    }

    void seeded()
    {
        const LabelledDataset data = makeSet({30, 30});
        const auto a = stratifiedSplit(data, 0.0, 0.5, 7);
        const auto b = stratifiedSplit(data, 0.0, 0.5, 7);
        const auto c = stratifiedSplit(data, 0.0, 0.5, 8);
        QVERIFY(a && b && c);
        QCOMPARE(a->test, b->test);
        QVERIFY(a->test != c->test);
        QVERIFY(a->validation.empty());
        QCOMPARE(a->test.size(), std::size_t(30));
    }

    void everyClassInEveryPart()
    {
        // Three cases of the rare class: one each for train, validation and test.
        const LabelledDataset data = makeSet({40, 3, 2, 1});
        const auto split = stratifiedSplit(data, 0.1, 0.1, 1);
        QVERIFY(split);
        QCOMPARE(countPerClass(data, split->train), std::vector<std::int64_t>({32, 1, 1, 1}));
        QCOMPARE(countPerClass(data, split->validation), std::vector<std::int64_t>({4, 1, 0, 0}));
        QCOMPARE(countPerClass(data, split->test), std::vector<std::int64_t>({4, 1, 1, 0}));
    }

    void candidatesOnly()
    {
        const LabelledDataset data = makeSet({10, 10});
        const std::vector<std::int64_t> pool = {0, 1, 2, 3, 10, 11, 12, 13};
        const auto split = stratifiedSplit(data, pool, 0.25, 0.0, 3);
        QVERIFY(split);
        QCOMPARE(split->validation.size(), std::size_t(2));
        QCOMPARE(split->train.size(), std::size_t(6));
        for (std::int64_t i : split->validation)
            QVERIFY(std::find(pool.begin(), pool.end(), i) != pool.end());
        QVERIFY(!stratifiedSplit(data, {20}, 0.1, 0.1, 1));
    }

    void badFractions()
    {
        const LabelledDataset data = makeSet({10});
        QVERIFY(!stratifiedSplit(data, 0.5, 0.5, 1));
        QVERIFY(!stratifiedSplit(data, -0.1, 0.2, 1));
        QVERIFY(!stratifiedSplit(data, 0.1, std::nan(""), 1));
    }

    void scalerUsesTrainOnly()
    {
        LabelledDataset data;
        data.channelNames = {QStringLiteral("a"), QStringLiteral("b")};
        data.classNames = {QStringLiteral("x")};
        const float nan = std::numeric_limits<float>::quiet_NaN();
        // Train cases 0 and 1: channel a = 1, 3, 5 (mean 3, std sqrt(8/3)); b = 2, NaN, 2 (std 0).
        data.cases.push_back({{1, 2, 3, nan}, 2, 0, {}, {}});
        data.cases.push_back({{5, 2}, 1, 0, {}, {}});
        data.cases.push_back({{1000, -1000}, 1, 0, {}, {}}); // test: must not move the statistics
        const StandardScaler scaler = fitLabelledScaler(data, {0, 1});
        QCOMPARE(scaler.channelCount(), 2);
        QCOMPARE(scaler.mean()[0], 3.0);
        QCOMPARE(scaler.scale()[0], std::sqrt(8.0 / 3.0));
        QCOMPARE(scaler.mean()[1], 2.0);
        QCOMPARE(scaler.scale()[1], 1.0);

        scaleLabelled(data, scaler);
        QCOMPARE(data.cases[0].values[0], float((1 - 3) / std::sqrt(8.0 / 3.0)));
        QCOMPARE(data.cases[0].values[1], 0.0f);
        QVERIFY(std::isnan(data.cases[0].values[3]));
        QCOMPARE(data.cases[2].values[0], float((1000 - 3) / std::sqrt(8.0 / 3.0)));
        QCOMPARE(data.cases[2].values[1], -1002.0f);
    }

    void paddingMask()
    {
        LabelledDataset data;
        data.channelNames = {QStringLiteral("a"), QStringLiteral("b")};
        data.classNames = {QStringLiteral("x"), QStringLiteral("y")};
        data.cases.push_back({{1, 2, 3, 4, 5, 6}, 3, 1, {}, {}});
        data.cases.push_back({{7, 8}, 1, 0, {}, {}});
        const PaddedCases padded = padCases(data, {1, 0}, 0, -9.0f);
        QCOMPARE(padded.cases, 2);
        QCOMPARE(padded.length, 3);
        QCOMPARE(padded.channels, 2);
        QCOMPARE(padded.values, std::vector<float>({7, 8, -9, -9, -9, -9, 1, 2, 3, 4, 5, 6}));
        QCOMPARE(padded.mask, std::vector<std::uint8_t>({1, 0, 0, 1, 1, 1}));
        QCOMPARE(padded.labels, std::vector<int>({0, 1}));

        const PaddedCases cut = padCases(data, {0, 1}, 2);
        QCOMPARE(cut.values, std::vector<float>({1, 2, 3, 4, 7, 8, 0, 0}));
        QCOMPARE(cut.mask, std::vector<std::uint8_t>({1, 1, 1, 0}));
    }

    void unequalTsPadded()
    {
        // Unequal lengths from a real .ts file: the mask marks each case's own length.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("unequal.ts"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("@univariate true\n@equalLength false\n@classLabel true a b\n@data\n"
                   "1,2,3,4:a\n5,?:b\n6,7,8:a\n");
        file.close();
        const auto data = loadTs(path);
        QVERIFY2(data, qPrintable(data ? QString() : data.error().toString()));
        QCOMPARE(data->missingValues, 1);
        const PaddedCases padded = padCases(*data, {0, 1, 2});
        QCOMPARE(padded.length, 4);
        QCOMPARE(padded.mask, std::vector<std::uint8_t>({1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 0}));
        QCOMPARE(padded.values[4], 5.0f);
        QVERIFY(std::isnan(padded.values[5]));
        QCOMPARE(padded.values[6], 0.0f);
        QCOMPARE(padded.values[11], 0.0f);
        QCOMPARE(padded.labels, std::vector<int>({0, 1, 0}));
    }
};

QTEST_GUILESS_MAIN(TestLabelledSplit)
#include "tst_labelledsplit.moc"
