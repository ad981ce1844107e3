#include "data/DatasetLoader.h"
#include "data/Split.h"
#include "widgets/common/SeriesChartView.h"
#include "widgets/common/ViewExporter.h"

#include <QDir>
#include <QLineSeries>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace twb;

namespace {

/// 100 rows without timestamps: channel "up" = row, "down" = -row (row 7 missing).
std::shared_ptr<SeriesDataset> makeData()
{
    auto data = std::make_shared<SeriesDataset>();
    data->channelNames = {QStringLiteral("up"), QStringLiteral("down")};
    for (int r = 0; r < 100; ++r)
        data->values.insert(data->values.end(), {float(r), r == 7 ? std::nanf("") : -float(r)});
    data->recountMissing();
    return data;
}

/// True if some pixel of column x (+-1) in the plot's middle height has the border purple.
bool hasBorderAt(const QImage &image, int x)
{
    for (int dx = -1; dx <= 1; ++dx)
        for (int y = image.height() / 3; y < 2 * image.height() / 3; ++y) {
            const QColor c = image.pixelColor(std::clamp(x + dx, 0, image.width() - 1), y);
            if (std::abs(c.red() - 0x9c) < 30 && std::abs(c.green() - 0x27) < 30 &&
                std::abs(c.blue() - 0xb0) < 30)
                return true;
        }
    return false;
}

} // namespace

class tst_SeriesChartOverlays : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bordersAreStoredAndClamped();
    void bordersAreDrawnWhereTheRowsAre();
    void etth1SplitBorders();
    void cursorReadOut();
    void mouseMoveEmitsTheRowUnderTheCursor();
    void partLabelsFollowTheirBorders();
    void partLabelsAreDrawn();
    void csvHoldsTheVisibleRowsAtFullResolution();
};

void tst_SeriesChartOverlays::bordersAreStoredAndClamped()
{
    SeriesChartView view;
    view.setDataset(makeData(), {0});
    view.setSplitBorders({70, 20, -1, 100, 101, 20});
    QCOMPARE(view.splitBorders(), (QList<qint64>{20, 70, 100}));
    view.setSplitBorders({});
    QVERIFY(view.splitBorders().isEmpty());
}

void tst_SeriesChartOverlays::bordersAreDrawnWhereTheRowsAre()
{
    SeriesChartView view;
    view.resize(800, 400);
    view.setDataset(makeData(), {0});
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QLineSeries *line = view.lines().value(0);
    QVERIFY(line);
    auto columnOf = [&](double row) {
        const QPointF scene = view.chart()->mapToScene(
            view.chart()->mapToPosition(QPointF(row, 0.0), const_cast<QLineSeries *>(line)));
        return qRound(view.mapFromScene(scene).x() * view.devicePixelRatioF());
    };

    QImage before = view.grab().toImage();
    QVERIFY(!hasBorderAt(before, columnOf(30)));
    view.setSplitBorders({30, 60});
    const QImage after = view.grab().toImage();
    QVERIFY(hasBorderAt(after, columnOf(30)));
    QVERIFY(hasBorderAt(after, columnOf(60)));
    QVERIFY(!hasBorderAt(after, columnOf(45)));

    // Zoomed into rows 40..90 the border at 30 is outside the plot, 60 moves with the axis.
    view.setXRange(40, 90);
    const QImage zoomed = view.grab().toImage();
    QVERIFY(hasBorderAt(zoomed, columnOf(60)));
    QVERIFY(!hasBorderAt(zoomed, columnOf(45)));
}

void tst_SeriesChartOverlays::etth1SplitBorders()
{
    const QString path = QDir(QStringLiteral(TWB_SHARED_DATA_DIR)).filePath("ett/ETTh1.csv");
    if (!QFile::exists(path))
        QSKIP(qPrintable(QStringLiteral("%1 not found").arg(path)));
    Expected<SeriesDataset> loaded = loadSeries(path);
    QVERIFY(loaded);
    auto data = std::make_shared<SeriesDataset>(std::move(*loaded));
    const SplitBorders b = ettHourSplit(data->rows());
    SeriesChartView view;
    view.resize(1000, 400);
    view.setDataset(data, {int(data->channels()) - 1});
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setSplitBorders({b.trainEnd, b.valEnd, b.testEnd});
    QCOMPARE(view.splitBorders(), (QList<qint64>{8640, 11520, 14400}));
    // Time axis: the read-out names the wall-clock time of the border row (12 months of 30 days).
    QVERIFY(view.hasTimeAxis());
    QVERIFY2(view.cursorText(double(data->timestamps[8640]))
                 .startsWith(QStringLiteral("2017-06-26 00:00:00   OT ")),
             qPrintable(view.cursorText(double(data->timestamps[8640]))));
}

