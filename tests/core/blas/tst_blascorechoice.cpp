// The rule that replaces OpenBLAS's generic kernels: simulated CPUs, the user's variable, the
// cores that are never replaced; and this machine's features against /proc/cpuinfo.

#include "blas/BlasCoreChoice.h"

#include <QFile>
#include <QRegularExpression>
#include <QTest>

using twb::blas::BlasCoreDecision;
using twb::blas::chooseBlasCore;
using twb::blas::CpuFeatures;

namespace {

CpuFeatures sse3Only()
{
    CpuFeatures f;
    f.vendor = "GenuineIntel";
    f.family = 6;
    f.model = 15;
    return f;
}

CpuFeatures avx2Fma()
{
    CpuFeatures f = sse3Only();
    f.model = 60;
    f.avx = f.avx2 = f.fma = f.osSavesYmm = true;
    return f;
}

CpuFeatures avx512()
{
    CpuFeatures f = avx2Fma();
    f.model = 207; // the CPU of issue 23 (Emerald Rapids), unknown to OpenBLAS 0.3.21
    f.avx512f = f.avx512cd = f.avx512bw = f.avx512dq = f.avx512vl = f.osSavesZmm = true;
    return f;
}

} // namespace

class TestBlasCoreChoice : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void noAvx2KeepsTheGenericCore()
    {
        const BlasCoreDecision d = chooseBlasCore(sse3Only(), "Prescott", nullptr);
        QCOMPARE(d.action, BlasCoreDecision::Action::Keep);
        QCOMPARE(d.core, std::string("Prescott"));
        QVERIFY(d.reason.find("allows no AVX2") != std::string::npos);
    }

    void avx2ChoosesHaswell()
    {
        const BlasCoreDecision d = chooseBlasCore(avx2Fma(), "Prescott", nullptr);
        QCOMPARE(d.action, BlasCoreDecision::Action::Choose);
        QCOMPARE(d.core, std::string("Haswell"));
        QVERIFY(d.reason.find("Prescott") != std::string::npos);
    }

    void avx2WithoutFmaKeeps()
    {
        CpuFeatures f = avx2Fma();
        f.fma = false;
        QCOMPARE(chooseBlasCore(f, "Prescott", nullptr).action, BlasCoreDecision::Action::Keep);
    }

    void avx512ChoosesSkylakeX()
    {
        const BlasCoreDecision d = chooseBlasCore(avx512(), "Prescott", nullptr);
        QCOMPARE(d.action, BlasCoreDecision::Action::Choose);
        QCOMPARE(d.core, std::string("SkylakeX"));
    }

    void avx512WithoutOsSupportChoosesHaswell()
    {
        // The CPU has AVX-512 but the OS does not save its registers (XCR0 bits 5-7 clear).
        CpuFeatures f = avx512();
        f.osSavesZmm = false;
        QCOMPARE(chooseBlasCore(f, "Prescott", nullptr).core, std::string("Haswell"));
        // Without the OS saving even the YMM registers, nothing better is usable.
        f.osSavesYmm = false;
        QCOMPARE(chooseBlasCore(f, "Prescott", nullptr).action, BlasCoreDecision::Action::Keep);
    }

    void avx512WithoutAllSubsetsChoosesHaswell()
    {
        // Knights Landing-like: AVX-512 F and CD without BW, DQ, VL.
        CpuFeatures f = avx512();
        f.avx512bw = f.avx512dq = f.avx512vl = false;
        QCOMPARE(chooseBlasCore(f, "Prescott", nullptr).core, std::string("Haswell"));
    }

    void userVariableIsNeverOverridden()
    {
        const BlasCoreDecision d = chooseBlasCore(avx512(), "Prescott", "Prescott");
        QCOMPARE(d.action, BlasCoreDecision::Action::Keep);
        QCOMPARE(d.core, std::string("Prescott"));
        QVERIFY(d.reason.find("OPENBLAS_CORETYPE=Prescott") != std::string::npos);
        // Even an empty value is the user's.
        QCOMPARE(chooseBlasCore(avx512(), "Prescott", "").action, BlasCoreDecision::Action::Keep);
    }

    void specificCoresAreKept_data()
    {
        QTest::addColumn<QString>("core");
        for (const char *core : {"Haswell", "Zen", "SkylakeX", "Cooperlake", "SapphireRapids",
                                 "ARMV8", "NEOVERSEN1", "SomeFutureCore", ""})
            QTest::newRow(*core ? core : "empty") << QString::fromLatin1(core);
    }
    void specificCoresAreKept()
    {
        QFETCH(QString, core);
        const BlasCoreDecision d = chooseBlasCore(avx512(), core.toStdString(), nullptr);
        QCOMPARE(d.action, BlasCoreDecision::Action::Keep);
        QCOMPARE(QString::fromStdString(d.core), core);
    }

    void genericCoresAreReplaced_data()
    {
        QTest::addColumn<QString>("core");
        for (const char *core : {"Prescott", "PRESCOTT", "Core2", "Penryn", "Nehalem",
                                 "Sandybridge", "Barcelona", "Bulldozer", "Atom", "Unknown"})
            QTest::newRow(core) << QString::fromLatin1(core);
    }
    void genericCoresAreReplaced()
    {
        QFETCH(QString, core);
        QVERIFY(twb::blas::isGenericCore(core.toStdString()));
        QCOMPARE(chooseBlasCore(avx2Fma(), core.toStdString(), nullptr).core,
                 std::string("Haswell"));
    }

    void thisMachineMatchesProcCpuinfo()
    {
        // The kernel lists a flag only when the CPU has it and the kernel enabled its state.
        QFile cpuinfo(QStringLiteral("/proc/cpuinfo"));
        if (!cpuinfo.open(QIODevice::ReadOnly | QIODevice::Text))
            QSKIP("no /proc/cpuinfo");
        const QString text = QString::fromLatin1(cpuinfo.readAll());
        const QRegularExpressionMatch flags =
            QRegularExpression(QStringLiteral("^flags\\s*:(.*)$"),
                               QRegularExpression::MultilineOption)
                .match(text);
        if (!flags.hasMatch())
            QSKIP("not an x86 /proc/cpuinfo");
        const QStringList list = flags.captured(1).split(QLatin1Char(' '), Qt::SkipEmptyParts);
        const CpuFeatures f = twb::blas::detectCpuFeatures();
        QCOMPARE(f.avx2 && f.osSavesYmm, list.contains(QStringLiteral("avx2")));
        QCOMPARE(f.fma, list.contains(QStringLiteral("fma")));
        QCOMPARE(f.avx512f && f.osSavesZmm, list.contains(QStringLiteral("avx512f")));
        QCOMPARE(f.avx512vl && f.osSavesZmm, list.contains(QStringLiteral("avx512vl")));
        QVERIFY(!f.vendor.empty());
        QVERIFY(f.describe().find(f.vendor) == 0);
    }
};

QTEST_APPLESS_MAIN(TestBlasCoreChoice)
#include "tst_blascorechoice.moc"
