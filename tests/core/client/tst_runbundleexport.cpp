#include "FakeCli.h"
#include "client/RunBundleExport.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace twb;

/// The run bundle export against a stand-in for `twb-cli export RUN --out FILE` (the real one is
/// driven from the window in tests/app/tst_mainwindowtraining): the message of each ending.
class tst_RunBundleExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void endings_data();
    void endings();
    void programThatDoesNotStart();

private:
    QTemporaryDir m_dir;
    QString m_fake;
};

namespace {

// The run folder's name picks what the stand-in does.
const char fakeCli[] = R"(case "$2" in
ok) echo "writing" >&2; : > "$4";;
bad) echo "reading the run" >&2; echo "$2/config.json: no such file" >&2; exit 1;;
silent) exit 2;;
crash) kill -9 $$;;
esac
)";

} // namespace

void tst_RunBundleExport::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_fake = test::writeScript(m_dir.path(), QStringLiteral("fake-twb-cli"), fakeCli);
    QVERIFY(!m_fake.isEmpty());
}

void tst_RunBundleExport::endings_data()
{
    QTest::addColumn<QString>("run");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("message");
    QTest::newRow("written") << "ok" << true << "%1 written";
    QTest::newRow("twb-cli's last error line") << "bad" << false << "bad/config.json: no such file";
    QTest::newRow("an exit code without a word")
        << "silent" << false << "twb-cli export exited with code 2";
    QTest::newRow("a crash") << "crash" << false << "twb-cli export crashed";
}

void tst_RunBundleExport::endings()
{
    QFETCH(QString, run);
    QFETCH(bool, ok);
    QFETCH(QString, message);
    const QString out = m_dir.filePath(run + QStringLiteral(".h5"));
    RunBundleExport bundle;
    bundle.setProgram(m_fake);
    QCOMPARE(bundle.program(), m_fake);
    QSignalSpy finished(&bundle, &RunBundleExport::finished);
    QVERIFY(bundle.start(run, out));
    QVERIFY(bundle.isRunning());
    QVERIFY(!bundle.start(run, out)); // one export at a time
    QCOMPARE(bundle.arguments(),
             (QStringList{QStringLiteral("export"), run, QStringLiteral("--out"), out}));
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.first().at(0).toBool(), ok);
    QCOMPARE(finished.first().at(1).toString(), out);
    QCOMPARE(finished.first().at(2).toString(), ok ? message.arg(out) : message);
    QVERIFY(!bundle.isRunning());
    QCOMPARE(QFile::exists(out), ok);
}

void tst_RunBundleExport::programThatDoesNotStart()
{
    const QString missing = m_dir.filePath(QStringLiteral("no-such-twb-cli"));
    RunBundleExport bundle;
    bundle.setProgram(missing);
    QSignalSpy finished(&bundle, &RunBundleExport::finished);
    QVERIFY(bundle.start(QStringLiteral("ok"), m_dir.filePath(QStringLiteral("x.h5"))));
    QVERIFY(finished.wait(10000));
    QVERIFY(!finished.first().at(0).toBool());
    const QString message = finished.first().at(2).toString();
    QVERIFY2(message.startsWith(missing + QStringLiteral(": cannot start (")), qPrintable(message));
    QVERIFY(!bundle.isRunning());
}

QTEST_GUILESS_MAIN(tst_RunBundleExport)
#include "tst_runbundleexport.moc"
