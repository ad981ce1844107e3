#include "attention/AttentionFile.h"
#include "attention/AttentionMath.h"
#include "tst_attentionsets.h"
#include "widgets/common/ViewExporter.h"
#include "widgets/explain/AttentionExplorer.h"
#include "widgets/explain/AttentionGrid.h"
#include "widgets/explain/AttentionInputOverlay.h"
#include "widgets/explain/AttentionMapView.h"

#include <QComboBox>
#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <optional>
#include <utility>

using namespace twb;

namespace {
QString messageOf(const Status &status)
{
    return status.isOk() ? QString() : status.error().toString();
}
} // namespace

class TestAttentionExplorer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void queryClickUpdatesOverlay_data();
    void queryClickUpdatesOverlay();
    void gridAndSpinBoxesStayInSync();
    void rolloutShowsWhenItArrives();
    void exportsMapAsCsvAndPicture();
    void opensAttentionFiles();
    void showsNonSquareCrossLayer();
    void rolloutOnlyOverInputTokenLayers();
};

void TestAttentionExplorer::queryClickUpdatesOverlay_data()
{
    QTest::addColumn<int>("mode");
    QTest::newRow("head") << int(AttentionMode::Head);
    QTest::newRow("head average") << int(AttentionMode::HeadAverage);
    QTest::newRow("layer average") << int(AttentionMode::LayerAverage);
    QTest::newRow("rollout") << int(AttentionMode::Rollout);
}

void TestAttentionExplorer::queryClickUpdatesOverlay()
{
    QFETCH(int, mode);
    const explain::AttentionSet set = test::patchSet(2, 3);
    AttentionExplorer explorer;
    explorer.resize(1200, 800);
    explorer.setAttention(set);
    explorer.setInputSeries(std::vector<float>(96 * 7, 0.5f), 96, 7,
                            {"HUFL", "HULL", "MUFL", "MULL", "LUFL", "LULL", "OT"});
    explorer.waitForDerived();
    explorer.show();
    QVERIFY(QTest::qWaitForWindowExposed(&explorer));
    explorer.setSelection({AttentionMode(mode), 1, 2});
    QCOMPARE(int(explorer.selection().mode), mode);

    // Click on row 6 of the large map.
    AttentionMapView *view = explorer.mapView();
    QSignalSpy spy(&explorer, &AttentionExplorer::queryChanged);
    QTest::mouseClick(view, Qt::LeftButton, {}, view->cellRect(6, 1).center().toPoint());
    QCOMPARE(spy.size(), 1);
    QCOMPARE(explorer.query(), 6);
    QCOMPARE(explorer.queryBox()->currentIndex(), 6);

    std::vector<float> expected;
    switch (AttentionMode(mode)) {
    case AttentionMode::Head:
        expected = explain::queryRow(set.layers[1], 2, 6);
        break;
    case AttentionMode::HeadAverage:
        expected = explain::queryRow(explain::headAverage(set.layers[1]), 0, 6);
        break;
    case AttentionMode::LayerAverage:
        expected = explain::queryRow(explain::layerAverage(set.layers), 2, 6);
        break;
    case AttentionMode::Rollout:
        expected = explain::queryRow(explain::rollout(set.layers), 0, 6);
        break;
    }
    QCOMPARE(expected.size(), std::size_t(11));
    QCOMPARE(explorer.overlay()->weights(), expected);

    // The query combo does the same.
    explorer.queryBox()->setCurrentIndex(2);
    QCOMPARE(explorer.query(), 2);
    QCOMPARE(view->selectedQuery(), 2);
    QCOMPARE(explorer.overlay()->weights(),
             explorer.model()->queryWeights(explorer.selection(), 2));
}

