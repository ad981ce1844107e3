#include "ConfusionMatrixView.h"

#include <QMouseEvent>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace twb {

namespace {

QString formatPercent(double fraction)
{
    const double rounded = std::round(fraction * 1000.0) / 10.0;
    return QString::number(rounded, 'f', rounded == std::floor(rounded) ? 0 : 1) +
           QStringLiteral(" %");
}

} // namespace

ConfusionMatrixView::ConfusionMatrixView(QWidget *parent)
    : QWidget(parent)
{
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

bool ConfusionMatrixView::setMatrix(const std::vector<std::vector<std::int64_t>> &confusion,
                                    const QStringList &classNames)
{
    const std::size_t n = confusion.size();
    const bool square = std::all_of(confusion.begin(), confusion.end(),
                                    [n](const auto &row) { return row.size() == n; });
    if (!square || std::size_t(classNames.size()) != n) {
        clear();
        return false;
    }
    m_counts = confusion;
    m_names = classNames;
    m_rowTotals.assign(n, 0);
    for (std::size_t t = 0; t < n; ++t)
        for (std::int64_t v : m_counts[t])
            m_rowTotals[t] += v;
    m_hoverTruth = m_hoverPredicted = -1;
    updateGeometry();
    update();
    return true;
}

void ConfusionMatrixView::clear()
{
    m_counts.clear();
    m_rowTotals.clear();
    m_names.clear();
    m_hoverTruth = m_hoverPredicted = -1;
    update();
}

std::int64_t ConfusionMatrixView::count(int truth, int predicted) const
{
    if (truth < 0 || predicted < 0 || truth >= classes() || predicted >= classes())
        return 0;
    return m_counts[std::size_t(truth)][std::size_t(predicted)];
}

std::int64_t ConfusionMatrixView::rowTotal(int truth) const
{
    return truth >= 0 && truth < classes() ? m_rowTotals[std::size_t(truth)] : 0;
}

double ConfusionMatrixView::rowFraction(int truth, int predicted) const
{
    const std::int64_t total = rowTotal(truth);
    return total > 0 ? double(count(truth, predicted)) / double(total) : 0.0;
}

void ConfusionMatrixView::setCellText(CellText text)
{
    m_cellText = text;
    update();
}

void ConfusionMatrixView::setColorMap(ColorMapKind kind)
{
    m_colorMap = kind;
    update();
}

QString ConfusionMatrixView::displayName(int c) const
{
    const QString name = m_names.value(c);
    return name.isEmpty() ? QString::number(c) : name;
}

ConfusionMatrixView::Geometry ConfusionMatrixView::geometry() const
{
    Geometry g;
    const int n = classes();
    if (n == 0)
        return g;
    const QFontMetrics fm = fontMetrics();
    for (int c = 0; c < n; ++c) {
        const QString name = displayName(c);
        const QString shown = name.size() > kMaxLabelChars
                                  ? fm.elidedText(name, Qt::ElideRight,
                                                  fm.horizontalAdvance(name.left(kMaxLabelChars)))
                                  : name;
        g.labelWidth = std::max(g.labelWidth, fm.horizontalAdvance(shown));
    }
    const int titleHeight = fm.height() + kLabelGap; // "Predicted" above, "Truth" at the left
    g.left = kMargin + titleHeight + g.labelWidth + kLabelGap;
    auto cellFor = [&](int top) {
        return std::max(2,
                        std::min((width() - g.left - kMargin) / n, (height() - top - kMargin) / n));
    };
    g.top = kMargin + titleHeight + fm.height() + kLabelGap;
    g.cell = cellFor(g.top);
    if (g.labelWidth > g.cell - 2) {
        g.rotatedColumns = true;
        g.top = kMargin + titleHeight + g.labelWidth + kLabelGap;
        g.cell = cellFor(g.top);
    }
    return g;
}

QRect ConfusionMatrixView::cellRect(int truth, int predicted) const
{
    if (truth < 0 || predicted < 0 || truth >= classes() || predicted >= classes())
        return {};
    const Geometry g = geometry();
    return QRect(g.left + predicted * g.cell, g.top + truth * g.cell, g.cell, g.cell);
}

std::pair<int, int> ConfusionMatrixView::cellAt(const QPoint &pos) const
{
    const int n = classes();
    if (n == 0)
        return {-1, -1};
    const Geometry g = geometry();
    const int x = pos.x() - g.left, y = pos.y() - g.top;
    if (x < 0 || y < 0 || x >= n * g.cell || y >= n * g.cell)
        return {-1, -1};
    return {y / g.cell, x / g.cell};
}

QString ConfusionMatrixView::cellDescription(int truth, int predicted) const
{
    if (truth < 0 || predicted < 0 || truth >= classes() || predicted >= classes())
        return {};
    const std::int64_t n = count(truth, predicted);
    return QStringLiteral("truth %1, predicted %2: %3 %4 (%5 of %1)")
        .arg(displayName(truth), displayName(predicted))
        .arg(n)
        .arg(n == 1 ? QStringLiteral("case") : QStringLiteral("cases"))
        .arg(formatPercent(rowFraction(truth, predicted)));
}

QString ConfusionMatrixView::hoverText() const
{
    return cellDescription(m_hoverTruth, m_hoverPredicted);
}

QString ConfusionMatrixView::cellLabel(int truth, int predicted) const
{
    if (m_cellText == CellText::RowPercent)
        return rowTotal(truth) > 0 ? formatPercent(rowFraction(truth, predicted))
                                   : QStringLiteral("-");
    return QString::number(count(truth, predicted));
}

CsvTable ConfusionMatrixView::csvTable() const
{
    CsvTable table;
    if (classes() == 0)
        return table;
    table.header << QStringLiteral("truth \\ predicted");
    for (int c = 0; c < classes(); ++c)
        table.header << displayName(c);
    for (int t = 0; t < classes(); ++t) {
        QStringList row{displayName(t)};
        for (int p = 0; p < classes(); ++p)
            row << QString::number(count(t, p));
        table.rows << row;
    }
    return table;
}

QSize ConfusionMatrixView::sizeHint() const
{
    const int n = std::max(2, classes());
    const int side = std::clamp(n * 48, 240, 720) + 120;
    return {side, side};
}

QSize ConfusionMatrixView::minimumSizeHint() const
{
    return {160, 160};
}

void ConfusionMatrixView::setHover(int truth, int predicted)
{
    if (truth == m_hoverTruth && predicted == m_hoverPredicted)
        return;
    m_hoverTruth = truth;
    m_hoverPredicted = predicted;
    update();
    Q_EMIT cellHovered(truth, predicted);
}

void ConfusionMatrixView::mouseMoveEvent(QMouseEvent *event)
{
    const auto [truth, predicted] = cellAt(event->position().toPoint());
    setHover(truth, predicted);
    if (truth >= 0)
        QToolTip::showText(event->globalPosition().toPoint(), hoverText(), this,
                           cellRect(truth, predicted));
    else
        QToolTip::hideText();
    QWidget::mouseMoveEvent(event);
}

void ConfusionMatrixView::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton) {
        const auto [truth, predicted] = cellAt(event->position().toPoint());
        if (truth >= 0) {
            Q_EMIT cellActivated(truth, predicted);
            event->accept();
            return;
        }
    }
    QWidget::mouseReleaseEvent(event);
}

void ConfusionMatrixView::leaveEvent(QEvent *event)
{
    setHover(-1, -1);
    QWidget::leaveEvent(event);
}

} // namespace twb
