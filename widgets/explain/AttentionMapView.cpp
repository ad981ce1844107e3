#include "AttentionMapView.h"

#include <QEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace twb {

namespace {
constexpr int kMaxLabelWidth = 150;
constexpr int kMinLabelWidth = 36;
constexpr int kPad = 6;
constexpr int kBarWidth = 14;
constexpr int kBarTextWidth = 56;

QString formatWeight(double value)
{
    if (value != 0.0 && std::abs(value) < 0.001)
        return QString::number(value, 'g', 3);
    return QString::number(value, 'f', 3);
}
} // namespace

AttentionMapView::AttentionMapView(QWidget *parent)
    : QWidget(parent)
{
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void AttentionMapView::setTokens(const QStringList &labels)
{
    setAxisLabels(labels, labels);
}

void AttentionMapView::setAxisLabels(const QStringList &queryLabels, const QStringList &keyLabels)
{
    m_labels = queryLabels;
    m_keyLabels = keyLabels;
    layoutLabels();
    invalidateImage();
}

void AttentionMapView::layoutLabels()
{
    m_labelLayer = QPixmap();
    const QFontMetrics metrics(font());
    // At most a quarter of the view's width (query labels) or height (key labels, rotated),
    // so that the map keeps the rest however long the token descriptions are.
    const auto elide = [&](const QStringList &labels, int maxWidth, QStringList &elided,
                           int &width) {
        elided.clear();
        elided.reserve(labels.size());
        width = 0;
        for (const QString &label : axisLabels(labels)) {
            elided.append(metrics.elidedText(label, Qt::ElideRight, maxWidth));
            width = std::max(width, metrics.horizontalAdvance(elided.back()));
        }
    };
    elide(m_labels, std::clamp(width() / 4, kMinLabelWidth, kMaxLabelWidth), m_elided,
          m_labelWidth);
    elide(m_keyLabels, std::clamp(height() / 4, kMinLabelWidth, kMaxLabelWidth), m_keyElided,
          m_keyLabelWidth);
}

QStringList AttentionMapView::axisLabels(const QStringList &labels)
{
    if (labels.size() < 2)
        return labels;
    // The words all labels begin with ("encoder token ", "decoder step "): the common prefix
    // up to its last space.
    qsizetype common = labels.front().size();
    for (const QString &label : labels) {
        qsizetype i = 0;
        while (i < common && i < label.size() && label[i] == labels.front()[i])
            ++i;
        common = i;
    }
    const qsizetype cut = labels.front().left(common).lastIndexOf(QLatin1Char(' ')) + 1;
    QStringList out;
    out.reserve(labels.size());
    for (const QString &label : labels)
        out.append(label.mid(std::max<qsizetype>(cut, 0)));
    // "3: [t-90, t-88)": the range says more than the index, and the read-out has both.
    static const QRegularExpression indexed(QStringLiteral("^\\d+: (.+)$"));
    if (std::all_of(out.cbegin(), out.cend(),
                    [](const QString &label) { return indexed.match(label).hasMatch(); }))
        for (QString &label : out)
            label = indexed.match(label).captured(1);
    return out;
}

void AttentionMapView::setMap(const AttentionMapRef &map, const QString &title)
{
    const bool same = map.layer == m_map.layer && map.head == m_map.head;
    m_map = map;
    if (m_selectedQuery >= m_map.queries())
        m_selectedQuery = -1;
    if (!same)
        invalidateImage();
    else if (title != m_title)
        m_base = QPixmap(); // the same values: keep the image, redraw the title
    m_title = title;
    update();
}

void AttentionMapView::setMessage(const QString &message)
{
    if (message == m_message)
        return;
    m_message = message;
    m_base = QPixmap();
    update();
}

void AttentionMapView::setColorMap(ColorMapKind kind)
{
    if (kind == m_colorMap)
        return;
    m_colorMap = kind;
    m_image = QImage();
    m_base = QPixmap();
    update();
}

void AttentionMapView::setFixedScale(bool zeroToOne)
{
    if (zeroToOne == m_fixedScale)
        return;
    m_fixedScale = zeroToOne;
    m_image = QImage();
    m_base = QPixmap();
    update();
}

float AttentionMapView::scaleMax() const
{
    if (m_fixedScale)
        return 1.0f;
    image(); // computes the pooled map and its maximum
    return m_pooled.max > 0.0f ? m_pooled.max : 1.0f;
}

void AttentionMapView::setSelectedQuery(int query)
{
    m_selectedQuery = query >= 0 && query < m_map.queries() ? query : -1;
    update();
}

void AttentionMapView::invalidateImage()
{
    m_pooled = PooledAttention();
    m_image = QImage();
    m_base = QPixmap();
    update();
}

QRect AttentionMapView::plotRect() const
{
    const QFontMetrics metrics(font());
    const int line = metrics.height();
    const int left = kPad + m_labelWidth + kPad;
    const int top = kPad + line + kPad;
    const int bottom = kPad + m_keyLabelWidth + kPad + line + kPad; // rotated labels, read-out
    const int right = kPad + kBarWidth + kBarTextWidth;
    const int w = std::max(0, width() - left - right);
    const int h = std::max(0, height() - top - bottom);
    if (!m_map.isValid() || m_map.queries() == m_map.keys()) {
        const int side = std::min(w, h);
        return {left, top, side, side};
    }
    // Square cells: keys x cell across, queries x cell down.
    const double cell = std::min(double(w) / m_map.keys(), double(h) / m_map.queries());
    return {left, top, std::min(w, int(std::lround(cell * m_map.keys()))),
            std::min(h, int(std::lround(cell * m_map.queries())))};
}

QRectF AttentionMapView::cellRect(int query, int key) const
{
    const QRect plot = plotRect();
    if (!m_map.isValid() || plot.isEmpty())
        return {};
    const double w = double(plot.width()) / m_map.keys();
    const double h = double(plot.height()) / m_map.queries();
    return {plot.left() + key * w, plot.top() + query * h, w, h};
}

std::optional<std::pair<int, int>> AttentionMapView::cellAt(QPointF position) const
{
    const QRect plot = plotRect();
    if (!m_map.isValid() || plot.isEmpty())
        return std::nullopt;
    const double x = (position.x() - plot.left()) / plot.width();
    const double y = (position.y() - plot.top()) / plot.height();
    if (x < 0.0 || x >= 1.0 || y < 0.0 || y >= 1.0)
        return std::nullopt;
    return std::pair{std::min(int(y * m_map.queries()), m_map.queries() - 1),
                     std::min(int(x * m_map.keys()), m_map.keys() - 1)};
}

QString AttentionMapView::hoverText(int query, int key) const
{
    if (!m_map.isValid() || query < 0 || key < 0 || query >= m_map.queries() || key >= m_map.keys())
        return {};
    const auto label = [](const QStringList &labels, int i) {
        return i < labels.size() ? labels[i] : QString::number(i);
    };
    return tr("query %1 → key %2: %3")
        .arg(label(m_labels, query), label(m_keyLabels, key), formatWeight(m_map.at(query, key)));
}

CsvTable AttentionMapView::csvTable() const
{
    CsvTable table;
    if (!m_map.isValid())
        return table;
    const auto label = [](const QStringList &labels, int i) {
        return i < labels.size() ? labels[i] : QString::number(i);
    };
    table.header.reserve(m_map.keys() + 1);
    table.header.append(QStringLiteral("query \\ key"));
    for (int k = 0; k < m_map.keys(); ++k)
        table.header.append(label(m_keyLabels, k));
    table.rows.reserve(m_map.queries());
    for (int q = 0; q < m_map.queries(); ++q) {
        QStringList row;
        row.reserve(m_map.keys() + 1);
        row.append(label(m_labels, q));
        for (int k = 0; k < m_map.keys(); ++k)
            row.append(csvNumber(m_map.at(q, k)));
        table.rows.append(std::move(row));
    }
    return table;
}

const QImage &AttentionMapView::image() const
{
    const QRect plot = plotRect();
    if (m_pooled.isEmpty() && m_map.isValid() && !plot.isEmpty())
        m_pooled = poolAttention(m_map, plot.width(), plot.height());
    if (m_image.isNull() && !m_pooled.isEmpty())
        m_image = colouriseAttention(m_pooled, ColorMap::get(m_colorMap),
                                     m_fixedScale ? 1.0f : m_pooled.max);
    return m_image;
}

void AttentionMapView::paintEvent(QPaintEvent *)
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
    const QRect plot = plotRect();
    if (m_map.isValid() && m_selectedQuery >= 0 && !plot.isEmpty()) {
        const QRectF row = cellRect(m_selectedQuery, 0);
        painter.setPen(QPen(Qt::white, 1.5));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(QRectF(plot.left() - 1.0, row.top() - 1.0, plot.width() + 2.0,
                                std::max(row.height(), 1.0) + 2.0));
    }
    const QFontMetrics metrics(font());
    painter.setPen(palette().color(QPalette::Text));
    painter.drawText(
        QRect(kPad, height() - kPad - metrics.height(), width() - 2 * kPad, metrics.height()),
        Qt::AlignLeft | Qt::AlignVCenter, m_hoverText);
}

