#include "AttentionGrid.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>

namespace twb {

namespace {
constexpr int kPoolSide = 128;  // cells of a pooled thumbnail at most
constexpr int kLeftMargin = 34; // "L12"
constexpr int kTopMargin = 18;  // "h15"
constexpr int kGap = 4;
constexpr int kAverageGap = 10; // the average column stands apart
constexpr int kMinSide = 16;
constexpr int kMaxSide = 96;
} // namespace

AttentionGrid::AttentionGrid(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
}

void AttentionGrid::setModel(AttentionModel *model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    if (m_model) {
        connect(m_model, &AttentionModel::attentionChanged, this, &AttentionGrid::rebuildHeads);
        connect(m_model, &AttentionModel::averagesReadyChanged, this,
                &AttentionGrid::rebuildDerived);
        connect(m_model, &AttentionModel::rolloutReadyChanged, this,
                &AttentionGrid::rebuildDerived);
    }
    rebuildHeads();
}

void AttentionGrid::recolour(Thumb &thumb) const
{
    thumb.image = colouriseAttention(thumb.pooled, ColorMap::get(m_colorMap), thumb.pooled.max);
}

void AttentionGrid::rebuildHeads()
{
    m_layers = m_model ? m_model->layerCount() : 0;
    m_heads = m_model ? m_model->headCount() : 0;
    m_headThumbs.assign(std::size_t(m_layers) * std::size_t(m_heads), Thumb{});
    for (int l = 0; l < m_layers; ++l)
        for (int h = 0; h < m_heads; ++h) {
            Thumb &thumb = m_headThumbs[std::size_t(l * m_heads + h)];
            const AttentionMapRef map = m_model->map({AttentionMode::Head, l, h});
            if (!map.isValid())
                continue; // this layer has fewer heads
            thumb.pooled = poolAttention(map, kPoolSide, kPoolSide);
            thumb.queries = map.queries();
            thumb.keys = map.keys();
            recolour(thumb);
        }
    m_averageThumbs.assign(std::size_t(m_layers), Thumb{});
    m_rolloutThumb = Thumb{};
    m_base = QPixmap();
    rebuildDerived();
    updateGeometry();
}

void AttentionGrid::rebuildDerived()
{
    if (!m_model)
        return;
    for (int l = 0; l < m_layers; ++l) {
        Thumb &thumb = m_averageThumbs[std::size_t(l)];
        if (thumb.pooled.isEmpty()) {
            const AttentionMapRef map = m_model->headAverageMap(l);
            thumb.pooled = poolAttention(map, kPoolSide, kPoolSide);
            thumb.queries = map.queries();
            thumb.keys = map.keys();
            recolour(thumb);
        }
    }
    if (m_rolloutThumb.pooled.isEmpty()) {
        const AttentionMapRef map = m_model->rolloutMap();
        m_rolloutThumb.pooled = poolAttention(map, kPoolSide, kPoolSide);
        m_rolloutThumb.queries = map.queries();
        m_rolloutThumb.keys = map.keys();
        recolour(m_rolloutThumb);
    }
    m_base = QPixmap();
    update();
}

void AttentionGrid::setColorMap(ColorMapKind kind)
{
    if (kind == m_colorMap)
        return;
    m_colorMap = kind;
    for (Thumb &thumb : m_headThumbs)
        recolour(thumb);
    for (Thumb &thumb : m_averageThumbs)
        recolour(thumb);
    recolour(m_rolloutThumb);
    m_base = QPixmap();
    update();
}

void AttentionGrid::setSelection(int layer, int head)
{
    m_selectedLayer = layer;
    m_selectedHead = head;
    update();
}

int AttentionGrid::columns() const
{
    return m_heads + 1;
}

int AttentionGrid::sideFor(int width) const
{
    if (m_heads <= 0)
        return kMaxSide;
    const int available = width - kLeftMargin - kAverageGap - kGap * columns();
    return std::clamp(available / columns(), kMinSide, kMaxSide);
}

int AttentionGrid::thumbnailSide() const
{
    return sideFor(width());
}

int AttentionGrid::heightForWidth(int width) const
{
    const int side = sideFor(width);
    return kTopMargin + (m_layers + 1) * (side + kGap) + kAverageGap + kGap;
}

QSize AttentionGrid::sizeHint() const
{
    const int side = 64;
    return {kLeftMargin + kAverageGap + columns() * (side + kGap),
            kTopMargin + (m_layers + 1) * (side + kGap) + kAverageGap + kGap};
}

QRect AttentionGrid::thumbnailRect(int layer, int head) const
{
    const int side = thumbnailSide();
    if (layer == -1) {
        if (m_layers == 0)
            return {};
        return {kLeftMargin, kTopMargin + m_layers * (side + kGap) + kAverageGap, side, side};
    }
    if (layer < 0 || layer >= m_layers || head < -1 || head >= m_heads)
        return {};
    const int x = head < 0 ? kLeftMargin + m_heads * (side + kGap) + kAverageGap
                           : kLeftMargin + head * (side + kGap);
    return {x, kTopMargin + layer * (side + kGap), side, side};
}

QString AttentionGrid::rowLabel(int layer) const
{
    const explain::AttentionSet *set = m_model ? m_model->attention() : nullptr;
    if (!set || layer < 0 || layer >= set->layerCount())
        return {};
    const auto cross = explain::AttentionLayer::Kind::CrossAttention;
    int index = 0;
    for (int l = 0; l < layer; ++l)
        if ((set->layers[std::size_t(l)].kind == cross) ==
            (set->layers[std::size_t(layer)].kind == cross))
            ++index;
    return set->layers[std::size_t(layer)].kind == cross ? QStringLiteral("C%1").arg(index)
                                                         : QStringLiteral("L%1").arg(index);
}

AttentionGrid::Thumb *AttentionGrid::thumbFor(int layer, int head)
{
    if (layer == -1)
        return &m_rolloutThumb;
    if (layer < 0 || layer >= m_layers || head < -1 || head >= m_heads)
        return nullptr;
    if (head == -1)
        return &m_averageThumbs[std::size_t(layer)];
    return &m_headThumbs[std::size_t(layer * m_heads + head)];
}

const PooledAttention &AttentionGrid::thumbnail(int layer, int head) const
{
    static const PooledAttention empty;
    const Thumb *thumb = const_cast<AttentionGrid *>(this)->thumbFor(layer, head);
    return thumb ? thumb->pooled : empty;
}

void AttentionGrid::paintEvent(QPaintEvent *)
{
    const qreal ratio = devicePixelRatioF();
    if (m_base.isNull() || m_base.size() != size() * ratio) {
        m_base = QPixmap(size() * ratio);
        m_base.setDevicePixelRatio(ratio);
        QPainter base(&m_base);
        paintBase(base);
    }
    QPainter painter(this);
    painter.drawPixmap(0, 0, m_base);
    const QRect r = thumbnailRect(m_selectedLayer, m_selectedHead);
    if (!r.isEmpty()) {
        painter.setPen(QPen(palette().color(QPalette::Highlight), 3));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(r.adjusted(-2, -2, 1, 1));
    }
}

void AttentionGrid::paintBase(QPainter &painter) const
{
    painter.fillRect(rect(), palette().window());
    if (m_layers == 0) {
        painter.drawText(rect(), Qt::AlignCenter, tr("no attention"));
        return;
    }
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
    painter.setPen(palette().color(QPalette::WindowText));
    // Head numbers, every step-th when "h15" is wider than a column.
    const QFontMetrics metrics(font());
    const int column = thumbnailSide() + kGap;
    const int labelStep =
        std::max(1, (metrics.horizontalAdvance(QStringLiteral("h00")) + column) / column);
    for (int h = -1; h < m_heads; ++h) {
        if (h >= 0 && h % labelStep != 0)
            continue;
        const QRect r = thumbnailRect(0, h);
        const int half =
            std::max(r.width(), metrics.horizontalAdvance(QStringLiteral("avg"))) / 2 + 4;
        painter.drawText(QRect(r.center().x() - half, 0, 2 * half, kTopMargin), Qt::AlignCenter,
                         h < 0 ? tr("avg") : QStringLiteral("h%1").arg(h));
    }
    const auto drawThumb = [&](const QRect &r, const Thumb &thumb) {
        if (thumb.image.isNull()) {
            painter.fillRect(r, QColor(70, 70, 70));
            painter.drawText(r, Qt::AlignCenter, QStringLiteral("…"));
        } else if (thumb.queries > 0 && thumb.keys > 0 && thumb.queries != thumb.keys) {
            // Keys across, queries down, with the map's own aspect, centred in the cell.
            const QSize fitted =
                QSize(thumb.keys, thumb.queries).scaled(r.size(), Qt::KeepAspectRatio);
            const QSize size(std::max(1, fitted.width()), std::max(1, fitted.height()));
            painter.drawImage(QRect(QPoint(r.left() + (r.width() - size.width()) / 2,
                                           r.top() + (r.height() - size.height()) / 2),
                                    size),
                              thumb.image);
        } else {
            painter.drawImage(r, thumb.image);
        }
    };
    const explain::AttentionSet *set = m_model ? m_model->attention() : nullptr;
    for (int l = 0; l < m_layers; ++l) {
        const QRect first = thumbnailRect(l, 0);
        painter.drawText(QRect(0, first.top(), kLeftMargin - 4, first.height()),
                         Qt::AlignRight | Qt::AlignVCenter, rowLabel(l));
        const int heads = set ? std::min(m_heads, set->layers[std::size_t(l)].heads) : m_heads;
        for (int h = 0; h < heads; ++h)
            drawThumb(thumbnailRect(l, h), m_headThumbs[std::size_t(l * m_heads + h)]);
        drawThumb(thumbnailRect(l, -1), m_averageThumbs[std::size_t(l)]);
    }
    const QRect rolloutRect = thumbnailRect(-1, -1);
    drawThumb(rolloutRect, m_rolloutThumb);
    const int chain = m_model ? m_model->averagedLayers() : 0;
    QString rolloutText =
        m_rolloutThumb.image.isNull() ? tr("rollout (computing…)") : tr("rollout");
    if (chain == 0 && m_model && m_model->rolloutReady())
        rolloutText = tr("no rollout (the first layer is not over the input tokens)");
    else if (chain == 1 && m_layers > 1)
        rolloutText += tr(" through L0 only");
    else if (chain > 1 && chain < m_layers)
        rolloutText += tr(" through L0–L%1").arg(chain - 1);
    painter.drawText(QRect(rolloutRect.right() + 8, rolloutRect.top(),
                           std::max(200, width() - rolloutRect.right() - 8), rolloutRect.height()),
                     Qt::AlignLeft | Qt::AlignVCenter, rolloutText);
}

void AttentionGrid::resizeEvent(QResizeEvent *event)
{
    m_base = QPixmap();
    QWidget::resizeEvent(event);
}

void AttentionGrid::mousePressEvent(QMouseEvent *event)
{
    const QPoint p = event->position().toPoint();
    if (thumbnailRect(-1, -1).contains(p)) {
        setSelection(-1, -1);
        Q_EMIT selected(-1, -1);
        return;
    }
    const explain::AttentionSet *set = m_model ? m_model->attention() : nullptr;
    for (int l = 0; l < m_layers; ++l)
        for (int h = -1; h < m_heads; ++h)
            if (thumbnailRect(l, h).contains(p) &&
                (!set || h < set->layers[std::size_t(l)].heads)) {
                setSelection(l, h);
                Q_EMIT selected(l, h);
                return;
            }
    QWidget::mousePressEvent(event);
}

} // namespace twb
