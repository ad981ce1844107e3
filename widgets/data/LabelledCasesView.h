#pragma once

#include "widgets/common/CsvExportable.h"
#include "widgets/data/LabelledCasesPreview.h"

#include <QList>
#include <QString>
#include <QWidget>

class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QLineSeries;
class QSpinBox;

namespace twb {

/// The "Cases" view: one line per case, a colour per class (the legend names each class once),
/// one channel at a time (chosen above the chart), all classes or one, and how many cases of
/// each class to draw. Sound clips start with one class (overlaid waveforms of ten classes are
/// unreadable); series with all.
/// Long cases (sound clips) are min/max-decimated to at most 2 x 1200 points. Missing values
/// (NaN) are skipped and the line bridges them, as in the series view. Threading: GUI thread.
class LabelledCasesView : public QWidget, public CsvExportable
{
    Q_OBJECT

public:
    static constexpr int kMaxPerClass = kPreviewCasesPerClass;
    static constexpr int kDefaultPerClass = 3;

    explicit LabelledCasesView(QWidget *parent = nullptr);

    /// Shows `preview` (replacing what was shown, and any highlighted case); an empty preview
    /// clears the view.
    void setPreview(LabelledCasesPreview preview);
    /// Draws the preview's case with this source on top of the others, thick, with its source
    /// and class in the legend (a misclassified test case against cases of every class); all
    /// classes are shown. Empty: none. A source not in the preview is ignored.
    void setHighlightedCase(const QString &source);
    QString highlightedCase() const { return m_highlight; }
    /// Whether the highlighted case was found in the preview and drawn.
    bool highlightedCaseDrawn() const { return m_highlightDrawn; }
    const LabelledCasesPreview &preview() const { return m_preview; }

    int channel() const;
    void setChannel(int channel);
    int casesPerClass() const;
    void setCasesPerClass(int count);
    /// The class drawn (an index into the preview's classNames), -1 = all classes.
    int shownClass() const;
    void setShownClass(int label);

    /// The drawn lines, class by class (for tests and export).
    const QList<QLineSeries *> &lines() const { return m_lines; }
    QChart *chart() const;
    /// The drawn cases at full resolution (not decimated), one row per step: class, case
    /// (its source), step, seconds (sound clips only) and the channel's value.
    CsvTable csvTable() const override;
    /// The title of an empty view (no labelled data opened).
    static QString emptyTitle();

Q_SIGNALS:
    /// The channel drawn changed (by the user or setChannel; not by setPreview).
    void channelChanged(int channel);

private:
    void redraw();
    /// Calls `f(const LabelledCase &)` for each case drawn, in drawing order (the highlighted
    /// case last).
    template<typename F>
    void forEachDrawnCase(F f) const;

    LabelledCasesPreview m_preview;
    QString m_highlight; ///< source of the highlighted case, empty = none
    bool m_highlightDrawn = false;
    QList<QLineSeries *> m_lines;
    QComboBox *m_channel = nullptr;
    QComboBox *m_class = nullptr; ///< item 0 = all classes, item i + 1 = class i
    QSpinBox *m_perClass = nullptr;
    QLabel *m_info = nullptr;
    QChartView *m_view = nullptr;
};

} // namespace twb