void AttentionMapView::paintBase(QPainter &painter) const
{
    painter.fillRect(rect(), palette().base());
    painter.setPen(palette().color(QPalette::Text));
    const QFontMetrics metrics(font());
    const QRect plot = plotRect();
    painter.drawText(QRect(plot.left(), kPad, width() - plot.left() - kPad, metrics.height()),
                     Qt::AlignLeft | Qt::AlignVCenter, m_title);
    if (!m_map.isValid() || plot.isEmpty()) {
        if (!m_map.isValid() && !m_message.isEmpty())
            painter.drawText(rect().adjusted(4 * kPad, 4 * kPad, -4 * kPad, -4 * kPad),
                             Qt::AlignCenter | Qt::TextWordWrap, m_message);
        else if (!m_map.isValid())
            painter.drawText(plot.isEmpty() ? rect() : plot, Qt::AlignCenter,
                             m_title.isEmpty() ? tr("no attention") : tr("not available yet"));
        return;
    }
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
    painter.drawImage(plot, image());
    // The labels depend only on the tokens and the geometry: drawn once, reused for every map.
    const qreal ratio = devicePixelRatioF();
    if (m_labelLayer.isNull() || m_labelLayer.size() != size() * ratio ||
        m_labelLayerShape != std::pair{m_map.queries(), m_map.keys()}) {
        m_labelLayer = QPixmap(size() * ratio);
        m_labelLayer.setDevicePixelRatio(ratio);
        m_labelLayer.fill(Qt::transparent);
        QPainter layer(&m_labelLayer);
        layer.setFont(font());
        layer.setPen(palette().color(QPalette::Text));
        drawLabels(layer, plot);
        m_labelLayerShape = {m_map.queries(), m_map.keys()};
    }
    painter.drawPixmap(0, 0, m_labelLayer);
    drawScaleBar(painter, plot);
}

