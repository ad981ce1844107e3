// The self-check that guards a chosen core: the real BLAS passes, wrong products are caught.

#include "blas/BlasRuntime.h"
#include "blas/BlasSelfCheck.h"

#include <QElapsedTimer>
#include <QTest>

using twb::blas::SgemmFn;

namespace {

SgemmFn g_real = nullptr;
enum class Fault { OneElement, IgnoresBeta, IgnoresLda, NaN, TransposesWrong };
Fault g_fault = Fault::OneElement;

/// The real product made wrong in one of several ways a broken kernel could be.
void faultySgemm(int order, int ta, int tb, int m, int n, int k, float alpha, const float *a,
                 int lda, const float *b, int ldb, float beta, float *c, int ldc)
{
    switch (g_fault) {
    case Fault::OneElement:
        g_real(order, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        if (m == 200 && ta == 111 && tb == 112)
            c[5 * ldc + 7] += 0.01f; // 30 times the tolerance of this element
        return;
    case Fault::IgnoresBeta:
        g_real(order, ta, tb, m, n, k, alpha, a, lda, b, ldb, 0.0f, c, ldc);
        return;
    case Fault::IgnoresLda:
        // Treats A as densely packed, like a kernel that ignores its leading dimension.
        g_real(order, ta, tb, m, n, k, alpha, a,
               order == 101 ? (ta == 111 ? k : m) : (ta == 111 ? m : k), b, ldb, beta, c, ldc);
        return;
    case Fault::NaN:
        g_real(order, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        if (m == 67)
            c[0] = std::numeric_limits<float>::quiet_NaN();
        return;
    case Fault::TransposesWrong:
        g_real(order, ta, tb == 111 && n == k ? 112 : tb, m, n, k, alpha, a, lda, b, ldb, beta, c,
               ldc);
        return;
    }
}

} // namespace

class TestBlasSelfCheck : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_blas = twb::blas::openSystemBlas();
        if (!m_blas.found)
            QSKIP("libblas.so.3 has no cblas_sgemm here");
        g_real = m_blas.sgemm;
    }

    void theSystemBlasPasses()
    {
        QElapsedTimer timer;
        timer.start();
        const twb::blas::SelfCheckResult r = twb::blas::checkGemm(m_blas.sgemm, m_blas.dgemm);
        qInfo("self-check on %s (core %s): %lld ms", m_blas.library.c_str(), m_blas.core.c_str(),
              static_cast<long long>(timer.elapsed()));
        QVERIFY2(r.ok, r.detail.c_str());
        QCOMPARE(r.products, m_blas.dgemm ? 128 : 64);
        QVERIFY(r.detail.rfind("passed", 0) == 0);
    }

    void wrongProductsAreCaught_data()
    {
        QTest::addColumn<int>("fault");
        QTest::addColumn<QString>("shape");
        QTest::newRow("one element off by 0.01") << int(Fault::OneElement) << "200x16 * 16x16";
        QTest::newRow("beta ignored") << int(Fault::IgnoresBeta) << "";
        QTest::newRow("lda ignored") << int(Fault::IgnoresLda) << "";
        QTest::newRow("NaN") << int(Fault::NaN) << "67x31";
        QTest::newRow("transpose ignored") << int(Fault::TransposesWrong) << "";
    }
    void wrongProductsAreCaught()
    {
        QFETCH(int, fault);
        QFETCH(QString, shape);
        g_fault = Fault(fault);
        const twb::blas::SelfCheckResult r = twb::blas::checkGemm(&faultySgemm, nullptr);
        QVERIFY(!r.ok);
        QVERIFY2(r.detail.rfind("sgemm ", 0) == 0, r.detail.c_str());
        QVERIFY2(QString::fromStdString(r.detail).contains(shape), r.detail.c_str());
        QVERIFY(r.detail.find("expected") != std::string::npos);
    }

    void noBlasIsNotAPass()
    {
        const twb::blas::SelfCheckResult r = twb::blas::checkGemm(nullptr, nullptr);
        QVERIFY(!r.ok);
        QCOMPARE(r.products, 0);
    }

private:
    twb::blas::BlasRuntime m_blas;
};

QTEST_APPLESS_MAIN(TestBlasSelfCheck)
#include "tst_blasselfcheck.moc"
