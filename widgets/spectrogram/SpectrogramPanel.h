#pragma once

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;

namespace twb {

class SpectrogramView;

/// A SpectrogramView under a row of controls bound to it: window type, n_fft, window length,
/// hop, frequency axis, mel bands, colour map, dB range (or automatic), the filterbank panel,
/// and the cursor read-out. Every control applies at once; a refused combination (e.g. a
/// window longer than n_fft) is shown in the status label and the controls return to the
/// view's settings. Owns the view. GUI thread only.
class SpectrogramPanel : public QWidget
{
    Q_OBJECT

public:
    explicit SpectrogramPanel(QWidget *parent = nullptr);

    SpectrogramView *view() const { return m_view; }

    QComboBox *windowBox() const { return m_window; }
    QComboBox *nFftBox() const { return m_nFft; }
    QSpinBox *windowLengthBox() const { return m_winLength; }
    QSpinBox *hopBox() const { return m_hop; }
    QComboBox *scaleBox() const { return m_scale; }
    QSpinBox *melBox() const { return m_mels; }
    QComboBox *colorMapBox() const { return m_colorMap; }
    QCheckBox *autoRangeBox() const { return m_autoRange; }
    QDoubleSpinBox *floorBox() const { return m_floor; }
    QDoubleSpinBox *topBox() const { return m_top; }
    QCheckBox *filterbankBox() const { return m_filterbank; }
    QLabel *statusLabel() const { return m_status; }

private:
    void apply();
    void syncFromView();

    SpectrogramView *m_view = nullptr;
    QComboBox *m_window = nullptr;
    QComboBox *m_nFft = nullptr;
    QSpinBox *m_winLength = nullptr;
    QSpinBox *m_hop = nullptr;
    QComboBox *m_scale = nullptr;
    QSpinBox *m_mels = nullptr;
    QComboBox *m_colorMap = nullptr;
    QCheckBox *m_autoRange = nullptr;
    QDoubleSpinBox *m_floor = nullptr;
    QDoubleSpinBox *m_top = nullptr;
    QCheckBox *m_filterbank = nullptr;
    QLabel *m_status = nullptr;
    bool m_syncing = false;
};

} // namespace twb
