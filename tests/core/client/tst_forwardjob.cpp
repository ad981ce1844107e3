// The Forward pass tab's client and the twb-cli job under it: arguments, the trace read back,
// failures reported with the child's last lines, broken files named.
#include "AttentionFixtures.h"
#include "FakeCli.h"
#include "client/CliJob.h"
#include "client/ForwardJob.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace twb;

namespace {

/// A stand-in for twb-cli: prints "first line" and `message` to stderr and exits with `code`.
QString fakeCli(const QTemporaryDir &dir, int code, const QByteArray &message)
{
    return test::failingCli(dir.path(), code, {"first line", message});
}

} // namespace

class tst_ForwardJob : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cliJobReportsSuccessAndFailure()
    {
        QTemporaryDir dir;
        CliJob job;
        QSignalSpy finished(&job, &CliJob::finished);
        job.setProgram(fakeCli(dir, 0, "fine"));
        QVERIFY(job.start({QStringLiteral("forward")}));
        QVERIFY(!job.start({QStringLiteral("again")})); // one at a time
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.first().at(0).toBool(), true);

        job.setProgram(fakeCli(dir, 4, "twb-cli: /runs/x/config.json: not a run folder"));
        QVERIFY(job.start({QStringLiteral("forward")}));
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.at(1).at(0).toBool(), false);
        QCOMPARE(finished.at(1).at(1).toString(),
                 QStringLiteral("failed (exit 4): first line twb-cli: /runs/x/config.json: not "
                                "a run folder"));

        job.setProgram(dir.filePath(QStringLiteral("missing-cli")));
        QVERIFY(job.start({}));
        QVERIFY(finished.count() == 3 || finished.wait(5000));
        QVERIFY(finished.at(2).at(1).toString().contains(QStringLiteral("missing-cli")));
        QVERIFY(!job.isRunning());
    }

    void arguments()
    {
        QCOMPARE(ForwardJob::arguments({QStringLiteral("/runs/patchtst"), 3},
                                       QStringLiteral("/tmp/f.h5")),
                 QStringList({"forward", "/runs/patchtst", "--index", "3", "--out", "/tmp/f.h5"}));
    }

    void readsTheTraceTheChildWrote()
    {
        QTemporaryDir dir;
        const QString files = test::filesFolder(dir.path());
        QVERIFY(explain::writeForwardFile(QDir(files).filePath(QStringLiteral("sample-3.h5")),
                                          test::smallTrace(3))
                    .isOk());
        ForwardJob job;
        job.setProgram(test::copyingCli(dir.path(), files, dir.filePath(QStringLiteral("log"))));
        QSignalSpy computed(&job, &ForwardJob::computed);
        job.request({dir.path(), 3});
        QVERIFY(computed.wait(10000));
        const auto result = computed.first().first().value<std::shared_ptr<const ForwardResult>>();
        QVERIFY(result);
        QCOMPARE(result->request, ForwardRequest({dir.path(), 3}));
        QCOMPARE(result->trace.sampleIndex, 3);
        QCOMPARE(result->trace.stages.size(), std::size_t(2));
        QCOMPARE(result->file, job.arguments().at(5));
        QVERIFY(!job.isBusy());
    }

    void aFailingChildIsReported()
    {
        QTemporaryDir dir;
        ForwardJob job;
        job.setProgram(fakeCli(dir, 2, "no checkpoint best.pt"));
        QSignalSpy failed(&job, &ForwardJob::failed);
        job.request({dir.path(), 0});
        QVERIFY(failed.wait(10000));
        const QString message = failed.first().first().toString();
        QVERIFY2(message.contains(QStringLiteral("no checkpoint")), qPrintable(message));
        QVERIFY2(message.startsWith(QStringLiteral("twb-cli forward failed (exit 2)")),
                 qPrintable(message));
    }

    void aBrokenFileIsNamed()
    {
        QTemporaryDir dir;
        ForwardJob job;
        job.setProgram(test::brokenFileCli(dir.path()));
        QSignalSpy failed(&job, &ForwardJob::failed);
        job.request({dir.path(), 0});
        QVERIFY(failed.wait(10000));
        const QString message = failed.first().first().toString();
        QVERIFY2(message.contains(job.arguments().at(5)), qPrintable(message));
    }
};

QTEST_GUILESS_MAIN(tst_ForwardJob)
#include "tst_forwardjob.moc"
