// The Forward pass tab's panel and the twb-cli job under it: arguments, failures reported with
// the child's last lines, broken files named.
#include "widgets/CliJob.h"
#include "widgets/ForwardPassPanel.h"

#include <QFile>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

using namespace twb;

namespace {

/// A stand-in for twb-cli: prints `message` to stderr and exits with `code`.
QString fakeCli(const QTemporaryDir &dir, int code, const QByteArray &message)
{
    const QString path = dir.filePath(QStringLiteral("fake-cli-%1").arg(code));
    QFile script(path);
    if (!script.open(QIODevice::WriteOnly))
        return {};
    script.write("#!/bin/sh\necho 'first line' >&2\necho '" + message + "' >&2\nexit " +
                 QByteArray::number(code) + "\n");
    script.close();
    script.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    return path;
}

} // namespace

class tst_ForwardPassPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void jobReportsSuccessAndFailure()
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

    void panelArguments()
    {
        ForwardPassPanel panel;
        QVERIFY(!panel.compute());
        panel.setRun(QStringLiteral("/runs/patchtst"), 5);
        panel.sampleBox()->setValue(3);
        QCOMPARE(panel.arguments(QStringLiteral("/tmp/f.h5")),
                 QStringList({"forward", "/runs/patchtst", "--index", "3", "--out", "/tmp/f.h5"}));
        panel.sampleBox()->setValue(9);
        QCOMPARE(panel.sampleBox()->value(), 4);
    }

    void panelReportsAFailingChild()
    {
        QTemporaryDir dir;
        ForwardPassPanel panel;
        panel.setProgram(fakeCli(dir, 2, "no checkpoint best.pt"));
        panel.setRun(dir.path());
        QSignalSpy failed(&panel, &ForwardPassPanel::failed);
        QVERIFY(panel.compute());
        QVERIFY(failed.wait(10000));
        QVERIFY2(failed.first().first().toString().contains(QStringLiteral("no checkpoint")),
                 qPrintable(failed.first().first().toString()));
        QCOMPARE(panel.statusText(), failed.first().first().toString());
    }

    void panelNamesABrokenFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("trace.h5"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("garbage");
        file.close();
        ForwardPassPanel panel;
        QString error;
        QVERIFY(!panel.loadFile(path, &error));
        QVERIFY2(error.contains(path), qPrintable(error));
    }
};

QTEST_MAIN(tst_ForwardPassPanel)
#include "tst_forwardpasspanel.moc"
