#pragma once

#include "client/ReconstructionFile.h"
#include "widgets/common/CsvExportable.h"

#include <QWidget>

class QComboBox;
class QLabel;

namespace twb {

class ReconstructionPlot;

/// The reconstruction view of a pretraining run: a few test windows with the values hidden
/// from the model (masked patches for PatchTST, spans for TST) and the model's reconstruction,
/// one window and one channel at a time (ReconstructionPlot), with the window's masked MSE
/// and the run's masking scheme — a teaching picture of what self-supervision learns.
///
/// It draws what it is given (readReconstructionSamples, read by the caller). Object names
/// for lessons and tests: "reconstructionWindow", "reconstructionChannel". Threading: GUI
/// thread only.
class ReconstructionView : public QWidget, public CsvExportable
{
    Q_OBJECT

public:
    explicit ReconstructionView(QWidget *parent = nullptr);

    void setSamples(ReconstructionSamples samples);
    /// Clears the view and says why (naming the file).
    void showFailure(const QString &message);

    const ReconstructionSamples &samples() const { return m_samples; }
    ReconstructionPlot *plot() const { return m_plot; }
    QComboBox *windowBox() const { return m_window; }
    QComboBox *channelBox() const { return m_channel; }
    /// The line above the plot: the window, its masked MSE, the masking scheme.
    QString summaryText() const;
    /// The window and channel shown: step, start row + step, value, reconstruction (original
    /// units) and hidden (0/1), one row per step.
    CsvTable csvTable() const override;

private:
    void showSelection();

    ReconstructionSamples m_samples;
    QComboBox *m_window = nullptr;
    QComboBox *m_channel = nullptr;
    QLabel *m_summary = nullptr;
    ReconstructionPlot *m_plot = nullptr;
};

} // namespace twb
