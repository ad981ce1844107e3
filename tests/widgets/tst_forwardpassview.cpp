// The forward-pass view: one card per stage with shape, statistics, picture and explanation,
// the model structure tree, the CSV table and showing files read by readForwardFile (good and
// broken).

#include "attention/ForwardTrace.h"
#include "render/ColorMap.h"
#include "widgets/explain/ForwardPassText.h"
#include "widgets/explain/ForwardPassView.h"

#include <QFile>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

#include <numeric>

using namespace twb;
using namespace twb::explain;

class tst_ForwardPassView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void explanationsByModelAndPrefix();
    void describeShapeNamesAxes();
    void oneCardPerStage();
    void structureTreeTotals();
    void buffersOfAFittedModel();
    void csvTable();
    void previewImageColours();
    void openFileGoodAndBroken();
    void scrollToStage();
    void smallStagesListTheirValues();
    void patternsPreferTheMostSpecific();

private:
    static ForwardTrace patchTrace();
};

void tst_ForwardPassView::explanationsByModelAndPrefix()
{
    // PatchTST's own "revin"; iTransformer's own "normalized"; prefixes for layers.
    const StageExplanation revin =
        stageExplanation(QStringLiteral("patchtst"), QStringLiteral("revin"));
    QVERIFY(revin.text.contains(QStringLiteral("RevIN")));
    const StageExplanation normalized =
        stageExplanation(QStringLiteral("itransformer"), QStringLiteral("normalized"));
    QVERIFY(normalized.isFound());
    QVERIFY(normalized.text != revin.text);
    const StageExplanation layer =
        stageExplanation(QStringLiteral("PatchTST"), QStringLiteral("encoder_layer_12"));
    QVERIFY(layer.text.contains(QStringLiteral("patch")));
    QCOMPARE(layer.axes, (QStringList{QStringLiteral("batch × channels"), QStringLiteral("patches"),
                                      QStringLiteral("model width")}));
    // A model without its own entry falls back to "default".
    const StageExplanation generic =
        stageExplanation(QStringLiteral("unknown"), QStringLiteral("attention_layer_0"));
    QVERIFY(generic.text.contains(QStringLiteral("softmax")));
    QCOMPARE(generic.axes.size(), 3);
    QVERIFY(
        !stageExplanation(QStringLiteral("patchtst"), QStringLiteral("no_such_stage")).isFound());
}

void tst_ForwardPassView::describeShapeNamesAxes()
{
    const StageExplanation patches =
        stageExplanation(QStringLiteral("patchtst"), QStringLiteral("patches"));
    QCOMPARE(describeShape({1, 7, 42, 16}, patches.axes),
             QStringLiteral("[1, 7, 42, 16] = 1 batch, 7 channels, 42 patches, 16 patch length"));
    // Axes that do not fit the rank are left out.
    QCOMPARE(describeShape({7, 42}, patches.axes), QStringLiteral("[7, 42]"));
}

ForwardTrace tst_ForwardPassView::patchTrace()
{
    ForwardTrace t;
    t.modelId = "patchtst";
    t.sampleLabel = "test window 0";
    std::vector<float> v(4 * 42 * 42);
    std::iota(v.begin(), v.end(), 0.0f);
    t.stages.push_back(makeForwardStage("input", {1, 336, 7}, v.data()));
    t.stages.push_back(makeForwardStage("patches", {1, 7, 42, 16}, v.data()));
    t.stages.push_back(makeForwardStage("attention_layer_0", {4, 42, 42}, v.data()));
    t.prediction = makeForwardStage("prediction", {1, 96, 7}, v.data());
    t.parameters = {{"patch_embedding.weight", {16, 16}, 256},
                    {"patch_embedding.bias", {16}, 16},
                    {"encoder.layers.0.attn.q.weight", {16, 16}, 256},
                    {"encoder.layers.1.attn.q.weight", {16, 16}, 256},
                    {"head.weight", {96, 672}, 64512}};
    t.totalParameters = 256 + 16 + 256 + 256 + 64512;
    return t;
}