int AttentionMapView::labelStep() const
{
    return std::max(rowLabelStep(), columnLabelStep());
}

int AttentionMapView::rowLabelStep() const
{
    const QRect plot = plotRect();
    if (!m_map.isValid() || plot.isEmpty())
        return 0;
    const double cell = double(plot.height()) / m_map.queries();
    const int line = QFontMetrics(font()).height();
    return std::max(1, int(std::ceil(double(line) / std::max(cell, 1e-6))));
}

int AttentionMapView::columnLabelStep() const
{
    const QRect plot = plotRect();
    if (!m_map.isValid() || plot.isEmpty())
        return 0;
    const double cell = double(plot.width()) / m_map.keys();
    const int line = QFontMetrics(font()).height();
    return std::max(1, int(std::ceil(double(line) / std::max(cell, 1e-6))));
}

void AttentionMapView::drawLabels(QPainter &painter, const QRect &plot) const
{
    const QFontMetrics metrics(font());
    const int line = metrics.height();
    // Query labels, right-aligned left of the plot, every step-th so that none overlap.
    const int queries = m_map.queries();
    const double rowHeight = double(plot.height()) / queries;
    const int rowStep = rowLabelStep();
    for (int q = 0; q < queries && q < m_elided.size(); q += rowStep) {
        const double y = plot.top() + (q + 0.5) * rowHeight;
        painter.drawText(QRectF(kPad, y - line / 2.0, plot.left() - 2 * kPad, line),
                         Qt::AlignRight | Qt::AlignVCenter, m_elided[q]);
    }
    // Key labels below the plot, rotated to read bottom-up.
    const int keys = m_map.keys();
    const double columnWidth = double(plot.width()) / keys;
    const int columnStep = columnLabelStep();
    painter.save();
    for (int k = 0; k < keys && k < m_keyElided.size(); k += columnStep) {
        const double x = plot.left() + (k + 0.5) * columnWidth;
        painter.save();
        painter.translate(x, plot.bottom() + kPad);
        painter.rotate(-90.0);
        painter.drawText(QRectF(-m_keyLabelWidth, -line / 2.0, m_keyLabelWidth, line),
                         Qt::AlignRight | Qt::AlignVCenter, m_keyElided[k]);
        painter.restore();
    }
    painter.restore();
}

