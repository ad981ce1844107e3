#include "WidgetHighlight.h"

#include <QEvent>
#include <QPainter>

namespace twb {

namespace {

constexpr const char *HighlightName = "lessonHighlight";

} // namespace

WidgetHighlight::WidgetHighlight(QWidget *window)
    : QWidget(window)
{
    setObjectName(QLatin1String(HighlightName));
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setAttribute(Qt::WA_NoSystemBackground);
    setFocusPolicy(Qt::NoFocus);
    window->installEventFilter(this);
}

WidgetHighlight *WidgetHighlight::current(QWidget *window)
{
    return window ? window->findChild<WidgetHighlight *>(QLatin1String(HighlightName),
                                                         Qt::FindDirectChildrenOnly)
                  : nullptr;
}

void WidgetHighlight::clear(QWidget *window)
{
    if (WidgetHighlight *frame = current(window)) {
        frame->hide();
        frame->deleteLater();
        frame->setObjectName(QString()); // current() no longer finds it
    }
}

WidgetHighlight *WidgetHighlight::highlight(QWidget *target)
{
    if (!target)
        return nullptr;
    QWidget *window = target->window();
    WidgetHighlight *frame = current(window);
    if (!frame)
        frame = new WidgetHighlight(window);
    frame->setTarget(target);
    return frame;
}

void WidgetHighlight::setTarget(QWidget *target)
{
    if (m_target)
        m_target->removeEventFilter(this);
    m_target = target;
    // Every ancestor up to the window: moving a splitter or switching a tab moves or hides the
    // target without an event on the target itself in every case.
    for (QWidget *w = target; w && w != parentWidget(); w = w->parentWidget())
        w->installEventFilter(this);
    follow();
}

QRect WidgetHighlight::visibleRect(const QWidget *target, const QWidget *window)
{
    QRect visible(target->mapTo(window, QPoint(0, 0)), target->size());
    for (const QWidget *w = target->parentWidget(); w && w != window; w = w->parentWidget())
        visible &= QRect(w->mapTo(window, QPoint(0, 0)), w->size());
    return visible & window->rect();
}

QRect WidgetHighlight::frameRect() const
{
    return isVisible() ? geometry() : QRect();
}

void WidgetHighlight::follow()
{
    if (!m_target || !m_target->isVisible() || !parentWidget()) {
        hide();
        return;
    }
    // Only the part that can be seen: a large view inside a scroll area is framed where it
    // shows, not over the docks that cover the rest of it.
    const QRect visible = visibleRect(m_target, parentWidget());
    if (visible.isEmpty()) {
        hide();
        return;
    }
    const int margin = PenWidth;
    setGeometry(visible.adjusted(-margin, -margin, margin, margin));
    show();
    raise();
    update();
}

bool WidgetHighlight::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::Move:
    case QEvent::Resize:
    case QEvent::Show:
    case QEvent::Hide:
    case QEvent::LayoutRequest:
        // After the layout has placed the widgets: a queued call sees the final geometry.
        QMetaObject::invokeMethod(this, &WidgetHighlight::follow, Qt::QueuedConnection);
        break;
    default:
        break;
    }
    return QWidget::eventFilter(watched, event);
}

void WidgetHighlight::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    QPen pen(QColor(0xf0, 0x8c, 0x00), PenWidth);
    painter.setPen(pen);
    painter.setBrush(Qt::NoBrush);
    const qreal half = PenWidth / 2.0;
    painter.drawRoundedRect(QRectF(rect()).adjusted(half, half, -half, -half), 6, 6);
}

} // namespace twb
