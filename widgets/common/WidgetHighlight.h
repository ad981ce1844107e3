#pragma once

#include <QPointer>
#include <QWidget>

namespace twb {

/// A frame drawn around another widget to show a learner where to look (the lessons): around
/// the part of it that can be seen (inside a scroll area, the visible part). It is a
/// transparent overlay on the target's top-level window that lets every mouse event through,
/// follows the target when it moves, resizes, shows or hides, and hides itself while the target
/// is not visible (another tab is current).
///
/// Ownership: a child of the target's window, created by highlight(); clear() or the target's
/// destruction removes the frame. Threading: GUI thread only.
class WidgetHighlight : public QWidget
{
    Q_OBJECT

public:
    /// Frames `target` (replacing any earlier target); nullptr clears.
    static WidgetHighlight *highlight(QWidget *target);
    /// Removes the frame in `window`, if there is one.
    static void clear(QWidget *window);
    /// The frame shown in `window`, or nullptr.
    static WidgetHighlight *current(QWidget *window);

    QWidget *target() const { return m_target; }
    /// The part of `target` its ancestors let show (a scroll area's viewport clips it), in
    /// `window`'s coordinates; `window` is an ancestor of `target`.
    static QRect visibleRect(const QWidget *target, const QWidget *window);
    /// The frame's rectangle in the window's coordinates (empty while hidden).
    QRect frameRect() const;

    static constexpr int PenWidth = 3;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;

private:
    explicit WidgetHighlight(QWidget *window);
    void setTarget(QWidget *target);
    void follow();

    QPointer<QWidget> m_target;
};

} // namespace twb
