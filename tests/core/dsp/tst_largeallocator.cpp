#include "dsp/LargeAllocator.h"
#include "dsp/Matrix.h"

#include <QTest>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

using namespace twb::dsp;

class tst_LargeAllocator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void largeBlocksAreHugePageAligned()
    {
        const std::size_t bytes = std::size_t(5) << 20;
        void *p = detail::allocateLarge(bytes);
        QCOMPARE(reinterpret_cast<std::uintptr_t>(p) % (std::size_t(2) << 20), std::uintptr_t(0));
        static_cast<char *>(p)[bytes - 1] = 1; // the whole size is usable
        detail::deallocateLarge(p, bytes);
    }

    void theLastFreedBlockIsReusedForTheSameSize()
    {
        const std::size_t bytes = std::size_t(9) << 20;
        void *first = detail::allocateLarge(bytes);
        detail::deallocateLarge(first, bytes);
        // Same size after rounding to 2 MiB: the kept block comes back.
        void *again = detail::allocateLarge(bytes - 1000);
        QCOMPARE(again, first);
        // Another size while it is in use: a fresh block.
        void *other = detail::allocateLarge(bytes * 2);
        QVERIFY(other != first);
        detail::deallocateLarge(other, bytes * 2);
        detail::deallocateLarge(again, bytes - 1000);
        // Only the block freed last is kept: `again`, not `other`.
        void *last = detail::allocateLarge(bytes);
        QCOMPARE(last, first);
        detail::deallocateLarge(last, bytes);
    }

    void blocksAboveTheLimitAreNotKept()
    {
        const std::size_t small = std::size_t(6) << 20;
        void *kept = detail::allocateLarge(small);
        detail::deallocateLarge(kept, small);
        // A block above the limit is freed at once and does not push the kept one out.
        const std::size_t huge = detail::kMaxKeptBytes + (std::size_t(2) << 20);
        void *p = detail::allocateLarge(huge);
        detail::deallocateLarge(p, huge);
        void *again = detail::allocateLarge(small);
        QCOMPARE(again, kept);
        detail::deallocateLarge(again, small);
    }

    void aZeroFilledMatrixIsZeroOnAReusedBlock()
    {
        const std::int64_t rows = 257, cols = 8000; // 8 MB
        {
            FloatMatrix dirty(rows, cols, FloatMatrix::Uninitialized{});
            std::fill(dirty.data.begin(), dirty.data.end(), 7.0f);
        }
        const FloatMatrix clean(rows, cols);
        for (float v : clean.data)
            QCOMPARE(v, 0.0f);
        const FloatMatrix filled(rows, cols, 2.5f);
        QCOMPARE(filled(rows - 1, cols - 1), 2.5f);
    }

    void threadsShareTheKeptBlockSafely()
    {
        const std::size_t bytes = std::size_t(5) << 20;
        std::atomic<int> clashes{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([bytes, t, &clashes] {
                for (int i = 0; i < 200; ++i) {
                    auto *p = static_cast<unsigned char *>(detail::allocateLarge(bytes));
                    p[0] = static_cast<unsigned char>(t);
                    std::this_thread::yield();
                    p[bytes - 1] = static_cast<unsigned char>(t);
                    if (p[0] != p[bytes - 1]) // another thread holds the same block
                        ++clashes;
                    detail::deallocateLarge(p, bytes);
                }
            });
        for (std::thread &t : threads)
            t.join();
        QCOMPARE(clashes.load(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_LargeAllocator)
#include "tst_largeallocator.moc"
