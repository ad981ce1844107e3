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
    QCOMPARE(explorer.layerBox()->value(), 1);
    QCOMPARE(explorer.headBox()->value(), 2);
    QCOMPARE(explorer.modeBox()->currentIndex(), int(AttentionMode::Head));
    QCOMPARE(explorer.mapView()->map().layer.get(), &explorer.model()->attention()->layers[1]);
    QCOMPARE(explorer.mapView()->map().head, 2);

    QTest::mouseClick(grid, Qt::LeftButton, {}, grid->thumbnailRect(0, -1).center());
    QCOMPARE(explorer.selection().mode, AttentionMode::HeadAverage);
    QCOMPARE(explorer.layerBox()->value(), 0);
    QVERIFY(!explorer.headBox()->isEnabled());

    QTest::mouseClick(grid, Qt::LeftButton, {}, grid->thumbnailRect(-1, -1).center());
    QCOMPARE(explorer.selection().mode, AttentionMode::Rollout);
    QCOMPARE(explorer.modeBox()->currentIndex(), int(AttentionMode::Rollout));
    QCOMPARE(explorer.mapView()->map().layer, explorer.model()->rolloutMap().layer);

    explorer.modeBox()->setCurrentIndex(int(AttentionMode::Head));
    explorer.headBox()->setValue(1);
    explorer.layerBox()->setValue(1);
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

QTEST_MAIN(TestAttentionExplorer)
#include "tst_attentionexplorer.moc"
