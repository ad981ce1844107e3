// The lessons' frame around a widget: follows it, is clipped by a scroll area, hides with its
// tab, lets the mouse through, and goes when cleared.

#include "widgets/common/WidgetHighlight.h"

#include <QLabel>
#include <QPointer>
#include <QScrollArea>
#include <QTabWidget>
#include <QTest>
#include <QVBoxLayout>

using namespace twb;

class tst_WidgetHighlight : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void framesTheTargetAndFollowsIt();
    void clippedByAScrollArea();
    void hidesWithItsTabAndComesBack();
    void clearRemovesIt();
};

void tst_WidgetHighlight::framesTheTargetAndFollowsIt()
{
    QWidget window;
    window.resize(400, 300);
    auto *target = new QLabel(QStringLiteral("look here"), &window);
    target->setGeometry(50, 40, 120, 30);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    WidgetHighlight *frame = WidgetHighlight::highlight(target);
    QVERIFY(frame);
    QCOMPARE(WidgetHighlight::current(&window), frame);
    QCOMPARE(frame->target(), target);
    const int m = WidgetHighlight::PenWidth;
    QTRY_COMPARE(frame->frameRect(), QRect(50 - m, 40 - m, 120 + 2 * m, 30 + 2 * m));
    QVERIFY(frame->testAttribute(Qt::WA_TransparentForMouseEvents));
    target->setGeometry(100, 100, 60, 20);
    QTRY_COMPARE(frame->frameRect(), QRect(100 - m, 100 - m, 60 + 2 * m, 20 + 2 * m));
    // A second call reuses the frame for another target.
    auto *other = new QLabel(QStringLiteral("now here"), &window);
    other->setGeometry(10, 200, 80, 20);
    other->show();
    QCOMPARE(WidgetHighlight::highlight(other), frame);
    QTRY_COMPARE(frame->frameRect(), QRect(10 - m, 200 - m, 80 + 2 * m, 20 + 2 * m));
}

void tst_WidgetHighlight::clippedByAScrollArea()
{
    QWidget window;
    window.resize(300, 200);
    auto *area = new QScrollArea(&window);
    area->setGeometry(0, 0, 300, 200);
    auto *big = new QLabel(QStringLiteral("a tall view"));
    big->setMinimumSize(250, 1000);
    area->setWidget(big);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    WidgetHighlight *frame = WidgetHighlight::highlight(big);
    // Framed where it shows: inside the viewport, not the 1000 px of the whole view.
    const QRect viewport(area->viewport()->mapTo(&window, QPoint(0, 0)), area->viewport()->size());
    QTRY_VERIFY(!frame->frameRect().isEmpty());
    QVERIFY(frame->frameRect().height() <= viewport.height() + 2 * WidgetHighlight::PenWidth);
    QCOMPARE(WidgetHighlight::visibleRect(big, &window),
             viewport & QRect(big->mapTo(&window, QPoint(0, 0)), big->size()));
}

void tst_WidgetHighlight::hidesWithItsTabAndComesBack()
{
    QTabWidget tabs;
    tabs.resize(400, 300);
    auto *first = new QWidget;
    auto *target = new QLabel(QStringLiteral("on the second tab"));
    auto *second = new QWidget;
    (new QVBoxLayout(second))->addWidget(target);
    tabs.addTab(first, QStringLiteral("One"));
    tabs.addTab(second, QStringLiteral("Two"));
    tabs.setCurrentIndex(1);
    tabs.show();
    QVERIFY(QTest::qWaitForWindowExposed(&tabs));
    WidgetHighlight *frame = WidgetHighlight::highlight(target);
    QTRY_VERIFY(frame->isVisible());
    tabs.setCurrentIndex(0);
    QTRY_VERIFY(!frame->isVisible());
    QCOMPARE(frame->frameRect(), QRect());
    tabs.setCurrentIndex(1);
    QTRY_VERIFY(frame->isVisible());
}

void tst_WidgetHighlight::clearRemovesIt()
{
    QWidget window;
    auto *target = new QLabel(QStringLiteral("x"), &window);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QPointer<WidgetHighlight> frame = WidgetHighlight::highlight(target);
    WidgetHighlight::clear(&window);
    QVERIFY(!WidgetHighlight::current(&window));
    QTRY_VERIFY(frame.isNull());
    QVERIFY(!WidgetHighlight::highlight(nullptr));
}

QTEST_MAIN(tst_WidgetHighlight)
#include "tst_widgethighlight.moc"
