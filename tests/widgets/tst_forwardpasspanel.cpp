// The Forward pass tab's panel as a view: the request it emits, traces and failures shown.
// (The job under it: tests/core/client/tst_forwardjob; both with a scripted twb-cli:
// tests/app/tst_explaincontroller.)
#include "../core/client/AttentionFixtures.h"
#include "client/ForwardJob.h"
#include "widgets/explain/ForwardPassPanel.h"
#include "widgets/explain/ForwardPassView.h"

#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

using namespace twb;

class tst_ForwardPassPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void panelRequest()
    {
        ForwardPassPanel panel;
        QSignalSpy requested(&panel, &ForwardPassPanel::traceRequested);
        QSignalSpy runChanged(&panel, &ForwardPassPanel::runChanged);
        QVERIFY(!panel.compute());
        QVERIFY(panel.statusText().contains(QStringLiteral("No run")));
        panel.setRun(QStringLiteral("/runs/patchtst"), 5);
        QCOMPARE(runChanged.count(), 1);
        panel.sampleBox()->setValue(3);
        QVERIFY(panel.compute());
        QCOMPARE(requested.count(), 1);
        const auto request = requested.first().first().value<ForwardRequest>();
        QCOMPARE(ForwardJob::arguments(request, QStringLiteral("/tmp/f.h5")),
                 QStringList({"forward", "/runs/patchtst", "--index", "3", "--out", "/tmp/f.h5"}));
        panel.sampleBox()->setValue(9);
        QCOMPARE(panel.sampleBox()->value(), 4);
    }

    void panelShowsATrace()
    {
        ForwardPassPanel panel;
        panel.setRun(QStringLiteral("/runs/patchtst"), 5);
        QSignalSpy shown(&panel, &ForwardPassPanel::traceShown);
        panel.showComputing(panel.request());
        QVERIFY(panel.isComputing());
        QVERIFY(panel.statusText().contains(QStringLiteral("sample 0")));
        panel.showTrace(test::smallTrace(3), QStringLiteral("/tmp/forward-3.h5"));
        QVERIFY(!panel.isComputing());
        QCOMPARE(shown.count(), 1);
        QCOMPARE(panel.view()->stageCount(), 2);
        QCOMPARE(panel.sampleBox()->value(), 3);
        QVERIFY(panel.statusText().contains(QStringLiteral("/tmp/forward-3.h5")));
        QVERIFY(!panel.csvTable().rows.empty());
    }

    void panelShowsAFailure()
    {
        const QString message = QStringLiteral("twb-cli forward failed (exit 2): no checkpoint");
        ForwardPassPanel panel;
        QSignalSpy failed(&panel, &ForwardPassPanel::failed);
        panel.showComputing(panel.request());
        panel.showFailure(message);
        QCOMPARE(failed.count(), 1);
        QCOMPARE(panel.statusText(), failed.first().first().toString());
        QVERIFY(!panel.isComputing());
    }
};

QTEST_MAIN(tst_ForwardPassPanel)
#include "tst_forwardpasspanel.moc"
