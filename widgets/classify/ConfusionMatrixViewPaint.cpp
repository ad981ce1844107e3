// ConfusionMatrixView, painting: the axis titles, the class names, the cells and the frames.

#include "ConfusionMatrixView.h"

#include <QPainter>

namespace twb {

void ConfusionMatrixView::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().base());
    if (classes() == 0) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter, tr("No classification results"));
        return;
    }
    const Geometry g = geometry();
    paintAxisTitles(painter, g);
    paintClassNames(painter, g);
    paintCells(painter, g);
    paintFrames(painter, g);
}

void ConfusionMatrixView::paintAxisTitles(QPainter &painter, const Geometry &g) const
{
    const QFontMetrics fm = fontMetrics();
    const int gridSide = classes() * g.cell;
    QFont bold = font();
    bold.setBold(true);
    painter.setFont(bold);
    painter.setPen(palette().color(QPalette::Text));
    painter.drawText(QRect(g.left, kMargin, gridSide, fm.height()), Qt::AlignCenter,
                     tr("Predicted"));
    painter.save();
    painter.translate(kMargin, g.top + gridSide / 2);
    painter.rotate(-90);
    painter.drawText(QRect(-gridSide / 2, 0, gridSide, fm.height()), Qt::AlignCenter, tr("Truth"));
    painter.restore();
}

void ConfusionMatrixView::paintClassNames(QPainter &painter, const Geometry &g) const
{
    const QFontMetrics fm = fontMetrics();
    QFont bold = font();
    bold.setBold(true);
    painter.setPen(palette().color(QPalette::Text));
    const int labelRight = g.left - kLabelGap;
    for (int c = 0; c < classes(); ++c) {
        const QString name = fm.elidedText(displayName(c), Qt::ElideRight, g.labelWidth);
        painter.setFont(c == m_hoverTruth ? bold : font());
        painter.drawText(QRect(labelRight - g.labelWidth, g.top + c * g.cell, g.labelWidth, g.cell),
                         Qt::AlignRight | Qt::AlignVCenter, name);
        painter.setFont(c == m_hoverPredicted ? bold : font());
        if (g.rotatedColumns) {
            painter.save();
            painter.translate(g.left + c * g.cell, g.top - kLabelGap);
            painter.rotate(-90);
            painter.drawText(QRect(0, 0, g.labelWidth, g.cell), Qt::AlignLeft | Qt::AlignVCenter,
                             name);
            painter.restore();
        } else {
            painter.drawText(
                QRect(g.left + c * g.cell, g.top - kLabelGap - fm.height(), g.cell, fm.height()),
                Qt::AlignHCenter | Qt::AlignBottom, name);
        }
    }
}

QFont ConfusionMatrixView::cellFont(const Geometry &g, bool *fits) const
{
    QString widest;
    for (int t = 0; t < classes(); ++t)
        for (int p = 0; p < classes(); ++p) {
            const QString s = cellLabel(t, p);
            if (s.size() > widest.size())
                widest = s;
        }
    QFont cell = font();
    *fits = false;
    for (double pt = cell.pointSizeF(); pt >= 6.0; pt -= 1.0) {
        cell.setPointSizeF(pt);
        const QFontMetrics cfm(cell);
        if (cfm.horizontalAdvance(widest) <= g.cell - 4 && cfm.height() <= g.cell - 2) {
            *fits = true;
            break;
        }
    }
    return cell;
}

void ConfusionMatrixView::paintCells(QPainter &painter, const Geometry &g) const
{
    bool drawText = false;
    painter.setFont(cellFont(g, &drawText));
    const ColorMap &map = ColorMap::get(m_colorMap);
    for (int t = 0; t < classes(); ++t) {
        for (int p = 0; p < classes(); ++p) {
            const QRect r(g.left + p * g.cell, g.top + t * g.cell, g.cell, g.cell);
            const std::int64_t v = count(t, p);
            QColor fill = palette().color(QPalette::Base);
            if (v > 0)
                fill = QColor::fromRgb(map.map(rowFraction(t, p)));
            painter.fillRect(r, fill);
            if (drawText) {
                const bool dark = qGray(fill.rgb()) < 128;
                QColor ink = dark ? QColor(Qt::white) : QColor(Qt::black);
                if (v == 0)
                    ink = palette().color(QPalette::PlaceholderText);
                painter.setPen(ink);
                painter.drawText(r, Qt::AlignCenter, cellLabel(t, p));
            }
        }
    }
}

void ConfusionMatrixView::paintFrames(QPainter &painter, const Geometry &g) const
{
    const int n = classes();
    const int gridSide = n * g.cell;
    if (g.cell >= 6) {
        painter.setPen(QPen(palette().color(QPalette::Mid), 0));
        for (int i = 0; i <= n; ++i) {
            painter.drawLine(g.left, g.top + i * g.cell, g.left + gridSide, g.top + i * g.cell);
            painter.drawLine(g.left + i * g.cell, g.top, g.left + i * g.cell, g.top + gridSide);
        }
    }
    painter.setPen(QPen(palette().color(QPalette::Text), 1.5));
    painter.setBrush(Qt::NoBrush);
    for (int c = 0; c < n; ++c)
        painter.drawRect(QRectF(cellRect(c, c)).adjusted(0.75, 0.75, -0.75, -0.75));
    if (m_hoverTruth >= 0) {
        painter.setPen(QPen(palette().color(QPalette::Highlight), 2.5));
        painter.drawRect(QRectF(cellRect(m_hoverTruth, m_hoverPredicted)).adjusted(1, 1, -1, -1));
    }
}

} // namespace twb
