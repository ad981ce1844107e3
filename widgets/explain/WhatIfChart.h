#pragma once

#include "protocol/WhatIfMessages.h"
#include "widgets/common/CsvExportable.h"

#include <QWidget>

class QChartView;
class QComboBox;
class QLabel;
class QLineSeries;
class QStackedWidget;

namespace twb {

/// The prediction of one sample before and after a what-if edit, side by side:
///  - forecast: one channel (chosen in a combo box) over steps from the forecast start: the
///    lookback window as it was (grey) and as the model saw it after the edit (orange), the
///    truth (blue), the original forecast (red, dashed) and the edited one (green);
///  - classification: the class probabilities before and after as horizontal bars;
///  - separation: one source (chosen in the combo box) over seconds: the mixture as it was and
///    as the model heard it after the edit, the reference, the estimate and the edited estimate.
/// csvTable() is the data drawn: every channel's original, edited and true values per step, or
/// the probabilities per class. Threading: GUI thread only.
class WhatIfChart : public QWidget, public CsvExportable
{
    Q_OBJECT

public:
    explicit WhatIfChart(QWidget *parent = nullptr);

    void setResult(WhatIfAnswer result);
    const WhatIfAnswer &result() const { return m_result; }
    bool hasResult() const { return m_result.rows > 0; }

    /// The forecast channel shown (by default the last: the ETT target OT).
    void setChannel(int channel);
    int channel() const;

    QChartView *lineView() const { return m_lineView; }
    QChartView *barView() const { return m_barView; }
    QComboBox *channelBox() const { return m_channelBox; }

    CsvTable csvTable() const override;

private:
    void showForecast();
    void showProbabilities();
    void labelSeries(); ///< legend and axis words of the task shown

    WhatIfAnswer m_result;
    QComboBox *m_channelBox = nullptr;
    QLabel *m_channelLabel = nullptr;
    QStackedWidget *m_stack = nullptr;
    QChartView *m_lineView = nullptr;
    QChartView *m_barView = nullptr;
    QLineSeries *m_history = nullptr;
    QLineSeries *m_editedHistory = nullptr;
    QLineSeries *m_truth = nullptr;
    QLineSeries *m_original = nullptr;
    QLineSeries *m_edited = nullptr;
};

} // namespace twb
