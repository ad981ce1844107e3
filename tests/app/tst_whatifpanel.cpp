// The what-if panel (issue 5 part 3) against the real `twb-cli whatif --serve` on a tiny
// PatchTST trained for one epoch on ETTh1: the original prediction arrives, edits change it,
// removing them brings it back, a broken run is reported; and the panel inside AttentionPanel.
// The panels are views: ExplainController gives them the session's answers.

#include "CliTestSupport.h"
#include "ExplainController.h"
#include "widgets/explain/AttentionPanel.h"
#include "widgets/explain/SaliencyView.h"
#include "widgets/explain/WhatIfChart.h"
#include "widgets/explain/WhatIfPanel.h"

#include <QChartView>
#include <QComboBox>
#include <QFile>
#include <QLineSeries>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

using namespace twb;

class tst_WhatIfPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void originalThenEditsThenUndo();
    void onlyTheLatestEditListIsComputed();
    void brokenRunIsReported();
    void attentionPanelFeedsTheSample();
    void separationIsDrawnInSeconds();
    void withoutAttentionTheShapeComesFromTheAnswer();

private:
    /// Shows sample 5 of the run in `panel` (wired by `controller`) and waits for the first
    /// prediction.
    bool showSample(WhatIfPanel &panel, ExplainController &controller);
    static bool waitForResult(WhatIfPanel &panel, int count = 1);

    QTemporaryDir m_tmp;
    QString m_cli;
    QString m_runDir;
    QStringList m_tokens;
    const QStringList m_channels{"HUFL", "HULL", "MUFL", "MULL", "LUFL", "LULL", "OT"};
};

void tst_WhatIfPanel::initTestCase()
{
    m_cli = QStringLiteral(TWB_TEST_BIN_DIR "/twb-cli");
    QVERIFY2(QFile::exists(m_cli), qPrintable(m_cli + " is not built"));
    const QString csv = QStringLiteral(TWB_SHARED_DATA_DIR "/ett/ETTh1.csv");
    if (!QFile::exists(csv))
        QSKIP(qPrintable(QStringLiteral("missing %1").arg(csv)));
    QVERIFY(m_tmp.isValid());
    m_runDir = m_tmp.filePath(QStringLiteral("run"));
    const test::Result r =
        test::runCli(m_cli, m_tmp.path(), test::tinyPatchTstTrainArgs(csv, m_runDir));
    QVERIFY2(r.exitCode == 0, r.err.constData());
    for (int i = 0; i < 12; ++i)
        m_tokens << QStringLiteral("patch %1").arg(i);
}

bool tst_WhatIfPanel::waitForResult(WhatIfPanel &panel, int count)
{
    QSignalSpy shown(&panel, &WhatIfPanel::resultShown);
    QSignalSpy failed(&panel, &WhatIfPanel::failed);
    while (shown.count() < count && failed.isEmpty())
        if (!shown.wait(120000))
            break;
    if (!failed.isEmpty())
        qWarning("%s", qPrintable(failed.first().first().toString()));
    return shown.count() >= count;
}

bool tst_WhatIfPanel::showSample(WhatIfPanel &panel, ExplainController &controller)
{
    controller.setProgram(m_cli);
    controller.attach(&panel);
    panel.setRun(m_runDir);
    QSignalSpy shown(&panel, &WhatIfPanel::resultShown);
    panel.setSample(5, m_tokens, 6, 96, m_channels);
    return shown.wait(120000) || !shown.isEmpty();
}

