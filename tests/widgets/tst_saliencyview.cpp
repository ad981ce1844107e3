// The gradient x input heat map of the Explain tab: diverging colours around 0, the layout of
// series (channel 0 on top) and spectrograms (bin 0 at the bottom), bad sizes cleared.

#include "widgets/explain/SaliencyView.h"

#include <QtTest>

#include <cmath>
#include <limits>

using namespace twb;

class tst_SaliencyView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void divergingColours()
    {
        QCOMPARE(SaliencyView::colorOf(0.0f, 2.0f), qRgb(255, 255, 255));
        QCOMPARE(SaliencyView::colorOf(2.0f, 2.0f), qRgb(255, 40, 40));
        QCOMPARE(SaliencyView::colorOf(-2.0f, 2.0f), qRgb(40, 90, 255));
        QCOMPARE(SaliencyView::colorOf(5.0f, 2.0f), qRgb(255, 40, 40)); // clamped
        QCOMPARE(SaliencyView::colorOf(std::numeric_limits<float>::quiet_NaN(), 2.0f),
                 qRgb(255, 255, 255));
        QCOMPARE(SaliencyView::colorOf(1.0f, 0.0f), qRgb(255, 255, 255)); // all zero
        // Half way: between white and the full colour.
        const QColor half = QColor(SaliencyView::colorOf(1.0f, 2.0f));
        QCOMPARE(half.red(), 255);
        QVERIFY(half.green() > 40 && half.green() < 255);
    }

    void seriesLayout()
    {
        SaliencyView view;
        // 4 time steps x 2 channels, row-major [time, channels].
        view.setSaliency({1.0f, -2.0f, 0.0f, 0.5f, 0.0f, 0.0f, 2.0f, 0.0f}, 4, 2,
                         QStringLiteral("sum of the forecast of OT"), {"HUFL", "OT"});
        QVERIFY(view.hasSaliency());
        QCOMPARE(view.scale(), 2.0f);
        const QImage &image = view.heatImage();
        QCOMPARE(image.size(), QSize(4, 2)); // time across, channels down
        QCOMPARE(image.pixel(0, 0), SaliencyView::colorOf(1.0f, 2.0f));
        QCOMPARE(image.pixel(0, 1), qRgb(40, 90, 255));
        QCOMPARE(image.pixel(3, 0), qRgb(255, 40, 40));
        QCOMPARE(image.pixel(1, 1), SaliencyView::colorOf(0.5f, 2.0f));

        // Drawn: the plot leaves room for the channel names and shows the colours.
        view.resize(400, 120);
        const QImage shot = view.grab().toImage();
        const QRect plot = view.plotRect();
        QVERIFY(plot.left() > 20);
        const QColor topRight = shot.pixelColor(plot.right() - 5, plot.top() + plot.height() / 4);
        QVERIFY2(topRight.red() > 200 && topRight.green() < 100, qPrintable(topRight.name()));
    }

    void spectrogramLayoutPutsBinZeroAtTheBottom()
    {
        SaliencyView view;
        const int frames = 3, bins = 40;
        std::vector<float> values(std::size_t(frames * bins), 0.0f);
        values[0] = 1.0f; // frame 0, bin 0
        view.setSaliency(values, frames, bins, QStringLiteral("logit of class 'seven'"));
        const QImage &image = view.heatImage();
        QCOMPARE(image.size(), QSize(frames, bins));
        QCOMPARE(image.pixel(0, bins - 1), qRgb(255, 40, 40));
        QCOMPARE(image.pixel(0, 0), qRgb(255, 255, 255));
    }

    void wrongSizeClears()
    {
        SaliencyView view;
        view.setSaliency({1.0f, 2.0f}, 1, 2, QStringLiteral("x"));
        QVERIFY(view.hasSaliency());
        view.setSaliency({1.0f, 2.0f, 3.0f}, 2, 2, QStringLiteral("x"));
        QVERIFY(!view.hasSaliency());
        QVERIFY(view.heatImage().isNull());
        view.resize(300, 100);
        QVERIFY(!view.grab().isNull()); // paints its "not computed" line
    }
};

QTEST_MAIN(tst_SaliencyView)
#include "tst_saliencyview.moc"
