#include "widgets/common/SeriesChartView.h"
#include "widgets/common/WallClock.h"

#include <QDateTimeAxis>
#include <QElapsedTimer>
#include <QKeyEvent>
#include <QLineSeries>
#include <QSignalSpy>
#include <QTest>
#include <QValueAxis>
#include <QWheelEvent>

#include <cmath>
#include <ctime>
#include <limits>

using namespace twb;

namespace {

const qint64 hourMs = 3600 * 1000;
const qint64 july2016 = 1467331200000; // 2016-07-01T00:00:00Z

/// `rows` x `channels`; channel c holds c * 100 + sin(t); optional hourly timestamps.
std::shared_ptr<SeriesDataset> makeData(std::int64_t rows, int channels, bool timestamps)
{
    auto data = std::make_shared<SeriesDataset>();
    for (int c = 0; c < channels; ++c)
        data->channelNames << QStringLiteral("ch%1").arg(c);
    data->values.resize(std::size_t(rows * channels));
    for (std::int64_t t = 0; t < rows; ++t)
        for (int c = 0; c < channels; ++c)
            data->values[std::size_t(t * channels + c)] = float(c * 100 + std::sin(t * 0.01));
    if (timestamps) {
        data->timeColumn = QStringLiteral("date");
        for (std::int64_t t = 0; t < rows; ++t)
            data->timestamps.push_back(july2016 + t * hourMs);
    }
    data->recountMissing();
    return data;
}

QString localText(const QDateTime &dt)
{
    return dt.toString(QStringLiteral("yyyy-MM-dd hh:mm"));
}

} // namespace

class tst_SeriesChartView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void wallClockRoundTrip_data();
    void wallClockRoundTrip();
    void emptyView();
    void timeAxisShowsWallClock();
    void rowAxisWithoutTimestamps();
    void unsortedTimestampsFallBackToRows();
    void visibleChannels();
    void decimatesLargeSeries();
    void zoomPanAndShowAll();
    void chartZoomIsClampedAndRedecimated();
    void wheelZooms();
    void yAxisFitsVisibleValues();
    void missingValuesAreBridged();
    void clearing();
    void linkedXAxesFollowEachOther();
    void linkedGroupSurvivesAMember();
    void timeLabelsTellTicksApart();

private:
    SeriesChartView *makeView();
};

void tst_SeriesChartView::initTestCase()
{
    // A zone with DST and a non-zero offset: the axis must still show the file's wall clock.
    qputenv("TZ", "Europe/Berlin");
    tzset();
}

SeriesChartView *tst_SeriesChartView::makeView()
{
    auto *view = new SeriesChartView;
    view->resize(900, 500);
    view->show();
    return view;
}

void tst_SeriesChartView::wallClockRoundTrip_data()
{
    QTest::addColumn<QString>("wall");
    QTest::newRow("summer (UTC+2)") << "2016-07-01T00:00:00";
    QTest::newRow("winter (UTC+1)") << "2017-01-15T12:30:00";
    QTest::newRow("just before the spring-forward gap") << "2017-03-26T01:59:00";
    QTest::newRow("after the autumn fall-back") << "2017-10-29T04:00:00";
}

void tst_SeriesChartView::wallClockRoundTrip()
{
    QFETCH(QString, wall);
    const QDateTime parsed = QDateTime::fromString(wall, Qt::ISODate);
    const QDateTime asUtc(parsed.date(), parsed.time(), Qt::UTC); // how loaders store it
    const double wallMs = double(asUtc.toMSecsSinceEpoch());
    const QDateTime axis = wallClockToDateTime(wallMs);
    QCOMPARE(axis.toString(QStringLiteral("yyyy-MM-ddThh:mm:ss")), wall);
    QCOMPARE(dateTimeToWallClock(axis), wallMs);
    QCOMPARE(axisToWallClock(wallClockToAxis(wallMs + 0.5)), wallMs + 0.5);
}

void tst_SeriesChartView::emptyView()
{
    std::unique_ptr<SeriesChartView> view(makeView());
    QVERIFY(!view->dataset());
    QVERIFY(view->lines().isEmpty());
    QVERIFY(view->chart()->axes().isEmpty());
    QVERIFY(!view->chart()->title().isEmpty()); // the hint how to open a file
    view->zoomX(2.0);                           // harmless without data
    view->showAll();
}

