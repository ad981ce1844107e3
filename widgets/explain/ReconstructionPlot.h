#pragma once

#include <QString>
#include <QWidget>

#include <vector>

namespace twb {

/// One channel of one window of masked reconstruction (what self-supervised pretraining
/// learns): the series the model was given, the stretches hidden from it shaded, and the
/// model's reconstruction drawn over the hidden stretches, where it had to guess. Outside the
/// hidden stretches the reconstruction is drawn faintly (the loss never scored it there).
///
/// Steps run across (0 .. lookback - 1), values (original units) up; the y range covers the
/// series and the reconstruction. Threading: GUI thread only.
class ReconstructionPlot : public QWidget
{
    Q_OBJECT

public:
    explicit ReconstructionPlot(QWidget *parent = nullptr);

    /// All three of one length; otherwise (or empty) the plot is cleared. `channelName` names
    /// the channel on the y axis.
    void setSeries(std::vector<float> values, std::vector<float> reconstruction,
                   std::vector<bool> hidden, const QString &channelName);
    void clear();
    bool hasSeries() const { return !m_values.empty(); }

    /// The hidden stretches as [first, last] steps, in order.
    std::vector<std::pair<int, int>> hiddenStretches() const;
    /// Where the curves are drawn (widget coordinates).
    QRect plotRect() const;
    /// The y range drawn (original units): the series' and reconstruction's extremes, padded.
    std::pair<double, double> valueRange() const { return {m_low, m_high}; }

    QSize sizeHint() const override { return {720, 260}; }
    QSize minimumSizeHint() const override { return {240, 120}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QPointF toPixel(int step, float value, const QRect &plot) const;

    std::vector<float> m_values;
    std::vector<float> m_reconstruction;
    std::vector<bool> m_hidden;
    QString m_channel;
    double m_low = 0.0;
    double m_high = 1.0;
};

} // namespace twb