void AttentionMapView::drawScaleBar(QPainter &painter, const QRect &plot) const
{
    const QRect bar(plot.right() + kPad + 2, plot.top(), kBarWidth, plot.height());
    const ColorMap &map = ColorMap::get(m_colorMap);
    QImage strip(1, 256, QImage::Format_RGB32);
    for (int i = 0; i < 256; ++i)
        strip.setPixel(0, 255 - i, map.at(i));
    painter.drawImage(bar, strip);
    painter.setPen(palette().color(QPalette::Text));
    const QFontMetrics metrics(font());
    const QRect text(bar.right() + 4, 0, kBarTextWidth - 6, metrics.height());
    painter.drawText(text.translated(0, bar.top()), Qt::AlignLeft | Qt::AlignTop,
                     formatWeight(scaleMax()));
    painter.drawText(text.translated(0, bar.bottom() - metrics.height()),
                     Qt::AlignLeft | Qt::AlignBottom, QStringLiteral("0"));
}

void AttentionMapView::resizeEvent(QResizeEvent *event)
{
    layoutLabels();
    m_pooled = PooledAttention();
    m_image = QImage();
    m_base = QPixmap();
    QWidget::resizeEvent(event);
}

void AttentionMapView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::FontChange) {
        layoutLabels();
        invalidateImage();
    }
    QWidget::changeEvent(event);
}

void AttentionMapView::mouseMoveEvent(QMouseEvent *event)
{
    const auto cell = cellAt(event->position());
    const QString text = cell ? hoverText(cell->first, cell->second) : QString();
    if (text != m_hoverText) {
        m_hoverText = text;
        update();
        Q_EMIT hoverTextChanged(text);
    }
    QWidget::mouseMoveEvent(event);
}

void AttentionMapView::leaveEvent(QEvent *event)
{
    if (!m_hoverText.isEmpty()) {
        m_hoverText.clear();
        update();
        Q_EMIT hoverTextChanged(m_hoverText);
    }
    QWidget::leaveEvent(event);
}

void AttentionMapView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton) {
        if (const auto cell = cellAt(event->position())) {
            setSelectedQuery(cell->first);
            Q_EMIT querySelected(cell->first);
            return;
        }
    }
    QWidget::mousePressEvent(event);
}

} // namespace twb
