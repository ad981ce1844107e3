// `twb-cli info` and the BLAS core chosen at start-up (issue 23), end to end: the real program,
// restarted with OPENBLAS_CORETYPE set, its self-check, the fall-back, and the user's variable.

#include "CliTestSupport.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QTest>

using twb::test::runCli;

class TestCliInfo : public QObject
{
    Q_OBJECT

private:
    QString m_cli;

    /// The environment of this test without OPENBLAS_CORETYPE and the choice marker, plus `set`.
    static QProcessEnvironment environment(const QList<QPair<QString, QString>> &set = {})
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("OPENBLAS_CORETYPE"));
        env.remove(QStringLiteral("TWB_BLAS_CORE_CHOICE"));
        env.remove(QStringLiteral("TWB_BLAS_ASSUME_DETECTED"));
        env.remove(QStringLiteral("TWB_BLAS_SELF_CHECK_CORRUPT"));
        for (const auto &[key, value] : set)
            env.insert(key, value);
        return env;
    }

    /// `twb-cli info --json` in `env`; fails the test unless it exits 0 with JSON.
    QJsonObject info(const QProcessEnvironment &env)
    {
        const twb::test::Result r =
            runCli(m_cli, QDir::tempPath(), {"info", "--json"}, 60000, -1, env);
        if (r.exitCode != 0)
            qWarning("twb-cli info: exit %d: %s", r.exitCode, r.err.constData());
        return QJsonDocument::fromJson(r.out).object();
    }

    static QString blas(const QJsonObject &info, const char *key)
    {
        return info.value(QStringLiteral("blas")).toObject().value(QLatin1String(key)).toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_cli = QStringLiteral(TWB_TEST_BIN_DIR "/twb-cli");
        const QJsonObject i = info(environment());
        QVERIFY(!i.isEmpty());
        if (!i.value(QStringLiteral("blas")).toObject().value(QStringLiteral("openblas")).toBool())
            QSKIP("LibTorch's BLAS is not OpenBLAS here: there is no core to choose");
    }

    void reportsVersionsCpuAndBlas()
    {
        const QJsonObject i = info(environment());
        QVERIFY(!i.value(QStringLiteral("libtorch")).toString().isEmpty());
        QVERIFY(!i.value(QStringLiteral("cpu"))
                     .toObject()
                     .value(QStringLiteral("features"))
                     .toString()
                     .isEmpty());
        QVERIFY(blas(i, "config").startsWith(QStringLiteral("OpenBLAS")));
        QVERIFY(!blas(i, "core").isEmpty());
        QVERIFY(!blas(i, "reason").isEmpty());
        QVERIFY(i.value(QStringLiteral("torch_threads")).toInt() >= 1);
        // The text form says the same.
        const twb::test::Result text =
            runCli(m_cli, QDir::tempPath(), {"info"}, 60000, -1, environment());
        QCOMPARE(text.exitCode, 0);
        QVERIFY(text.out.contains("BLAS core:  " + blas(i, "core").toUtf8()));
    }

    void theUsersVariableIsLeftAlone()
    {
        const QJsonObject i = info(environment(
            {{"OPENBLAS_CORETYPE", "Prescott"}, {"TWB_BLAS_ASSUME_DETECTED", "Prescott"}}));
        QCOMPARE(blas(i, "outcome"), QStringLiteral("user_set"));
        QCOMPARE(blas(i, "core"), QStringLiteral("Prescott"));
        QVERIFY(blas(i, "reason").contains(QStringLiteral("OPENBLAS_CORETYPE=Prescott")));
    }

    void aGenericCoreIsReplacedAndChecked()
    {
        // As on a CPU that OpenBLAS 0.3.21 does not know: it picks Prescott.
        const QJsonObject i = info(environment({{"TWB_BLAS_ASSUME_DETECTED", "Prescott"}}));
        const QJsonObject cpu = i.value(QStringLiteral("cpu")).toObject();
        QCOMPARE(blas(i, "detected_core"), QStringLiteral("Prescott"));
        if (!cpu.value(QStringLiteral("allows_haswell")).toBool()) {
            QCOMPARE(blas(i, "outcome"), QStringLiteral("kept"));
            return;
        }
        const QString best = cpu.value(QStringLiteral("allows_skylakex")).toBool()
                                 ? QStringLiteral("SkylakeX")
                                 : QStringLiteral("Haswell");
        QCOMPARE(blas(i, "outcome"), QStringLiteral("chosen"));
        // The restarted program really runs the chosen kernels, and they passed the check.
        QCOMPARE(blas(i, "core"), best);
        QCOMPARE(blas(i, "openblas_coretype"), best);
        QVERIFY(blas(i, "self_check").startsWith(QStringLiteral("passed")));
    }

    void aFailedSelfCheckFallsBack()
    {
        const QJsonObject i = info(environment(
            {{"TWB_BLAS_ASSUME_DETECTED", "Prescott"}, {"TWB_BLAS_SELF_CHECK_CORRUPT", "1"}}));
        if (!i.value(QStringLiteral("cpu"))
                 .toObject()
                 .value(QStringLiteral("allows_haswell"))
                 .toBool())
            QSKIP("no AVX2 here: nothing is chosen, so nothing is checked");
        QCOMPARE(blas(i, "outcome"), QStringLiteral("refused"));
        // Back on the core OpenBLAS (here: the test) picked, with the reason named.
        QCOMPARE(blas(i, "core"), QStringLiteral("Prescott"));
        QVERIFY2(blas(i, "reason").contains(QStringLiteral("self-check failed (sgemm 17x9")),
                 qPrintable(blas(i, "reason")));
    }

    void aChildInheritsTheChoiceWithoutChoosingAgain()
    {
        // What the window passes on: the variable and the marker. The child checks, not chooses.
        const QJsonObject i =
            info(environment({{"OPENBLAS_CORETYPE", "Haswell"},
                              {"TWB_BLAS_CORE_CHOICE", "chosen:Haswell:Prescott"}}));
        if (!i.value(QStringLiteral("cpu"))
                 .toObject()
                 .value(QStringLiteral("allows_haswell"))
                 .toBool())
            QSKIP("no AVX2 here");
        QCOMPARE(blas(i, "outcome"), QStringLiteral("chosen"));
        QCOMPARE(blas(i, "core"), QStringLiteral("Haswell"));
        QVERIFY(blas(i, "self_check").startsWith(QStringLiteral("passed")));
    }

    void aStaleMarkerDoesNotOverrideTheUsersVariable()
    {
        // The marker names Haswell, but the user has since set Prescott: theirs stands.
        const QJsonObject i =
            info(environment({{"OPENBLAS_CORETYPE", "Prescott"},
                              {"TWB_BLAS_CORE_CHOICE", "chosen:Haswell:Prescott"}}));
        QCOMPARE(blas(i, "outcome"), QStringLiteral("user_set"));
        QCOMPARE(blas(i, "core"), QStringLiteral("Prescott"));
    }

    void aWrongCoreNameIsRefused()
    {
        // A marker naming a core OpenBLAS does not take: it runs another one, so it is refused.
        const QJsonObject i =
            info(environment({{"OPENBLAS_CORETYPE", "NoSuchCore"},
                              {"TWB_BLAS_CORE_CHOICE", "chosen:NoSuchCore:Prescott"}}));
        QCOMPARE(blas(i, "outcome"), QStringLiteral("refused"));
        QVERIFY(blas(i, "reason").contains(QStringLiteral("instead")));
        QCOMPARE(blas(i, "core"), QStringLiteral("Prescott"));
    }
};

QTEST_GUILESS_MAIN(TestCliInfo)
#include "tst_cli_info.moc"
