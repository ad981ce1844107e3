#pragma once

#include "render/ColorMap.h"
#include "widgets/common/CsvExportable.h"
#include "widgets/explain/AttentionImage.h"
#include "widgets/explain/AttentionModel.h"

#include <QImage>
#include <QPixmap>
#include <QStringList>
#include <QWidget>

#include <optional>

namespace twb {

/// One attention map [queries, keys] drawn large: queries down (query 0 at the top), keys
/// across, each axis with its own token labels (queries and keys differ for cross-attention;
/// the plot keeps the map's aspect so that cells stay square; key labels rotated; labels that
/// would overlap are thinned out to every n-th; see axisLabels), a colour scale bar with its range,
/// a hover read-out
/// ("query patch 3: t[24,40) → key patch 7: t[56,72): 0.134") and the selected query's row
/// outlined. A click on a row selects that query (querySelected).
///
/// The image is pooled (block maximum) to the plot's pixel size once per map, size and colour
/// options; paints only draw it (nearest neighbour) and at most one label per text line, so a
/// paint costs the same for 64 and 1,212 tokens. Map, labels and scale are drawn into a cached
/// picture; hovering and selecting a query only draw the outline and the read-out over it. Colour
/// scale: 0 .. the map's maximum (default) or 0 .. 1 (setFixedScale(true)). Threading: GUI thread
/// only. The map is shared (AttentionMapRef keeps it alive).
class AttentionMapView : public QWidget, public CsvExportable
{
    Q_OBJECT

public:
    explicit AttentionMapView(QWidget *parent = nullptr);

    /// The labels of the tokens when queries and keys are the same tokens; size must equal the
    /// map's queries and keys.
    void setTokens(const QStringList &labels);

    /// The labels as the axes show them: without the words every label begins with ("decoder
    /// step t+12" -> "t+12"), and without the index when every label is "<index>: <range>"
    /// ("encoder token 3: [t-90, t-88)" -> "[t-90, t-88)"); the read-out and the CSV keep the
    /// whole labels. Each axis is then cut to at most a quarter
    /// of the view's width (queries) or height (keys), so the map keeps the rest.
    static QStringList axisLabels(const QStringList &labels);
    /// The labels of the queries (rows) and of the keys (columns), e.g. decoder steps x encoder
    /// tokens for cross-attention.
    void setAxisLabels(const QStringList &queryLabels, const QStringList &keyLabels);
    /// The query (row) labels.
    const QStringList &tokens() const { return m_labels; }
    const QStringList &queryLabels() const { return m_labels; }
    const QStringList &keyLabels() const { return m_keyLabels; }
    /// Shows `map` with `title` above it; an invalid map shows `title` as a message. The same
    /// map again (same layer object and head) only changes the title.
    void setMap(const AttentionMapRef &map, const QString &title);
    const AttentionMapRef &map() const { return m_map; }
    /// A message drawn (word-wrapped, centred) instead of a map while there is none, e.g. why a
    /// model has no attention maps; empty: the usual "no attention".
    void setMessage(const QString &message);
    const QString &message() const { return m_message; }

    void setColorMap(ColorMapKind kind);
    void setFixedScale(bool zeroToOne);
    bool fixedScale() const { return m_fixedScale; }
    /// The value drawn with the last colour (1, or the map's maximum).
    float scaleMax() const;

    /// Outlines the row of `query` (-1: none). querySelected is not signalled for this call.
    void setSelectedQuery(int query);
    int selectedQuery() const { return m_selectedQuery; }

    /// Geometry (widget coordinates) for tests and overlays.
    QRect plotRect() const;
    QRectF cellRect(int query, int key) const;
    /// The (query, key) under a widget position; nullopt outside the plot or without a map.
    std::optional<std::pair<int, int>> cellAt(QPointF position) const;
    /// "query <label> → key <label>: 0.134" (3 decimals; more for values below 0.001).
    QString hoverText(int query, int key) const;
    QString currentHoverText() const { return m_hoverText; }
    /// Every how many tokens an axis label is drawn so that labels one text line high do not
    /// overlap (1 = all); 0 without a map.
    int labelStep() const;
    /// The same for the query (row) and key (column) axes alone.
    int rowLabelStep() const;
    int columnLabelStep() const;

    /// The map shown: header "query \ key" then every key label; one row per query: its label
    /// then the weights (csvNumber). Empty without a map.
    CsvTable csvTable() const override;

    QSize sizeHint() const override { return {640, 600}; }
    QSize minimumSizeHint() const override { return {240, 220}; }

Q_SIGNALS:
    void querySelected(int query);
    void hoverTextChanged(const QString &text);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void layoutLabels();
    void invalidateImage();
    const QImage &image() const;
    void paintBase(QPainter &painter) const;
    void drawLabels(QPainter &painter, const QRect &plot) const;
    void drawScaleBar(QPainter &painter, const QRect &plot) const;

    QStringList m_labels;    // of the queries
    QStringList m_keyLabels; // of the keys
    QStringList m_elided;    // query labels as drawn: axisLabels(), cut to a quarter of the width
    QStringList m_keyElided; // key labels as drawn: axisLabels(), cut to a quarter of the height
    int m_labelWidth = 0;    // widest elided query label
    int m_keyLabelWidth = 0; // widest elided key label
    AttentionMapRef m_map;
    QString m_title;
    QString m_message;
    ColorMapKind m_colorMap = ColorMapKind::Viridis;
    bool m_fixedScale = false;
    int m_selectedQuery = -1;
    QString m_hoverText;
    mutable PooledAttention m_pooled; // at the plot's pixel size
    mutable QImage m_image;
    QPixmap m_base;               // map, labels, title and scale: drawn once per change and size
    mutable QPixmap m_labelLayer; // the axis labels (transparent elsewhere)
    mutable std::pair<int, int> m_labelLayerShape; // queries, keys it was drawn for
};

} // namespace twb