void tst_WhatIfPanel::originalThenEditsThenUndo()
{
    WhatIfPanel panel;
    ExplainController controller;
    panel.resize(1200, 420);
    panel.show();
    QVERIFY(showSample(panel, controller));
    const WhatIfChart *chart = panel.chart();
    QVERIFY(chart->hasResult());
    QCOMPARE(chart->result().rows, 24);
    QCOMPARE(chart->result().cols, 7);
    QCOMPARE(chart->result().label, QStringLiteral("test window 5 (2017-10-20 05:00)"));
    QCOMPARE(chart->channel(), 6); // OT by default
    QVERIFY(chart->result().original == chart->result().edited);
    const std::vector<float> original = chart->result().original;

    // The explorer's query token 3 -> "Mask token 3" masks rows [24, 40) of OT.
    panel.setSelectedToken(3);
    QCOMPARE(panel.maskTokenButton()->text(), QStringLiteral("Mask token 3"));
    QSignalSpy shown(&panel, &WhatIfPanel::resultShown);
    panel.maskTokenButton()->click();
    QVERIFY(shown.wait(60000));
    QCOMPARE(panel.editList()->count(), 1);
    QVERIFY(panel.editList()->item(0)->text().contains(QLatin1String("patch 3 of OT")));
    QCOMPARE(chart->result().changedInputs, 16);
    QVERIFY(chart->result().edited != original);
    QVERIFY(chart->result().original == original);
    QVERIFY(panel.statusText().contains(QLatin1String("16 of 672 input values masked")));

    // The chart draws the five lines of OT: 96 input steps, 24 forecast steps.
    const QList<QAbstractSeries *> series = chart->lineView()->chart()->series();
    QCOMPARE(series.size(), 5);
    QCOMPARE(static_cast<QLineSeries *>(series[0])->count(), 96);
    QCOMPARE(static_cast<QLineSeries *>(series[4])->count(), 24);
    QCOMPARE(static_cast<QLineSeries *>(series[4])->at(0).x(), 0.0);
    QCOMPARE(static_cast<QLineSeries *>(series[0])->at(0).x(), -96.0);
    // Masked input steps -72..-57 show the train mean, not the data.
    const auto *input = static_cast<QLineSeries *>(series[0]);
    const auto *editedInput = static_cast<QLineSeries *>(series[1]);
    QVERIFY(input->at(30).y() != editedInput->at(30).y());
    QCOMPARE(input->at(10).y(), editedInput->at(10).y());

    // The CSV: a step column and original/edited/truth per channel.
    const CsvTable table = panel.csvTable();
    QCOMPARE(table.header.size(), 1 + 3 * 7);
    QCOMPARE(table.header.last(), QStringLiteral("OT_truth"));
    QCOMPARE(table.rows.size(), 24);

    // A head off, then both edits removed: back to the original.
    panel.setSelectedHead(1, 0, true);
    QVERIFY(panel.headOffButton()->isEnabled());
    panel.headOffButton()->click();
    QVERIFY(shown.wait(60000));
    QCOMPARE(panel.editList()->count(), 2);
    QCOMPARE(chart->result().changedInputs, 16);
    panel.setSelectedHead(0, 0, false); // an average is not a head
    QVERIFY(!panel.headOffButton()->isEnabled());
    panel.clearEdits();
    QVERIFY(shown.wait(60000));
    QCOMPARE(panel.editList()->count(), 0);
    QVERIFY(chart->result().edited == original);

    // A time range of one channel.
    panel.addRegion(0, 48, 0, 1);
    QVERIFY(shown.wait(60000));
    QCOMPARE(chart->result().changedInputs, 48);
    QVERIFY(panel.editList()->item(0)->text().contains(QStringLiteral("rows 0–48 of HUFL")));

    // Another run: edits and the drawing are gone until its sample is shown.
    panel.setRun(m_runDir);
    QCOMPARE(panel.editList()->count(), 0);
    QVERIFY(!chart->hasResult());
    for (QAbstractSeries *line : chart->lineView()->chart()->series())
        QCOMPARE(static_cast<QLineSeries *>(line)->count(), 0);
}

void tst_WhatIfPanel::onlyTheLatestEditListIsComputed()
{
    WhatIfPanel panel;
    ExplainController controller;
    QVERIFY(showSample(panel, controller));
    QSignalSpy shown(&panel, &WhatIfPanel::resultShown);
    // Four edits at once: the first is sent, the next three collapse into one request.
    panel.addTokenMask(0);
    panel.addTokenMask(1);
    panel.addTokenMask(2);
    panel.addTokenMask(2); // a repeated edit is ignored
    QCOMPARE(panel.editList()->count(), 3);
    QVERIFY(waitForResult(panel, 1));
    QTRY_COMPARE_WITH_TIMEOUT(panel.chart()->result().changedInputs, 32, 60000); // rows [0, 32)
    QTest::qWait(300);
    QCOMPARE(shown.count(), 2);
}

void tst_WhatIfPanel::brokenRunIsReported()
{
    WhatIfPanel panel;
    ExplainController controller;
    controller.setProgram(m_cli);
    controller.attach(&panel);
    const QString missing = m_tmp.filePath(QStringLiteral("no-such-run"));
    panel.setRun(missing);
    QSignalSpy failed(&panel, &WhatIfPanel::failed);
    panel.setSample(0, m_tokens, -1, 96, m_channels);
    QVERIFY(failed.wait(60000));
    const QString message = failed.first().first().toString();
    QVERIFY2(message.contains(QLatin1String("twb-cli whatif ended (exit 1)")), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("no-such-run")), qPrintable(message));
    QCOMPARE(panel.statusText(), message);
    QVERIFY(!panel.chart()->hasResult());
}

void tst_WhatIfPanel::attentionPanelFeedsTheSample()
{
    AttentionPanel attention;
    ExplainController controller;
    controller.setProgram(m_cli);
    controller.attach(&attention);
    attention.setRun(m_runDir, 0, 7);
    attention.sampleBox()->setValue(5);
    attention.channelBox()->setValue(6);
    QSignalSpy shown(attention.whatIf(), &WhatIfPanel::resultShown);
    QVERIFY(attention.compute());
    QVERIFY(shown.wait(120000));
    QCOMPARE(attention.whatIf()->sample(), 5);
    // The attention file holds gradient x input of OT's forecast (channel independence: only
    // OT's column of the input matters).
    QVERIFY(attention.saliencyView()->hasSaliency());
    QCOMPARE(attention.saliencyView()->heatImage().size(), QSize(96, 7));
    QCOMPARE(attention.whatIf()->chart()->result().index, 5);
    QVERIFY(attention.whatIf()->maskTokenButton()->isEnabled());
    attention.whatIf()->maskTokenButton()->click();
    QVERIFY(shown.wait(60000));
    QCOMPARE(attention.whatIf()->chart()->result().changedInputs, 16);
}

