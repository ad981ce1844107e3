#pragma once

#include "render/ColorMap.h"
#include "widgets/explain/AttentionImage.h"
#include "widgets/explain/AttentionModel.h"

#include <QPixmap>
#include <QWidget>

#include <vector>

namespace twb {

/// A layers x heads grid of attention thumbnails, one [queries, keys] map each, plus a column
/// with each layer's head average and a last row with the rollout through the leading layers over
/// the input tokens. Rows are labelled L0, L1, ... for self-attention layers and C0, C1, ... for
/// cross-attention maps; a non-square map keeps its aspect inside its square cell; a layer with
/// fewer heads than the others leaves its last cells empty.
///
/// Each thumbnail is pooled (block maximum) to at most 128 x 128 cells once per attention set
/// (and when the averages / rollout arrive from the model's worker), coloured against its own
/// maximum, and drawn scaled with nearest neighbour into a cached picture of the whole grid (a
/// paint draws that picture and the selection frame); a colour-map change recolours the pooled
/// values without reading the maps again. A click on a thumbnail emits selected(layer, head):
/// head = -1 for a layer's head average, layer = -1 (and head = -1) for the rollout.
/// Threading: GUI thread only. Does not own the model.
class AttentionGrid : public QWidget
{
    Q_OBJECT

public:
    explicit AttentionGrid(QWidget *parent = nullptr);

    /// Follows `model` (attentionChanged / averagesReadyChanged / rolloutReadyChanged).
    void setModel(AttentionModel *model);
    void setColorMap(ColorMapKind kind);
    ColorMapKind colorMap() const { return m_colorMap; }

    /// Highlights a thumbnail without emitting selected(); (-2, -2) highlights nothing.
    void setSelection(int layer, int head);
    int selectedLayer() const { return m_selectedLayer; }
    int selectedHead() const { return m_selectedHead; }

    /// Where the thumbnail of (layer, head) is drawn, in widget coordinates (head -1 = average,
    /// layer -1 = rollout); empty when there is no such thumbnail. The cell: a non-square map
    /// is drawn inside it with its own aspect.
    QRect thumbnailRect(int layer, int head) const;
    /// "L1" for a self-attention layer, "C0" for the first cross-attention map.
    QString rowLabel(int layer) const;
    /// Side of one thumbnail in pixels (the grid fits the widget's width, 16..96 px).
    int thumbnailSide() const;
    /// The pooled map behind a thumbnail (tests); empty when not rendered (yet).
    const PooledAttention &thumbnail(int layer, int head) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return {160, 120}; }
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;

Q_SIGNALS:
    void selected(int layer, int head);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    struct Thumb
    {
        PooledAttention pooled;
        QImage image;
        int queries = 0; // of the map (its aspect)
        int keys = 0;
    };
    void rebuildHeads();
    void rebuildDerived();
    void recolour(Thumb &thumb) const;
    Thumb *thumbFor(int layer, int head);
    int sideFor(int width) const;
    int columns() const;
    void paintBase(QPainter &painter) const;

    AttentionModel *m_model = nullptr;
    ColorMapKind m_colorMap = ColorMapKind::Viridis;
    int m_layers = 0;
    int m_heads = 0;
    std::vector<Thumb> m_headThumbs;    // [layer * heads + head]
    std::vector<Thumb> m_averageThumbs; // [layer]
    Thumb m_rolloutThumb;
    int m_selectedLayer = 0;
    int m_selectedHead = 0;
    QPixmap m_base; // everything but the selection frame, drawn once per change and size
};

} // namespace twb
