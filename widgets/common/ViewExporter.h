#pragma once

#include "common/Expected.h"
#include "widgets/common/CsvExportable.h"

#include <QString>

class QWidget;

namespace twb {

/// Saves what a view shows. Every file is written atomically (QSaveFile: temporary file in
/// the same folder, renamed on success); errors name the path and the reason.
/// Threading: GUI thread only (widgets are painted).
namespace ViewExporter {

/// The widget as a PNG image of widget->size() x devicePixelRatio pixels (QWidget::grab);
/// the image carries the ratio, so it shows at the widget's logical size.
Status savePng(QWidget *widget, const QString &path);

/// The widget as SVG (QSvgGenerator): view box = widget->size() in logical pixels, physical
/// size at 96 dpi (the CSS pixel, so browsers show it at the widget's size). Charts stay vectors.
Status saveSvg(QWidget *widget, const QString &path, const QString &title = {});

/// The data behind the view as CSV (see CsvExportable).
Status saveCsv(const CsvExportable &view, const QString &path);

/// By suffix: ".png", ".svg", or ".csv" (the widget must then implement CsvExportable).
/// Anything else is an error.
Status save(QWidget *widget, const QString &path);

} // namespace ViewExporter

} // namespace twb
