#include "tst_attentionsets.h"
#include "widgets/explain/AttentionGrid.h"
#include "widgets/explain/AttentionModel.h"

#include <QSignalSpy>
#include <QTest>

using namespace twb;

class TestAttentionGrid : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void clickSelectsThumbnail_data();
    void clickSelectsThumbnail();
    void clickOutsideSelectsNothing();
    void thumbnailsHoldTheMaps();
    void largeMapsArePooledByBlockMaximum();
    void rolloutThumbnailArrivesFromTheWorker();
};

void TestAttentionGrid::clickSelectsThumbnail_data()
{
    QTest::addColumn<int>("layer");
    QTest::addColumn<int>("head");
    QTest::newRow("layer 0 head 0") << 0 << 0;
    QTest::newRow("layer 1 head 2") << 1 << 2;
    QTest::newRow("layer 1 head average") << 1 << -1;
    QTest::newRow("rollout") << -1 << -1;
}

void TestAttentionGrid::clickSelectsThumbnail()
{
    QFETCH(int, layer);
    QFETCH(int, head);
    AttentionModel model;
    model.setAttention(test::patchSet(2, 3));
    model.waitForDerived();
    AttentionGrid grid;
    grid.setModel(&model);
    grid.resize(500, 400);
    grid.show();
    QVERIFY(QTest::qWaitForWindowExposed(&grid));
    const QRect r = grid.thumbnailRect(layer, head);
    QVERIFY(!r.isEmpty());
    QSignalSpy spy(&grid, &AttentionGrid::selected);
    QTest::mouseClick(&grid, Qt::LeftButton, {}, r.center());
    QCOMPARE(spy.size(), 1);
    QCOMPARE(spy.at(0).at(0).toInt(), layer);
    QCOMPARE(spy.at(0).at(1).toInt(), head);
    QCOMPARE(grid.selectedLayer(), layer);
    QCOMPARE(grid.selectedHead(), head);
}

void TestAttentionGrid::clickOutsideSelectsNothing()
{
    AttentionModel model;
    model.setAttention(test::patchSet(2, 3));
    AttentionGrid grid;
    grid.setModel(&model);
    grid.resize(500, 400);
    grid.show();
    QVERIFY(QTest::qWaitForWindowExposed(&grid));
    QSignalSpy spy(&grid, &AttentionGrid::selected);
    QTest::mouseClick(&grid, Qt::LeftButton, {}, QPoint(2, 2)); // the layer-label margin
    QCOMPARE(spy.size(), 0);
    // Neighbouring thumbnails do not overlap.
    QVERIFY(!grid.thumbnailRect(0, 0).intersects(grid.thumbnailRect(0, 1)));
    QVERIFY(!grid.thumbnailRect(0, 2).intersects(grid.thumbnailRect(0, -1)));
    QVERIFY(!grid.thumbnailRect(1, 0).intersects(grid.thumbnailRect(-1, -1)));
    QVERIFY(grid.thumbnailRect(2, 0).isEmpty());
    QVERIFY(grid.thumbnailRect(0, 3).isEmpty());
}

void TestAttentionGrid::thumbnailsHoldTheMaps()
{
    const explain::AttentionSet set = test::patchSet(2, 3);
    AttentionModel model;
    model.setAttention(set);
    model.waitForDerived();
    AttentionGrid grid;
    grid.setModel(&model);
    // 11 tokens: one cell per value, exactly the head's weights.
    const PooledAttention &thumb = grid.thumbnail(1, 2);
    QCOMPARE(thumb.width, 11);
    QCOMPARE(thumb.height, 11);
    float max = 0.0f;
    for (int q = 0; q < 11; ++q)
        for (int k = 0; k < 11; ++k) {
            QCOMPARE(thumb.values[std::size_t(q * 11 + k)], set.layers[1].at(2, q, k));
            max = std::max(max, set.layers[1].at(2, q, k));
        }
    QCOMPARE(thumb.max, max);
    QCOMPARE(grid.thumbnail(0, -1).width, 11);
    QCOMPARE(grid.thumbnail(-1, -1).width, 11);
}

void TestAttentionGrid::largeMapsArePooledByBlockMaximum()
{
    // 300 tokens pool to 128 cells: cell c covers keys k with floor(k * 128 / 300) == c.
    explain::AttentionSet set;
    for (int i = 0; i < 300; ++i)
        set.tokens.push_back(TokenInfo{TokenInfo::Kind::TimeStep,
                                       QStringLiteral("t%1").arg(i).toStdString(), i, i + 1, -1, 0,
                                       0});
    set.layers = {test::stochasticLayer(1, 300, 0)};
    AttentionModel model;
    model.setAttention(set);
    AttentionGrid grid;
    grid.setModel(&model);
    const PooledAttention &thumb = grid.thumbnail(0, 0);
    QCOMPARE(thumb.width, 128);
    QCOMPARE(thumb.height, 128);
    // Cell (0, 1): queries 0..2 (q * 128 / 300 == 0 for q < 3), keys 3..4.
    float expected = 0.0f;
    for (int q = 0; q < 300; ++q)
        for (int k = 0; k < 300; ++k)
            if (q * 128 / 300 == 0 && k * 128 / 300 == 1)
                expected = std::max(expected, set.layers[0].at(0, q, k));
    QCOMPARE(thumb.values[1], expected);
}

void TestAttentionGrid::rolloutThumbnailArrivesFromTheWorker()
{
    AttentionModel model;
    AttentionGrid grid;
    grid.setModel(&model);
    model.setAttention(test::patchSet(2, 3));
    QTRY_VERIFY(model.rolloutReady());
    QCOMPARE(grid.thumbnail(-1, -1).width, 11);
    QCOMPARE(grid.thumbnail(1, -1).width, 11);
}

QTEST_MAIN(TestAttentionGrid)
#include "tst_attentiongrid.moc"
