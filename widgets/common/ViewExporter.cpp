#include "ViewExporter.h"

#include <QFileInfo>
#include <QImage>
#include <QPainter>
#include <QPixmap>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QWidget>

namespace twb::ViewExporter {

namespace {

Error writeError(const QString &path, const QString &reason)
{
    return Error{QStringLiteral("cannot write: %1").arg(reason), path};
}

} // namespace

Status savePng(QWidget *widget, const QString &path)
{
    if (!widget)
        return Error{QStringLiteral("no view to export"), path};
    const QPixmap pixmap = widget->grab(); // at the widget's devicePixelRatio
    if (pixmap.isNull())
        return Error{QStringLiteral("the view has no size to export"), path};
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return writeError(path, file.errorString());
    if (!pixmap.toImage().save(&file, "PNG"))
        return writeError(path, QStringLiteral("PNG encoding failed"));
    if (!file.commit())
        return writeError(path, file.errorString());
    return {};
}

Status saveSvg(QWidget *widget, const QString &path, const QString &title)
{
    if (!widget)
        return Error{QStringLiteral("no view to export"), path};
    if (widget->size().isEmpty())
        return Error{QStringLiteral("the view has no size to export"), path};
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return writeError(path, file.errorString());
    {
        QSvgGenerator svg;
        svg.setOutputDevice(&file);
        svg.setSize(widget->size());
        svg.setViewBox(QRect(QPoint(0, 0), widget->size()));
        svg.setResolution(96); // CSS pixels: browsers and Inkscape show widget->size()
        svg.setTitle(title.isEmpty() ? widget->windowTitle() : title);
        svg.setDescription(QStringLiteral("Transformer Workbench view"));
        QPainter painter;
        if (!painter.begin(&svg))
            return writeError(path, QStringLiteral("SVG painter could not start"));
        widget->render(&painter, QPoint(), QRegion(), QWidget::DrawChildren);
        painter.end();
    }
    if (!file.commit())
        return writeError(path, file.errorString());
    return {};
}

Status saveCsv(const CsvExportable &view, const QString &path)
{
    return writeCsvTable(path, view.csvTable());
}

Status save(QWidget *widget, const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("png"))
        return savePng(widget, path);
    if (suffix == QLatin1String("svg"))
        return saveSvg(widget, path);
    if (suffix == QLatin1String("csv")) {
        const auto *exportable = dynamic_cast<const CsvExportable *>(widget);
        if (!exportable)
            return Error{QStringLiteral("this view has no data to export as CSV"), path};
        return saveCsv(*exportable, path);
    }
    return Error{
        QStringLiteral("unknown export format \"%1\" (use .png, .svg or .csv)").arg(suffix), path};
}

} // namespace twb::ViewExporter
