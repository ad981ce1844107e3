// Every stage that the six model plugins report (and the attention stages twb adds) has a
// plain-language explanation, with one axis name per axis of the stage's real shape, and the
// view builds one card per stage with that text.

#include "../core/explain/ExplainTestSupport.h"
#include "explain/ForwardCapture.h"
#include "widgets/explain/ForwardPassText.h"
#include "widgets/explain/ForwardPassView.h"

#include <QtTest>

using namespace twb;
using namespace twb::explain;

class tst_ForwardPassStages : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyStageExplained_data();
    void everyStageExplained();
};

void tst_ForwardPassStages::everyStageExplained_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<bool>("classify");
    QTest::addColumn<QVariantMap>("values");
    QTest::addColumn<int>("frames");
    QTest::addColumn<int>("channels");
    QTest::newRow("patchtst") << "patchtst" << false << test::tinyPatchTST() << 32 << 3;
    QTest::newRow("itransformer")
        << "itransformer" << false
        << QVariantMap{{"d_model", 16}, {"n_heads", 2}, {"d_ff", 32}, {"e_layers", 2}} << 24 << 3;
    QTest::newRow("dlinear") << "dlinear" << false << QVariantMap() << 32 << 2;
    QTest::newRow("nlinear") << "dlinear" << false << QVariantMap{{"variant", "nlinear"}} << 32
                             << 2;
    QTest::newRow("tst") << "tst" << true << QVariantMap() << 24 << 3;
    QTest::newRow("t2") << "t2" << true << QVariantMap() << 24 << 3;
    QTest::newRow("ast") << "ast" << true
                         << QVariantMap{{"d_model", 16},   {"n_heads", 2}, {"num_layers", 2},
                                        {"patch_size", 8}, {"fstride", 8}, {"tstride", 8}}
                         << 40 << 24;
}

void tst_ForwardPassStages::everyStageExplained()
{
    QFETCH(QString, id);
    QFETCH(bool, classify);
    QFETCH(QVariantMap, values);
    QFETCH(int, frames);
    QFETCH(int, channels);
    ModelSpec spec;
    spec.task = classify ? Task::Classify : Task::Forecast;
    spec.lookback = frames;
    spec.horizon = classify ? 0 : 6;
    spec.channels = channels;
    spec.numClasses = classify ? 4 : 0;
    for (int c = 0; c < channels; ++c)
        spec.channelNames.push_back(QStringLiteral("c%1").arg(c).toStdString());
    QString error;
    std::shared_ptr<Model> model = test::makeModel(id, spec, values, &error);
    QVERIFY2(model, qPrintable(error));
    Expected<ForwardTrace> trace = traceModelForward(*model, torch::randn({1, frames, channels}));
    QVERIFY2(trace, trace ? "" : qPrintable(trace.error().toString()));
    trace->modelId = id.toStdString();
    QVERIFY(trace->stages.size() >= 3);

    ForwardPassView view;
    view.setTrace(*trace);
    QCOMPARE(view.stageCount(), int(trace->stages.size()));
    for (int i = 0; i < view.stageCount(); ++i) {
        const ForwardStage &stage = trace->stages[std::size_t(i)];
        const QString name = QString::fromStdString(stage.name);
        const StageExplanation e = stageExplanation(id, name);
        QVERIFY2(e.isFound(), qPrintable(id + QStringLiteral(": no explanation for ") + name));
        QVERIFY2(e.axes.size() == qsizetype(stage.shape.size()),
                 qPrintable(QStringLiteral("%1 %2: %3 axis names for %4")
                                .arg(id, name)
                                .arg(e.axes.size())
                                .arg(shapeText(stage.shape))));
        QCOMPARE(view.cardExplanation(i), e.text);
        QVERIFY(view.cardShape(i).contains(QStringLiteral(" = ")));
    }
    // The prediction is explained too.
    QVERIFY(stageExplanation(id, QStringLiteral("prediction")).isFound());
}

QTEST_MAIN(tst_ForwardPassStages)
#include "tst_forwardpassstages.moc"
