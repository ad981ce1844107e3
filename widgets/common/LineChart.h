#pragma once

#include <QList>
#include <QRgb>
#include <QString>

class QChart;
class QChartView;
class QLineSeries;

namespace twb {

// Small building blocks of the line charts of the forecast and what-if views.
// Threading: GUI thread (Qt Charts objects).

/// Colour `index` of Tableau 10 (distinct, colour-blind friendly), repeating after ten: the
/// colour of a channel or a class, kept when others are hidden.
QRgb categoricalColor(int index);

/// A chart view with a value x axis titled `xTitle` (whole-number labels), a value y axis, the
/// legend on top, antialiasing and the palette's light or dark chart theme. The caller owns the
/// view. The axes show no tick labels until fitLineAxes finds data. The view is at least 320
/// px wide and about 15 text lines high, so that its tick labels are never truncated.
QChartView *makeLineChart(const QString &xTitle);

/// A line series added to `chart` (which owns it) with a 1.6 px pen of `color` and `style`.
QLineSeries *addLineSeries(QChart *chart, const QString &name, QRgb color, Qt::PenStyle style);

/// Attaches every line to every axis of `chart`.
void attachToAxes(QChart *chart, const QList<QLineSeries *> &lines);

/// Fits both axes of `chart` to the finite points of `lines`: x exactly, y to the values with a
/// 5 % margin above and below (never stretched to include 0), ticks at round multiples. Without
/// a finite point the axes span 0..1 and show no tick labels.
void fitLineAxes(QChart *chart, const QList<QLineSeries *> &lines);

} // namespace twb
