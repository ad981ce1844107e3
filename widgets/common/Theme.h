#pragma once

#include <QPalette>

class QChart;
class QChartView;

namespace twb {

/// True when `palette` is a dark one: its Window colour has an HSL lightness below 128.
/// (Qt 6.4 has no colour-scheme API; the palette is what the platform theme gives.)
bool systemPrefersDark(const QPalette &palette);

/// A dark palette for the Fusion style (dark grey windows, near-white text, blue highlight).
QPalette darkPalette();

/// When the application palette is dark (systemPrefersDark(QApplication::palette())), switches
/// the application to the Fusion style with darkPalette(), which every widget then follows;
/// otherwise changes nothing. Returns whether it did. Call once after creating the
/// QApplication, before creating windows. GUI thread.
bool useDarkThemeIfPreferred();

/// Gives `chart` QChart::ChartThemeDark or ChartThemeLight (background, title, legend, axis
/// labels, grid) while keeping every series' own pen and brush colours: on a dark chart,
/// colours darker than HSL lightness 110 are lightened so lines stay legible (the same colour
/// family). Series added later keep their own pens as usual. Colour maps (ColorMap, the
/// spectrogram) are not charts and never change with the theme. GUI thread.
void applyChartTheme(QChart *chart, bool dark);

/// Applies applyChartTheme(view->chart(), systemPrefersDark(view->palette())) now and again
/// whenever the view's palette changes (an event filter parented to the view). GUI thread.
void followPaletteTheme(QChartView *view);

} // namespace twb