void tst_SeriesChartView::timeAxisShowsWallClock()
{
    std::unique_ptr<SeriesChartView> view(makeView());
    view->setDataset(makeData(48, 2, true), {0, 1});
    QVERIFY(view->hasTimeAxis());
    QVERIFY(view->chart()->title().isEmpty());
    auto *axis = qobject_cast<QDateTimeAxis *>(view->chart()->axes(Qt::Horizontal).value(0));
    QVERIFY(axis);
    QCOMPARE(axis->titleText(), QStringLiteral("date"));
    QCOMPARE(localText(axis->min()), QStringLiteral("2016-07-01 00:00"));
    QCOMPARE(localText(axis->max()), QStringLiteral("2016-07-02 23:00"));
    QCOMPARE(view->xRange(), qMakePair(double(july2016), double(july2016 + 47 * hourMs)));

    // Points sit where the axis labels them: the first point reads 2016-07-01 00:00.
    const QLineSeries *line = view->lines().value(0);
    QVERIFY(line);
    QCOMPARE(line->count(), 48);
    QCOMPARE(localText(QDateTime::fromMSecsSinceEpoch(qint64(line->at(0).x()))),
             QStringLiteral("2016-07-01 00:00"));
}

void tst_SeriesChartView::rowAxisWithoutTimestamps()
{
    std::unique_ptr<SeriesChartView> view(makeView());
    view->setDataset(makeData(100, 1, false), {0});
    QVERIFY(!view->hasTimeAxis());
    auto *axis = qobject_cast<QValueAxis *>(view->chart()->axes(Qt::Horizontal).value(0));
    QVERIFY(axis);
    QCOMPARE(axis->min(), 0.0);
    QCOMPARE(axis->max(), 99.0);
    QCOMPARE(view->lines().value(0)->count(), 100);
    QCOMPARE(view->lines().value(0)->at(5).x(), 5.0);
}

void tst_SeriesChartView::unsortedTimestampsFallBackToRows()
{
    auto data = makeData(10, 1, true);
    std::swap(data->timestamps[3], data->timestamps[4]);
    std::unique_ptr<SeriesChartView> view(makeView());
    view->setDataset(data, {0});
    QVERIFY(!view->hasTimeAxis());
    QCOMPARE(view->xRange(), qMakePair(0.0, 9.0));
}

void tst_SeriesChartView::visibleChannels()
{
    std::unique_ptr<SeriesChartView> view(makeView());
    view->setDataset(makeData(50, 4, false), {3, 1});
    QCOMPARE(view->visibleChannels(), (QList<int>{3, 1}));
    QCOMPARE(view->lines().size(), 2);
    QCOMPARE(view->lines()[0]->name(), QStringLiteral("ch3"));
    QCOMPARE(view->lines()[1]->name(), QStringLiteral("ch1"));

    view->setVisibleChannels({0, 9, -1, 0, 2}); // invalid and repeated entries are dropped
    QCOMPARE(view->visibleChannels(), (QList<int>{0, 2}));
    QCOMPARE(view->chart()->series().size(), 2);
    QVERIFY(view->chart()->legend()->isVisible());

    view->setVisibleChannels({});
    QVERIFY(view->lines().isEmpty());
    QVERIFY(!view->chart()->legend()->isVisible());
}

void tst_SeriesChartView::decimatesLargeSeries()
{
    std::unique_ptr<SeriesChartView> view(makeView());
    QVERIFY(QTest::qWaitForWindowExposed(view.get()));
    const auto data = makeData(1'000'000, 2, true);
    QElapsedTimer timer;
    timer.start();
    view->setDataset(data, {0, 1});
    const qint64 setMs = timer.restart();
    view->zoomX(1.25);
    const qint64 zoomMs = timer.elapsed();
    qInfo("1M rows x 2 channels: setDataset %lld ms, zoom (re-decimate) %lld ms", setMs, zoomMs);
    view->showAll();
    const int columns = view->decimationColumns();
    QVERIFY(columns > 100 && columns < 900);
    for (const QLineSeries *line : view->lines())
        QVERIFY2(line->count() <= 2 * columns + 2 && line->count() >= columns,
                 qPrintable(QString::number(line->count())));

    // Zoomed into 1000 rows there is less than 2 points per column: every sample is drawn.
    view->setXRange(double(july2016), double(july2016 + 999 * hourMs));
    QCOMPARE(view->lines()[0]->count(), 1001); // the range plus the right neighbour
}

