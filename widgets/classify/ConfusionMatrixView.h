#pragma once

#include "render/ColorMap.h"
#include "widgets/common/CsvExportable.h"

#include <QStringList>
#include <QWidget>

#include <cstdint>
#include <vector>

class QPainter;

namespace twb {

/// A confusion matrix drawn with QPainter (not a chart): rows = true class, columns =
/// predicted class, class names on both axes (column names rotated by 90 degrees when they do
/// not fit the cell width; names longer than ~12 characters are elided). Each cell shows its
/// count (or its share of the row, see CellText) and is coloured by the row-normalised fraction
/// count / row total through a ColorMap (empty cells are left in the base colour); the text is
/// black or white by the cell's brightness and diagonal cells get a frame, so the diagonal
/// stays readable. Cells stay square; with many classes (about 50 in a 600 px view) the text
/// shrinks, then is left out when it cannot fit - the hover read-out still gives the numbers.
///
/// Interaction: hovering a cell sets hoverText() ("truth 3, predicted 8: 4 cases (8 % of 3)"),
/// shows it as a tool tip and emits cellHovered; clicking a cell emits cellActivated(truth,
/// predicted). CsvExportable: the counts, one row per true class.
///
/// Threading: GUI thread only.
class ConfusionMatrixView : public QWidget, public CsvExportable
{
    Q_OBJECT

public:
    enum class CellText {
        Counts,     ///< the number of cases
        RowPercent, ///< the share of the true class's cases, "8 %"
    };

    explicit ConfusionMatrixView(QWidget *parent = nullptr);

    /// confusion[truth][predicted] = count, square with classNames.size() rows (else the view is
    /// cleared and false returned). Names may be empty: "0", "1", ... are used.
    bool setMatrix(const std::vector<std::vector<std::int64_t>> &confusion,
                   const QStringList &classNames);
    void clear();
    int classes() const { return int(m_counts.size()); }
    const QStringList &classNames() const { return m_names; }

    std::int64_t count(int truth, int predicted) const;
    std::int64_t rowTotal(int truth) const;
    /// count / row total; 0 when the class has no case.
    double rowFraction(int truth, int predicted) const;

    void setCellText(CellText text);
    CellText cellText() const { return m_cellText; }
    void setColorMap(ColorMapKind kind);
    ColorMapKind colorMap() const { return m_colorMap; }

    /// The cell's rectangle in widget coordinates for the current size (empty when out of
    /// range or nothing is shown).
    QRect cellRect(int truth, int predicted) const;
    /// The cell under `pos` as {truth, predicted}, {-1, -1} outside the grid.
    std::pair<int, int> cellAt(const QPoint &pos) const;
    /// The read-out of a cell: "truth 3, predicted 8: 4 cases (8 % of 3)" (class names; percent
    /// rounded to one decimal, ".0" dropped).
    QString cellDescription(int truth, int predicted) const;
    /// The read-out of the cell under the mouse, empty when none.
    QString hoverText() const;
    /// The text drawn in a cell for the current CellText.
    QString cellLabel(int truth, int predicted) const;

    CsvTable csvTable() const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void cellActivated(int truth, int predicted);
    /// The cell under the mouse changed; (-1, -1) when it left the grid.
    void cellHovered(int truth, int predicted);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    static constexpr int kMargin = 6;         ///< around everything (px)
    static constexpr int kLabelGap = 4;       ///< between names and the grid (px)
    static constexpr int kMaxLabelChars = 12; ///< longer class names are elided

    /// Where the grid lies for the current size and names (ConfusionMatrixView.cpp).
    struct Geometry
    {
        int left = 0; ///< x of the grid
        int top = 0;  ///< y of the grid
        int cell = 0; ///< side of a cell (px)
        bool rotatedColumns = false;
        int labelWidth = 0; ///< maximum width of a (possibly elided) class name
    };
    Geometry geometry() const;
    QString displayName(int c) const;
    void setHover(int truth, int predicted);

    // Painting, in this order (ConfusionMatrixViewPaint.cpp).
    /// "Predicted" above the grid, "Truth" rotated at its left, in bold.
    void paintAxisTitles(QPainter &painter, const Geometry &g) const;
    /// The class names of the rows (right-aligned) and the columns (above, rotated when they do
    /// not fit a cell); those of the hovered row and column in bold.
    void paintClassNames(QPainter &painter, const Geometry &g) const;
    /// The largest font (down to 6 pt) in which every cell's text fits; *fits false when even
    /// 6 pt is too large (the cells are then drawn without text).
    QFont cellFont(const Geometry &g, bool *fits) const;
    /// The cells coloured by their row fraction, with their text when it fits.
    void paintCells(QPainter &painter, const Geometry &g) const;
    /// The grid lines (when cells are 6 px or more), then the frames of the diagonal and of the
    /// hovered cell on top.
    void paintFrames(QPainter &painter, const Geometry &g) const;

    std::vector<std::vector<std::int64_t>> m_counts;
    std::vector<std::int64_t> m_rowTotals;
    QStringList m_names;
    CellText m_cellText = CellText::Counts;
    ColorMapKind m_colorMap = ColorMapKind::Viridis;
    int m_hoverTruth = -1;
    int m_hoverPredicted = -1;
};

} // namespace twb
