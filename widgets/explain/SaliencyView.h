#pragma once

#include <QImage>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <vector>

namespace twb {

/// Gradient × input of a sample's prediction (explain::computeSaliency, the /saliency of an
/// attention file) as a heat map next to the attention: attention says where the model looked,
/// saliency what the prediction is sensitive to, and they need not agree.
///
/// The input is [rows = time steps (frames), cols = channels (mel bins)]. Time runs across;
/// channels are stacked top-down with their names (series, up to 32 channels) or drawn bottom-up
/// as frequency (more columns: mel bins, bin 0 at the bottom). Colours diverge around 0: red
/// raises the prediction, blue lowers it, white is 0; the scale is symmetric at the largest
/// |value|. Threading: GUI thread only.
class SaliencyView : public QWidget
{
    Q_OBJECT

public:
    explicit SaliencyView(QWidget *parent = nullptr);

    /// `values` row-major [rows, cols]; `target` says what was differentiated ("sum of the
    /// forecast of OT", "logit of class 'seven'"). Wrong sizes clear the view.
    void setSaliency(std::vector<float> values, int rows, int cols, const QString &target,
                     const QStringList &columnNames = {});
    void clear();
    bool hasSaliency() const { return !m_values.empty(); }
    float scale() const { return m_scale; } ///< the largest |value|

    /// The picture at its natural resolution: `rows` pixels wide, `cols` high (column 0 at the
    /// top for series, at the bottom for spectrograms).
    const QImage &heatImage() const { return m_image; }
    /// The colour of a value on the view's diverging scale.
    static QRgb colorOf(float value, float scale);
    /// Where the heat map is drawn (widget coordinates).
    QRect plotRect() const;

    QSize sizeHint() const override { return {640, 160}; }
    QSize minimumSizeHint() const override { return {200, 80}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    bool namesChannels() const { return m_cols <= 32; }

    std::vector<float> m_values;
    int m_rows = 0;
    int m_cols = 0;
    QString m_target;
    QStringList m_names;
    float m_scale = 0.0f;
    QImage m_image;
};

} // namespace twb
