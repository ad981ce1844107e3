#pragma once

#include "widgets/common/CsvExportable.h"

#include <QPointF>
#include <QWidget>

#include <vector>

class QChart;
class QChartView;
class QLineSeries;
class QScatterSeries;
class QAbstractAxis;
class QValueAxis;

namespace twb {

/// The live curves of a training run: the loss per batch (thin), the train and validation loss
/// per epoch (with markers) and, in a small chart below, the learning rate per batch.
///
/// x is in epochs: batch b of B in epoch e (1-based) is at e - 1 + b / B, the end of epoch e is
/// at e. Points are appended one by one (QXYSeries::append, one pointAdded each); the axes only
/// change when a point falls outside them, so a batch costs O(1) and no chart is rebuilt.
/// The loss axis is named after the loss (setLossName) and can be logarithmic (non-positive
/// losses are then left out of the batch curve); a linear axis includes 0 unless the losses are
/// negative (separation's −SI-SNR). The batch curve can be smoothed with an exponential moving
/// average (debiased like TensorBoard's): changing the smoothing redraws that one curve once.
///
/// The x axes have at most 8 whole-number ticks, fewer when the charts are narrow (so that no
/// label is truncated); the loss chart keeps a minimum height for the same reason.
/// An axis shows its tick labels and title only once it has a meaningful range: x when the
/// epochs are known (clear(epochs)) or a point was added, the loss and learning-rate axes from
/// their first value.
///
/// Threading: GUI thread only.
class TrainingCurves : public QWidget, public CsvExportable
{
    Q_OBJECT

public:
    explicit TrainingCurves(QWidget *parent = nullptr);
    ~TrainingCurves() override;

    /// Removes every point; `epochs` fixes the x range [0, epochs] (0 = grow with the data).
    void clear(int epochs = 0);

    void addBatch(double x, double loss, double lr);
    void addEpoch(int epoch, double trainLoss, double valLoss);

    void setLogScale(bool on);
    bool logScale() const { return m_log; }
    /// The loss axis' title: "loss" (the default), or what the loss is ("−SI-SNR (dB)").
    void setLossName(const QString &name);
    QString lossName() const { return m_lossName; }
    /// EMA weight of the past in [0, 1): 0 = raw batch losses, 0.9 = strong smoothing.
    void setSmoothing(double weight);
    double smoothing() const { return m_smoothing; }

    QLineSeries *batchLossSeries() const { return m_batchLoss; }
    QLineSeries *trainLossSeries() const { return m_trainLoss; }
    QLineSeries *valLossSeries() const { return m_valLoss; }
    QLineSeries *learningRateSeries() const { return m_lr; }
    /// Every point in long form: curve ("train_batch" unsmoothed, "train_epoch", "validation",
    /// "learning_rate"), epoch (x as drawn), value; empty before the first point.
    CsvTable csvTable() const override;

    QChart *lossChart() const;
    QChart *learningRateChart() const;

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void appendBatchPoint(double x, double y);
    void rebuildBatchCurve();
    void includeLoss(double y);
    void applyLossRange();
    void includeX(double x);
    /// [0, m_xMax] on both x axes, with as many whole-number ticks as the width has room for.
    void applyXRange();
    void replaceLossAxis();
    /// Tick labels and titles only on axes whose range comes from data (or the epochs given).
    void updateTickLabels();

    QChartView *m_lossView = nullptr;
    QChartView *m_lrView = nullptr;
    QLineSeries *m_batchLoss = nullptr;
    QLineSeries *m_trainLoss = nullptr;
    QLineSeries *m_valLoss = nullptr;
    QScatterSeries *m_trainMarks = nullptr;
    QScatterSeries *m_valMarks = nullptr;
    QLineSeries *m_lr = nullptr;
    QValueAxis *m_x = nullptr;
    QValueAxis *m_lrX = nullptr;
    QAbstractAxis *m_y = nullptr;
    QValueAxis *m_lrY = nullptr;

    std::vector<QPointF> m_rawBatch; ///< unsmoothed batch losses
    double m_ema = 0.0;
    double m_emaWeightPower = 1.0; ///< smoothing^n, for the debiasing
    double m_smoothing = 0.0;
    bool m_log = false;
    QString m_lossName;
    int m_epochs = 0;
    double m_xMax = 1.0;
    bool m_hasX = false;               ///< a batch or an epoch was added since clear()
    double m_yMin = 0.0, m_yMax = 0.0; ///< over every loss shown; m_yMin > m_yMax = none yet
    double m_yPosMin = 0.0;            ///< the smallest positive loss (for the log axis)
    double m_lrMax = 0.0;
};

} // namespace twb