void tst_ForwardPassView::oneCardPerStage()
{
    ForwardPassView view;
    view.setTrace(patchTrace());
    QCOMPARE(view.stageCount(), 3);
    QCOMPARE(view.cardTitle(0), QStringLiteral("1. input"));
    QCOMPARE(view.cardTitle(2), QStringLiteral("3. attention_layer_0"));
    QCOMPARE(view.cardShape(0),
             QStringLiteral("[1, 336, 7] = 1 batch, 336 time steps, 7 channels"));
    QCOMPARE(view.cardShape(1),
             QStringLiteral("[1, 7, 42, 16] = 1 batch, 7 channels, 42 patches, 16 patch length"));
    QCOMPARE(view.cardShape(2), QStringLiteral("[4, 42, 42] = 4 heads, 42 queries, 42 keys"));
    for (int i = 0; i < 3; ++i) {
        const StageExplanation e = stageExplanation(
            QStringLiteral("patchtst"), QString::fromStdString(view.trace().stages[i].name));
        QCOMPARE(view.cardExplanation(i), e.text);
    }
    QCOMPARE(view.cardStatistics(1), QStringLiteral("min 0 · max 4703 · mean 2352 · std 1358"));
    QCOMPARE(view.cardImage(1).size(), QSize(16, 42));
    QCOMPARE(view.cardImage(0).size(), QSize(7, 168));
    // Setting another trace replaces the cards.
    ForwardTrace two = patchTrace();
    two.stages.resize(1);
    view.setTrace(two);
    QCOMPARE(view.stageCount(), 1);
    QCOMPARE(view.findChildren<QFrame *>().size() >= 1, true);
    QCoreApplication::processEvents();
    int cards = 0;
    for (QLabel *label : view.findChildren<QLabel *>())
        if (label->text().startsWith(QStringLiteral("1. ")) ||
            label->text().startsWith(QStringLiteral("2. ")))
            ++cards;
    QCOMPARE(cards, 1);
}

void tst_ForwardPassView::structureTreeTotals()
{
    ForwardPassView view;
    view.setTrace(patchTrace());
    QTreeWidget *tree = view.structureTree();
    QCOMPARE(tree->topLevelItemCount(), 1);
    QTreeWidgetItem *top = tree->topLevelItem(0);
    QCOMPARE(top->text(0), QStringLiteral("patchtst"));
    QCOMPARE(top->text(2), QStringLiteral("65,296"));
    // Modules in first-seen order: patch_embedding, encoder, head (head.weight is a leaf).
    QCOMPARE(top->childCount(), 3);
    QTreeWidgetItem *embedding = top->child(0);
    QCOMPARE(embedding->text(0), QStringLiteral("patch_embedding"));
    QCOMPARE(embedding->text(2), QStringLiteral("272"));
    QCOMPARE(embedding->child(0)->text(0), QStringLiteral("weight"));
    QCOMPARE(embedding->child(0)->text(1), QStringLiteral("[16, 16]"));
    QCOMPARE(embedding->child(1)->text(2), QStringLiteral("16"));
    QTreeWidgetItem *encoder = top->child(1);
    QCOMPARE(encoder->text(2), QStringLiteral("512"));
    QCOMPARE(encoder->child(0)->text(0), QStringLiteral("layers"));
    QCOMPARE(encoder->child(0)->childCount(), 2); // layers 0 and 1
    QCOMPARE(top->child(2)->text(0), QStringLiteral("head"));
    QCOMPARE(top->child(2)->child(0)->text(1), QStringLiteral("[96, 672]"));
}

void tst_ForwardPassView::buffersOfAFittedModel()
{
    // 1-NN DTW keeps its training cases in buffers and has no trained parameter: the tree and
    // the header must show what it holds, not "0 parameters" alone.
    ForwardTrace t = patchTrace();
    t.modelId = "dtw";
    t.parameters.clear();
    t.totalParameters = 0;
    t.buffers = {{"cases", {50, 150, 1}, 7500}, {"labels", {50}, 50}, {"window", {1}, 1}};
    t.totalBuffers = 7551;
    ForwardPassView view;
    view.setTrace(t);
    QTreeWidget *tree = view.structureTree();
    QCOMPARE(tree->columnCount(), 4);
    QTreeWidgetItem *top = tree->topLevelItem(0);
    QCOMPARE(top->text(2), QStringLiteral("0"));
    QCOMPARE(top->text(3), QStringLiteral("7,551"));
    QCOMPARE(top->childCount(), 3);
    QCOMPARE(top->child(0)->text(0), QStringLiteral("cases"));
    QCOMPARE(top->child(0)->text(1), QStringLiteral("[50, 150, 1]"));
    QCOMPARE(top->child(0)->text(2), QString());
    QCOMPARE(top->child(0)->text(3), QStringLiteral("7,500"));
    bool said = false;
    for (QLabel *label : view.findChildren<QLabel *>())
        said = said || label->text().contains(QLatin1String("0 parameters and 7,551 values in "
                                                            "buffers (fitted or fixed)"));
    QVERIFY(said);
    // A trained model with no buffers keeps its old header.
    view.setTrace(patchTrace());
    QCOMPARE(view.structureTree()->topLevelItem(0)->text(3), QString());
}

void tst_ForwardPassView::csvTable()
{
    ForwardPassView view;
    QVERIFY(view.csvTable().header.isEmpty());
    view.setTrace(patchTrace());
    const CsvTable t = view.csvTable();
    QCOMPARE(t.header, (QStringList{"name", "shape", "min", "max", "mean", "std"}));
    QCOMPARE(t.rows.size(), 3);
    QCOMPARE(t.rows[1], (QStringList{"patches", "[1, 7, 42, 16]", "0", "4703", "2351.5",
                                     csvNumber(view.trace().stages[1].std)}));
}