void tst_SeriesChartOverlays::cursorReadOut()
{
    SeriesChartView view;
    QCOMPARE(view.rowAt(3.0), -1);
    QVERIFY(view.cursorText(3.0).isEmpty());
    view.setDataset(makeData(), {0, 1});
    QCOMPARE(view.rowAt(3.4), 3);
    QCOMPARE(view.rowAt(3.6), 4);
    QCOMPARE(view.rowAt(-10.0), 0);
    QCOMPARE(view.rowAt(1e9), 99);
    QCOMPARE(view.cursorText(41.2), QStringLiteral("row 41   up 41   down -41"));
    QCOMPARE(view.cursorText(7.0), QStringLiteral("row 7   up 7   down missing"));
}

void tst_SeriesChartOverlays::mouseMoveEmitsTheRowUnderTheCursor()
{
    SeriesChartView view;
    view.resize(800, 400);
    view.setDataset(makeData(), {0});
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy moved(&view, &SeriesChartView::cursorMoved);
    QLineSeries *line = view.lines().value(0);
    const QPointF scene =
        view.chart()->mapToScene(view.chart()->mapToPosition(QPointF(25.0, 10.0), line));
    QTest::mouseMove(view.viewport(), view.mapFromScene(scene));
    QTRY_VERIFY(moved.count() >= 1);
    const QList<QVariant> last = moved.last();
    QVERIFY(std::abs(last.at(0).toLongLong() - 25) <= 1); // one pixel is less than a row here
    QVERIFY(last.at(1).toString().startsWith(QStringLiteral("row 2")));
}

void tst_SeriesChartOverlays::partLabelsFollowTheirBorders()
{
    SeriesChartView view;
    view.setDataset(makeData(), {0});
    // Unsorted, one border out of range: each kept border keeps the name of the part it ends.
    view.setSplitBorders({70, 20, 150}, {"validation", "train", "dropped", "test"});
    QCOMPARE(view.splitBorders(), (QList<qint64>{20, 70}));
    QCOMPARE(view.splitLabels(), (QStringList{"train", "validation", "test"}));
    view.setSplitBorders({20, 70});
    QVERIFY(view.splitLabels().isEmpty());
}

void tst_SeriesChartOverlays::partLabelsAreDrawn()
{
    SeriesChartView view;
    view.resize(800, 400);
    view.setDataset(makeData(), {0});
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setSplitBorders({50});
    const QImage unnamed = view.grab().toImage();
    view.setSplitBorders({50}, {"train", "test"});
    const QImage named = view.grab().toImage();
    // The names are written in the border colour near the bottom of the plot.
    const QRect plot =
        view.mapFromScene(view.chart()->mapRectToScene(view.chart()->plotArea())).boundingRect();
    auto purplePixels = [&](const QImage &image) {
        int count = 0;
        const qreal ratio = view.devicePixelRatioF();
        for (int y = int((plot.bottom() - 25) * ratio); y < int(plot.bottom() * ratio); ++y)
            for (int x = int(plot.left() * ratio); x < int(plot.right() * ratio); ++x) {
                const QColor c = image.pixelColor(x, y);
                count += std::abs(c.red() - 0x9c) < 40 && std::abs(c.green() - 0x27) < 40 &&
                         std::abs(c.blue() - 0xb0) < 40;
            }
        return count;
    };
    QVERIFY2(
        purplePixels(named) > purplePixels(unnamed) + 20,
        qPrintable(QStringLiteral("%1 vs %2").arg(purplePixels(named)).arg(purplePixels(unnamed))));
}

void tst_SeriesChartOverlays::csvHoldsTheVisibleRowsAtFullResolution()
{
    SeriesChartView view;
    QVERIFY(view.csvTable().header.isEmpty());
    view.resize(800, 400);
    view.setDataset(makeData(), {1, 0});
    view.setSplitBorders({5, 9}, {"train", "validation", "test"});
    view.setXRange(4.0, 10.0);
    const CsvTable table = view.csvTable();
    QCOMPARE(table.header, (QStringList{"row", "down", "up", "part"}));
    QCOMPARE(table.rows.size(), 7); // rows 4..10, every one
    QCOMPARE(table.rows.first(), (QStringList{"4", "-4", "4", "train"}));
    QCOMPARE(table.rows[1], (QStringList{"5", "-5", "5", "validation"}));
    QCOMPARE(table.rows[3], (QStringList{"7", "nan", "7", "validation"}));
    QCOMPARE(table.rows[5], (QStringList{"9", "-9", "9", "test"}));
}

QTEST_MAIN(tst_SeriesChartOverlays)
#include "tst_serieschartoverlays.moc"