void TestAttentionExplorer::gridAndSpinBoxesStayInSync()
{
    AttentionExplorer explorer;
    explorer.resize(1200, 800);
    explorer.setAttention(test::patchSet(2, 3));
    explorer.waitForDerived();
    explorer.show();
    QVERIFY(QTest::qWaitForWindowExposed(&explorer));
    AttentionGrid *grid = explorer.grid();

    QTest::mouseClick(grid, Qt::LeftButton, {}, grid->thumbnailRect(1, 2).center());
    QCOMPARE(explorer.selection(), (AttentionSelection{AttentionMode::Head, 1, 2}));
    QCOMPARE(explorer.layerBox()->currentIndex(), 1);
    QCOMPARE(explorer.layerBox()->currentText(), QStringLiteral("layer 1"));
    QCOMPARE(explorer.headBox()->value(), 2);
    QCOMPARE(explorer.modeBox()->currentIndex(), int(AttentionMode::Head));
    QCOMPARE(explorer.mapView()->map().layer.get(), &explorer.model()->attention()->layers[1]);
    QCOMPARE(explorer.mapView()->map().head, 2);

    QTest::mouseClick(grid, Qt::LeftButton, {}, grid->thumbnailRect(0, -1).center());
    QCOMPARE(explorer.selection().mode, AttentionMode::HeadAverage);
    QCOMPARE(explorer.layerBox()->currentIndex(), 0);
    QVERIFY(!explorer.headBox()->isEnabled());

    QTest::mouseClick(grid, Qt::LeftButton, {}, grid->thumbnailRect(-1, -1).center());
    QCOMPARE(explorer.selection().mode, AttentionMode::Rollout);
    QCOMPARE(explorer.modeBox()->currentIndex(), int(AttentionMode::Rollout));
    QCOMPARE(explorer.mapView()->map().layer, explorer.model()->rolloutMap().layer);

    explorer.modeBox()->setCurrentIndex(int(AttentionMode::Head));
    explorer.headBox()->setValue(1);
    explorer.layerBox()->setCurrentIndex(1);
    QCOMPARE(explorer.selection(), (AttentionSelection{AttentionMode::Head, 1, 1}));
    QCOMPARE(grid->selectedLayer(), 1);
    QCOMPARE(grid->selectedHead(), 1);

    explorer.modeBox()->setCurrentIndex(int(AttentionMode::LayerAverage));
    QCOMPARE(grid->selectedLayer(), -2); // nothing in the grid is this map
    QVERIFY(!explorer.layerBox()->isEnabled());
    QVERIFY(explorer.headBox()->isEnabled());
}

void TestAttentionExplorer::rolloutShowsWhenItArrives()
{
    AttentionExplorer explorer;
    explorer.resize(1000, 700);
    explorer.setSelection({AttentionMode::Rollout, 0, 0});
    explorer.setAttention(test::astSet());
    QTRY_VERIFY(explorer.model()->rolloutReady());
    QVERIFY(explorer.mapView()->map().isValid());
    QCOMPARE(explorer.mapView()->map().layer, explorer.model()->rolloutMap().layer);
    QCOMPARE(explorer.overlay()->layout(), AttentionInputOverlay::Layout::Tiles);
    QCOMPARE(explorer.overlay()->weights().size(), std::size_t(8));
}

void TestAttentionExplorer::exportsMapAsCsvAndPicture()
{
    const explain::AttentionSet set = test::variateSet();
    AttentionExplorer explorer;
    explorer.resize(1100, 700);
    explorer.setAttention(set);
    explorer.setSelection({AttentionMode::Head, 1, 1});
    explorer.show();
    QVERIFY(QTest::qWaitForWindowExposed(&explorer));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString csv = dir.filePath(QStringLiteral("map.csv"));
    QVERIFY(ViewExporter::save(&explorer, csv).isOk());
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(file.readAll()).split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 8);
    QCOMPARE(lines[0], QStringLiteral("query \\ key,HUFL,HULL,MUFL,MULL,LUFL,LULL,OT"));
    for (int q = 0; q < 7; ++q) {
        const QStringList cells = lines[q + 1].split(u',');
        QCOMPARE(cells.size(), 8);
        QCOMPARE(cells[0], QString::fromStdString(set.channelNames[std::size_t(q)]));
        for (int k = 0; k < 7; ++k)
            QCOMPARE(cells[k + 1].toFloat(), set.layers[1].at(1, q, k));
    }
    const QString png = dir.filePath(QStringLiteral("explorer.png"));
    QVERIFY(ViewExporter::save(&explorer, png).isOk());
    QImage image(png);
    QCOMPARE(image.size(), explorer.size() * explorer.devicePixelRatio());
    // The variate overlay names the channels.
    QCOMPARE(explorer.overlay()->barLabel(6), QStringLiteral("OT"));
}

