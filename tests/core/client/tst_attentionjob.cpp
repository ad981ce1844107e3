// The Explain tab's attention client: the command line of a request, the file the child wrote
// read back off the GUI thread, failures named (the child's last lines, the broken file), the
// latest request winning. twb-cli is played by shell scripts.
#include "AttentionFixtures.h"
#include "FakeCli.h"
#include "attention/AttentionFile.h"
#include "client/AttentionJob.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace twb;

class tst_AttentionJob : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void argumentsOfOneSample()
    {
        AttentionRequest request{QStringLiteral("/runs/patchtst-1"), 9};
        request.saliency = true;
        QCOMPARE(AttentionJob::arguments(request, QStringLiteral("/tmp/a.h5")),
                 QStringList({"attention", "/runs/patchtst-1", "--index", "9", "--out", "/tmp/a.h5",
                              "--saliency"}));
        request.channel = 6;
        QCOMPARE(AttentionJob::arguments(request, QStringLiteral("/tmp/a.h5")).mid(7),
                 QStringList({"--channel", "6"}));
        // The mean over 32 samples from the chosen one: no saliency.
        request.count = 32;
        request.saliency = false;
        QCOMPARE(AttentionJob::arguments(request, QStringLiteral("/tmp/a.h5")).mid(6),
                 QStringList({"--count", "32", "--channel", "6"}));
    }

    void argumentsOfACheckpoint()
    {
        AttentionRequest request{QStringLiteral("/runs/p"), 7, 2};
        request.checkpoint = QStringLiteral("epoch_004.pt");
        QCOMPARE(AttentionJob::arguments(request, QStringLiteral("/t/a.h5")),
                 QStringList({"attention", "/runs/p", "--index", "7", "--checkpoint",
                              "epoch_004.pt", "--out", "/t/a.h5", "--channel", "2"}));
        request.channel = -1;
        request.checkpoint = QStringLiteral("best.pt");
        QCOMPARE(AttentionJob::arguments(request, QStringLiteral("/t/a.h5")).size(), 8);
    }

    void readsTheFileTheChildWrote()
    {
        QTemporaryDir dir;
        const QString files = test::filesFolder(dir.path());
        const explain::AttentionSet set = test::smallSet();
        const std::vector<float> saliency(12, 0.5f);
        QVERIFY(explain::writeAttentionFile(QDir(files).filePath(QStringLiteral("sample-4.h5")),
                                            set, &saliency, 6, 2, QStringLiteral("sum of OT"))
                    .isOk());
        const QString log = dir.filePath(QStringLiteral("log"));
        AttentionJob job;
        job.setProgram(test::copyingCli(dir.path(), files, log));
        QSignalSpy computed(&job, &AttentionJob::computed);
        QSignalSpy failed(&job, &AttentionJob::failed);
        AttentionRequest request{dir.path(), 4, 1};
        request.saliency = true;
        job.request(request);
        QVERIFY(job.isBusy());
        QVERIFY(computed.wait(10000));
        QCOMPARE(failed.count(), 0);
        QVERIFY(!job.isBusy());
        const auto result = computed.first().first().value<std::shared_ptr<AttentionResult>>();
        QVERIFY(result);
        QCOMPARE(result->request, request);
        QCOMPARE(result->set.layerCount(), 2);
        QCOMPARE(result->set.sampleLabel, std::string("test window 4"));
        QCOMPARE(result->saliency.rows, 6);
        QCOMPARE(result->saliency.target, std::string("sum of OT"));
        QCOMPARE(job.arguments().mid(0, 5),
                 QStringList({"attention", dir.path(), "--index", "4", "--out"}));
        QCOMPARE(result->file, job.arguments().at(5));
        QCOMPARE(test::lineCount(log), 1);
    }

    void aFailingChildIsReportedWithItsLastLines()
    {
        QTemporaryDir dir;
        AttentionJob job;
        job.setProgram(test::failingCli(dir.path(), 2, {"twb-cli: the run has no checkpoint"}));
        QSignalSpy failed(&job, &AttentionJob::failed);
        job.request({dir.path(), 0});
        QVERIFY(failed.wait(10000));
        const QString message = failed.first().first().toString();
        QVERIFY2(message.contains(QStringLiteral("exit 2")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("the run has no checkpoint")),
                 qPrintable(message));
        QVERIFY(!failed.first().at(1).toBool());
        QVERIFY(!job.isBusy());
    }

    void aMissingProgramIsReported()
    {
        AttentionJob job;
        job.setProgram(QStringLiteral("/nonexistent/twb-cli"));
        QSignalSpy failed(&job, &AttentionJob::failed);
        job.request({QStringLiteral("/runs/x"), 0});
        QVERIFY(failed.count() > 0 || failed.wait(5000));
        QVERIFY(failed.first().first().toString().contains(QStringLiteral("/nonexistent/twb-cli")));
        QVERIFY(failed.first().at(1).toBool()); // could not start
        QVERIFY(!job.isBusy());
    }

    void aBrokenFileIsReportedWithItsName()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("not-attention.h5"));
        QVERIFY(test::writeFile(path, "this is not HDF5"));
        const Expected<AttentionResult> read = AttentionJob::read(path);
        QVERIFY(!read);
        QVERIFY2(read.error().toString().contains(path), qPrintable(read.error().toString()));

        // The same through the job: the child "wrote" a broken file.
        AttentionJob job;
        job.setProgram(test::brokenFileCli(dir.path()));
        QSignalSpy failed(&job, &AttentionJob::failed);
        job.request({dir.path(), 0});
        QVERIFY(failed.wait(10000));
        const QString message = failed.first().first().toString();
        QVERIFY2(message.contains(job.arguments().at(5)), qPrintable(message));
    }

    void theLatestRequestWins()
    {
        QTemporaryDir dir;
        const QString files = test::filesFolder(dir.path());
        QVERIFY(test::writeSlowAndQuickSamples(files));
        AttentionJob job;
        job.setProgram(test::copyingCli(dir.path(), files, dir.filePath(QStringLiteral("log"))));
        QSignalSpy computed(&job, &AttentionJob::computed);
        QSignalSpy failed(&job, &AttentionJob::failed);
        QElapsedTimer timer;
        timer.start();
        job.request({dir.path(), 1}); // sleeps 30 s: replaced, its child ended
        job.request({dir.path(), 2});
        QCOMPARE(job.lastRequest().index, 2);
        QVERIFY(computed.wait(10000));
        QVERIFY(timer.elapsed() < 20000);
        QTest::qWait(200);
        QCOMPARE(computed.count(), 1);
        QCOMPARE(failed.count(), 0);
        const auto result = computed.first().first().value<std::shared_ptr<AttentionResult>>();
        QCOMPARE(result->request.index, 2);
        QCOMPARE(result->set.sampleIndex, 2);

        // Cancelled: nothing follows.
        job.request({dir.path(), 2});
        job.cancel();
        QVERIFY(!job.isBusy());
        QTest::qWait(1000);
        QCOMPARE(computed.count(), 1);
        QCOMPARE(failed.count(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_AttentionJob)
#include "tst_attentionjob.moc"