void tst_ForwardPassView::previewImageColours()
{
    const std::vector<float> v{0, 1, 2, 3};
    const ForwardStage s = makeForwardStage("x", {2, 2}, v.data());
    const QImage image = ForwardPassView::previewImage(s);
    QCOMPARE(image.size(), QSize(2, 2));
    const ColorMap &map = ColorMap::get(ColorMapKind::Viridis);
    QCOMPARE(image.pixel(0, 0), map.map(0.0));
    QCOMPARE(image.pixel(1, 1), map.map(1.0));
    QCOMPARE(image.pixel(0, 1), map.map(2.0 / 3.0));
    // A constant stage is drawn in the middle colour.
    const std::vector<float> flat(4, 5.0f);
    const QImage constant = ForwardPassView::previewImage(makeForwardStage("c", {4}, flat.data()));
    QCOMPARE(constant.pixel(3, 0), map.map(0.5));
}

void tst_ForwardPassView::openFileGoodAndBroken()
{
    QTemporaryDir dir;
    const QString good = dir.filePath(QStringLiteral("trace.h5"));
    QVERIFY(writeForwardFile(good, patchTrace()));
    // The view reads no file: it is given what readForwardFile read.
    ForwardPassView view;
    Expected<ForwardTrace> trace = readForwardFile(good);
    QVERIFY2(trace, qPrintable(trace ? QString() : trace.error().toString()));
    view.setTrace(*trace);
    QCOMPARE(view.stageCount(), 3);
    QCOMPARE(view.trace().totalParameters, std::int64_t(65296));

    const QString broken = dir.filePath(QStringLiteral("broken.h5"));
    QFile f(broken);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("garbage");
    f.close();
    const Expected<ForwardTrace> failed = readForwardFile(broken);
    QVERIFY(!failed);
    QCOMPARE(failed.error().toString(),
             broken + QStringLiteral(": not an HDF5 file, so not a forward-pass file"));
    QCOMPARE(view.stageCount(), 3); // given nothing, it keeps what it showed
}

void tst_ForwardPassView::scrollToStage()
{
    ForwardPassView view;
    view.setTrace(patchTrace());
    view.resize(900, 260);
    view.show();
    QCoreApplication::processEvents();
    auto *scroll = view.findChild<QScrollArea *>();
    QVERIFY(scroll);
    QCOMPARE(scroll->verticalScrollBar()->value(), 0);
    QVERIFY(view.scrollToStage(QStringLiteral("attention_layer_0")));
    QVERIFY(scroll->verticalScrollBar()->value() > 0);
    const int at = scroll->verticalScrollBar()->value();
    QVERIFY(!view.scrollToStage(QStringLiteral("no_such_stage")));
    QCOMPARE(scroll->verticalScrollBar()->value(), at);
    QVERIFY(view.scrollToStage(QStringLiteral("input")));
    QVERIFY(scroll->verticalScrollBar()->value() < at); // the list's top margin at most
    QVERIFY(scroll->verticalScrollBar()->value() <= 20);
}

void tst_ForwardPassView::smallStagesListTheirValues()
{
    ForwardTrace trace = patchTrace();
    const std::vector<float> delays{24.0f, 48.0f, 23.5f};
    trace.stages.push_back(makeForwardStage("encoder_layer_0.delays", {1, 3}, delays.data()));
    ForwardPassView view;
    view.setTrace(trace);
    QVERIFY(view.cardStatistics(3).endsWith(QStringLiteral("\nvalues: 24, 48, 23.5")));
    QVERIFY(!view.cardStatistics(0).contains(QStringLiteral("values"))); // 2,352 values
}

void tst_ForwardPassView::patternsPreferTheMostSpecific()
{
    // "encoder_layer_*.delays" (Autoformer's) wins over the default "encoder_layer_*"; a
    // pattern with '*' inside matches any layer number.
    const StageExplanation delays =
        stageExplanation(QStringLiteral("autoformer"), QStringLiteral("encoder_layer_1.delays"));
    QVERIFY(delays.text.contains(QStringLiteral("delay")));
    QCOMPARE(delays.axes.size(), qsizetype(2));
    const StageExplanation layer =
        stageExplanation(QStringLiteral("autoformer"), QStringLiteral("encoder_layer_1"));
    QVERIFY(layer.text != delays.text);
    QCOMPARE(stageExplanation(QStringLiteral("fedformer"),
                              QStringLiteral("decoder_layer_0.cross.key_modes"))
                 .axes,
             QStringList{QStringLiteral("modes")});
    QVERIFY(stageExplanation(QStringLiteral("transformer"), QStringLiteral("decoder_layer_3"))
                .text.contains(QStringLiteral("cross-attention")));
    QVERIFY(!stageExplanation(QStringLiteral("patchtst"), QStringLiteral("decoder")).isFound());
}

QTEST_MAIN(tst_ForwardPassView)
#include "tst_forwardpassview.moc"