void TestAttentionExplorer::opensAttentionFiles()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const explain::AttentionSet set = test::astSet();
    const QString path = dir.filePath(QStringLiteral("attn.h5"));
    const Status written = explain::writeAttentionFile(path, set);
    QVERIFY2(written.isOk(), qPrintable(messageOf(written)));
    // The explorer reads no file: it is given what explain::readAttentionFile read.
    AttentionExplorer explorer;
    Expected<explain::AttentionSet> opened = explain::readAttentionFile(path);
    QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().toString()));
    explorer.setAttention(std::move(*opened));
    QCOMPARE(explorer.model()->tokenCount(), 8);
    QCOMPARE(explorer.model()->attention()->layers[1].weights, set.layers[1].weights);
    QCOMPARE(explorer.overlay()->layout(), AttentionInputOverlay::Layout::Tiles);
    QCOMPARE(explorer.queryBox()->count(), 8);
    QCOMPARE(explorer.queryBox()->itemText(2), QStringLiteral("tile f[0,16) t[0,16)"));

    // A file that is not HDF5: an error naming it; the explorer, given nothing, keeps what it
    // showed.
    const QString broken = dir.filePath(QStringLiteral("broken.h5"));
    QFile file(broken);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("not an attention file\n");
    file.close();
    const Expected<explain::AttentionSet> failed = explain::readAttentionFile(broken);
    QVERIFY(!failed);
    QVERIFY2(failed.error().toString().contains(broken), qPrintable(failed.error().toString()));
    QCOMPARE(explorer.model()->tokenCount(), 8);
}

void TestAttentionExplorer::showsNonSquareCrossLayer()
{
    const explain::AttentionSet set = test::informerSet();
    AttentionExplorer explorer;
    explorer.resize(1200, 800);
    explorer.setAttention(set);
    explorer.setInputSeries(set.input, set.inputRows, set.inputCols, {"HUFL", "OT"});
    explorer.waitForDerived();
    explorer.show();
    QVERIFY(QTest::qWaitForWindowExposed(&explorer));

    // The layer chooser names the layers.
    QComboBox *layers = explorer.layerBox();
    QCOMPARE(layers->count(), 3);
    QCOMPARE(layers->itemText(0), QStringLiteral("encoder layer 0"));
    QCOMPARE(layers->itemText(1), QStringLiteral("encoder layer 1"));
    QCOMPARE(layers->itemText(2), QStringLiteral("decoder layer 0 cross-attention"));

    layers->setCurrentIndex(2);
    QCOMPARE(explorer.selection(), (AttentionSelection{AttentionMode::Head, 2, 0}));
    AttentionMapView *view = explorer.mapView();
    QCOMPARE(view->map().layer.get(), &explorer.model()->attention()->layers[2]);
    QCOMPARE(view->map().queries(), 6); // rows: the decoder's tokens
    QCOMPARE(view->map().keys(), 4);    // columns: the distilled encoder tokens
    QCOMPARE(view->queryLabels().size(), 6);
    QCOMPARE(view->queryLabels().front(), QStringLiteral("decoder step t-2"));
    QCOMPARE(view->queryLabels().back(), QStringLiteral("decoder step t+4"));
    QCOMPARE(view->keyLabels(),
             QStringList({"steps [0,2)", "steps [2,4)", "steps [4,6)", "steps [6,8)"}));

    // Square cells: the plot is 4 cells wide and 6 high, and each cell is where it belongs.
    const QRect plot = view->plotRect();
    QVERIFY(!plot.isEmpty());
    QVERIFY2(std::abs(plot.width() * 6 - plot.height() * 4) <= 6,
             qPrintable(QStringLiteral("%1 x %2").arg(plot.width()).arg(plot.height())));
    QVERIFY(plot.height() > plot.width());
    const QRectF last = view->cellRect(5, 3);
    QVERIFY(plot.adjusted(-1, -1, 1, 1).contains(last.toRect()));
    QCOMPARE(view->cellAt(last.center()), std::make_optional(std::pair{5, 3}));
    QCOMPARE(view->cellAt(view->cellRect(0, 0).center()), std::make_optional(std::pair{0, 0}));
    QCOMPARE(view->hoverText(5, 3), QStringLiteral("query decoder step t+4 → key steps [6,8): %1")
                                        .arg(set.layers[2].at(0, 5, 3), 0, 'f', 3));
    QVERIFY(view->rowLabelStep() >= 1);
    QVERIFY(view->columnLabelStep() >= 1);

    // The CSV: one row per decoder token, one column per key.
    const CsvTable table = explorer.csvTable();
    QCOMPARE(table.header.size(), 5);
    QCOMPARE(table.header[4], QStringLiteral("steps [6,8)"));
    QCOMPARE(table.rows.size(), 6);
    QCOMPARE(table.rows[3][0], QStringLiteral("decoder step t+2"));

    // The query box lists the decoder's tokens; the overlay shades the keys over the input.
    QCOMPARE(explorer.queryBox()->count(), 6);
    QCOMPARE(explorer.queryBox()->itemText(2), QStringLiteral("decoder step t+1"));
    QVERIFY(!explorer.queryIsInputToken());
    explorer.setQuery(4);
    QCOMPARE(explorer.query(), 4);
    QCOMPARE(view->selectedQuery(), 4);
    QCOMPARE(explorer.overlay()->tokens().size(), std::size_t(4));
    QCOMPARE(explorer.overlay()->layout(), AttentionInputOverlay::Layout::Series);
    QCOMPARE(explorer.overlay()->weights(), explain::queryRow(set.layers[2], 0, 4));
    // Key 3 covers steps [6, 8) of the 8-step input: the right quarter of the overlay's plot.
    const QRectF key = explorer.overlay()->keyRect(3);
    const QRect overlayPlot = explorer.overlay()->plotRect();
    QVERIFY(std::abs(key.left() - (overlayPlot.left() + 0.75 * overlayPlot.width())) < 2.0);

    // The grid: rows L0, L1, C0; the cross map's thumbnail is 4 wide and 6 high.
    QCOMPARE(explorer.grid()->rowLabel(1), QStringLiteral("L1"));
    QCOMPARE(explorer.grid()->rowLabel(2), QStringLiteral("C0"));
    QCOMPARE(explorer.grid()->thumbnail(2, 1).width, 4);
    QCOMPARE(explorer.grid()->thumbnail(2, 1).height, 6);

    // Back to the first encoder layer: the input's 8 tokens on both axes; query 4 is kept.
    layers->setCurrentIndex(0);
    QCOMPARE(view->map().queries(), 8);
    QCOMPARE(view->keyLabels().size(), 8);
    QCOMPARE(explorer.queryBox()->count(), 8);
    QCOMPARE(explorer.queryBox()->itemText(7), QStringLiteral("t7"));
    QCOMPARE(explorer.query(), 4);
    QVERIFY(explorer.queryIsInputToken());
    QCOMPARE(explorer.overlay()->tokens().size(), std::size_t(8));

    // The distilled layer: 4 x 4 over its own tokens; query 4 does not exist there.
    layers->setCurrentIndex(1);
    QCOMPARE(view->map().queries(), 4);
    QCOMPARE(view->queryLabels().front(), QStringLiteral("steps [0,2)"));
    QCOMPARE(explorer.query(), 3);
    QCOMPARE(explorer.overlay()->weights(), explain::queryRow(set.layers[1], 0, 3));
}

