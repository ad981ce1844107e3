// SepFormer's dual-path segmentation: chunk counts, what each chunk holds, and overlap-add as
// the exact inverse of chunking (averaged) or twice the input (summed, as the papers' code).
#include "nn/DualPathChunking.h"

#include <QtTest>

#include <torch/torch.h>

using namespace twb;

class tst_DualPathChunking : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void countsAndContents()
    {
        // K 10, chunk 4 (hop 2): padded 2 + 10 + 2 = 14 frames, chunks at 0, 2, ..., 10: S 6.
        QCOMPARE(chunkCount(10, 4), std::int64_t(6));
        QCOMPARE(chunkCount(11, 4), std::int64_t(7)); // padded by one more frame
        QCOMPARE(chunkCount(1, 2), std::int64_t(2));
        const torch::Tensor x = torch::arange(1, 11, torch::kFloat).view({1, 1, 10}); // 1..10
        const torch::Tensor c = chunkFrames(x, 4);
        QCOMPARE(c.sizes(), torch::IntArrayRef({1, 1, 4, 6}));
        // Chunk 0: two padding frames, then frames 1 and 2; chunk 1: frames 1..4.
        QVERIFY(torch::equal(c.select(3, 0).flatten(), torch::tensor({0.0f, 0.0f, 1.0f, 2.0f})));
        QVERIFY(torch::equal(c.select(3, 1).flatten(), torch::tensor({1.0f, 2.0f, 3.0f, 4.0f})));
        QVERIFY(torch::equal(c.select(3, 5).flatten(), torch::tensor({9.0f, 10.0f, 0.0f, 0.0f})));
    }

    void overlapAddInvertsChunking_data()
    {
        QTest::addColumn<int>("frames");
        QTest::addColumn<int>("chunk");
        QTest::newRow("K 250, chunk 100 (SepFormer's at 8 kHz)") << 250 << 100;
        QTest::newRow("K 251, chunk 100") << 251 << 100;
        QTest::newRow("K 7, chunk 2") << 7 << 2;
        QTest::newRow("K 1, chunk 6") << 1 << 6;
        QTest::newRow("K 64, chunk 64") << 64 << 64;
    }

    void overlapAddInvertsChunking()
    {
        QFETCH(int, frames);
        QFETCH(int, chunk);
        torch::manual_seed(frames);
        const torch::Tensor x = torch::randn({2, 3, frames});
        const torch::Tensor chunks = chunkFrames(x, chunk);
        QCOMPARE(chunks.size(3), chunkCount(frames, chunk));
        QVERIFY(torch::equal(overlapAddChunks(chunks, frames, true), x));
        QVERIFY(torch::allclose(overlapAddChunks(chunks, frames), 2.0 * x));
        // Gradients pass through both (they are reshapes, pads and sums).
        const torch::Tensor leaf = x.clone().requires_grad_();
        overlapAddChunks(chunkFrames(leaf, chunk), frames, true).sum().backward();
        QVERIFY(torch::allclose(leaf.grad(), torch::ones_like(x)));
    }

    void refusesWrongShapes()
    {
        QVERIFY_THROWS_EXCEPTION(c10::Error, chunkFrames(torch::randn({1, 2, 10}), 5));
        QVERIFY_THROWS_EXCEPTION(c10::Error, chunkFrames(torch::randn({2, 10}), 4));
        const torch::Tensor chunks = chunkFrames(torch::randn({1, 2, 10}), 4);
        QVERIFY_THROWS_EXCEPTION(c10::Error, overlapAddChunks(chunks, 20));
    }
};

QTEST_GUILESS_MAIN(tst_DualPathChunking)
#include "tst_dualpathchunking.moc"