void tst_SeriesChartView::zoomPanAndShowAll()
{
    std::unique_ptr<SeriesChartView> view(makeView());
    view->setDataset(makeData(1001, 1, false), {0});
    QSignalSpy spy(view.get(), &SeriesChartView::xRangeChanged);

    view->zoomX(4.0, 0.5);
    QCOMPARE(view->xRange(), qMakePair(375.0, 625.0));
    QCOMPARE(spy.size(), 1);
    view->panX(0.4);
    QCOMPARE(view->xRange(), qMakePair(475.0, 725.0));
    view->panX(10.0); // clamped at the end of the data
    QCOMPARE(view->xRange(), qMakePair(750.0, 1000.0));
    view->zoomX(0.01); // never wider than the data
    QCOMPARE(view->xRange(), qMakePair(0.0, 1000.0));
    view->setXRange(500.0, 500.0); // never narrower than four samples
    QCOMPARE(view->xRange(), qMakePair(498.0, 502.0));
    view->showAll();
    QCOMPARE(view->xRange(), view->fullXRange());

    auto *axis = qobject_cast<QValueAxis *>(view->chart()->axes(Qt::Horizontal).value(0));
    QCOMPARE(axis->min(), 0.0);
    QCOMPARE(axis->max(), 1000.0);
}

