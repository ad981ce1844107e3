#include "Theme.h"

#include <QAbstractSeries>
#include <QApplication>
#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QStyleFactory>
#include <QVariant>
#include <QXYSeries>

#include <vector>

namespace twb {

namespace {

constexpr int darkLightness = 128; ///< HSL lightness below which a window colour is dark
constexpr int legibleOnDark = 110; ///< series colours below this are lightened on dark charts

QColor legible(QColor color, bool dark)
{
    if (!dark || !color.isValid() || color.alpha() == 0)
        return color;
    while (color.lightness() < legibleOnDark) {
        const QColor lighter = color.lighter(130);
        if (lighter == color || lighter.lightness() <= color.lightness())
            return QColor::fromHsl(color.hslHue(), color.hslSaturation(), legibleOnDark,
                                   color.alpha());
        color = lighter;
    }
    return color;
}

/// What a theme change overwrites on a series, to put back afterwards.
struct SeriesLook
{
    QAbstractSeries *series = nullptr;
    QPen pen;
    QBrush brush;
};

const char penColorKey[] = "twbOwnPenColor";
const char brushColorKey[] = "twbOwnBrushColor";

/// The series' pen and brush, with the colours it had before any dark theme lightened them
/// (kept in dynamic properties, so switching back to light restores them exactly).
SeriesLook lookOf(QAbstractSeries *series)
{
    SeriesLook look{series, {}, {}};
    if (auto *xy = qobject_cast<QXYSeries *>(series)) {
        look.pen = xy->pen();
        look.brush = xy->brush();
    } else if (auto *area = qobject_cast<QAreaSeries *>(series)) {
        look.pen = area->pen();
        look.brush = area->brush();
    }
    const QVariant pen = series->property(penColorKey);
    const QVariant brush = series->property(brushColorKey);
    if (pen.isValid() && legible(pen.value<QColor>(), true) == look.pen.color())
        look.pen.setColor(pen.value<QColor>());
    if (brush.isValid() && legible(brush.value<QColor>(), true) == look.brush.color())
        look.brush.setColor(brush.value<QColor>());
    series->setProperty(penColorKey, look.pen.color());
    series->setProperty(brushColorKey, look.brush.color());
    return look;
}

void restore(const SeriesLook &look, bool dark)
{
    QPen pen = look.pen;
    pen.setColor(legible(pen.color(), dark));
    QBrush brush = look.brush;
    if (brush.style() != Qt::NoBrush)
        brush.setColor(legible(brush.color(), dark));
    if (auto *xy = qobject_cast<QXYSeries *>(look.series)) {
        xy->setPen(pen);
        xy->setBrush(brush);
    } else if (auto *area = qobject_cast<QAreaSeries *>(look.series)) {
        area->setPen(pen);
        area->setBrush(brush);
    }
}

class PaletteFollower : public QObject
{
public:
    explicit PaletteFollower(QChartView *view)
        : QObject(view)
        , m_view(view)
    {
        view->installEventFilter(this);
        apply();
    }

    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched == m_view && (event->type() == QEvent::PaletteChange ||
                                  event->type() == QEvent::ApplicationPaletteChange))
            apply();
        return QObject::eventFilter(watched, event);
    }

private:
    void apply()
    {
        const bool dark = systemPrefersDark(m_view->palette());
        if (dark == m_dark)
            return;
        m_dark = dark;
        applyChartTheme(m_view->chart(), dark);
    }

    QChartView *m_view;
    int m_dark = -1; ///< -1: not applied yet
};

} // namespace

bool systemPrefersDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < darkLightness;
}

QPalette darkPalette()
{
    const QColor window(0x2b, 0x2b, 0x2b);
    const QColor base(0x1e, 0x1e, 0x1e);
    const QColor text(0xe6, 0xe6, 0xe6);
    const QColor disabled(0x80, 0x80, 0x80);
    QPalette p;
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
    p.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3a, 0x3a));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x60, 0x60));
    p.setColor(QPalette::Light, QColor(0x4a, 0x4a, 0x4a));
    p.setColor(QPalette::Midlight, QColor(0x3c, 0x3c, 0x3c));
    p.setColor(QPalette::Mid, QColor(0x30, 0x30, 0x30));
    p.setColor(QPalette::Dark, QColor(0x1a, 0x1a, 0x1a));
    p.setColor(QPalette::Shadow, QColor(0x0a, 0x0a, 0x0a));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x7a, 0xd6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6c, 0xa8, 0xf0));
    p.setColor(QPalette::LinkVisited, QColor(0xa8, 0x8c, 0xe8));
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x50, 0x50, 0x50));
    return p;
}

bool useDarkThemeIfPreferred()
{
    if (!systemPrefersDark(QApplication::palette()))
        return false;
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setPalette(darkPalette());
    return true;
}

void applyChartTheme(QChart *chart, bool dark)
{
    if (!chart)
        return;
    std::vector<SeriesLook> looks;
    for (QAbstractSeries *series : chart->series())
        looks.push_back(lookOf(series));
    const QMargins margins = chart->margins();
    const qreal roundness = chart->backgroundRoundness();
    const Qt::Alignment legend = chart->legend()->alignment();
    chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setMargins(margins);
    chart->setBackgroundRoundness(roundness);
    chart->legend()->setAlignment(legend);
    for (const SeriesLook &look : looks)
        restore(look, dark);
}

void followPaletteTheme(QChartView *view)
{
    if (view)
        new PaletteFollower(view); // owned by the view
}

} // namespace twb
