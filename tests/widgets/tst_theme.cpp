#include "render/ColorMap.h"
#include "widgets/common/SeriesChartView.h"
#include "widgets/common/Theme.h"
#include "widgets/data/ChannelHistogramView.h"
#include "widgets/forecast/ForecastView.h"
#include "widgets/training/RunsView.h"

#include <QApplication>
#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QLineSeries>
#include <QStyle>
#include <QTest>

using namespace twb;

namespace {

QPalette windowPalette(const QColor &window)
{
    QPalette p;
    p.setColor(QPalette::Window, window);
    return p;
}

/// HSL lightness of a brush; the mean over the stops of a gradient (chart themes use them).
int lightness(const QBrush &brush)
{
    if (const QGradient *gradient = brush.gradient(); gradient && !gradient->stops().isEmpty()) {
        int sum = 0;
        for (const QGradientStop &stop : gradient->stops())
            sum += stop.second.lightness();
        return sum / int(gradient->stops().size());
    }
    return brush.color().lightness();
}

bool chartIsDark(const QChart *chart)
{
    return chart->theme() == QChart::ChartThemeDark && lightness(chart->backgroundBrush()) < 128;
}

} // namespace

/// Dark palette detection and chart themes (the dark theme of issue 3).
class tst_Theme : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void detectsDarkPalettes();
    void chartThemeKeepsSeriesColours();
    void viewsFollowTheirPalette();
    void applicationSwitchesToDark();
};

void tst_Theme::detectsDarkPalettes()
{
    QVERIFY(systemPrefersDark(darkPalette()));
    QVERIFY(!systemPrefersDark(windowPalette(QColor(0xef, 0xef, 0xef)))); // Fusion light
    QVERIFY(systemPrefersDark(windowPalette(QColor(127, 127, 127))));
    QVERIFY(!systemPrefersDark(windowPalette(QColor(128, 128, 128))));
    QVERIFY(systemPrefersDark(windowPalette(QColor(0x30, 0x20, 0x60))));
    // The dark palette reads: light text on dark bases.
    const QPalette dark = darkPalette();
    QVERIFY(dark.color(QPalette::Base).lightness() < 64);
    QVERIFY(dark.color(QPalette::Text).lightness() > 200);
    QVERIFY(dark.color(QPalette::WindowText).lightness() > 200);
}

void tst_Theme::chartThemeKeepsSeriesColours()
{
    QChart chart;
    chart.setMargins(QMargins(4, 4, 8, 4));
    chart.setBackgroundRoundness(0);
    auto *blue = new QLineSeries;
    blue->setPen(QPen(QColor(0x4e79a7), 1.6));
    auto *navy = new QLineSeries; // too dark to read on a dark background
    navy->setPen(QPen(QColor(0x20, 0x20, 0x60), 1.0, Qt::DashLine));
    chart.addSeries(blue);
    chart.addSeries(navy);

    applyChartTheme(&chart, true);
    QVERIFY(chartIsDark(&chart));
    QCOMPARE(blue->pen().color(), QColor(0x4e79a7)); // legible already: unchanged
    QCOMPARE(blue->pen().widthF(), 1.6);
    const QColor lightened = navy->pen().color();
    QVERIFY2(lightened.lightness() >= 110, qPrintable(lightened.name()));
    QCOMPARE(lightened.hslHue(), QColor(0x20, 0x20, 0x60).hslHue()); // same colour family
    QCOMPARE(navy->pen().style(), Qt::DashLine);
    QCOMPARE(chart.margins(), QMargins(4, 4, 8, 4)); // the view's layout survives the theme
    QCOMPARE(chart.backgroundRoundness(), 0.0);

    applyChartTheme(&chart, false);
    QCOMPARE(chart.theme(), QChart::ChartThemeLight);
    QVERIFY(lightness(chart.backgroundBrush()) > 200);
    QCOMPARE(blue->pen().color(), QColor(0x4e79a7));
    QCOMPARE(navy->pen().color(), QColor(0x20, 0x20, 0x60)); // back to its own colour

    applyChartTheme(nullptr, true); // no crash
}

void tst_Theme::viewsFollowTheirPalette()
{
    auto data = std::make_shared<SeriesDataset>();
    data->channelNames = {QStringLiteral("a")};
    for (int r = 0; r < 50; ++r)
        data->values.push_back(float(r % 7));
    data->recountMissing();

    ChannelHistogramView histogram;
    histogram.setDataset(data, 0);
    SeriesChartView series;
    series.setDataset(data, {0});
    ForecastView forecast;
    RunsView runs;
    QCOMPARE(histogram.chart()->theme(), QChart::ChartThemeLight);
    const QList<QChart *> charts{histogram.chart(), series.chart(), forecast.chartView()->chart(),
                                 forecast.futureChartView()->chart(), runs.lossChart()->chart()};

    const QColor seriesColour = series.lines().value(0)->pen().color();
    const QList<QWidget *> widgets{&histogram, &series, &forecast, &runs};
    for (QWidget *w : widgets)
        w->setPalette(darkPalette());
    for (QChart *chart : charts)
        QVERIFY(chartIsDark(chart));
    QCOMPARE(series.lines().value(0)->pen().color(), seriesColour); // the channel's colour
    const auto *area = qobject_cast<QAreaSeries *>(histogram.chart()->series().value(0));
    QVERIFY(area);
    QCOMPARE(area->color(), QColor(0x4e, 0x79, 0xa7, 170));
    // Rebuilt content keeps the dark theme (axes and new series come after it).
    histogram.setChannel(0);
    QVERIFY(chartIsDark(histogram.chart()));

    for (QWidget *w : widgets)
        w->setPalette(windowPalette(QColor(0xef, 0xef, 0xef)));
    for (QChart *chart : charts)
        QCOMPARE(chart->theme(), QChart::ChartThemeLight);
}

void tst_Theme::applicationSwitchesToDark()
{
    const std::array<QRgb, 256> viridis = ColorMap::get(ColorMapKind::Viridis).table();
    QApplication::setPalette(windowPalette(QColor(0xef, 0xef, 0xef)));
    QVERIFY(!useDarkThemeIfPreferred()); // light system: nothing changes
    QVERIFY(!systemPrefersDark(QApplication::palette()));

    QApplication::setPalette(windowPalette(QColor(0x30, 0x30, 0x30))); // a dark system
    QVERIFY(useDarkThemeIfPreferred());
    QCOMPARE(QApplication::style()->name(), QStringLiteral("fusion"));
    QCOMPARE(QApplication::palette().color(QPalette::Base), darkPalette().color(QPalette::Base));
    // Charts created now come up dark; colour maps (spectrograms) do not follow the theme.
    SeriesChartView view;
    QVERIFY(chartIsDark(view.chart()));
    QCOMPARE(ColorMap::get(ColorMapKind::Viridis).table(), viridis);
}

QTEST_MAIN(tst_Theme)
#include "tst_theme.moc"
