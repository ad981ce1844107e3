// Every stage that the model plugins report (and the attention stages twb adds) has a
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
    const QVariantMap encoderDecoder{{"d_model", 16}, {"n_heads", 2},  {"d_ff", 32},
                                     {"e_layers", 2}, {"d_layers", 1}, {"label_len", 8}};
    QTest::newRow("transformer") << "transformer" << false << encoderDecoder << 32 << 3;
    QVariantMap informer = encoderDecoder;
    informer.insert("factor", 1);
    QTest::newRow("informer") << "informer" << false << informer << 32 << 3;
    informer.insert("variant", "tslib");
    QTest::newRow("informer tslib") << "informer" << false << informer << 32 << 3;
    QVariantMap decomposition = encoderDecoder;
    decomposition.insert("moving_avg", 5);
    QTest::newRow("autoformer") << "autoformer" << false << decomposition << 32 << 3;
    decomposition.insert("modes", 4);
    QTest::newRow("fedformer") << "fedformer" << false << decomposition << 32 << 3;
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
    QStringList missing;
    for (int i = 0; i < view.stageCount(); ++i) {
        const ForwardStage &stage = trace->stages[std::size_t(i)];
        const QString name = QString::fromStdString(stage.name);
        const StageExplanation e = stageExplanation(id, name);
        if (!e.isFound() || e.axes.size() != qsizetype(stage.shape.size())) {
            missing << QStringLiteral("%1 %2 (%3 axis names)")
                           .arg(name, shapeText(stage.shape))
                           .arg(e.axes.size());
            continue;
        }
        QCOMPARE(view.cardExplanation(i), e.text);
        QVERIFY(view.cardShape(i).contains(QStringLiteral(" = ")));
    }
    for (const QString &line : missing)
        qWarning("%s: no explanation for %s", qPrintable(id), qPrintable(line));
    QVERIFY2(missing.isEmpty(),
             qPrintable(id + QStringLiteral(": no explanation for ") + missing.join("; ")));
    // The mechanisms are drawn as charts (MechanismPicture), not as heat maps.
    int charts = 0;
    for (int i = 0; i < view.stageCount(); ++i) {
        const QString name = QString::fromStdString(trace->stages[std::size_t(i)].name);
        if (name.endsWith(QLatin1String(".autocorrelation")) ||
            name.endsWith(QLatin1String(".delays")) ||
            name.endsWith(QLatin1String(".mode_magnitude")) ||
            name.endsWith(QLatin1String("active_queries"))) {
            QVERIFY2(view.cardImage(i).size() == QSize(300, 140), qPrintable(name));
            ++charts;
        }
    }
    QCOMPARE(charts > 0, id == "informer" || id == "autoformer" || id == "fedformer");
    // The prediction is explained too.
    QVERIFY(stageExplanation(id, QStringLiteral("prediction")).isFound());
}

QTEST_MAIN(tst_ForwardPassStages)
#include "tst_forwardpassstages.moc"
