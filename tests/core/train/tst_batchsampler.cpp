#include "train/BatchSampler.h"

#include <QtTest>

#include <vector>

using namespace twb;

class tst_BatchSampler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void coverage_data();
    void coverage();
    void deterministicPerSeedAndEpoch();
    void unshuffledIsInOrder();
    void dropLast();
    void emptyPart();
};

namespace {

std::vector<std::int64_t> epochOrder(BatchSampler &sampler)
{
    std::vector<std::int64_t> order;
    for (std::int64_t b = 0; b < sampler.batchesPerEpoch(); ++b) {
        const torch::Tensor batch = sampler.batch(b);
        for (std::int64_t i = 0; i < batch.size(0); ++i)
            order.push_back(batch[i].item<std::int64_t>());
    }
    return order;
}

} // namespace

void tst_BatchSampler::coverage_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("batchSize");
    QTest::addColumn<int>("expectedBatches");
    QTest::addColumn<int>("lastBatchSize");
    QTest::newRow("exact multiple") << 12 << 4 << 3 << 4;
    QTest::newRow("partial last batch kept") << 10 << 4 << 3 << 2;
    QTest::newRow("one window") << 1 << 32 << 1 << 1;
    QTest::newRow("batch of one") << 5 << 1 << 5 << 1;
}

void tst_BatchSampler::coverage()
{
    QFETCH(int, count);
    QFETCH(int, batchSize);
    QFETCH(int, expectedBatches);
    QFETCH(int, lastBatchSize);
    BatchSampler sampler(count, batchSize, true, 7);
    QCOMPARE(sampler.batchesPerEpoch(), std::int64_t(expectedBatches));
    for (int epoch = 0; epoch < 3; ++epoch) {
        sampler.setEpoch(epoch);
        QCOMPARE(sampler.batch(expectedBatches - 1).size(0), std::int64_t(lastBatchSize));
        std::vector<std::int64_t> order = epochOrder(sampler);
        QCOMPARE(order.size(), std::size_t(count));
        std::sort(order.begin(), order.end());
        for (int i = 0; i < count; ++i)
            QCOMPARE(order[std::size_t(i)], std::int64_t(i)); // every window exactly once
    }
}

void tst_BatchSampler::deterministicPerSeedAndEpoch()
{
    BatchSampler a(100, 8, true, 42);
    BatchSampler b(100, 8, true, 42);
    BatchSampler otherSeed(100, 8, true, 43);
    a.setEpoch(3);
    b.setEpoch(0);
    b.setEpoch(3); // the order depends on (seed, epoch) only, not on the history
    otherSeed.setEpoch(3);
    QCOMPARE(epochOrder(a), epochOrder(b));
    QVERIFY(epochOrder(a) != epochOrder(otherSeed));
    const std::vector<std::int64_t> epoch3 = epochOrder(a);
    a.setEpoch(4);
    QVERIFY(epochOrder(a) != epoch3);
    // The global generator is neither used nor disturbed.
    torch::manual_seed(1);
    const double before = torch::rand({1}).item<double>();
    torch::manual_seed(1);
    a.setEpoch(9);
    QCOMPARE(torch::rand({1}).item<double>(), before);
}

void tst_BatchSampler::unshuffledIsInOrder()
{
    BatchSampler sampler(7, 3, false, 1);
    sampler.setEpoch(5);
    QCOMPARE(epochOrder(sampler), (std::vector<std::int64_t>{0, 1, 2, 3, 4, 5, 6}));
}

void tst_BatchSampler::dropLast()
{
    BatchSampler sampler(10, 4, true, 1, true);
    QCOMPARE(sampler.batchesPerEpoch(), std::int64_t(2));
    QCOMPARE(epochOrder(sampler).size(), std::size_t(8));
}

void tst_BatchSampler::emptyPart()
{
    BatchSampler sampler(0, 4, true, 1);
    QCOMPARE(sampler.batchesPerEpoch(), std::int64_t(0));
    QCOMPARE(sampler.order().size(0), std::int64_t(0));
}

QTEST_GUILESS_MAIN(tst_BatchSampler)
#include "tst_batchsampler.moc"
