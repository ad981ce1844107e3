// The STFT's inner loops (core/dsp/SimdKernels.h): each instruction set the CPU supports gives
// the plain-formula result, and all of them give the same bits.
#include "dsp/SimdKernels.h"

#include <QTest>

#include <cstring>
#include <random>
#include <vector>

using namespace twb::dsp;
using simd::Isa;

namespace {

std::vector<Isa> supportedIsas()
{
    std::vector<Isa> isas{Isa::Sse2};
    if (simd::isaSupported(Isa::Avx2))
        isas.push_back(Isa::Avx2);
    return isas;
}

std::vector<float> noise(std::size_t count, unsigned seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> gauss(0.0f, 1.0f);
    std::vector<float> v(count);
    for (float &x : v)
        x = gauss(rng);
    return v;
}

bool sameBits(const std::vector<float> &a, const std::vector<float> &b)
{
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

} // namespace

class TestSimdKernels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bestIsaIsSupported()
    {
        QVERIFY(simd::isaSupported(Isa::Sse2));
        QVERIFY(simd::isaSupported(simd::bestIsa()));
    }

    void windowPairInterleavesTheWindowedFrames()
    {
        const auto a = noise(600, 1), b = noise(600, 2), w = noise(600, 3);
        std::vector<std::vector<float>> results;
        for (Isa isa : supportedIsas())
            for (auto [begin, end] : {std::pair{0, 512}, std::pair{3, 400}, std::pair{5, 12},
                                      std::pair{7, 7}, std::pair{0, 599}}) {
                std::vector<float> in(1200, -1.0f);
                simd::windowPairInterleaved(isa, a.data(), b.data(), w.data(), begin, end,
                                            in.data());
                for (int i = 0; i < 600; ++i) {
                    const bool inside = i >= begin && i < end;
                    QCOMPARE(in[2 * i], inside ? a[i] * w[i] : -1.0f);
                    QCOMPARE(in[2 * i + 1], inside ? b[i] * w[i] : -1.0f);
                }
                results.push_back(std::move(in));
            }
        for (std::size_t r = 5; r < results.size(); ++r)
            QVERIFY(sameBits(results[r], results[r % 5]));
    }

    void powerOfPairSeparatesTheTwoSpectra()
    {
        for (int n : {1, 2, 3, 8, 15, 16, 17, 30, 64, 400, 512, 1024}) {
            const auto z = noise(std::size_t(2 * n), unsigned(n));
            const int bins = n / 2 + 1;
            std::vector<std::vector<float>> results;
            for (Isa isa : supportedIsas()) {
                std::vector<float> power(2 * std::size_t(bins));
                simd::powerOfPair(isa, z.data(), n, power.data(), power.data() + bins);
                for (int k = 0; k < bins; ++k) {
                    const int m = (n - k) % n;
                    const double zr = z[2 * k], zi = z[2 * k + 1];
                    const double wr = z[2 * m], wi = z[2 * m + 1];
                    const double a = 0.25 * ((zr + wr) * (zr + wr) + (zi - wi) * (zi - wi));
                    const double b = 0.25 * ((zr - wr) * (zr - wr) + (zi + wi) * (zi + wi));
                    QVERIFY2(std::abs(power[k] - a) <= 1e-5 * (1.0 + a),
                             qPrintable(QStringLiteral("n %1, bin %2").arg(n).arg(k)));
                    QVERIFY2(std::abs(power[bins + k] - b) <= 1e-5 * (1.0 + b),
                             qPrintable(QStringLiteral("n %1, bin %2").arg(n).arg(k)));
                }
                results.push_back(std::move(power));
            }
            for (const auto &r : results)
                QVERIFY2(sameBits(r, results.front()), qPrintable(QString::number(n)));
        }
    }

    void transposeWritesColumns()
    {
        for (auto [rows, cols] : {std::pair{16, 257}, std::pair{8, 8}, std::pair{7, 9},
                                  std::pair{1, 1}, std::pair{24, 128}, std::pair{13, 31}}) {
            const int srcStride = cols + 3, dstStride = rows + 5;
            const auto src = noise(std::size_t(rows * srcStride), unsigned(rows * cols));
            for (Isa isa : supportedIsas()) {
                std::vector<float> dst(std::size_t(cols * dstStride), -1.0f);
                simd::transpose(isa, src.data(), rows, cols, srcStride, dst.data(), dstStride);
                for (int k = 0; k < cols; ++k)
                    for (int j = 0; j < dstStride; ++j)
                        QCOMPARE(dst[std::size_t(k * dstStride + j)],
                                 j < rows ? src[std::size_t(j * srcStride + k)] : -1.0f);
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestSimdKernels)
#include "tst_simdkernels.moc"
