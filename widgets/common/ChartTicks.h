#pragma once

#include <Qt>

class QAbstractAxis;
class QChart;
class QValueAxis;

namespace twb {

/// A round tick interval (1, 2, 2.5 or 5 times a power of ten) giving at most `maxTicks`
/// intervals over `span`; 1 for an empty or invalid span.
double niceTickInterval(double span, int maxTicks);

/// Sets `axis` to exactly [min, max] with dynamic ticks at multiples of a round interval
/// (anchored at 0), at most `maxTicks` intervals. GUI thread.
void setRangeWithNiceTicks(QValueAxis *axis, double min, double max, int maxTicks = 8);
/// The same for a count such as epochs: ticks only at whole numbers (interval >= 1), so that a
/// "%.0f" label never repeats or rounds (0, 0.75, 1.5 ... would read "0, 1, 2, 2, 3").
void setRangeWithWholeTicks(QValueAxis *axis, double min, double max, int maxTicks = 8);

/// Shows or hides the tick labels and the titles of every axis of `chart` in `orientations`; the
/// grid lines stay. A chart without data hides them: its range is a placeholder (0..1 reads
/// "0 0 0 1 1"). The title goes with the labels because Qt Charts truncates an axis title to
/// "..." when its labels are hidden (it keeps room for a line of labels out of the title's).
/// GUI thread.
void setTickLabelsVisible(QChart *chart, bool visible,
                          Qt::Orientations orientations = Qt::Horizontal | Qt::Vertical);
/// The same for one axis.
void setTickLabelsVisible(QAbstractAxis *axis, bool visible);

} // namespace twb
