// The Explain tab's panel: arguments of the child process, files shown, failures reported.
#include "explain/AttentionFile.h"
#include "widgets/AttentionExplorer.h"
#include "widgets/AttentionPanel.h"
#include "widgets/AttentionTimeline.h"

#include <QDir>
#include <QFile>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

using namespace twb;

namespace {

/// Two layers, two heads, three time-range tokens over a 6-row, 2-channel input.
explain::AttentionSet smallSet()
{
    explain::AttentionSet set;
    set.modelId = "patchtst";
    set.sampleLabel = "test window 4";
    set.sampleIndex = 4;
    set.channel = 1;
    set.channelNames = {"HUFL", "OT"};
    for (int l = 0; l < 2; ++l) {
        explain::AttentionLayer layer{2, 3, 3, {}};
        for (int h = 0; h < 2; ++h)
            for (int q = 0; q < 3; ++q)
                for (int k = 0; k < 3; ++k)
                    layer.weights.push_back(k == (q + h + l) % 3 ? 0.5f : 0.25f);
        set.layers.push_back(layer);
    }
    for (int t = 0; t < 3; ++t) {
        TokenInfo token;
        token.kind = TokenInfo::Kind::TimeRange;
        token.begin = 2 * t;
        token.end = 2 * t + 2;
        token.label = "patch " + std::to_string(t);
        set.tokens.push_back(token);
    }
    for (int i = 0; i < 12; ++i)
        set.input.push_back(float(i) / 10.0f);
    set.inputRows = 6;
    set.inputCols = 2;
    return set;
}

/// A stand-in for twb-cli: a shell script that prints to stderr and exits with `code`.
QString fakeCli(const QTemporaryDir &dir, int code)
{
    const QString path = dir.filePath(QStringLiteral("fake-cli-%1").arg(code));
    QFile script(path);
    if (!script.open(QIODevice::WriteOnly))
        return {};
    script.write("#!/bin/sh\necho 'twb-cli: the run has no checkpoint' >&2\nexit " +
                 QByteArray::number(code) + "\n");
    script.close();
    script.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    return path;
}

} // namespace

class tst_AttentionPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void argumentsNameTheRunSampleAndChannel()
    {
        AttentionPanel panel;
        QVERIFY(!panel.compute()); // no run yet
        QVERIFY(panel.statusText().contains(QStringLiteral("No run")));
        panel.setRun(QStringLiteral("/runs/patchtst-1"), 10, 7);
        panel.sampleBox()->setValue(25); // clamped to the 10 test samples
        QCOMPARE(panel.sampleBox()->value(), 9);
        QCOMPARE(panel.arguments(QStringLiteral("/tmp/a.h5")),
                 QStringList({"attention", "/runs/patchtst-1", "--index", "9", "--out", "/tmp/a.h5",
                              "--saliency"}));
        panel.channelBox()->setValue(6);
        QCOMPARE(panel.arguments(QStringLiteral("/tmp/a.h5")).mid(7),
                 QStringList({"--channel", "6"}));
        // The mean over 32 samples from the chosen one: no saliency.
        panel.averageBox()->setValue(32);
        QCOMPARE(panel.arguments(QStringLiteral("/tmp/a.h5")).mid(6),
                 QStringList({"--count", "32", "--channel", "6"}));
    }

    void showsAWrittenFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("attn.h5"));
        const explain::AttentionSet set = smallSet();
        QVERIFY(explain::writeAttentionFile(path, set).isOk());
        AttentionPanel panel;
        QSignalSpy shown(&panel, &AttentionPanel::attentionShown);
        QString error;
        QVERIFY2(panel.loadFile(path, &error), qPrintable(error));
        QCOMPARE(shown.count(), 1);
        QVERIFY(panel.statusText().contains(QStringLiteral("test window 4")));
        QVERIFY(panel.statusText().contains(QStringLiteral("2 layers, 3 tokens")));
        panel.explorer()->waitForDerived();
        const CsvTable table = panel.csvTable();
        QVERIFY(!table.rows.empty());
    }

    void aBrokenFileIsReportedWithItsName()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("not-attention.h5"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("this is not HDF5");
        file.close();
        AttentionPanel panel;
        QString error;
        QVERIFY(!panel.loadFile(path, &error));
        QVERIFY2(error.contains(path), qPrintable(error));
        QCOMPARE(panel.statusText(), error);
    }

    void aFailingChildIsReportedWithItsLastLines()
    {
        QTemporaryDir dir;
        AttentionPanel panel;
        panel.setProgram(fakeCli(dir, 2));
        panel.setRun(dir.path());
        QSignalSpy failed(&panel, &AttentionPanel::failed);
        QVERIFY(panel.compute());
        QVERIFY(failed.wait(10000));
        const QString message = failed.first().first().toString();
        QVERIFY2(message.contains(QStringLiteral("exit 2")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("the run has no checkpoint")),
                 qPrintable(message));
        QVERIFY(!panel.isComputing());
    }

    void acrossTrainingOnlyWithEpochCheckpoints()
    {
        QTemporaryDir plain, epochs;
        QVERIFY(QDir().mkpath(plain.filePath(QStringLiteral("checkpoints"))));
        QVERIFY(QDir().mkpath(epochs.filePath(QStringLiteral("checkpoints"))));
        for (const QString &name :
             {QStringLiteral("checkpoints/best.pt"), QStringLiteral("checkpoints/epoch_001.pt"),
              QStringLiteral("checkpoints/epoch_002.pt")}) {
            QFile file(epochs.filePath(name));
            QVERIFY(file.open(QIODevice::WriteOnly));
        }
        AttentionPanel panel;
        panel.setProgram(QStringLiteral("/opt/twb/twb-cli"));
        QCOMPARE(panel.timeline()->program(), QStringLiteral("/opt/twb/twb-cli"));
        panel.setRun(plain.path(), 20, 7);
        QVERIFY(panel.acrossTrainingButton()->isHidden());
        panel.showAcrossTraining(true); // not available: the explorer stays
        QVERIFY(panel.timeline()->isHidden());
        QVERIFY(!panel.explorer()->isHidden());

        panel.setRun(epochs.path(), 20, 7);
        QVERIFY(!panel.acrossTrainingButton()->isHidden());
        QCOMPARE(panel.timeline()->checkpoints(),
                 QStringList({"epoch_001.pt", "epoch_002.pt", "best.pt"}));
        panel.acrossTrainingButton()->click();
        QVERIFY(!panel.timeline()->isHidden());
        QVERIFY(panel.explorer()->isHidden());
        panel.sampleBox()->setValue(12);
        panel.channelBox()->setValue(3);
        QCOMPARE(panel.timeline()->sample(), 12);
        QCOMPARE(panel.timeline()->channel(), 3);
        panel.acrossTrainingButton()->click();
        QVERIFY(panel.timeline()->isHidden());
        QVERIFY(!panel.explorer()->isHidden());
    }

    void aMissingProgramIsReported()
    {
        AttentionPanel panel;
        panel.setProgram(QStringLiteral("/nonexistent/twb-cli"));
        panel.setRun(QStringLiteral("/runs/x"));
        QSignalSpy failed(&panel, &AttentionPanel::failed);
        QVERIFY(panel.compute());
        QVERIFY(failed.count() > 0 || failed.wait(5000));
        QVERIFY(failed.first().first().toString().contains(QStringLiteral("/nonexistent/twb-cli")));
    }
};

QTEST_MAIN(tst_AttentionPanel)
#include "tst_attentionpanel.moc"