void tst_SeriesChartView::chartZoomIsClampedAndRedecimated()
{
    std::unique_ptr<SeriesChartView> view(makeView());
    QVERIFY(QTest::qWaitForWindowExposed(view.get()));
    view->setDataset(makeData(200'000, 1, false), {0});
    QSignalSpy spy(view.get(), &SeriesChartView::xRangeChanged);

    // What the rubber band does: QChart zooms its axes, the view follows.
    const QRectF area = view->chart()->plotArea();
    view->chart()->zoomIn(
        QRectF(area.left() + area.width() / 4, area.top(), area.width() / 2, area.height()));
    QVERIFY(spy.size() >= 1);
    const auto [x0, x1] = view->xRange();
    QVERIFY2(std::abs(x0 - 50'000) < 500 && std::abs(x1 - 150'000) < 500,
             qPrintable(QStringLiteral("%1 %2").arg(x0).arg(x1)));
    const QLineSeries *line = view->lines().value(0);
    QVERIFY(line->count() <= 2 * view->decimationColumns() + 2);
    QVERIFY(line->at(1).x() >= x0 && line->at(line->count() - 2).x() <= x1);

    // Zooming out past the data (right click) stops at the data.
    view->chart()->zoomOut();
    view->chart()->zoomOut();
    QCOMPARE(view->xRange(), view->fullXRange());
}

void tst_SeriesChartView::wheelZooms()
{
    std::unique_ptr<SeriesChartView> view(makeView());
    QVERIFY(QTest::qWaitForWindowExposed(view.get()));
    view->setDataset(makeData(10'000, 1, false), {0});
    const QPointF centre = view->chart()->plotArea().center();
    QWheelEvent wheel(centre, view->mapToGlobal(centre.toPoint()), QPoint(), QPoint(0, 120),
                      Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(view->viewport(), &wheel);
    const auto [x0, x1] = view->xRange();
    QVERIFY(std::abs((x1 - x0) - 9999.0 / 1.25) < 1e-6);
    QVERIFY(std::abs((x0 + x1) / 2 - 4999.5) < 20); // around the cursor
}

void tst_SeriesChartView::yAxisFitsVisibleValues()
{
    std::unique_ptr<SeriesChartView> view(makeView());
    auto data = makeData(1000, 1, false);
    for (std::size_t i = 0; i < 1000; ++i)
        data->values[i] = float(i); // a ramp 0..999
    view->setDataset(data, {0});
    auto *y = qobject_cast<QValueAxis *>(view->chart()->axes(Qt::Vertical).value(0));
    QVERIFY(y);
    QVERIFY(y->min() <= 0.0 && y->max() >= 999.0);
    view->setXRange(100.0, 200.0);
    // Nice numbers round outwards, but the axis now spans the visible 100..200, not 0..999.
    QVERIFY2(y->min() <= 100.0 && y->min() >= 0.0, qPrintable(QString::number(y->min())));
    QVERIFY2(y->max() >= 200.0 && y->max() <= 300.0, qPrintable(QString::number(y->max())));
    // Ticks sit at multiples of a round interval.
    QCOMPARE(y->tickType(), QValueAxis::TicksDynamic);
    QVERIFY(QList<double>({10.0, 20.0, 25.0, 50.0}).contains(y->tickInterval()));
    QCOMPARE(std::fmod(y->min(), y->tickInterval()), 0.0);
    QCOMPARE(std::fmod(y->max(), y->tickInterval()), 0.0);
}

void tst_SeriesChartView::missingValuesAreBridged()
{
    auto data = makeData(100, 2, false);
    const float missingValue = std::numeric_limits<float>::quiet_NaN();
    for (std::size_t t = 0; t < 100; ++t)
        data->values[t * 2 + 1] = missingValue; // channel 1 entirely missing
    data->values[10 * 2] = missingValue;        // one gap in channel 0
    data->recountMissing();
    std::unique_ptr<SeriesChartView> view(makeView());
    view->setDataset(data, {0, 1});
    QCOMPARE(view->lines()[0]->count(), 99);
    QCOMPARE(view->lines()[1]->count(), 0);
    for (const QPointF &p : view->lines()[0]->points())
        QVERIFY(std::isfinite(p.y()));
}

void tst_SeriesChartView::clearing()
{
    std::unique_ptr<SeriesChartView> view(makeView());
    view->setDataset(makeData(100, 2, true), {0, 1});
    view->setDataset(nullptr, {0});
    QVERIFY(!view->dataset());
    QVERIFY(view->lines().isEmpty());
    QVERIFY(view->chart()->series().isEmpty());
    QVERIFY(view->chart()->axes().isEmpty());
    QVERIFY(!view->chart()->title().isEmpty());
}

void tst_SeriesChartView::linkedXAxesFollowEachOther()
{
    std::unique_ptr<SeriesChartView> top(makeView());
    std::unique_ptr<SeriesChartView> bottom(makeView());
    QVERIFY(QTest::qWaitForWindowExposed(top.get()));
    const auto data = makeData(1001, 2, false);
    top->setDataset(data, {0});
    bottom->setDataset(data, {1});
    top->zoomX(2.0, 0.5); // before linking: independent
    QCOMPARE(bottom->xRange(), qMakePair(0.0, 1000.0));

    top->linkXAxis(bottom.get()); // the other takes this view's range
    QCOMPARE(bottom->xRange(), qMakePair(250.0, 750.0));
    QCOMPARE(top->linkedViews(), QList<SeriesChartView *>{bottom.get()});
    QCOMPARE(bottom->linkedViews(), QList<SeriesChartView *>{top.get()});
    top->linkXAxis(bottom.get()); // twice: nothing changes
    top->linkXAxis(top.get());
    QCOMPARE(top->linkedViews().size(), 1);

    QSignalSpy topSpy(top.get(), &SeriesChartView::xRangeChanged);
    QSignalSpy bottomSpy(bottom.get(), &SeriesChartView::xRangeChanged);
    bottom->zoomX(2.0, 0.5);
    QCOMPARE(top->xRange(), qMakePair(375.0, 625.0));
    bottom->panX(0.4);
    QCOMPARE(top->xRange(), qMakePair(475.0, 725.0));
    QCOMPARE(topSpy.size(), 2); // once per change, no echo
    QCOMPARE(bottomSpy.size(), 2);
    const QList<QVariant> last = topSpy.last();
    QCOMPARE(last.at(0).toDouble(), 475.0);
    QCOMPARE(last.at(1).toDouble(), 725.0);

    // Mouse and keyboard on one view move the other: rubber band, Home.
    const QRectF area = top->chart()->plotArea();
    top->chart()->zoomIn(
        QRectF(area.left() + area.width() / 4, area.top(), area.width() / 2, area.height()));
    QCOMPARE(bottom->xRange(), top->xRange());
    QVERIFY(top->xRange().second - top->xRange().first < 200.0);
    QTest::keyClick(bottom.get(), Qt::Key_Home);
    QCOMPARE(top->xRange(), qMakePair(0.0, 1000.0));
    // The bottom view's points follow too (re-decimated for the new range).
    top->setXRange(100.0, 200.0);
    const QLineSeries *line = bottom->lines().value(0);
    QVERIFY(line && line->count() > 0);
    QVERIFY(line->at(1).x() >= 100.0 && line->at(line->count() - 2).x() <= 200.0);

    // Shorter data in a linked view: it clamps to its own data and does not push back.
    std::unique_ptr<SeriesChartView> shorter(makeView());
    shorter->setDataset(makeData(501, 1, false), {0});
    top->setXRange(475.0, 725.0);
    bottom->linkXAxis(shorter.get());
    QCOMPARE(shorter->xRange(), qMakePair(250.0, 500.0));
    QCOMPARE(top->xRange(), qMakePair(475.0, 725.0));
    QCOMPARE(bottom->xRange(), qMakePair(475.0, 725.0));

    bottom->unlinkXAxis();
    QVERIFY(bottom->linkedViews().isEmpty());
    top->zoomX(2.0);
    QCOMPARE(bottom->xRange(), qMakePair(475.0, 725.0)); // no longer follows
}

void tst_SeriesChartView::linkedGroupSurvivesAMember()
{
    std::unique_ptr<SeriesChartView> a(makeView());
    auto middle = std::make_unique<SeriesChartView>();
    std::unique_ptr<SeriesChartView> c(makeView());
    const auto data = makeData(1001, 1, true);
    for (SeriesChartView *v : {a.get(), middle.get(), c.get()})
        v->setDataset(data, {0});
    a->linkXAxis(middle.get());
    middle->linkXAxis(c.get()); // a chain: a - middle - c is one group
    QCOMPARE(a->linkedViews().size(), 2);
    const auto [t0, t1] = a->fullXRange();
    a->setXRange(t0 + 100 * hourMs, t0 + 300 * hourMs); // time axes link in wall-clock ms
    QCOMPARE(c->xRange(), qMakePair(t0 + 100.0 * hourMs, t0 + 300.0 * hourMs));
    Q_UNUSED(t1);

    middle.reset(); // destroyed: a and c stay linked
    QCOMPARE(a->linkedViews(), QList<SeriesChartView *>{c.get()});
    c->panX(-0.5);
    QCOMPARE(a->xRange(), qMakePair(t0 + 0.0 * hourMs, t0 + 200.0 * hourMs));
}

void tst_SeriesChartView::timeLabelsTellTicksApart()
{
    std::unique_ptr<SeriesChartView> view(makeView());
    QVERIFY(QTest::qWaitForWindowExposed(view.get()));
    view->setDataset(makeData(2 * 365 * 24, 1, true), {0}); // two years, hourly
    auto *axis = qobject_cast<QDateTimeAxis *>(view->chart()->axes(Qt::Horizontal).value(0));
    QVERIFY(axis);
    QVERIFY(axis->tickCount() >= 3);
    QCOMPARE(axis->format(), QStringLiteral("yyyy-MM")); // ticks about 3 months apart
    view->zoomX(8.0); // about 90 days: ticks days apart, months would repeat
    QCOMPARE(axis->format(), QStringLiteral("yyyy-MM-dd"));
    QStringList labels;
    const auto [x0, x1] = view->xRange();
    for (int i = 0; i < axis->tickCount(); ++i)
        labels << wallClockToDateTime(x0 + (x1 - x0) * i / (axis->tickCount() - 1))
                      .toString(axis->format());
    labels.removeDuplicates();
    QCOMPARE(labels.size(), axis->tickCount());
    view->zoomX(40.0); // about 2 days
    QCOMPARE(axis->format(), QStringLiteral("MM-dd hh:mm"));
}

QTEST_MAIN(tst_SeriesChartView)
#include "tst_serieschartview.moc"
