#pragma once

#include "CsvExportable.h"

#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <QWidget>

#include <memory>

class QLabel;
class QPushButton;
class QSpinBox;

namespace twb {

class AttentionExplorer;
class AttentionTimeline;
class SaliencyView;
class WhatIfPanel;

/// The Explain tab: the attention of one sample of a finished run, shown in an
/// AttentionExplorer.
///
/// The attention is computed by a child process, `twb-cli attention RUN --index I --out FILE.h5
/// --saliency [--channel C]` (or `--count N` instead of `--saliency` for the mean of N samples)
/// (DESIGN.md "a run is a process": the window never links LibTorch and never blocks while a model
/// runs), and read back with explain::readAttentionFile. The sample's input stored in the file
/// (`/input`) is drawn under the map: the series for time-range and variate tokens, the features as
/// a spectrogram for tile tokens. The file's gradient × input (`/saliency`) is drawn under the
/// explorer by a SaliencyView.
///
/// When the run has epoch checkpoints (twb-cli train --checkpoint-every N), an "Across training"
/// toggle replaces the explorer by an AttentionTimeline for the chosen sample and channel.
///
/// Under the explorer, a WhatIfPanel edits the sample shown (mask the query token, a time range
/// or a channel, switch the selected head off) and draws the prediction before and after.
///
/// Threading and ownership: GUI thread; owns its child process and a temporary folder for the
/// files it writes (removed with the panel).
class AttentionPanel : public QWidget, public CsvExportable
{
    Q_OBJECT

public:
    explicit AttentionPanel(QWidget *parent = nullptr);
    ~AttentionPanel() override;

    /// The twb-cli executable (default: "twb-cli" next to the running application); also the
    /// one of the "Across training" timeline.
    void setProgram(const QString &program);
    QString program() const { return m_program; }

    /// The run whose samples are explained; clears the view. `testSamples` bounds the sample
    /// spin box (0 = unknown: no bound), `channels` the channel spin box (channel-independent
    /// models attend per channel; -1 there means "the model's default").
    void setRun(const QString &runDir, int testSamples = 0, int channels = 0);
    QString runDir() const { return m_runDir; }

    /// Starts `twb-cli attention` for the chosen sample; false (with the reason in the status
    /// line) when no run is set or a computation is already running.
    bool compute();
    bool isComputing() const { return m_process && m_process->state() != QProcess::NotRunning; }

    /// Shows an attention file (what compute() does when the child has finished). On failure
    /// the reason, naming the file, is shown and returned in *error.
    bool loadFile(const QString &path, QString *error = nullptr);

    AttentionExplorer *explorer() const { return m_explorer; }
    AttentionTimeline *timeline() const { return m_timeline; }
    /// What-if edits of the sample shown (under the explorer).
    WhatIfPanel *whatIf() const { return m_whatIf; }
    /// Gradient × input of the sample's prediction (the file's /saliency), under the explorer.
    SaliencyView *saliencyView() const { return m_saliency; }
    /// The "Across training" toggle: visible only for runs with epoch checkpoints.
    QPushButton *acrossTrainingButton() const { return m_acrossTraining; }
    /// Shows the timeline (true) or the explorer (false); the timeline only when available.
    void showAcrossTraining(bool on);
    QSpinBox *sampleBox() const { return m_sample; }
    QSpinBox *channelBox() const { return m_channel; }
    /// How many test samples from the chosen one are averaged (1 = just that sample).
    QSpinBox *averageBox() const { return m_average; }
    QString statusText() const;
    /// The arguments compute() gives twb-cli (for tests and "copy as command").
    QStringList arguments(const QString &outFile) const;

    CsvTable csvTable() const override;

Q_SIGNALS:
    /// A file was shown (after compute() or loadFile()).
    void attentionShown(const QString &file);
    /// compute() failed: the child could not start, crashed or exited with an error.
    void failed(const QString &message);

private:
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void setStatus(const QString &text);

    QString m_program;
    QString m_runDir;
    QString m_outFile;
    QByteArray m_errorOutput;
    std::unique_ptr<QTemporaryDir> m_tempDir;
    QProcess *m_process = nullptr;
    AttentionExplorer *m_explorer = nullptr;
    QLabel *m_runLabel = nullptr;
    QSpinBox *m_sample = nullptr;
    QSpinBox *m_channel = nullptr;
    QSpinBox *m_average = nullptr;
    QPushButton *m_show = nullptr;
    QPushButton *m_acrossTraining = nullptr;
    AttentionTimeline *m_timeline = nullptr;
    WhatIfPanel *m_whatIf = nullptr;
    SaliencyView *m_saliency = nullptr;
    QLabel *m_status = nullptr;
};

} // namespace twb