void tst_WhatIfPanel::separationIsDrawnInSeconds()
{
    // A separation answer (as `twb-cli whatif` gives for a Conv-TasNet run): four samples at
    // 8 kHz, two sources; the chart draws the chosen source over seconds with the mixture.
    WhatIfAnswer a;
    a.separate = true;
    a.sampleRate = 8000.0;
    a.label = QStringLiteral("test mixture 0: 0_george_1.wav + 3_theo_2.wav");
    a.rows = 4;
    a.cols = 2;
    a.names = {QStringLiteral("source 1"), QStringLiteral("source 2")};
    a.original = {0.5f, 0.1f, 0.4f, 0.2f, 0.3f, 0.3f, 0.2f, 0.4f};
    a.edited = {0.0f, 0.0f, 0.0f, 0.0f, 0.3f, 0.3f, 0.2f, 0.4f};
    a.truth = a.original;
    a.lookback = 4;
    a.history = {0.6f, 0.6f, 0.6f, 0.6f};
    a.editedHistory = {0.0f, 0.0f, 0.6f, 0.6f};
    a.changedInputs = 2;
    a.inputValues = 4;
    a.change.siSnrOriginal = {11.0, 9.0};
    a.change.siSnrEdited = {1.0, 3.0};
    a.change.siSnrMixture = {0.5, -0.5};

    WhatIfPanel panel;
    panel.resize(900, 420);
    panel.show();
    panel.showAnswer(a);
    const WhatIfChart *chart = panel.chart();
    QCOMPARE(chart->channel(), 1); // the last source, as the last channel for forecasts
    QVERIFY2(panel.statusText().contains(QStringLiteral("SI-SNRi 10.00 dB → 2.00 dB")),
             qPrintable(panel.statusText()));
    QVERIFY(!panel.statusText().contains(QStringLiteral("Forecast")));
    QStringList legend;
    const QList<QAbstractSeries *> series = chart->lineView()->chart()->series();
    for (const QAbstractSeries *line : series)
        legend << line->name();
    QCOMPARE(legend, (QStringList{"mixture", "mixture after the edit", "reference", "estimate",
                                  "estimate after the edit"}));
    const auto *estimate = qobject_cast<QLineSeries *>(series.at(3));
    QVERIFY(estimate);
    QCOMPARE(estimate->count(), 4);
    QCOMPARE(estimate->at(3), QPointF(3.0 / 8000.0, double(0.4f))); // source 2, sample 3, seconds
    const auto *mixture = qobject_cast<QLineSeries *>(series.at(0));
    QCOMPARE(mixture->at(0).x(), 0.0); // the mixture under the sources, not before them
    QCOMPARE(chart->lineView()->chart()->axes(Qt::Horizontal).first()->titleText(),
             QStringLiteral("Time (s)"));
    const CsvTable table = chart->csvTable();
    QCOMPARE(table.header.first(), QStringLiteral("seconds"));
    QCOMPARE(table.rows.size(), 4);
}

void tst_WhatIfPanel::withoutAttentionTheShapeComesFromTheAnswer()
{
    // A model without attention maps (DLinear, TSMixer, Conv-TasNet ...) fails the attention
    // request; the what-if panel still gets the sample, learns the input's shape from the
    // first answer and offers its rows and columns.
    AttentionPanel attention;
    ExplainController controller;
    controller.setProgram(m_cli);
    controller.attach(&attention);
    attention.setRun(m_runDir, 0, 7);
    attention.sampleBox()->setValue(3);
    WhatIfPanel *whatIf = attention.whatIf();
    QSignalSpy shown(whatIf, &WhatIfPanel::resultShown);
    attention.showFailure(QStringLiteral("this model has no attention maps"));
    QVERIFY(shown.wait(120000));
    QCOMPARE(whatIf->sample(), 3);
    QCOMPARE(whatIf->chart()->result().inputRows, 96);
    QVERIFY(!whatIf->maskTokenButton()->isEnabled()); // no tokens without an attention set
    QCOMPARE(whatIf->rowToBox()->maximum(), 96);
    QCOMPARE(whatIf->columnBox()->count(), 8); // every column, then the 7 channels
    QCOMPARE(whatIf->columnBox()->itemText(7), QStringLiteral("of OT"));
    whatIf->addRegion(0, 48, 6, 7);
    QVERIFY(shown.wait(60000));
    QCOMPARE(whatIf->chart()->result().changedInputs, 48);

    // The next sample of the same run keeps the edit (its input has the same shape).
    attention.sampleBox()->setValue(4);
    attention.showFailure(QStringLiteral("this model has no attention maps"));
    QVERIFY(shown.wait(60000));
    QCOMPARE(whatIf->sample(), 4);
    QCOMPARE(whatIf->edits().size(), std::size_t(1));
    QCOMPARE(whatIf->chart()->result().index, 4);
    QCOMPARE(whatIf->chart()->result().changedInputs, 48);
}

QTEST_MAIN(tst_WhatIfPanel)
#include "tst_whatifpanel.moc"
