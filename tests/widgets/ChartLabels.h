#pragma once

// The axis tick labels a Qt Charts chart draws, read from its scene: Qt Charts draws the labels
// of each axis as QGraphicsTextItems in a QGraphicsItemGroup (chart, legend and axis titles are
// not in a group), hides labels that would overlap and truncates those that do not fit to "...".
// Header-only, for the widget tests. GUI thread; the chart must have been laid out (shown, events
// processed).

#include <QChart>
#include <QGraphicsItemGroup>
#include <QGraphicsScene>
#include <QGraphicsTextItem>
#include <QStringList>

#include <algorithm>

namespace twb::test {

/// The text of every visible tick label of `chart`'s axes in `orientations` (a horizontal axis's
/// labels are below or above the plot area, a vertical axis's beside it), in no given order.
inline QStringList visibleTickLabels(const QChart *chart,
                                     Qt::Orientations orientations = Qt::Horizontal | Qt::Vertical)
{
    QStringList labels;
    if (!chart || !chart->scene())
        return labels;
    const QRectF plot = chart->mapRectToScene(chart->plotArea());
    const QList<QGraphicsItem *> items = chart->scene()->items();
    for (const QGraphicsItem *item : items) {
        const auto *text = qgraphicsitem_cast<const QGraphicsTextItem *>(item);
        if (!text || !text->isVisible() || !item->parentItem() ||
            item->parentItem()->type() != QGraphicsItemGroup::Type || !chart->isAncestorOf(item))
            continue;
        // A label is outside the plot area: below or above it (horizontal axis) or beside it
        // (vertical axis), whichever it is further out of.
        const QPointF centre = item->sceneBoundingRect().center();
        const qreal outY = std::max({centre.y() - plot.bottom(), plot.top() - centre.y(), 0.0});
        const qreal outX = std::max({plot.left() - centre.x(), centre.x() - plot.right(), 0.0});
        const Qt::Orientation axis = outY > outX ? Qt::Horizontal : Qt::Vertical;
        if (orientations & axis)
            labels << text->toPlainText();
    }
    return labels;
}

/// The labels of `labels` that Qt Charts truncated ("..."), that read "…", or that are blank.
inline QStringList elidedOrBlank(const QStringList &labels)
{
    QStringList bad;
    for (const QString &label : labels)
        if (label.contains(QLatin1String("...")) || label.contains(QChar(0x2026)) ||
            label.trimmed().isEmpty())
            bad << label;
    return bad;
}

} // namespace twb::test