void TestAttentionExplorer::rolloutOnlyOverInputTokenLayers()
{
    const explain::AttentionSet set = test::informerSet();
    AttentionExplorer explorer;
    explorer.resize(1000, 700);
    explorer.setAttention(set);
    explorer.waitForDerived();
    AttentionModel *model = explorer.model();
    QCOMPARE(model->averagedLayers(), 1);

    // Rollout and layer average over encoder layer 0 only (the distilled layer and the cross map
    // attend over other tokens), over the input's tokens, and their title says so.
    explorer.setSelection({AttentionMode::Rollout, 2, 0});
    QCOMPARE(model->rolloutMap().queries(), 8);
    QCOMPARE(model->rolloutMap().layer->weights, explain::rollout(set.layers, 0).weights);
    QCOMPARE(explorer.mapView()->map().layer, model->rolloutMap().layer);
    QCOMPARE(explorer.queryBox()->count(), 8);
    const QString rollout = model->describe(explorer.selection());
    QVERIFY2(rollout.startsWith(QStringLiteral("rollout through 1 layer (encoder layer 0 of 3 "
                                               "layers")),
             qPrintable(rollout));
    explorer.setSelection({AttentionMode::LayerAverage, 0, 1});
    const AttentionMapRef average = model->map(explorer.selection());
    QVERIFY(average.isValid());
    QCOMPARE(average.layer->weights, set.layers[0].weights); // the mean of one layer
    QVERIFY(model->unavailableReason(explorer.selection()).isEmpty());

    // A set whose first layer has tokens of its own: no rollout, and the reason instead of
    // "computing".
    explain::AttentionSet distilledFirst = set;
    distilledFirst.layers.erase(distilledFirst.layers.begin());
    explorer.setAttention(distilledFirst);
    explorer.waitForDerived();
    QCOMPARE(model->averagedLayers(), 0);
    explorer.setSelection({AttentionMode::Rollout, 0, 0});
    QVERIFY(!model->rolloutMap().isValid());
    QVERIFY(!explorer.mapView()->map().isValid());
    QVERIFY(model->unavailableReason(explorer.selection()).contains(QStringLiteral("No rollout")));
    // The heads of its layers are still shown, each over its own tokens.
    explorer.setSelection({AttentionMode::Head, 1, 1});
    QCOMPARE(explorer.mapView()->map().queries(), 6);
    QCOMPARE(explorer.mapView()->map().keys(), 4);
}

QTEST_MAIN(TestAttentionExplorer)
#include "tst_attentionexplorer.moc"
